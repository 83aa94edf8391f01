"""Contains all the data models used in inputs/outputs"""

from .admission_response import AdmissionResponse
from .chat_choice import ChatChoice
from .chat_chunk_choice import ChatChunkChoice
from .chat_completion import ChatCompletion
from .chat_completion_chunk import ChatCompletionChunk
from .chat_completion_request import ChatCompletionRequest
from .chat_completion_request_logit_bias_type_0 import ChatCompletionRequestLogitBiasType0
from .chat_completion_request_tool_choice_type_0 import ChatCompletionRequestToolChoiceType0
from .chat_delta import ChatDelta
from .chat_finish_reason import ChatFinishReason
from .chat_message import ChatMessage
from .chat_response_message import ChatResponseMessage
from .chat_role import ChatRole
from .chat_stream_event import ChatStreamEvent
from .chat_text_part import ChatTextPart
from .chat_text_part_type import ChatTextPartType
from .chat_usage import ChatUsage
from .choice_logprobs import ChoiceLogprobs
from .completion_result import CompletionResult
from .determinism_level import DeterminismLevel
from .embedding_object import Embedding
from .embedding_result import EmbeddingResult
from .embeddings_request import EmbeddingsRequest
from .embeddings_request_encoding_format import EmbeddingsRequestEncodingFormat
from .embeddings_response import EmbeddingsResponse
from .embeddings_usage import EmbeddingsUsage
from .engine import Engine
from .error_envelope import ErrorEnvelope
from .error_kind import ErrorKind
from .error_reason import ErrorReason
from .finish_reason import FinishReason
from .function_spec import FunctionSpec
from .function_spec_parameters import FunctionSpecParameters
from .generate_chunk import GenerateChunk
from .generate_chunk_error import GenerateChunkError
from .generate_finish_reason import GenerateFinishReason
from .generate_request import GenerateRequest
from .generate_result import GenerateResult
from .generate_stream_event import GenerateStreamEvent
from .generate_usage import GenerateUsage
from .kv_hint import KVHint
from .model_list import ModelList
from .model_object import ModelObject
from .named_tool_choice import NamedToolChoice
from .named_tool_choice_function import NamedToolChoiceFunction
from .native_end_event import NativeEndEvent
from .native_error_event import NativeErrorEvent
from .native_metrics_event import NativeMetricsEvent
from .native_started_event import NativeStartedEvent
from .native_token_event import NativeTokenEvent
from .open_ai_error import OpenAIError
from .open_ai_error_response import OpenAIErrorResponse
from .placement_mode import PlacementMode
from .placement_overrides import PlacementOverrides
from .priority import Priority
from .rerank_document import RerankDocument
from .rerank_item import RerankItem
from .rerank_request import RerankRequest
from .rerank_response import RerankResponse
from .rerank_result import RerankResult
from .rerank_result_item import RerankResultItem
from .rerank_usage import RerankUsage
from .response_format import ResponseFormat
from .response_format_type import ResponseFormatType
from .sse_end import SSEEnd
from .sse_error import SSEError
from .sse_metrics import SSEMetrics
from .sse_started import SSEStarted
from .sse_token import SSEToken
from .stream_options import StreamOptions
from .task_request import TaskRequest
from .task_state import TaskState
from .task_status import TaskStatus
from .token_logprob import TokenLogprob
from .tool_call import ToolCall
from .tool_call_delta import ToolCallDelta
from .tool_call_delta_function import ToolCallDeltaFunction
from .tool_call_function import ToolCallFunction
from .tool_spec import ToolSpec
from .top_logprob import TopLogprob
from .workload import Workload

__all__ = (
    "AdmissionResponse",
    "ChatChoice",
    "ChatChunkChoice",
    "ChatCompletion",
    "ChatCompletionChunk",
    "ChatCompletionRequest",
    "ChatCompletionRequestLogitBiasType0",
    "ChatCompletionRequestToolChoiceType0",
    "ChatDelta",
    "ChatFinishReason",
    "ChatMessage",
    "ChatResponseMessage",
    "ChatRole",
    "ChatStreamEvent",
    "ChatTextPart",
    "ChatTextPartType",
    "ChatUsage",
    "ChoiceLogprobs",
    "CompletionResult",
    "DeterminismLevel",
    "Embedding",
    "EmbeddingResult",
    "EmbeddingsRequest",
    "EmbeddingsRequestEncodingFormat",
    "EmbeddingsResponse",
    "EmbeddingsUsage",
    "Engine",
    "ErrorEnvelope",
    "ErrorKind",
    "ErrorReason",
    "FinishReason",
    "FunctionSpec",
    "FunctionSpecParameters",
    "GenerateChunk",
    "GenerateChunkError",
    "GenerateFinishReason",
    "GenerateRequest",
    "GenerateResult",
    "GenerateStreamEvent",
    "GenerateUsage",
    "KVHint",
    "ModelList",
    "ModelObject",
    "NamedToolChoice",
    "NamedToolChoiceFunction",
    "NativeEndEvent",
    "NativeErrorEvent",
    "NativeMetricsEvent",
    "NativeStartedEvent",
    "NativeTokenEvent",
    "OpenAIError",
    "OpenAIErrorResponse",
    "PlacementMode",
    "PlacementOverrides",
    "Priority",
    "RerankDocument",
    "RerankItem",
    "RerankRequest",
    "RerankResponse",
    "RerankResult",
    "RerankResultItem",
    "RerankUsage",
    "ResponseFormat",
    "ResponseFormatType",
    "SSEEnd",
    "SSEError",
    "SSEMetrics",
    "SSEStarted",
    "SSEToken",
    "StreamOptions",
    "TaskRequest",
    "TaskState",
    "TaskStatus",
    "TokenLogprob",
    "ToolCall",
    "ToolCallDelta",
    "ToolCallDeltaFunction",
    "ToolCallFunction",
    "ToolSpec",
    "TopLogprob",
    "Workload",
)
