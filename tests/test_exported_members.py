import sqlcrud


def test_public_api() -> None:
    assert sqlcrud.__all__ == ["ErrorMessage", "Hooks", "crud_router", "outage_handler"]
    assert all(getattr(sqlcrud, name) for name in sqlcrud.__all__)
    assert sqlcrud.__version__
