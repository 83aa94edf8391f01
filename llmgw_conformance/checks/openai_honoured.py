"""OpenAI request fields a server may accept only if it honours them: ``stop`` and JSON mode.

A server that refuses ``stop`` or ``response_format`` with a clear 4xx is "not supported" (the probe
decides that, and the runner never runs these checks then); one that answers 2xx has accepted the
field, and these checks judge whether it did what the field asks. Ignoring it would otherwise pass
every other check, since the answer is still a well-formed completion.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.chat_streams import CHAT_PATH
from llmgw_conformance.probes.openai_answers import tiny_chat
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

#: Long enough that a model writes a sentence or two, short enough to stay cheap.
STOP_MAX_TOKENS: Final = 24
JSON_MAX_TOKENS: Final = 48
STOP_PROMPT: Final = "Write two short sentences about the sea."
JSON_PROMPT: Final = 'Answer with a JSON object with the keys "city" and "country" for the capital of France.'
_WORD: Final = re.compile(r"\w{2,}")


def _prompted(ctx: CheckContext, prompt: str, max_tokens: int, **extra: Any) -> dict[str, Any]:
    """A temperature-0 chat request of one ``prompt``, with room for an answer the field can shape."""
    messages = [{"role": "user", "content": prompt}]
    return tiny_chat(ctx, max_tokens=max_tokens, temperature=0, messages=messages, **extra)


def _first_choice(response: Response) -> dict[str, Any] | None:
    try:
        choices = response.json()["choices"]
    except (ValueError, KeyError, TypeError):
        return None
    first = choices[0] if isinstance(choices, list) and choices else None
    return first if isinstance(first, dict) else None


def _content(choice: dict[str, Any] | None) -> str | None:
    message = choice.get("message") if choice else None
    content = message.get("content") if isinstance(message, dict) else None
    return content if isinstance(content, str) else None


def pick_stop(text: str) -> tuple[str, int] | None:
    """A word of ``text`` (two word characters or more) that occurs once, nearest the middle, and
    where it starts; never the first word, so the answer up to it is not empty. None if none fits."""
    candidates = [
        (abs(m.start() - len(text) // 2), m.group(), m.start())
        for m in _WORD.finditer(text)
        if m.start() > 0 and text.count(m.group()) == 1 and text[: m.start()].strip()
    ]
    if not candidates:
        return None
    _, word, start = min(candidates)
    return word, start


@check("chat-stop", requirements=["CHAT-STOP-HONOURED"], profiles=["openai-extended"], needs=["stop"])
def chat_stop(ctx: CheckContext) -> None:
    """Differential: a seeded temperature-0 answer, then the same request stopping at a word of it."""
    with Verdicts(ctx, ["CHAT-STOP-HONOURED"]) as verdicts:
        body = _prompted(ctx, STOP_PROMPT, STOP_MAX_TOKENS, seed=ctx.rng.randrange(2**31))
        free = ctx.request("POST", CHAT_PATH, json=body)
        text = _content(_first_choice(free)) if free.status == 200 else None
        picked = pick_stop(text) if text else None
        if picked is None or text is None:
            why = f"answered {free.status}" if free.status != 200 else f"content {text!r}"
            verdicts.skip("CHAT-STOP-HONOURED", f"no word to stop at in the answer without stop ({why})")
            return
        stop, start = picked
        stopped = ctx.request("POST", CHAT_PATH, json=dict(body, stop=[stop]))
        choice = _first_choice(stopped) if stopped.status == 200 else None
        content = _content(choice)
        exchanges = [free.exchange, stopped.exchange]
        if content is None:
            verdicts.fail(
                "CHAT-STOP-HONOURED",
                f"the request with stop {[stop]} was not answered with content",
                expected="200 with the content up to the stop sequence",
                received=f"{stopped.status}: {stopped.text[:300]}",
                exchanges=exchanges,
            )
        elif stop in content:
            verdicts.fail(
                "CHAT-STOP-HONOURED",
                f"stop {[stop]} was accepted but the content contains it",
                expected=f"content without {stop!r} (the same request without stop gave {text!r})",
                received=repr(content),
                exchanges=exchanges,
            )
        elif content.strip() == text[:start].strip() and choice and choice.get("finish_reason") != "stop":
            # The content is the first answer cut right before the stop word: it ended on it.
            verdicts.fail(
                "CHAT-STOP-HONOURED",
                "the choice ended on the stop sequence but its finish_reason is not stop",
                expected="finish_reason stop",
                received=repr(choice.get("finish_reason")),
                exchanges=exchanges,
            )
        else:
            verdicts.passed(
                "CHAT-STOP-HONOURED", f"stop {[stop]} kept out of the content", exchanges=exchanges
            )


def json_mode_problem(choice: Any) -> str | None:
    """Why a choice of a JSON-mode answer breaks CHAT-JSON-MODE, or None."""
    if not isinstance(choice, dict):
        return f"choice {choice!r} is not an object"
    content, finish = _content(choice), choice.get("finish_reason")
    if content is None:
        return f"choice {choice.get('index')} has no text content"
    if finish == "length":
        return (
            None if content.lstrip().startswith("{") else f"cut by length, {content!r} does not start with {{"
        )
    if finish != "stop":
        return None  # another finish (tool_calls, content_filter) is other rules' business
    try:
        value = json.loads(content)
    except ValueError:
        return f"finished stop with {content!r}, which is not JSON"
    return None if isinstance(value, dict) else f"finished stop with {content!r}, JSON but not an object"


@check(
    "chat-json-mode", requirements=["CHAT-JSON-MODE"], profiles=["openai-extended"], needs=["response_format"]
)
def chat_json_mode(ctx: CheckContext) -> None:
    """With response_format json_object, each choice is a JSON object (or, cut by length, starts as one)."""
    with Verdicts(ctx, ["CHAT-JSON-MODE"]) as verdicts:
        body = _prompted(ctx, JSON_PROMPT, JSON_MAX_TOKENS, response_format={"type": "json_object"})
        response = ctx.request("POST", CHAT_PATH, json=body)
        try:
            choices = response.json()["choices"] if response.status == 200 else None
        except (ValueError, KeyError, TypeError):
            choices = None
        if not isinstance(choices, list) or not choices:
            verdicts.fail(
                "CHAT-JSON-MODE",
                f"JSON mode was accepted when probed but this request got {response.status} without choices",
                expected="200 with choices",
                received=response.text[:300],
                exchanges=[response.exchange],
            )
            return
        problems = [p for c in choices if (p := json_mode_problem(c))]
        if problems:
            verdicts.fail(
                "CHAT-JSON-MODE",
                f"response_format json_object accepted but ignored: {problems[0]}",
                expected="a JSON object as content (or, cut by length, the start of one)",
                received="; ".join(problems[:3]),
                exchanges=[response.exchange],
            )
        else:
            verdicts.passed("CHAT-JSON-MODE", "every choice is a JSON object", exchanges=[response.exchange])
