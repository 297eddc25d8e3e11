"""The sqlcrud benchmark: five apps serving one Hero table, driven by wrk.

Run it with ``python -m benchmarks`` (``--help`` for options); it writes
``docs/benchmarks.md`` and ``docs/benchmarks.svg``.
"""
