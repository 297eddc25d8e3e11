import sqlcrud
import sqlcrud.testing


def test_public_api() -> None:
    assert sqlcrud.__all__ == ["ErrorMessage", "Hooks", "crud_router", "outage_handler"]
    assert all(getattr(sqlcrud, name) for name in sqlcrud.__all__)
    assert sqlcrud.__version__


def test_testing_api() -> None:
    assert sqlcrud.testing.__all__ == ["Answer", "CheckFailed", "Failure", "Report", "Request", "check"]
    assert all(getattr(sqlcrud.testing, name) for name in sqlcrud.testing.__all__)
