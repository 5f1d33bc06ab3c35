"""What an uploaded image really is, from its bytes (never from its name): its type's signature,
and for PNG, JPEG and WebP the type and the size in pixels its header gives."""

import struct

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
# The first bytes each accepted extension's file starts with (a WebP is a RIFF container).
SIGNATURES = {".png": PNG_SIGNATURE, ".jpg": JPEG_SIGNATURE, ".jpeg": JPEG_SIGNATURE, ".webp": b"RIFF"}


def starts_as(extension: str, data: bytes) -> bool:
    """Whether `data` begins the way a file of that extension must."""
    signature = SIGNATURES.get(extension.lower())
    return signature is not None and data.startswith(signature)


def type_and_size(data: bytes) -> tuple[str, int, int] | None:
    """(the real extension, width, height) from a PNG, JPEG or WebP header; None for anything else."""
    if data.startswith(PNG_SIGNATURE):
        if len(data) >= 24 and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
            return ".png", width, height
        return None
    if data.startswith(JPEG_SIGNATURE):
        size = _jpeg_size(data)
        return (".jpg", *size) if size else None
    if len(data) >= 30 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        size = _webp_size(data)
        return (".webp", *size) if size else None
    return None


# JPEG's start-of-frame markers (which carry the size): C0-CF but DHT (C4), JPG (C8) and DAC (CC).
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # standalone markers: no length
            at += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or the scan began with no frame seen
            return None
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if length < 2:
            return None
        if marker in _SOF:
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
        return width, height
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    return None
