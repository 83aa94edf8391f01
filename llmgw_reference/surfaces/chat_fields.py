"""The chat request fields of OpenAI's API that this reference cannot honour, and the legacy ones.

Why a module of its own: the contract gives every such field an ``x-if-not-honoured`` policy
(``ignore`` or ``refuse``), and this is the one place that applies it, on the raw body after the
schema accepted it (so ``null`` and absent stay distinct, and ``param`` names the exact field):

* refused with 400 ``invalid_request_error`` (reason ``UNSUPPORTED_FIELD``): audio output
  (``modalities`` with ``audio``, ``audio``), ``web_search_options``, ``moderation``, an assistant
  message's ``audio`` reference; image, audio and file content parts (no vision, no audio input);
* ignored (the answer is the same): ``store``, ``metadata``, ``service_tier``, ``reasoning_effort``,
  ``verbosity``, ``prediction``, ``user``, ``safety_identifier`` and the prompt-cache hints.

The legacy ``functions`` / ``function_call`` pair (still sent by older clients) is honoured: it is
read as the equivalent ``tools`` / ``tool_choice`` with one call at most, and the answer carries
``message.function_call`` (streamed: ``delta.function_call``) and ``finish_reason`` function_call.
"""

from __future__ import annotations

from typing import Any

from llmgw_reference.errors import bad_request
from llmgw_reference.surfaces.json_body import unsupported_field

#: Content part types this reference reads as text (``refusal``: a replayed assistant refusal).
READABLE_PART_TYPES = frozenset({"text", "input_text", "refusal"})
#: Request fields refused whenever they are present and not null (x-if-not-honoured: refuse).
REFUSED_WHEN_SET = {
    "audio": "audio output is not available on this server",
    "web_search_options": "web search is not available on this server",
    "moderation": "moderation is not available on this server",
}


def find_unreadable_part(body: dict[str, Any]) -> str | None:
    """The JSON path of the first image, audio or file content part, for a precise 400."""
    messages = body.get("messages")
    if not isinstance(messages, list):
        return None
    for i, message in enumerate(messages):
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, list):
            continue
        for j, part in enumerate(content):
            kind = part.get("type") if isinstance(part, dict) else None
            if isinstance(kind, str) and kind not in READABLE_PART_TYPES:  # other shapes: the schema's 400
                return f"messages[{i}].content[{j}].type"
    return None


def refuse_unhonoured(body: dict[str, Any]) -> None:
    """Raise the contract's 400 for a field this server cannot honour and must not ignore."""
    for name, why in REFUSED_WHEN_SET.items():
        if body.get(name) is not None:
            raise unsupported_field(name, f"{name}: {why}")
    modalities = body.get("modalities")
    if isinstance(modalities, list) and "audio" in modalities:
        raise unsupported_field("modalities", "modalities: audio output is not available on this server")
    for i, message in enumerate(body.get("messages") or []):
        if isinstance(message, dict) and message.get("audio") is not None:
            raise unsupported_field(
                f"messages[{i}].audio", "an earlier audio answer cannot exist on this server"
            )
        if isinstance(message, dict) and message.get("role") == "function" and not message.get("name"):
            raise bad_request("a message with role function needs name", param=f"messages[{i}].name")


def legacy_functions_as_tools(body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """``body`` with legacy ``functions``/``function_call`` read as ``tools``/``tool_choice``.

    The second value says whether the request used the legacy form (so the answer uses it too).
    """
    if "functions" not in body and "function_call" not in body:
        return body, False
    if "tools" in body or "tool_choice" in body:
        raise bad_request(
            "functions and function_call cannot be combined with tools and tool_choice", param="functions"
        )
    out = {k: v for k, v in body.items() if k not in ("functions", "function_call")}
    functions = body.get("functions")
    if not functions:
        raise bad_request("function_call needs functions", param="function_call")
    out["tools"] = [{"type": "function", "function": spec} for spec in functions]
    choice = body.get("function_call")
    if isinstance(choice, dict):
        out["tool_choice"] = {"type": "function", "function": {"name": choice.get("name")}}
    elif choice is not None:
        out["tool_choice"] = choice
    out["parallel_tool_calls"] = False  # the legacy API has one call per turn
    return out, True


def legacy_finish_reason(finish_reason: str, legacy: bool) -> str:
    """``function_call`` where a legacy request's choice ended with a call, else unchanged."""
    return "function_call" if legacy and finish_reason == "tool_calls" else finish_reason
