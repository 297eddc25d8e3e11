"""``python -m examples.notes [--host H] [--port P]``: serve the notes app."""

import argparse

import uvicorn

parser = argparse.ArgumentParser(prog="python -m examples.notes", description=__doc__)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8000)
args = parser.parse_args()
uvicorn.run("examples.notes.app:app", host=args.host, port=args.port)
