"""The sqlcrud benchmark: five apps serving one Hero table, driven by wrk (and, in ``teams/``,
four serving the team/hero tables with related rows nested).

Run it with ``python -m benchmarks`` (``--help`` for options); it writes
``docs/benchmarks.md`` and ``docs/benchmarks.svg``.
"""
