"""``python -m sqlcrud.testing myapp.main:app``: check an app, print the report, exit 1 on
any failure (0 otherwise, 2 for a command line that cannot be used)."""

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from . import check
from ._check import MAX_EXAMPLES


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sqlcrud.testing",
        description="Check every crud_router route of a FastAPI app, in this process, against its database.",
    )
    parser.add_argument("app", help="the app, as module:attribute (myapp.main:app)")
    parser.add_argument(
        "--identity",
        action="append",
        default=[],
        metavar="NAME:HEADER=VALUE",
        help="a header that acts as user NAME; repeat it for more headers or more users",
    )
    parser.add_argument("--max-examples", type=int, default=MAX_EXAMPLES, help="schemathesis' requests per route")
    parser.add_argument("--seed", type=int, default=0, help="the seed of schemathesis' random requests")
    options = parser.parse_args(argv)
    identities: dict[str, dict[str, str]] = {}
    for identity in options.identity:
        name, _, header = identity.partition(":")
        field, equals, value = header.partition("=")
        if not (name and field and equals):
            parser.error(f"--identity takes NAME:HEADER=VALUE, not {identity!r}")
        identities.setdefault(name, {})[field] = value
    app = _load(parser, options.app)
    report = check(app, identities=identities, max_examples=options.max_examples, seed=options.seed)
    print(report)
    return 1 if report.failures else 0


def _load(parser: argparse.ArgumentParser, where: str) -> Any:
    """The app at ``module:attribute``, imported as uvicorn does (the current directory first)."""
    module_name, _, attribute = where.partition(":")
    sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        parser.error(f"cannot import {module_name}: {error}")
    if not hasattr(module, attribute or "app"):
        parser.error(f"{module_name} has no attribute {attribute or 'app'!r}")
    return getattr(module, attribute or "app")


if __name__ == "__main__":
    sys.exit(main())
