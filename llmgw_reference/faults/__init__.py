"""Named faults that break the reference server on purpose, to prove each conformance check.

Why: a check is only trusted once it has failed against a target that breaks exactly its
rule. `python -m llmgw_reference --fault NAME` (repeatable) starts the server in those modes.

How it works: handlers never test fault flags. The server calls a few central hook points
on its `FaultSet`; each active fault overrides only the hooks it needs, and a `FaultSet`
chains them in the order the faults were named. The hooks (methods of `Fault`):

* `sse_frames(frames)` -- every frame of every stream (native, chat, generate) before encoding;
* `sse_headers(headers)`, `before_sse_headers()`, `before_sse_write(written)` -- stream headers,
  header timing, and timing of each write (heartbeats included);
* `error_headers(err, headers)` -- every error answer;
* `authenticate(principal)` -- the result of the API-key check;
* `disconnect_cancels(cancels)` -- whether a client disconnect cancels the task;
* `before_token(index)` -- the runtime's token loop, before each token;
* `response_headers(path, status, headers)` -- the headers of every HTTP answer;
* `error_answer(err, status, body)` -- status and body of every error answer;
* `request_body(path, body)` -- the raw body of every request, before it is parsed;
* `json_answer(method, path, query, status, body)` -- every JSON-object answer (installed only
  when a fault is active, by `llmgw_reference.faults.json_answers`).

Adding a fault (one small class, in `llmgw_reference/faults/catalogue.py` or a new module that
`catalogue` imports):

    @fault("native-token-gap", breaks=["NAT-TOKEN-INDEX"], description="Skips the token with i=1.")
    class NativeTokenGap(Fault):
        async def sse_frames(self, frames: AsyncIterator[SSEFrame]) -> AsyncIterator[SSEFrame]:
            async for frame in frames:
                if frame.event == "token" and json.loads(frame.data)["i"] == 1:
                    continue
                yield frame

Most fault modules register theirs from one table at their end, in catalogue order:
`register_faults((name, breaks, description, cls, attributes), ...)` registers a subclass of `cls`
with `attributes` per row, so faults that break one rule with another value (a key dropped, a
status changed, an event repeated) share one parametrised class, e.g.

    (
        "native-token-gap",
        ["NAT-TOKEN-INDEX", "NAT-END-TOKENS-OUT", "TASK-STATUS"],
        "Skips the token event with i=1.",
        NativeEventCopies,
        {"events": ("token",), "index": 1, "copies": 0},
    ),

`breaks` lists the requirement ids (contracts/requirements.yaml) the fault must make the
suite report; `registered()` exposes them to the kill matrix. The hooks are the methods of
`Fault` in `llmgw_reference/faults/base.py`; add a new hook there (identity by default) and call it
through `FaultSet` from the one central place it belongs to.
"""

from llmgw_reference.faults.base import Fault, FaultSet, RegisteredFault, fault, register_faults, registered

# Importing the catalogue registers the built-in faults.
from llmgw_reference.faults import catalogue as _catalogue  # noqa: F401  isort: skip

__all__ = ["Fault", "FaultSet", "RegisteredFault", "fault", "register_faults", "registered"]
