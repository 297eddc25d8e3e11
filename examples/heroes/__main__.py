"""``python -m examples.heroes [--async] [--host H] [--port P]``: serve the hero app."""

import argparse

import uvicorn

parser = argparse.ArgumentParser(prog="python -m examples.heroes", description=__doc__)
parser.add_argument("--async", dest="use_async", action="store_true", help="use the AsyncSession app")
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8000)
args = parser.parse_args()
uvicorn.run(
    "examples.heroes.app_async:app" if args.use_async else "examples.heroes.app:app",
    host=args.host,
    port=args.port,
)
