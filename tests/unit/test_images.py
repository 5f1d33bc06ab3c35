"""An image is what its bytes say: each extension's signature, and the type and size from a header."""

import struct
import zlib

from microgigs.services import images


def png_bytes(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return images.PNG_SIGNATURE + struct.pack(">I", len(header)) + b"IHDR" + header + struct.pack(">I", zlib.crc32(b"IHDR" + header))


def test_each_extension_must_start_with_its_own_signature():
    png = png_bytes(3, 2)
    assert images.starts_as(".png", png) and images.starts_as(".PNG", png)
    assert not images.starts_as(".jpg", png) and not images.starts_as(".webp", png)
    assert images.starts_as(".jpeg", b"\xff\xd8\xff\xe0rest") and images.starts_as(".jpg", b"\xff\xd8\xff\xe0rest")
    assert not images.starts_as(".gif", b"GIF89a")  # not an accepted type at all
    assert not images.starts_as(".png", b"")


def test_type_and_size_read_from_the_header_not_the_name():
    assert images.type_and_size(png_bytes(640, 480)) == (".png", 640, 480)
    assert images.type_and_size(images.PNG_SIGNATURE + b"\x00" * 20) is None  # no IHDR: not a real PNG
    assert images.type_and_size(b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 20) is None  # a sound, not a WebP
    assert images.type_and_size(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
