"""What stops a run before its last check: a target that stopped answering, and a signal.

Why a bounded count of unanswered exchanges: a target that stops answering in the middle of a run
(every request times out, every stream stalls or never ends) would otherwise cost each remaining
check its full timeouts, and the run its whole budget, to learn nothing more. The first few such
exchanges are the target's failures and are judged as such; after :data:`MAX_UNANSWERED` of them in
a row (or :data:`MAX_UNANSWERED_S` seconds spent in them) :class:`TargetHealth` trips, the next
request of the running check raises :class:`TargetUnusable`, and the runner reports every remaining
requirement *not run: target unusable*. Any complete answer, whatever its status, resets the count:
a target that answers 500 to everything is answering, and the checks judge it.

Why the CLI installs its own SIGINT/SIGTERM handlers: a process started in the background by a
non-interactive shell (``make test &``, many CI runners) inherits SIGINT *ignored*, and Python then
installs no KeyboardInterrupt handler, so Ctrl-C or a CI cancel did nothing. The handlers raise
:class:`RunInterrupted` in the main thread, which the runner turns into a partial report.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: Unanswered exchanges in a row after which the target is judged unusable for the rest of the run.
MAX_UNANSWERED = 3
#: Seconds spent in unanswered exchanges in a row after which the same holds (two full read timeouts
#: at the default settings end a run against a target that went silent in about a minute).
MAX_UNANSWERED_S = 45.0

#: Stream endings that mean the target stopped answering (stalled, never ended, or broke).
STALLED_TERMINATIONS = frozenset({"idle_timeout", "total_timeout", "connection_error"})


class TargetUnusable(Exception):
    """Raised by a session's next request once the target has stopped answering."""


class RunInterrupted(BaseException):
    """SIGINT or SIGTERM arrived; a BaseException so that no check's ``except Exception`` eats it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class TargetHealth:
    """Counts the exchanges in a row that got no complete answer; shared by every session of a run."""

    def __init__(self, max_unanswered: int = MAX_UNANSWERED, max_unanswered_s: float = MAX_UNANSWERED_S):
        self.max_unanswered = max_unanswered
        self.max_unanswered_s = max_unanswered_s
        self._lock = threading.Lock()
        self._count = 0
        self._seconds = 0.0
        self._last = ""
        self.reason = ""
        #: Every unanswered exchange of the run (not reset by answers), and the last one's description.
        self.unanswered_total = 0

    @property
    def tripped(self) -> bool:
        return bool(self.reason)

    def answered(self) -> None:
        with self._lock:
            self._count, self._seconds = 0, 0.0

    def unanswered(self, what: str, elapsed_s: float) -> None:
        """Record one exchange that got no complete answer (``what`` says which and how)."""
        with self._lock:
            self._count += 1
            self.unanswered_total += 1
            self._seconds += elapsed_s
            self._last = what
            if not self.reason and (
                self._count >= self.max_unanswered or self._seconds >= self.max_unanswered_s
            ):
                self.reason = (
                    f"the target stopped answering: {self._count} exchanges in a row without a complete "
                    f"answer ({self._seconds:.0f}s), the last {what}"
                )

    @property
    def last_unanswered(self) -> str:
        return self._last

    def raise_if_tripped(self) -> None:
        if self.reason:
            raise TargetUnusable(self.reason)


def _raise_interrupted(signum: int, _frame: FrameType | None) -> None:
    raise RunInterrupted(signum)


@contextmanager
def interrupts_raise() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`RunInterrupted` in the main thread (even
    when the parent started us with SIGINT ignored); the previous handlers come back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise_interrupted) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
