"""Operations compared: paths and methods, operationIds, parameters, request bodies and responses.

Operations are matched by (path, method) across ``control.yaml`` and ``data.yaml``, so moving an
operation between files is no change and a method change is a removal plus an addition.  Path-item
parameters count for every operation under the path (an oasdiff fix of 2026: they were missed).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tools.contract_diff.collect import Collector, Node, resolve
from tools.contract_diff.schemas import REQUEST, RESPONSE, SchemaComparer
from tools.contract_diff.sources import Snapshot

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PATH_FILES = ("control.yaml", "data.yaml")

Operations = dict[tuple[str, str], tuple[Node, Node]]  # (path, method) -> (path item, operation)


@dataclass(frozen=True)
class OperationPair:
    """One operation in both contracts (path item and operation on each side), named ``name`` in
    the findings, with the collector and schema comparer every step of its comparison writes to."""

    old: Snapshot
    new: Snapshot
    out: Collector
    schemas: SchemaComparer
    old_item: Node
    old_op: Node
    new_item: Node
    new_op: Node
    name: str


def operations(snapshot: Snapshot) -> Operations:
    found: Operations = {}
    for file in PATH_FILES:
        document = Node(file, "", snapshot.doc(file))
        paths = document.value.get("paths")
        for path in paths if isinstance(paths, dict) else {}:
            item = resolve(snapshot, document.child("paths", str(path)))
            for method in HTTP_METHODS:
                if isinstance(item.value, dict) and isinstance(item.value.get(method), dict):
                    found[(str(path), method)] = (item, item.child(method))
    return found


def operation_name(op: Node, path: str, method: str) -> str:
    op_id = op.value.get("operationId") if isinstance(op.value, dict) else None
    return str(op_id) if op_id else f"{method.upper()} {path}"


def compare_operations(old: Snapshot, new: Snapshot, out: Collector, schemas: SchemaComparer) -> None:
    before, after = operations(old), operations(new)
    new_paths = {path for path, _ in after}
    for (path, method), (_, op) in sorted(before.items()):
        name = operation_name(op, path, method)
        if (path, method) not in after:
            rule = "api-path-removed" if path not in new_paths else "api-operation-removed"
            out.add(rule, op, name, what=method.upper(), name=path)
    for (path, method), (_, op) in sorted(after.items()):
        if (path, method) not in before:
            out.add(
                "api-operation-added", op, operation_name(op, path, method), what=method.upper(), name=path
            )
    for key in sorted(set(before) & set(after)):
        (old_item, old_op), (new_item, new_op) = before[key], after[key]
        name = operation_name(new_op, *key)
        old_id, new_id = old_op.value.get("operationId"), new_op.value.get("operationId")
        if old_id != new_id:
            out.add("api-operation-id-changed", new_op.child("operationId"), name, old=old_id, new=new_id)
        _auth(out, old_op, new_op, name)
        pair = OperationPair(old, new, out, schemas, old_item, old_op, new_item, new_op, name)
        _parameters(pair)
        _request_body(pair)
        _responses(pair)


def _auth(out: Collector, old_op: Node, new_op: Node, name: str) -> None:
    """The scope a key needs (``x-required-scope``) and the security requirement; opening an
    operation to everyone (``security: []``) refuses no one, so it is left to the unclassified walk."""
    old_scope, new_scope = old_op.value.get("x-required-scope"), new_op.value.get("x-required-scope")
    if old_scope != new_scope and new_scope is not None:
        out.add(
            "api-required-scope-changed",
            new_op.child("x-required-scope"),
            name,
            name=name,
            old=old_scope,
            new=new_scope,
        )
    old_security, new_security = old_op.value.get("security"), new_op.value.get("security")
    if old_security != new_security and new_security != []:
        where = new_op.child("security") if "security" in new_op.value else new_op
        out.add(
            "api-security-changed",
            where,
            name,
            name=name,
            old=old_security or "default",
            new=new_security or "default",
        )


def _parameter_map(snapshot: Snapshot, item: Node, op: Node) -> dict[tuple[str, str], Node]:
    found: dict[tuple[str, str], Node] = {}
    for holder in (item, op):  # operation-level parameters override the path item's
        params = holder.value.get("parameters") if isinstance(holder.value, dict) else None
        for index, _ in enumerate(params if isinstance(params, list) else []):
            param = resolve(snapshot, holder.child("parameters", index))
            if isinstance(param.value, dict):
                found[(str(param.value.get("in")), str(param.value.get("name")))] = param
    return found


def _parameters(pair: OperationPair) -> None:
    out, schemas, name = pair.out, pair.schemas, pair.name
    before = _parameter_map(pair.old, pair.old_item, pair.old_op)
    after = _parameter_map(pair.new, pair.new_item, pair.new_op)
    for where, param in sorted(set(before) - set(after)):
        out.add("request-parameter-removed", before[(where, param)], name, what=where, name=param)
    for where, param in sorted(set(after) - set(before)):
        required = after[(where, param)].value.get("required") is True
        rule = "request-parameter-added-required" if required else "request-parameter-added"
        out.add(rule, after[(where, param)], name, what=where, name=param)
    for key in sorted(set(before) & set(after)):
        was, now = before[key].value.get("required") is True, after[key].value.get("required") is True
        if now and not was:
            out.add("request-parameter-became-required", after[key], name, what=key[0], name=key[1])
        elif was and not now:
            out.add("request-parameter-became-optional", after[key], name, what=key[0], name=key[1])
        schemas.compare(
            before[key].child("schema"),
            after[key].child("schema"),
            REQUEST,
            name,
            f"{key[0]} parameter {key[1]}",
        )


def _request_body(pair: OperationPair) -> None:
    out, schemas, name = pair.out, pair.schemas, pair.name
    before = resolve(pair.old, pair.old_op.child("requestBody"))
    after = resolve(pair.new, pair.new_op.child("requestBody"))
    if not isinstance(after.value, dict):
        if isinstance(before.value, dict):
            out.add("request-body-removed", before, name)
        return
    was_required = isinstance(before.value, dict) and before.value.get("required") is True
    if after.value.get("required") is True and not was_required:
        out.add("request-body-became-required", after, name)
    if not isinstance(before.value, dict):
        return
    for media, old_media, new_media in _media(before, after):
        if new_media is None:
            out.add("request-media-type-removed", old_media, name, name=media)
        else:
            schemas.compare(old_media.child("schema"), new_media.child("schema"), REQUEST, name, "body")


def _responses(pair: OperationPair) -> None:
    out, schemas, name = pair.out, pair.schemas, pair.name
    before, after = pair.old_op.child("responses"), pair.new_op.child("responses")
    old_codes = {str(c): c for c in (before.value or {})} if isinstance(before.value, dict) else {}
    new_codes = {str(c): c for c in (after.value or {})} if isinstance(after.value, dict) else {}
    for code in sorted(set(old_codes) - set(new_codes)):
        out.add("response-status-removed", before.child(old_codes[code]), name, name=code)
    for code in sorted(set(new_codes) - set(old_codes)):
        out.add("response-status-added", after.child(new_codes[code]), name, name=code)
    for code in sorted(set(old_codes) & set(new_codes)):
        old_resp = resolve(pair.old, before.child(old_codes[code]))
        new_resp = resolve(pair.new, after.child(new_codes[code]))
        for media, old_media, new_media in _media(old_resp, new_resp):
            if new_media is None:
                out.add("response-media-type-removed", old_media, name, what=code, name=media)
                continue
            for key in ("schema", "itemSchema"):
                schemas.compare(old_media.child(key), new_media.child(key), RESPONSE, name, f"{code} body")


def _media(before: Node, after: Node) -> Iterator[tuple[str, Node, Node | None]]:
    """(media type, old node, new node or None) for each media type of the old side."""
    old_content = before.child("content")
    new_content = after.child("content")
    old_types: dict[str, Any] = old_content.value if isinstance(old_content.value, dict) else {}
    new_types: dict[str, Any] = new_content.value if isinstance(new_content.value, dict) else {}
    for media in sorted(old_types):
        yield media, old_content.child(media), new_content.child(media) if media in new_types else None
