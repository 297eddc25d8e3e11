"""What a check found: failures with their reproduction, and what it could not check."""

from dataclasses import dataclass, field

from ._client import CURL_BASE, Answer, Request

SHOWN = 500  # characters of an answer's body shown in a report


@dataclass(frozen=True)
class Failure:
    """One way the app broke its contract, with the request that shows it."""

    check: str  # "server error", "OpenAPI", "hostile input", "round trip", "isolation"
    route: str  # "PATCH /heroes/{hero_id}"
    reason: str  # one line
    request: Request
    answer: Answer
    identity: str | None = None

    @property
    def status(self) -> int:
        return self.answer.status

    @property
    def body(self) -> str:
        return self.answer.text

    @property
    def curl(self) -> str:
        """A ``curl`` line that sends the request to the app served on uvicorn's default port."""
        return self.request.curl(CURL_BASE)

    def __str__(self) -> str:
        who = f" as {self.identity}" if self.identity else ""
        body = self.body if len(self.body) <= SHOWN else self.body[:SHOWN] + "..."
        lines = [
            f"[{self.check}] {self.route}{who}: {self.reason}",
            f"  {self.request.method} {self.request.url} -> {self.status}",
            f"  answer: {body}" if body else "  answer: (empty)",
        ]
        if self.answer.error and self.answer.error != self.reason:
            lines.append(f"  raised: {self.answer.error}")
        lines.append(f"  reproduce: {self.curl}")
        return "\n".join(lines)


def _kind(failure: Failure) -> tuple[str, str, str, str | None]:
    return failure.check, failure.route, failure.reason.split(" (", 1)[0], failure.identity


class CheckFailed(AssertionError):
    """Raised by ``Report.raise_for_failures``: its message is the whole report."""


@dataclass(repr=False)
class Report:
    """The outcome of ``check``: ``failures`` is empty when the app kept its contract."""

    routes: list[str] = field(default_factory=list)  # every route checked, "GET /heroes/"
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be checked, and why
    requests: int = 0
    seconds: float = 0.0

    def add(self, failure: Failure) -> None:
        """Keep one failure per route and reason (the values in its parentheses aside):
        the one with the shortest request."""
        for index, known in enumerate(self.failures):
            if _kind(known) == _kind(failure):
                if len(failure.curl) < len(known.curl):
                    self.failures[index] = failure
                return
        self.failures.append(failure)

    def raise_for_failures(self) -> None:
        """Raise ``CheckFailed`` (an ``AssertionError``) naming every failure, if any."""
        if self.failures:
            raise CheckFailed(str(self))

    def __str__(self) -> str:
        found = f"{len(self.failures)} failure{'s' * (len(self.failures) != 1)}"
        head = f"sqlcrud check: {found} in {len(self.routes)} routes, {self.requests} requests, {self.seconds:.1f} s"
        parts = [head, *(str(failure) for failure in self.failures)]
        if self.notes:
            parts.append("Not checked:\n" + "\n".join(f"  - {note}" for note in self.notes))
        return "\n\n".join(parts)

    __repr__ = __str__  # what ``assert not report.failures, report`` shows
