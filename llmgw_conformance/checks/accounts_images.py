"""Image generation (profile images): the answer matches ImagesResponse with exactly ``n`` images,
each a real PNG, as ``b64_json`` or as a ``url`` the target serves.

Why fetch and decode: an answer with the right keys but no image behind them (a dead URL, base64
of nothing) passes a schema check and breaks every client that shows the picture.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit

from llmgw_conformance.context import CheckContext
from llmgw_conformance.probes.accounts_calls import body_of
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
IMAGES_PATH = "/v1/images/generations"
N = 2


def _png_problem(ctx: CheckContext, image: object, response_format: str) -> str | None:
    if not isinstance(image, dict):
        return f"image {image!r} is not an object"
    if response_format == "b64_json":
        try:
            raw = base64.b64decode(str(image.get("b64_json") or ""), validate=True)
        except (binascii.Error, ValueError):
            return "b64_json is not base64"
        return None if raw.startswith(PNG_SIGNATURE) else "b64_json does not decode to a PNG"
    url = image.get("url")
    if not isinstance(url, str) or not url:
        return "no url"
    parts = urlsplit(url)
    fetched = ctx.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
    if fetched.status != 200:
        return f"the url answered {fetched.status}"
    if "PNG" not in (fetched.text or "")[:8]:  # the signature's letters survive any text decoding
        return "the url does not serve a PNG"
    return None


@check("images-shape", requirements=["IMG-SHAPE"], profiles=["images"], needs=["images"])
def images_shape(ctx: CheckContext) -> None:
    """n=2 images as b64_json and as url: schema, count, and real PNG bytes behind each."""
    req = "IMG-SHAPE"
    with Verdicts(ctx, [req]) as verdicts:
        for response_format in ("b64_json", "url"):
            body = {
                "prompt": "a small red square",
                "n": N,
                "size": "256x256",
                "response_format": response_format,
            }
            response = ctx.request("POST", IMAGES_PATH, json=body)
            answer = body_of(response)
            problems = (
                ctx.contract.schema_errors("ImagesResponse", answer)[:2] if response.status == 200 else []
            )
            found = answer.get("data")
            data: list[object] = found if isinstance(found, list) else []
            if response.status != 200:
                problems.append(f"answered {response.status}")
            elif len(data) != N:
                problems.append(f"{len(data)} images for n={N}")
            problems += [p for p in (_png_problem(ctx, image, response_format) for image in data) if p]
            verdicts.expect(
                req,
                not problems,
                f"{response_format}: " + "; ".join(problems[:3]),
                answer=response,
                expected=f"{N} PNG images",
            )
