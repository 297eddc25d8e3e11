"""The install lines of the README and the docs name the distribution pyproject.toml builds.

``sqlcrud`` on the package index is someone else's package: a page that says
``pip install sqlcrud`` would install it.
"""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
OTHERS = {"uvicorn"}  # what the pages install beside sqlcrud
TYPES = {"list", "dict", "tuple", "set", "type", "Annotated", "Sequence"}  # `list[X]` is no requirement


def installed(text: str) -> list[str]:
    """Every requirement that a ``pip install`` line or an extra in backticks names."""
    names = []
    for line in re.findall(r"pip install ([^\n#`]+)", text):
        names += [word.strip("\"'") for word in line.split() if not word.startswith("-")]
    names += re.findall(r"`([\w.-]+\[[\w,-]+\])`", text)
    names += re.findall(r"\"([\w.-]+\[[\w,-]+\])\"", text)
    return names


def test_pages_install_this_distribution() -> None:
    extras = set(PROJECT["optional-dependencies"])
    seen = 0
    for page in PAGES:
        for requirement in installed(page.read_text()):
            name, _, rest = requirement.partition("[")
            if name in OTHERS or name in TYPES:
                continue
            seen += 1
            assert name == PROJECT["name"], f"{page.name} installs {requirement}"
            assert set(filter(None, rest.rstrip("]").split(","))) <= extras, f"{page.name}: {requirement}"
    assert seen >= 5  # the README and the tutorial pages do install it


def test_the_name_is_not_the_taken_one() -> None:
    assert PROJECT["name"] != "sqlcrud"
    assert "urls" not in PROJECT  # no links to pages that are not ours
