from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.chat_completion_request_tool_choice_type_0 import ChatCompletionRequestToolChoiceType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_completion_request_logit_bias_type_0 import ChatCompletionRequestLogitBiasType0
    from ..models.chat_message import ChatMessage
    from ..models.named_tool_choice import NamedToolChoice
    from ..models.response_format import ResponseFormat
    from ..models.stream_options import StreamOptions
    from ..models.tool_spec import ToolSpec


T = TypeVar("T", bound="ChatCompletionRequest")


@_attrs_define
class ChatCompletionRequest:
    """OpenAI chat completion request; the fields honoured are exactly these, any other is 400 `unsupported_field`.

    Attributes:
        model (str): Model id.
        messages (list[ChatMessage]): The conversation.
        max_tokens (int | Unset): Legacy alias of `max_completion_tokens`; the latter wins when both are set.
        max_completion_tokens (int | Unset): Most output tokens.
        temperature (float | Unset): Sampling temperature, 0 to 2 inclusive.
        top_p (float | Unset): Nucleus cutoff, 0 to 1 inclusive.
        top_k (int | Unset): Top-k sampling (non-OpenAI); absent disables it.
        repetition_penalty (float | Unset): Repetition penalty (non-OpenAI), in (0, 2]; 1 means none.
        stop (list[str] | None | str | Unset): Stop string or up to 4 stop strings.
        stream (bool | None | Unset): Stream chunks as server-sent events.
        stream_options (None | StreamOptions | Unset): Streaming options; only with `stream true`.
        tools (list[ToolSpec] | Unset): Tools the model may call.
        tool_choice (ChatCompletionRequestToolChoiceType0 | NamedToolChoice | Unset): `none`, `auto`, `required`, or a
            named function.
        parallel_tool_calls (bool | Unset): Allow several tool calls in one turn (default true).
        response_format (ResponseFormat | Unset): Structured-output request.
        frequency_penalty (float | Unset): -2 to 2 inclusive.
        presence_penalty (float | Unset): -2 to 2 inclusive.
        n (int | Unset): Choices to generate; `n > 1` with `stream true` is 400.
        best_of (int | Unset): Candidates generated to pick the best `n`; needs `best_of >= n` and no streaming.
        logprobs (bool | None | Unset): Return log-probabilities of the output tokens.
        top_logprobs (int | None | Unset): Alternatives per position, 0 to 20; above 0 implies `logprobs`, and with
            `logprobs false` is 400.
        logit_bias (ChatCompletionRequestLogitBiasType0 | None | Unset): Token id to bias, each bias -100 to 100.
        seed (int | None | Unset): Sampling seed; the same seed and request give the same output.
        user (str | Unset): End-user identifier.
        safety_identifier (str | Unset): Safety-tier identifier; accepted, never logged.
        lora_adapter (str | Unset): LoRA adapter to apply; an unknown one is 400 `unknown_lora`.
        routing_key (str | Unset): Routing affinity hint.
        prompt_cache_key (str | Unset): Prompt-cache hint.
        deadline_ms (int | Unset): Gateway extension (feature `deadlines`). Milliseconds from receipt by which the
            answer must be complete; a request that cannot start in time is 504, a stream still generating at the deadline
            ends with an error event (`DEADLINE_UNMET`) and `data [DONE]`.
    """

    model: str
    messages: list[ChatMessage]
    max_tokens: int | Unset = UNSET
    max_completion_tokens: int | Unset = UNSET
    temperature: float | Unset = UNSET
    top_p: float | Unset = UNSET
    top_k: int | Unset = UNSET
    repetition_penalty: float | Unset = UNSET
    stop: list[str] | None | str | Unset = UNSET
    stream: bool | None | Unset = UNSET
    stream_options: None | StreamOptions | Unset = UNSET
    tools: list[ToolSpec] | Unset = UNSET
    tool_choice: ChatCompletionRequestToolChoiceType0 | NamedToolChoice | Unset = UNSET
    parallel_tool_calls: bool | Unset = UNSET
    response_format: ResponseFormat | Unset = UNSET
    frequency_penalty: float | Unset = UNSET
    presence_penalty: float | Unset = UNSET
    n: int | Unset = UNSET
    best_of: int | Unset = UNSET
    logprobs: bool | None | Unset = UNSET
    top_logprobs: int | None | Unset = UNSET
    logit_bias: ChatCompletionRequestLogitBiasType0 | None | Unset = UNSET
    seed: int | None | Unset = UNSET
    user: str | Unset = UNSET
    safety_identifier: str | Unset = UNSET
    lora_adapter: str | Unset = UNSET
    routing_key: str | Unset = UNSET
    prompt_cache_key: str | Unset = UNSET
    deadline_ms: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_completion_request_logit_bias_type_0 import ChatCompletionRequestLogitBiasType0  # noqa: PLC0415
        from ..models.stream_options import StreamOptions  # noqa: PLC0415

        model = self.model

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        max_tokens = self.max_tokens

        max_completion_tokens = self.max_completion_tokens

        temperature = self.temperature

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

        response_format: dict[str, Any] | Unset = UNSET
        if not isinstance(self.response_format, Unset):
            response_format = self.response_format.to_dict()

        frequency_penalty = self.frequency_penalty

        presence_penalty = self.presence_penalty

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

        safety_identifier = self.safety_identifier

        lora_adapter = self.lora_adapter

        routing_key = self.routing_key

        prompt_cache_key = self.prompt_cache_key

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
        if lora_adapter is not UNSET:
            field_dict["lora_adapter"] = lora_adapter
        if routing_key is not UNSET:
            field_dict["routing_key"] = routing_key
        if prompt_cache_key is not UNSET:
            field_dict["prompt_cache_key"] = prompt_cache_key
        if deadline_ms is not UNSET:
            field_dict["deadline_ms"] = deadline_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_completion_request_logit_bias_type_0 import ChatCompletionRequestLogitBiasType0  # noqa: PLC0415
        from ..models.chat_message import ChatMessage  # noqa: PLC0415
        from ..models.named_tool_choice import NamedToolChoice  # noqa: PLC0415
        from ..models.response_format import ResponseFormat  # noqa: PLC0415
        from ..models.stream_options import StreamOptions  # noqa: PLC0415
        from ..models.tool_spec import ToolSpec  # noqa: PLC0415

        d = dict(src_dict)
        model = d.pop("model")

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = ChatMessage.from_dict(messages_item_data)

            messages.append(messages_item)

        max_tokens = d.pop("max_tokens", UNSET)

        max_completion_tokens = d.pop("max_completion_tokens", UNSET)

        temperature = d.pop("temperature", UNSET)

        top_p = d.pop("top_p", UNSET)

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

        _response_format = d.pop("response_format", UNSET)
        response_format: ResponseFormat | Unset
        if isinstance(_response_format, Unset):
            response_format = UNSET
        else:
            response_format = ResponseFormat.from_dict(_response_format)

        frequency_penalty = d.pop("frequency_penalty", UNSET)

        presence_penalty = d.pop("presence_penalty", UNSET)

        n = d.pop("n", UNSET)

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

        safety_identifier = d.pop("safety_identifier", UNSET)

        lora_adapter = d.pop("lora_adapter", UNSET)

        routing_key = d.pop("routing_key", UNSET)

        prompt_cache_key = d.pop("prompt_cache_key", UNSET)

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
            lora_adapter=lora_adapter,
            routing_key=routing_key,
            prompt_cache_key=prompt_cache_key,
            deadline_ms=deadline_ms,
        )

        return chat_completion_request
