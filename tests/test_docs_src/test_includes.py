"""Every file a page includes exists with the section named; every docs_src file is shown and tested."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
INCLUDE = re.compile(r'^[ \t]*-+8<-+[ \t]+"([^"]+)"[ \t]*$', re.MULTILINE)

PAGES = sorted(DOCS.rglob("*.md"))
INCLUDES = [
    (page.relative_to(DOCS).as_posix(), match.group(1))
    for page in PAGES
    for match in INCLUDE.finditer(page.read_text())
]
DOCS_SRC = sorted(path for path in (ROOT / "docs_src").glob("*.py") if path.name != "__init__.py")


@pytest.mark.parametrize(("page", "target"), INCLUDES, ids=[f"{page}:{target}" for page, target in INCLUDES])
def test_include_exists(page: str, target: str) -> None:
    path, _, section = target.partition(":")
    file = ROOT / path
    assert file.is_file(), f"{page} includes {path}, which does not exist"
    if section:
        text = file.read_text()
        assert f"--8<-- [start:{section}]" in text, f"{page}: no section {section!r} in {path}"
        assert f"--8<-- [end:{section}]" in text, f"{page}: section {section!r} of {path} never ends"


def test_pages_include_something() -> None:
    assert len(INCLUDES) >= 15


@pytest.mark.parametrize("source", DOCS_SRC, ids=[path.name for path in DOCS_SRC])
def test_docs_src_file_is_shown_and_tested(source: Path) -> None:
    shown = {target.partition(":")[0] for _, target in INCLUDES}
    assert f"docs_src/{source.name}" in shown
    assert (Path(__file__).parent / f"test_{source.name}").is_file()
