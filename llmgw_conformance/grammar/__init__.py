"""Pure stream judges: a conformance.sse Transcript in, the violated requirements out.

One module per stream kind (native task events, chat chunks, generate chunks) plus the framing rules
they share. Judges do no I/O and keep no state between calls, so the same transcript always gives the
same verdict: checks run them on live streams, tests on hand-written bytes. The rules come from
``x-stream-grammars`` in data.yaml and the payload schemas from the contract; only what the contract
leaves to sentences in contracts/requirements.yaml is written out here.
"""

from .chat import ChatRequest, judge_chat
from .framing import StreamMeta, is_event_stream, judge_framing, meta_from_transcript
from .generate import GenerateRequest, judge_generate
from .native import NativeRequest, judge_native
from .violation import Judgement, Violation

__all__ = [
    "ChatRequest",
    "GenerateRequest",
    "Judgement",
    "NativeRequest",
    "StreamMeta",
    "Violation",
    "is_event_stream",
    "judge_chat",
    "judge_framing",
    "judge_generate",
    "judge_native",
    "meta_from_transcript",
]
