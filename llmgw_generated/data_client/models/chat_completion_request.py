from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.chat_completion_request_function_call_type_0 import ChatCompletionRequestFunctionCallType0
from ..models.chat_completion_request_modalities_type_0_item import ChatCompletionRequestModalitiesType0Item
from ..models.chat_completion_request_tool_choice_type_0 import ChatCompletionRequestToolChoiceType0
from ..models.prompt_cache_retention import PromptCacheRetention
from ..models.reasoning_effort import ReasoningEffort
from ..models.service_tier import ServiceTier
from ..models.verbosity import Verbosity
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audio_output import AudioOutput
    from ..models.chat_completion_request_logit_bias_type_0 import ChatCompletionRequestLogitBiasType0
    from ..models.chat_completion_request_metadata_type_0 import ChatCompletionRequestMetadataType0
    from ..models.chat_message import ChatMessage
    from ..models.legacy_function_choice import LegacyFunctionChoice
    from ..models.legacy_function_spec import LegacyFunctionSpec
    from ..models.moderation import Moderation
    from ..models.named_tool_choice import NamedToolChoice
    from ..models.prediction import Prediction
    from ..models.prompt_cache_options import PromptCacheOptions
    from ..models.response_format import ResponseFormat
    from ..models.stream_options import StreamOptions
    from ..models.tool_spec import ToolSpec
    from ..models.web_search_options import WebSearchOptions


T = TypeVar("T", bound="ChatCompletionRequest")


@_attrs_define
class ChatCompletionRequest:
    """OpenAI chat completion request: every field of the official OpenAI description, plus the
    gateway extensions marked as such. A field this gateway cannot honour is either ignored or
    refused with 400 `invalid_request_error` (`param` naming it), as its `x-if-not-honoured`
    says; a field OpenAI does not define and the contract does not list is refused with 400.

        Attributes:
            model (str): Model id.
            messages (list[ChatMessage]): The conversation.
            max_tokens (int | None | Unset): Legacy alias of `max_completion_tokens`; the latter wins when both are set.
            max_completion_tokens (int | None | Unset): Most output tokens.
            temperature (float | None | Unset): Sampling temperature, 0 to 2 inclusive; absent or null means the default, 1.
            top_p (float | None | Unset): Nucleus cutoff, 0 to 1 inclusive; absent or null means the default, 1.
            top_k (int | Unset): Top-k sampling (gateway extension); absent disables it.
            repetition_penalty (float | Unset): Repetition penalty (gateway extension), in (0, 2]; 1 means none.
            stop (list[str] | None | str | Unset): Stop string or 1 to 4 stop strings.
            stream (bool | None | Unset): Stream chunks as server-sent events (default false).
            stream_options (None | StreamOptions | Unset): Streaming options; only with `stream true`.
            tools (list[ToolSpec] | Unset): Tools the model may call.
            tool_choice (ChatCompletionRequestToolChoiceType0 | NamedToolChoice | Unset): `none`, `auto`, `required`, or a
                named function.
            parallel_tool_calls (bool | Unset): Allow several tool calls in one turn (default true).
            functions (list[LegacyFunctionSpec] | Unset): Legacy form of `tools` (functions only); the answer then carries
                `message.function_call` and `finish_reason` function_call.
            function_call (ChatCompletionRequestFunctionCallType0 | LegacyFunctionChoice | Unset): Legacy form of
                `tool_choice`, with `functions`.
            response_format (ResponseFormat | Unset): Structured-output request.
            frequency_penalty (float | None | Unset): -2 to 2 inclusive; absent or null means the default, 0.
            presence_penalty (float | None | Unset): -2 to 2 inclusive; absent or null means the default, 0.
            n (int | None | Unset): Choices to generate (default 1); `n > 1` with `stream true` is 400.
            best_of (int | Unset): Candidates generated to pick the best `n` (gateway extension); needs `best_of >= n` and
                no streaming.
            logprobs (bool | None | Unset): Return log-probabilities of the output tokens (absent or null is false, unless
                `top_logprobs` is above 0).
            top_logprobs (int | None | Unset): Alternatives per position, 0 to 20; above 0 implies `logprobs`, and with
                `logprobs false` is 400.
            logit_bias (ChatCompletionRequestLogitBiasType0 | None | Unset): Token id to bias, each bias -100 to 100.
            seed (int | None | Unset): Sampling seed (a signed 64-bit integer); with the same seed and request an answer is
                reproducible on a best-effort basis (OpenAI promises no determinism; the `determinism` profile checks it as
                SHOULD).
            user (str | Unset): End-user identifier (OpenAI replaced it with `safety_identifier` and `prompt_cache_key`).
            safety_identifier (None | str | Unset): End-user identifier for abuse monitoring; accepted, never logged.
            prompt_cache_key (None | str | Unset): Prompt-cache hint.
            prompt_cache_retention (None | PromptCacheRetention | Unset): How long prompt-cache entries are kept (deprecated
                by OpenAI).
            prompt_cache_options (PromptCacheOptions | Unset): Prompt-cache options; hints a gateway may ignore.
            metadata (ChatCompletionRequestMetadataType0 | None | Unset): Up to 16 string key-value pairs stored with the
                completion (with `store`).
            store (bool | None | Unset): Keep the completion for OpenAI's distillation and evals products (default false).
            service_tier (None | ServiceTier | Unset): Processing tier asked for; the answer's `service_tier` says which one
                was used.
            reasoning_effort (None | ReasoningEffort | Unset): Reasoning effort of a reasoning model.
            verbosity (None | Unset | Verbosity): How long the answer should be (a hint).
            modalities (list[ChatCompletionRequestModalitiesType0Item] | None | Unset): Output modalities; `["text"]` is the
                default. A gateway without audio output refuses `audio` with 400.
            audio (AudioOutput | None | Unset): Audio output parameters.
            prediction (None | Prediction | Unset): Predicted output.
            web_search_options (WebSearchOptions | Unset): Web search before answering; a gateway without web search refuses
                it with 400.
            moderation (Moderation | None | Unset): Moderation of input and output.
            lora_adapter (str | Unset): LoRA adapter to apply (gateway extension); an unknown one is 400 `unknown_lora`.
            routing_key (str | Unset): Routing affinity hint (gateway extension).
            deadline_ms (int | Unset): Gateway extension (feature `deadlines`). Milliseconds from receipt by which the
                answer must be complete; a request that cannot start in time is 504, a stream still generating at the deadline
                ends with an error event (`DEADLINE_UNMET`) and `data [DONE]`.
    """

    model: str
    messages: list[ChatMessage]
    max_tokens: int | None | Unset = UNSET
    max_completion_tokens: int | None | Unset = UNSET
    temperature: float | None | Unset = UNSET
    top_p: float | None | Unset = UNSET
    top_k: int | Unset = UNSET
    repetition_penalty: float | Unset = UNSET
    stop: list[str] | None | str | Unset = UNSET
    stream: bool | None | Unset = UNSET
    stream_options: None | StreamOptions | Unset = UNSET
    tools: list[ToolSpec] | Unset = UNSET
    tool_choice: ChatCompletionRequestToolChoiceType0 | NamedToolChoice | Unset = UNSET
    parallel_tool_calls: bool | Unset = UNSET
    functions: list[LegacyFunctionSpec] | Unset = UNSET
    function_call: ChatCompletionRequestFunctionCallType0 | LegacyFunctionChoice | Unset = UNSET
    response_format: ResponseFormat | Unset = UNSET
    frequency_penalty: float | None | Unset = UNSET
    presence_penalty: float | None | Unset = UNSET
    n: int | None | Unset = UNSET
    best_of: int | Unset = UNSET
    logprobs: bool | None | Unset = UNSET
    top_logprobs: int | None | Unset = UNSET
    logit_bias: ChatCompletionRequestLogitBiasType0 | None | Unset = UNSET
    seed: int | None | Unset = UNSET
    user: str | Unset = UNSET
    safety_identifier: None | str | Unset = UNSET
    prompt_cache_key: None | str | Unset = UNSET
    prompt_cache_retention: None | PromptCacheRetention | Unset = UNSET
    prompt_cache_options: PromptCacheOptions | Unset = UNSET
    metadata: ChatCompletionRequestMetadataType0 | None | Unset = UNSET
    store: bool | None | Unset = UNSET
    service_tier: None | ServiceTier | Unset = UNSET
    reasoning_effort: None | ReasoningEffort | Unset = UNSET
    verbosity: None | Unset | Verbosity = UNSET
    modalities: list[ChatCompletionRequestModalitiesType0Item] | None | Unset = UNSET
    audio: AudioOutput | None | Unset = UNSET
    prediction: None | Prediction | Unset = UNSET
    web_search_options: WebSearchOptions | Unset = UNSET
    moderation: Moderation | None | Unset = UNSET
    lora_adapter: str | Unset = UNSET
    routing_key: str | Unset = UNSET
    deadline_ms: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.audio_output import AudioOutput  # noqa: PLC0415
        from ..models.chat_completion_request_logit_bias_type_0 import ChatCompletionRequestLogitBiasType0  # noqa: PLC0415
        from ..models.chat_completion_request_metadata_type_0 import ChatCompletionRequestMetadataType0  # noqa: PLC0415
        from ..models.moderation import Moderation  # noqa: PLC0415
        from ..models.prediction import Prediction  # noqa: PLC0415
        from ..models.stream_options import StreamOptions  # noqa: PLC0415

        model = self.model

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        max_tokens: int | None | Unset
        if isinstance(self.max_tokens, Unset):
            max_tokens = UNSET
        else:
            max_tokens = self.max_tokens

        max_completion_tokens: int | None | Unset
        if isinstance(self.max_completion_tokens, Unset):
            max_completion_tokens = UNSET
        else:
            max_completion_tokens = self.max_completion_tokens

        temperature: float | None | Unset
        if isinstance(self.temperature, Unset):
            temperature = UNSET
        else:
            temperature = self.temperature

        top_p: float | None | Unset
        if isinstance(self.top_p, Unset):
            top_p = UNSET
        else:
            top_p = self.top_p

        top_k = self.top_k

        repetition_penalty = self.repetition_penalty

        stop: list[str] | None | str | Unset
        if isinstance(self.stop, Unset):
            stop = UNSET
        elif isinstance(self.stop, list):
            stop = self.stop

        else:
            stop = self.stop

        stream: bool | None | Unset
        if isinstance(self.stream, Unset):
            stream = UNSET
        else:
            stream = self.stream

        stream_options: dict[str, Any] | None | Unset
        if isinstance(self.stream_options, Unset):
            stream_options = UNSET
        elif isinstance(self.stream_options, StreamOptions):
            stream_options = self.stream_options.to_dict()
        else:
            stream_options = self.stream_options

        tools: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tools, Unset):
            tools = []
            for tools_item_data in self.tools:
                tools_item = tools_item_data.to_dict()
                tools.append(tools_item)

        tool_choice: dict[str, Any] | str | Unset
        if isinstance(self.tool_choice, Unset):
            tool_choice = UNSET
        elif isinstance(self.tool_choice, ChatCompletionRequestToolChoiceType0):
            tool_choice = self.tool_choice.value
        else:
            tool_choice = self.tool_choice.to_dict()

        parallel_tool_calls = self.parallel_tool_calls

        functions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.functions, Unset):
            functions = []
            for functions_item_data in self.functions:
                functions_item = functions_item_data.to_dict()
                functions.append(functions_item)

        function_call: dict[str, Any] | str | Unset
        if isinstance(self.function_call, Unset):
            function_call = UNSET
        elif isinstance(self.function_call, ChatCompletionRequestFunctionCallType0):
            function_call = self.function_call.value
        else:
            function_call = self.function_call.to_dict()

        response_format: dict[str, Any] | Unset = UNSET
        if not isinstance(self.response_format, Unset):
            response_format = self.response_format.to_dict()

        frequency_penalty: float | None | Unset
        if isinstance(self.frequency_penalty, Unset):
            frequency_penalty = UNSET
        else:
            frequency_penalty = self.frequency_penalty

        presence_penalty: float | None | Unset
        if isinstance(self.presence_penalty, Unset):
            presence_penalty = UNSET
        else:
            presence_penalty = self.presence_penalty

        n: int | None | Unset
        if isinstance(self.n, Unset):
            n = UNSET
        else:
            n = self.n

        best_of = self.best_of

        logprobs: bool | None | Unset
        if isinstance(self.logprobs, Unset):
            logprobs = UNSET
        else:
            logprobs = self.logprobs

        top_logprobs: int | None | Unset
        if isinstance(self.top_logprobs, Unset):
            top_logprobs = UNSET
        else:
            top_logprobs = self.top_logprobs

        logit_bias: dict[str, Any] | None | Unset
        if isinstance(self.logit_bias, Unset):
            logit_bias = UNSET
        elif isinstance(self.logit_bias, ChatCompletionRequestLogitBiasType0):
            logit_bias = self.logit_bias.to_dict()
        else:
            logit_bias = self.logit_bias

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        user = self.user

        safety_identifier: None | str | Unset
        if isinstance(self.safety_identifier, Unset):
            safety_identifier = UNSET
        else:
            safety_identifier = self.safety_identifier

        prompt_cache_key: None | str | Unset
        if isinstance(self.prompt_cache_key, Unset):
            prompt_cache_key = UNSET
        else:
            prompt_cache_key = self.prompt_cache_key

        prompt_cache_retention: None | str | Unset
        if isinstance(self.prompt_cache_retention, Unset):
            prompt_cache_retention = UNSET
        elif isinstance(self.prompt_cache_retention, PromptCacheRetention):
            prompt_cache_retention = self.prompt_cache_retention.value
        else:
            prompt_cache_retention = self.prompt_cache_retention

        prompt_cache_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.prompt_cache_options, Unset):
            prompt_cache_options = self.prompt_cache_options.to_dict()

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, ChatCompletionRequestMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        store: bool | None | Unset
        if isinstance(self.store, Unset):
            store = UNSET
        else:
            store = self.store

        service_tier: None | str | Unset
        if isinstance(self.service_tier, Unset):
            service_tier = UNSET
        elif isinstance(self.service_tier, ServiceTier):
            service_tier = self.service_tier.value
        else:
            service_tier = self.service_tier

        reasoning_effort: None | str | Unset
        if isinstance(self.reasoning_effort, Unset):
            reasoning_effort = UNSET
        elif isinstance(self.reasoning_effort, ReasoningEffort):
            reasoning_effort = self.reasoning_effort.value
        else:
            reasoning_effort = self.reasoning_effort

        verbosity: None | str | Unset
        if isinstance(self.verbosity, Unset):
            verbosity = UNSET
        elif isinstance(self.verbosity, Verbosity):
            verbosity = self.verbosity.value
        else:
            verbosity = self.verbosity

        modalities: list[str] | None | Unset
        if isinstance(self.modalities, Unset):
            modalities = UNSET
        elif isinstance(self.modalities, list):
            modalities = []
            for modalities_type_0_item_data in self.modalities:
                modalities_type_0_item = modalities_type_0_item_data.value
                modalities.append(modalities_type_0_item)

        else:
            modalities = self.modalities

        audio: dict[str, Any] | None | Unset
        if isinstance(self.audio, Unset):
            audio = UNSET
        elif isinstance(self.audio, AudioOutput):
            audio = self.audio.to_dict()
        else:
            audio = self.audio

        prediction: dict[str, Any] | None | Unset
        if isinstance(self.prediction, Unset):
            prediction = UNSET
        elif isinstance(self.prediction, Prediction):
            prediction = self.prediction.to_dict()
        else:
            prediction = self.prediction

        web_search_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.web_search_options, Unset):
            web_search_options = self.web_search_options.to_dict()

        moderation: dict[str, Any] | None | Unset
        if isinstance(self.moderation, Unset):
            moderation = UNSET
        elif isinstance(self.moderation, Moderation):
            moderation = self.moderation.to_dict()
        else:
            moderation = self.moderation

        lora_adapter = self.lora_adapter

        routing_key = self.routing_key

        deadline_ms = self.deadline_ms

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model": model,
                "messages": messages,
            }
        )
        if max_tokens is not UNSET:
            field_dict["max_tokens"] = max_tokens
        if max_completion_tokens is not UNSET:
            field_dict["max_completion_tokens"] = max_completion_tokens
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if top_p is not UNSET:
            field_dict["top_p"] = top_p
        if top_k is not UNSET:
            field_dict["top_k"] = top_k
        if repetition_penalty is not UNSET:
            field_dict["repetition_penalty"] = repetition_penalty
        if stop is not UNSET:
            field_dict["stop"] = stop
        if stream is not UNSET:
            field_dict["stream"] = stream
        if stream_options is not UNSET:
            field_dict["stream_options"] = stream_options
        if tools is not UNSET:
            field_dict["tools"] = tools
        if tool_choice is not UNSET:
            field_dict["tool_choice"] = tool_choice
        if parallel_tool_calls is not UNSET:
            field_dict["parallel_tool_calls"] = parallel_tool_calls
        if functions is not UNSET:
            field_dict["functions"] = functions
        if function_call is not UNSET:
            field_dict["function_call"] = function_call
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if frequency_penalty is not UNSET:
            field_dict["frequency_penalty"] = frequency_penalty
        if presence_penalty is not UNSET:
            field_dict["presence_penalty"] = presence_penalty
        if n is not UNSET:
            field_dict["n"] = n
        if best_of is not UNSET:
            field_dict["best_of"] = best_of
        if logprobs is not UNSET:
            field_dict["logprobs"] = logprobs
        if top_logprobs is not UNSET:
            field_dict["top_logprobs"] = top_logprobs
        if logit_bias is not UNSET:
            field_dict["logit_bias"] = logit_bias
        if seed is not UNSET:
            field_dict["seed"] = seed
        if user is not UNSET:
            field_dict["user"] = user
        if safety_identifier is not UNSET:
            field_dict["safety_identifier"] = safety_identifier
        if prompt_cache_key is not UNSET:
            field_dict["prompt_cache_key"] = prompt_cache_key
        if prompt_cache_retention is not UNSET:
            field_dict["prompt_cache_retention"] = prompt_cache_retention
        if prompt_cache_options is not UNSET:
            field_dict["prompt_cache_options"] = prompt_cache_options
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if store is not UNSET:
            field_dict["store"] = store
        if service_tier is not UNSET:
            field_dict["service_tier"] = service_tier
        if reasoning_effort is not UNSET:
            field_dict["reasoning_effort"] = reasoning_effort
        if verbosity is not UNSET:
            field_dict["verbosity"] = verbosity
        if modalities is not UNSET:
            field_dict["modalities"] = modalities
        if audio is not UNSET:
            field_dict["audio"] = audio
        if prediction is not UNSET:
            field_dict["prediction"] = prediction
        if web_search_options is not UNSET:
            field_dict["web_search_options"] = web_search_options
        if moderation is not UNSET:
            field_dict["moderation"] = moderation
        if lora_adapter is not UNSET:
            field_dict["lora_adapter"] = lora_adapter
        if routing_key is not UNSET:
            field_dict["routing_key"] = routing_key
        if deadline_ms is not UNSET:
            field_dict["deadline_ms"] = deadline_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audio_output import AudioOutput  # noqa: PLC0415
        from ..models.chat_completion_request_logit_bias_type_0 import ChatCompletionRequestLogitBiasType0  # noqa: PLC0415
        from ..models.chat_completion_request_metadata_type_0 import ChatCompletionRequestMetadataType0  # noqa: PLC0415
        from ..models.chat_message import ChatMessage  # noqa: PLC0415
        from ..models.legacy_function_choice import LegacyFunctionChoice  # noqa: PLC0415
        from ..models.legacy_function_spec import LegacyFunctionSpec  # noqa: PLC0415
        from ..models.moderation import Moderation  # noqa: PLC0415
        from ..models.named_tool_choice import NamedToolChoice  # noqa: PLC0415
        from ..models.prediction import Prediction  # noqa: PLC0415
        from ..models.prompt_cache_options import PromptCacheOptions  # noqa: PLC0415
        from ..models.response_format import ResponseFormat  # noqa: PLC0415
        from ..models.stream_options import StreamOptions  # noqa: PLC0415
        from ..models.tool_spec import ToolSpec  # noqa: PLC0415
        from ..models.web_search_options import WebSearchOptions  # noqa: PLC0415

        d = dict(src_dict)
        model = d.pop("model")

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = ChatMessage.from_dict(messages_item_data)

            messages.append(messages_item)

        def _parse_max_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_tokens = _parse_max_tokens(d.pop("max_tokens", UNSET))

        def _parse_max_completion_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_completion_tokens = _parse_max_completion_tokens(d.pop("max_completion_tokens", UNSET))

        def _parse_temperature(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        temperature = _parse_temperature(d.pop("temperature", UNSET))

        def _parse_top_p(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        top_p = _parse_top_p(d.pop("top_p", UNSET))

        top_k = d.pop("top_k", UNSET)

        repetition_penalty = d.pop("repetition_penalty", UNSET)

        def _parse_stop(data: object) -> list[str] | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                stop_type_1 = cast(list[str], data)

                return stop_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | str | Unset, data)

        stop = _parse_stop(d.pop("stop", UNSET))

        def _parse_stream(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        stream = _parse_stream(d.pop("stream", UNSET))

        def _parse_stream_options(data: object) -> None | StreamOptions | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                stream_options_type_0 = StreamOptions.from_dict(data)

                return stream_options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StreamOptions | Unset, data)

        stream_options = _parse_stream_options(d.pop("stream_options", UNSET))

        _tools = d.pop("tools", UNSET)
        tools: list[ToolSpec] | Unset = UNSET
        if _tools is not UNSET:
            tools = []
            for tools_item_data in _tools:
                tools_item = ToolSpec.from_dict(tools_item_data)

                tools.append(tools_item)

        def _parse_tool_choice(
            data: object,
        ) -> ChatCompletionRequestToolChoiceType0 | NamedToolChoice | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tool_choice_type_0 = ChatCompletionRequestToolChoiceType0(data)

                return tool_choice_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            tool_choice_type_1 = NamedToolChoice.from_dict(data)

            return tool_choice_type_1

        tool_choice = _parse_tool_choice(d.pop("tool_choice", UNSET))

        parallel_tool_calls = d.pop("parallel_tool_calls", UNSET)

        _functions = d.pop("functions", UNSET)
        functions: list[LegacyFunctionSpec] | Unset = UNSET
        if _functions is not UNSET:
            functions = []
            for functions_item_data in _functions:
                functions_item = LegacyFunctionSpec.from_dict(functions_item_data)

                functions.append(functions_item)

        def _parse_function_call(
            data: object,
        ) -> ChatCompletionRequestFunctionCallType0 | LegacyFunctionChoice | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                function_call_type_0 = ChatCompletionRequestFunctionCallType0(data)

                return function_call_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            function_call_type_1 = LegacyFunctionChoice.from_dict(data)

            return function_call_type_1

        function_call = _parse_function_call(d.pop("function_call", UNSET))

        _response_format = d.pop("response_format", UNSET)
        response_format: ResponseFormat | Unset
        if isinstance(_response_format, Unset):
            response_format = UNSET
        else:
            response_format = ResponseFormat.from_dict(_response_format)

        def _parse_frequency_penalty(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        frequency_penalty = _parse_frequency_penalty(d.pop("frequency_penalty", UNSET))

        def _parse_presence_penalty(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        presence_penalty = _parse_presence_penalty(d.pop("presence_penalty", UNSET))

        def _parse_n(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        n = _parse_n(d.pop("n", UNSET))

        best_of = d.pop("best_of", UNSET)

        def _parse_logprobs(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        logprobs = _parse_logprobs(d.pop("logprobs", UNSET))

        def _parse_top_logprobs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        top_logprobs = _parse_top_logprobs(d.pop("top_logprobs", UNSET))

        def _parse_logit_bias(data: object) -> ChatCompletionRequestLogitBiasType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                logit_bias_type_0 = ChatCompletionRequestLogitBiasType0.from_dict(data)

                return logit_bias_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChatCompletionRequestLogitBiasType0 | None | Unset, data)

        logit_bias = _parse_logit_bias(d.pop("logit_bias", UNSET))

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        user = d.pop("user", UNSET)

        def _parse_safety_identifier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        safety_identifier = _parse_safety_identifier(d.pop("safety_identifier", UNSET))

        def _parse_prompt_cache_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prompt_cache_key = _parse_prompt_cache_key(d.pop("prompt_cache_key", UNSET))

        def _parse_prompt_cache_retention(data: object) -> None | PromptCacheRetention | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                prompt_cache_retention_type_0 = PromptCacheRetention(data)

                return prompt_cache_retention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PromptCacheRetention | Unset, data)

        prompt_cache_retention = _parse_prompt_cache_retention(d.pop("prompt_cache_retention", UNSET))

        _prompt_cache_options = d.pop("prompt_cache_options", UNSET)
        prompt_cache_options: PromptCacheOptions | Unset
        if isinstance(_prompt_cache_options, Unset):
            prompt_cache_options = UNSET
        else:
            prompt_cache_options = PromptCacheOptions.from_dict(_prompt_cache_options)

        def _parse_metadata(data: object) -> ChatCompletionRequestMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = ChatCompletionRequestMetadataType0.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChatCompletionRequestMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        def _parse_store(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        store = _parse_store(d.pop("store", UNSET))

        def _parse_service_tier(data: object) -> None | ServiceTier | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                service_tier_type_0 = ServiceTier(data)

                return service_tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServiceTier | Unset, data)

        service_tier = _parse_service_tier(d.pop("service_tier", UNSET))

        def _parse_reasoning_effort(data: object) -> None | ReasoningEffort | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reasoning_effort_type_0 = ReasoningEffort(data)

                return reasoning_effort_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReasoningEffort | Unset, data)

        reasoning_effort = _parse_reasoning_effort(d.pop("reasoning_effort", UNSET))

        def _parse_verbosity(data: object) -> None | Unset | Verbosity:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                verbosity_type_0 = Verbosity(data)

                return verbosity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | Verbosity, data)

        verbosity = _parse_verbosity(d.pop("verbosity", UNSET))

        def _parse_modalities(data: object) -> list[ChatCompletionRequestModalitiesType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                modalities_type_0 = []
                _modalities_type_0 = data
                for modalities_type_0_item_data in _modalities_type_0:
                    modalities_type_0_item = ChatCompletionRequestModalitiesType0Item(
                        modalities_type_0_item_data
                    )

                    modalities_type_0.append(modalities_type_0_item)

                return modalities_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ChatCompletionRequestModalitiesType0Item] | None | Unset, data)

        modalities = _parse_modalities(d.pop("modalities", UNSET))

        def _parse_audio(data: object) -> AudioOutput | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                audio_type_0 = AudioOutput.from_dict(data)

                return audio_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AudioOutput | None | Unset, data)

        audio = _parse_audio(d.pop("audio", UNSET))

        def _parse_prediction(data: object) -> None | Prediction | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                prediction_type_0 = Prediction.from_dict(data)

                return prediction_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Prediction | Unset, data)

        prediction = _parse_prediction(d.pop("prediction", UNSET))

        _web_search_options = d.pop("web_search_options", UNSET)
        web_search_options: WebSearchOptions | Unset
        if isinstance(_web_search_options, Unset):
            web_search_options = UNSET
        else:
            web_search_options = WebSearchOptions.from_dict(_web_search_options)

        def _parse_moderation(data: object) -> Moderation | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                moderation_type_0 = Moderation.from_dict(data)

                return moderation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Moderation | None | Unset, data)

        moderation = _parse_moderation(d.pop("moderation", UNSET))

        lora_adapter = d.pop("lora_adapter", UNSET)

        routing_key = d.pop("routing_key", UNSET)

        deadline_ms = d.pop("deadline_ms", UNSET)

        chat_completion_request = cls(
            model=model,
            messages=messages,
            max_tokens=max_tokens,
            max_completion_tokens=max_completion_tokens,
            temperature=temperature,
            top_p=top_p,
            top_k=top_k,
            repetition_penalty=repetition_penalty,
            stop=stop,
            stream=stream,
            stream_options=stream_options,
            tools=tools,
            tool_choice=tool_choice,
            parallel_tool_calls=parallel_tool_calls,
            functions=functions,
            function_call=function_call,
            response_format=response_format,
            frequency_penalty=frequency_penalty,
            presence_penalty=presence_penalty,
            n=n,
            best_of=best_of,
            logprobs=logprobs,
            top_logprobs=top_logprobs,
            logit_bias=logit_bias,
            seed=seed,
            user=user,
            safety_identifier=safety_identifier,
            prompt_cache_key=prompt_cache_key,
            prompt_cache_retention=prompt_cache_retention,
            prompt_cache_options=prompt_cache_options,
            metadata=metadata,
            store=store,
            service_tier=service_tier,
            reasoning_effort=reasoning_effort,
            verbosity=verbosity,
            modalities=modalities,
            audio=audio,
            prediction=prediction,
            web_search_options=web_search_options,
            moderation=moderation,
            lora_adapter=lora_adapter,
            routing_key=routing_key,
            deadline_ms=deadline_ms,
        )

        return chat_completion_request
