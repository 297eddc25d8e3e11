"""Print pip constraints pinning each direct dependency of pyproject.toml (and of its
``testing`` extra) to its floor.

``pip install -c <(python .ci/floors.py)`` then installs the lowest versions we declare,
and the newest of everything they pull in.
"""

import re
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]
for requirement in [*project["dependencies"], *project["optional-dependencies"]["testing"]]:
    name, floor = re.fullmatch(r"([\w.-]+)>=([\w.]+)", requirement).groups()  # type: ignore[union-attr]
    print(f"{name}=={floor}")
