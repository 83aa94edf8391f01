"""Reading a JSON request body into a generated pydantic model, with contract errors.

Why strict validation: the contract's schemas are `additionalProperties: false` and typed; a
string for an integer or `61.0` for an integer is a schema violation and gets 400, an unknown
field 400 `UNSUPPORTED_FIELD`, a non-JSON content type 415, a body over the limit 413, and
malformed JSON 400 -- never FastAPI's 422 `{"detail": ...}` and never a 5xx.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_reference.errors import ApiError, bad_request

M = TypeVar("M", bound=BaseModel)
DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024


def _loc_to_param(loc: tuple[int | str, ...]) -> str | None:
    parts = [str(p) for p in loc if not (isinstance(p, str) and p.startswith("function-"))]
    if not parts:
        return None
    out = parts[0]
    for part in parts[1:]:
        out += f"[{part}]" if part.isdigit() else f".{part}"
    return out


def validation_error(exc: ValidationError) -> ApiError:
    """The 400 for a pydantic validation error: unknown fields first, else the first error."""
    errors = exc.errors(include_url=False, include_input=False)
    extra = [e for e in errors if e["type"] == "extra_forbidden"]
    if extra:
        param = _loc_to_param(tuple(extra[0]["loc"]))
        return bad_request(f"Unknown field {param!r}.", param=param, reason=ErrorReason.UNSUPPORTED_FIELD)
    if errors and errors[0]["type"] in ("json_invalid", "json_type"):
        return bad_request("The body is not valid JSON.")
    first = errors[0] if errors else {"loc": (), "msg": "invalid body"}
    param = _loc_to_param(tuple(first["loc"]))
    where = f" at {param!r}" if param else ""
    return bad_request(f"Invalid request{where}: {first['msg']}.", param=param)


async def read_body(request: Request, max_bytes: int | None = None) -> bytes:
    """The raw body after the Content-Type (415) and size (413) checks."""
    limit = max_bytes if max_bytes is not None else _limit_of(request)
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";", 1)[0].strip().lower()
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        raise ApiError(
            ErrorKind.INVALID_PARAMS,
            f"The body must be application/json, not {media or 'absent'!r}.",
            status=415,
            reason=ErrorReason.UNSUPPORTED_MEDIA_TYPE,
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(
                ErrorKind.INVALID_PARAMS,
                f"The body exceeds {limit} bytes.",
                status=413,
                reason=ErrorReason.PAYLOAD_TOO_LARGE,
            )
        chunks.append(chunk)
    faults = getattr(getattr(request.app.state, "runtime", None), "faults", None)
    if faults is not None and faults.faults:
        return bytes(faults.request_body(request.url.path, b"".join(chunks)))
    return b"".join(chunks)


def _limit_of(request: Request) -> int:
    runtime = getattr(request.app.state, "runtime", None)
    config = getattr(runtime, "config", None)
    return int(getattr(config, "max_body_bytes", DEFAULT_MAX_BODY_BYTES))


async def parse_body(request: Request, model: type[M]) -> M:
    """The body as `model`, strictly validated; raises ApiError (400/413/415)."""
    body = await read_body(request)
    if not body.strip():
        raise bad_request("A JSON body is required.")
    try:
        return model.model_validate_json(body, strict=True)
    except ValidationError as exc:
        raise validation_error(exc) from None
    except ValueError:
        raise bad_request("The body is not valid JSON.") from None
