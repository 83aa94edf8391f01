"""Live progress of a load run: users, requests/s, answers judged, refusals, violations so far.

On a terminal a rich table is redrawn in place once a second; elsewhere (CI logs) one plain line is
printed every few seconds, so a log never fills with redraws.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from rich.console import Console
from rich.live import Live
from rich.table import Table

PLAIN_EVERY_S = 5.0


class LoadProgress:
    """Call with a snapshot dict (see llmgw_conformance.load.session); ``close()`` at the end."""

    def __init__(self, *, plain: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.plain = plain
        self.last_plain = 0.0
        self.live: Live | None = None
        if not plain:
            self.live = Live(self._table({}), console=Console(file=self.stream), auto_refresh=False)
            self.live.start()

    @staticmethod
    def _table(snap: dict[str, Any]) -> Table:
        table = Table(title="conformance under load")
        for name in ("elapsed s", "users", "requests/s", "judged", "refused", "violations"):
            table.add_column(name, justify="right")
        keys = ("elapsed_s", "users", "rps", "judged", "refused", "violations")
        table.add_row(*(str(snap.get(k, "")) for k in keys))
        return table

    def __call__(self, snap: dict[str, Any]) -> None:
        if self.live is not None:
            self.live.update(self._table(snap), refresh=True)
        elif time.monotonic() - self.last_plain >= PLAIN_EVERY_S:
            self.last_plain = time.monotonic()
            print(
                f"[{snap['elapsed_s']:>6}s] users {snap['users']}, {snap['rps']} req/s, "
                f"judged {snap['judged']}, "
                f"refused {snap['refused']}, violations {snap['violations']}",
                file=self.stream,
                flush=True,
            )

    def close(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None
