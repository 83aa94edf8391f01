"""A base for faults that rewrite the JSON answer of one kind of request (`json_answer` hook).

Why a base: many answer faults change one thing (a key's value, the status) of the answers to one
method at one kind of path with one status; written out, each would repeat the same test of method,
path and status. An `AnswerRewrite` row in a table says which answers, and its class what changes.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from llmgw_reference.faults.base import Fault

Body = dict[str, Any]
Answer = tuple[int, Body]


def listed_items(body: Body) -> list[Any] | None:
    """The `data` list of a list answer (None when the answer is not one)."""
    data = body.get("data")
    return data if isinstance(data, list) else None


class AnswerRewrite(Fault):
    """Rewrites the answers to `method` (None: any) at a path `path` matches in full, with a status
    in `statuses` (None: any), through `rewrite_answer`; other answers pass untouched."""

    method: str | None = None
    path = re.compile(r".*", re.DOTALL)
    statuses: tuple[int, ...] | None = None

    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        found = self.path.fullmatch(path)
        if found is None or self.method not in (None, method):
            return status, body
        if self.statuses is not None and status not in self.statuses:
            return status, body
        return self.rewrite_answer(found, status, body)

    def rewrite_answer(self, found: re.Match[str], status: int, body: Body) -> Answer:
        return status, body


class AnswerKeySet(AnswerRewrite):
    """Sets `key` of the answer to `value`."""

    key = ""
    value: Any = None

    def rewrite_answer(self, found: re.Match[str], status: int, body: Body) -> Answer:
        return status, body | {self.key: self.value}


class AnswerStatusChanged(AnswerRewrite):
    """Sends the answer with status `to_status`."""

    to_status = 200

    def rewrite_answer(self, found: re.Match[str], status: int, body: Body) -> Answer:
        return self.to_status, body


class GoneStillFound(AnswerRewrite):
    """Answers a 404 for a resource with 200 and `found`, its id (the path's group) under `id_key`."""

    id_key = "id"
    found: Body = {}

    def rewrite_answer(self, found: re.Match[str], status: int, body: Body) -> Answer:
        return 200, {self.id_key: found.group(1)} | copy.deepcopy(self.found)
