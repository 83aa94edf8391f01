"""Contains all the data models used in inputs/outputs"""

from .admission_response import AdmissionResponse
from .assistant_audio_ref import AssistantAudioRef
from .audio_output import AudioOutput
from .audio_output_format import AudioOutputFormat
from .audio_output_voice_type_1 import AudioOutputVoiceType1
from .chat_audio_part import ChatAudioPart
from .chat_audio_part_input_audio import ChatAudioPartInputAudio
from .chat_audio_part_input_audio_format import ChatAudioPartInputAudioFormat
from .chat_choice import ChatChoice
from .chat_chunk_choice import ChatChunkChoice
from .chat_completion import ChatCompletion
from .chat_completion_chunk import ChatCompletionChunk
from .chat_completion_chunk_moderation_type_0 import ChatCompletionChunkModerationType0
from .chat_completion_metadata_type_0 import ChatCompletionMetadataType0
from .chat_completion_moderation_type_0 import ChatCompletionModerationType0
from .chat_completion_request import ChatCompletionRequest
from .chat_completion_request_function_call_type_0 import ChatCompletionRequestFunctionCallType0
from .chat_completion_request_logit_bias_type_0 import ChatCompletionRequestLogitBiasType0
from .chat_completion_request_metadata_type_0 import ChatCompletionRequestMetadataType0
from .chat_completion_request_modalities_type_0_item import ChatCompletionRequestModalitiesType0Item
from .chat_completion_request_tool_choice_type_0 import ChatCompletionRequestToolChoiceType0
from .chat_delta import ChatDelta
from .chat_file_part import ChatFilePart
from .chat_file_part_file import ChatFilePartFile
from .chat_finish_reason import ChatFinishReason
from .chat_image_part import ChatImagePart
from .chat_image_part_image_url import ChatImagePartImageUrl
from .chat_image_part_image_url_detail import ChatImagePartImageUrlDetail
from .chat_message import ChatMessage
from .chat_refusal_part import ChatRefusalPart
from .chat_response_message import ChatResponseMessage
from .chat_role import ChatRole
from .chat_stream_event import ChatStreamEvent
from .chat_text_part import ChatTextPart
from .chat_text_part_type import ChatTextPartType
from .chat_usage import ChatUsage
from .choice_logprobs import ChoiceLogprobs
from .completion_result import CompletionResult
from .completion_tokens_details import CompletionTokensDetails
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
from .image import Image
from .image_generation_request import ImageGenerationRequest
from .image_quality import ImageQuality
from .image_response_format import ImageResponseFormat
from .image_size import ImageSize
from .image_style import ImageStyle
from .images_response import ImagesResponse
from .json_schema_format import JsonSchemaFormat
from .json_schema_format_schema import JsonSchemaFormatSchema
from .kv_hint import KVHint
from .legacy_function_call import LegacyFunctionCall
from .legacy_function_choice import LegacyFunctionChoice
from .legacy_function_spec import LegacyFunctionSpec
from .legacy_function_spec_parameters import LegacyFunctionSpecParameters
from .model_list import ModelList
from .model_object import ModelObject
from .model_tier import ModelTier
from .moderation import Moderation
from .moderation_policy_type_0 import ModerationPolicyType0
from .moderation_policy_type_0_input_type_0 import ModerationPolicyType0InputType0
from .moderation_policy_type_0_input_type_0_mode import ModerationPolicyType0InputType0Mode
from .moderation_policy_type_0_output_type_0 import ModerationPolicyType0OutputType0
from .moderation_policy_type_0_output_type_0_mode import ModerationPolicyType0OutputType0Mode
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
from .prediction import Prediction
from .prediction_type import PredictionType
from .priority import Priority
from .prompt_cache_breakpoint import PromptCacheBreakpoint
from .prompt_cache_breakpoint_mode import PromptCacheBreakpointMode
from .prompt_cache_options import PromptCacheOptions
from .prompt_cache_options_mode import PromptCacheOptionsMode
from .prompt_cache_options_ttl import PromptCacheOptionsTtl
from .prompt_cache_retention import PromptCacheRetention
from .prompt_tokens_details import PromptTokensDetails
from .reasoning_effort import ReasoningEffort
from .rerank_document import RerankDocument
from .rerank_item import RerankItem
from .rerank_request import RerankRequest
from .rerank_response import RerankResponse
from .rerank_result import RerankResult
from .rerank_result_item import RerankResultItem
from .rerank_usage import RerankUsage
from .response_audio import ResponseAudio
from .response_format import ResponseFormat
from .response_format_type import ResponseFormatType
from .service_tier import ServiceTier
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
from .url_citation_annotation import UrlCitation
from .url_citation_type import UrlCitationType
from .url_citation_url_citation import UrlCitationUrlCitation
from .verbosity import Verbosity
from .web_search_options import WebSearchOptions
from .web_search_options_search_context_size import WebSearchOptionsSearchContextSize
from .web_search_user_location import WebSearchUserLocation
from .web_search_user_location_approximate import WebSearchUserLocationApproximate
from .web_search_user_location_type import WebSearchUserLocationType
from .workload import Workload

__all__ = (
    "AdmissionResponse",
    "AssistantAudioRef",
    "AudioOutput",
    "AudioOutputFormat",
    "AudioOutputVoiceType1",
    "ChatAudioPart",
    "ChatAudioPartInputAudio",
    "ChatAudioPartInputAudioFormat",
    "ChatChoice",
    "ChatChunkChoice",
    "ChatCompletion",
    "ChatCompletionChunk",
    "ChatCompletionChunkModerationType0",
    "ChatCompletionMetadataType0",
    "ChatCompletionModerationType0",
    "ChatCompletionRequest",
    "ChatCompletionRequestFunctionCallType0",
    "ChatCompletionRequestLogitBiasType0",
    "ChatCompletionRequestMetadataType0",
    "ChatCompletionRequestModalitiesType0Item",
    "ChatCompletionRequestToolChoiceType0",
    "ChatDelta",
    "ChatFilePart",
    "ChatFilePartFile",
    "ChatFinishReason",
    "ChatImagePart",
    "ChatImagePartImageUrl",
    "ChatImagePartImageUrlDetail",
    "ChatMessage",
    "ChatRefusalPart",
    "ChatResponseMessage",
    "ChatRole",
    "ChatStreamEvent",
    "ChatTextPart",
    "ChatTextPartType",
    "ChatUsage",
    "ChoiceLogprobs",
    "CompletionResult",
    "CompletionTokensDetails",
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
    "Image",
    "ImageGenerationRequest",
    "ImageQuality",
    "ImageResponseFormat",
    "ImageSize",
    "ImagesResponse",
    "ImageStyle",
    "JsonSchemaFormat",
    "JsonSchemaFormatSchema",
    "KVHint",
    "LegacyFunctionCall",
    "LegacyFunctionChoice",
    "LegacyFunctionSpec",
    "LegacyFunctionSpecParameters",
    "ModelList",
    "ModelObject",
    "ModelTier",
    "Moderation",
    "ModerationPolicyType0",
    "ModerationPolicyType0InputType0",
    "ModerationPolicyType0InputType0Mode",
    "ModerationPolicyType0OutputType0",
    "ModerationPolicyType0OutputType0Mode",
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
    "Prediction",
    "PredictionType",
    "Priority",
    "PromptCacheBreakpoint",
    "PromptCacheBreakpointMode",
    "PromptCacheOptions",
    "PromptCacheOptionsMode",
    "PromptCacheOptionsTtl",
    "PromptCacheRetention",
    "PromptTokensDetails",
    "ReasoningEffort",
    "RerankDocument",
    "RerankItem",
    "RerankRequest",
    "RerankResponse",
    "RerankResult",
    "RerankResultItem",
    "RerankUsage",
    "ResponseAudio",
    "ResponseFormat",
    "ResponseFormatType",
    "ServiceTier",
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
    "UrlCitation",
    "UrlCitationType",
    "UrlCitationUrlCitation",
    "Verbosity",
    "WebSearchOptions",
    "WebSearchOptionsSearchContextSize",
    "WebSearchUserLocation",
    "WebSearchUserLocationApproximate",
    "WebSearchUserLocationType",
    "Workload",
)
