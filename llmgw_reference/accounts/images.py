"""createImage (`/v1/images/generations`) with small synthetic PNGs, and the URL that serves them.

Why hand-written PNG bytes: a PNG is a signature, an IHDR chunk, zlib-compressed scanlines and an
IEND chunk, each chunk with a CRC-32; ``zlib`` and ``struct`` write that in a few lines, where an
imaging library would be a new dependency for a synthetic engine. The images are stored in the
accounts database, so a URL stays valid across a restart.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import struct
import time
import zlib

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from llmgw_generated.models.data import ImageGenerationRequest
from llmgw_reference.accounts.meter import record_images
from llmgw_reference.accounts.routes import service_of
from llmgw_reference.accounts.service import store_unavailable
from llmgw_reference.accounts.store import StoreUnavailable, now_iso
from llmgw_reference.errors import not_found
from llmgw_reference.faults.accounts import adjusted
from llmgw_reference.request_body import parse_body

SIDE = 16  # pixels: a synthetic engine's image only has to be a real, small PNG
FILES_PATH = "/files/images"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def synthetic_png(seed: str, side: int = SIDE) -> bytes:
    """A ``side`` x ``side`` RGB PNG: a gradient coloured by ``seed`` (deterministic)."""
    red, green, blue = hashlib.sha256(seed.encode("utf-8")).digest()[:3]
    rows = b"".join(
        b"\x00" + b"".join(bytes(((red + 8 * x) % 256, (green + 8 * y) % 256, blue)) for x in range(side))
        for y in range(side)
    )
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


async def create_image(request: Request) -> Response:
    params = await parse_body(request, ImageGenerationRequest)
    count = int(adjusted(service_of(request).faults, "image-count", params.n or 1))
    as_b64 = params.response_format is not None and params.response_format.value == "b64_json"
    data: list[dict[str, str]] = []
    store = service_of(request).store
    for index in range(count):
        png = synthetic_png(f"{params.prompt}/{index}")
        if as_b64:
            data.append({"b64_json": base64.b64encode(png).decode("ascii"), "revised_prompt": params.prompt})
            continue
        image_id = f"img_{secrets.token_hex(12)}"
        try:
            with store.transaction() as db:
                db.execute("INSERT INTO images VALUES (?,?,?)", (image_id, png, now_iso()))
        except StoreUnavailable as exc:
            raise store_unavailable(exc) from None
        data.append({"url": f"{str(request.base_url).rstrip('/')}{FILES_PATH}/{image_id}.png",
                     "revised_prompt": params.prompt})  # fmt: skip
    record_images(count)
    return JSONResponse({"created": int(time.time()), "data": data})


async def image_file(request: Request) -> Response:
    name = str(request.path_params["name"])
    image_id = name.removesuffix(".png")
    rows = service_of(request).store.query("SELECT png FROM images WHERE id=?", (image_id,))
    if not rows:
        raise not_found(f"no image {name!r}")
    return Response(bytes(rows[0]["png"]), media_type="image/png")


def routes() -> list[Route]:
    return [
        Route("/v1/images/generations", create_image, methods=["POST"]),
        Route(FILES_PATH + "/{name}", image_file, methods=["GET"]),
    ]
