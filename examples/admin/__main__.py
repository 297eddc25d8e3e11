"""``python -m examples.admin [--host H] [--port P]``: serve the admin back end."""

import argparse

import uvicorn

parser = argparse.ArgumentParser(prog="python -m examples.admin", description=__doc__)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8000)
args = parser.parse_args()
uvicorn.run("examples.admin.app:app", host=args.host, port=args.port)
