"""The contract's OpenAPI documents as one set: JSON pointers into them and ``$ref`` following.

The contract is three OpenAPI 3.1 documents in one folder (``common.yaml``, ``control.yaml``,
``data.yaml``) that refer to each other with relative ``$ref`` values such as
``common.yaml#/components/schemas/ErrorEnvelope``. Problems are reported as ``file#/json/pointer``
so that a reader can jump straight to the offending node. The suite (bundling for schemathesis) and
the tools (lint, codegen, 3.2 conversion, fidelity) share these pieces; the files are parsed by
:func:`llmgw_contracts.files.read_yaml`, once each.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from llmgw_contracts.files import ContractError, read_yaml


def escape_token(token: str | int) -> str:
    """Escape one reference token for a JSON pointer (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def to_pointer(parts: Sequence[str | int]) -> str:
    """``["paths", "/v1/x"]`` -> ``/paths/~1v1~1x``; the empty sequence is the whole document ``""``."""
    return "".join("/" + escape_token(p) for p in parts)


def from_pointer(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [unescape_token(t) for t in pointer[1:].split("/")]


@dataclass(frozen=True, order=True)
class Location:
    """A node in one contract file: the file's name (relative to its folder) and a JSON pointer."""

    file: str
    pointer: str

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}"

    def child(self, *parts: str | int) -> Location:
        return Location(self.file, self.pointer + to_pointer(parts))


def split_ref(ref: str, current_file: str) -> tuple[str, str]:
    """Split a ``$ref`` into (file, pointer), with the file relative to the contracts folder.

    Only same-folder relative file references are supported: the contract is a closed set of files.
    """
    target, _, fragment = ref.partition("#")
    if "://" in target or target.startswith("/"):
        raise ValueError(f"only relative file references are supported, not {ref!r}")
    if target == "":
        file = current_file
    else:
        file = posixpath.normpath(posixpath.join(posixpath.dirname(current_file), unquote(target)))
    return file, unquote(fragment)


def walk(node: Any, parts: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Yield (path, value) for every node of a parsed YAML/JSON document, parents before children."""
    yield parts, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*parts, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*parts, index))


class SpecSet:
    """The contract files of one folder, parsed once, with ``$ref`` resolution across them."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._docs: dict[str, Any] = {}

    def doc(self, file: str) -> Any:
        if file not in self._docs:
            path = self.directory / file
            if not path.is_file():
                raise ContractError([f"{file}: missing (looked in {self.directory})"])
            self._docs[file] = read_yaml(path, file)
        return self._docs[file]

    def node(self, location: Location) -> Any:
        """The value at ``location``, following no references; KeyError if it does not exist."""
        value = self.doc(location.file)
        for token in from_pointer(location.pointer):
            value = _step(value, token)
        return value

    def resolve_ref(self, ref: str, current_file: str) -> tuple[Location, Any]:
        """Follow ``$ref`` chains until a node that is not a reference; KeyError if one dangles."""
        seen: set[Location] = set()
        file, pointer = split_ref(ref, current_file)
        location = Location(file, pointer)
        while True:
            if location in seen:
                raise KeyError(f"reference cycle at {location}")
            seen.add(location)
            value = self.node(location)
            if isinstance(value, dict) and isinstance(value.get("$ref"), str):
                file, pointer = split_ref(value["$ref"], location.file)
                location = Location(file, pointer)
                continue
            return location, value

    def physical(self, file: str, parts: Sequence[str | int]) -> Location:
        """Map a logical path (one that may pass through ``$ref`` nodes) to where the node is written.

        Validators walk documents with references already resolved, so their paths are logical;
        a reader needs the file and pointer of the text to change.  Stops at the deepest node
        that exists, so a path to a missing key still names the object that lacks it.
        """
        location = Location(file, "")
        value = self.doc(file)
        for token in parts:
            if isinstance(value, dict) and isinstance(value.get("$ref"), str) and token != "$ref":
                try:
                    location, value = self.resolve_ref(value["$ref"], location.file)
                except (KeyError, ValueError, ContractError):
                    return location
            try:
                value = _step(value, str(token) if isinstance(value, dict) else token)
            except (KeyError, IndexError, TypeError, ValueError):
                return location
            location = location.child(token)
        return location


def _step(value: Any, token: str | int) -> Any:
    if isinstance(value, dict):
        if token in value:
            return value[token]
        # YAML turns unquoted keys like 200 into ints; a pointer token is always a string.
        for key in value:
            if str(key) == str(token):
                return value[key]
        raise KeyError(token)
    if isinstance(value, list):
        return value[int(token)]
    raise KeyError(token)
