"""The home-screen icons a phone shows for MicroGigs (the web app manifest names them).

`python -m microgigs.operations.app_icons` writes them under assets/icons/ (committed; Reflex
copies assets/ into the build, so they are served at /icons/...). The mark is the letters "MG"
in white on the pages' accent colour, drawn from a 5x7 pixel font scaled up: legible at any
size, no image library needed (PNG is a few zlib-compressed rows). A maskable icon keeps the
letters inside the middle 40% (its safe zone is the middle 80% circle); the others fill more.
An admin's own logo does not replace these: the logo's shape and size are free, a home-screen
icon's are not (README, "Install on a phone").
"""

import struct
import sys
import zlib
from pathlib import Path

ICONS_DIR = Path(__file__).resolve().parents[2] / "assets" / "icons"
BACKGROUND = (0x3E, 0x63, 0xDD)  # Radix's indigo 9: the pages' accent colour when no brand colour is set
INK = (0xFF, 0xFF, 0xFF)
GLYPHS = {
    "M": ("10001", "11011", "10101", "10101", "10001", "10001", "10001"),
    "G": ("01110", "10001", "10000", "10111", "10001", "10001", "01111"),
}
# name -> (size in pixels, share of the width the letters may take)
ICONS = {
    "icon-192.png": (192, 0.6),
    "icon-512.png": (512, 0.6),
    "icon-maskable-512.png": (512, 0.4),
    "apple-touch-icon.png": (180, 0.6),  # iOS's home-screen size; it rounds the corners itself
}


def mark(text: str = "MG") -> list[str]:
    """The letters as rows of "0"/"1", one empty column between letters."""
    return ["0".join(GLYPHS[letter][row] for letter in text) for row in range(7)]


def pixels(size: int, share: float) -> list[bytes]:
    """The icon's RGB rows: the mark scaled to `share` of the width, centred."""
    rows = mark()
    scale = max(1, int(size * share) // len(rows[0]))
    left = (size - scale * len(rows[0])) // 2
    top = (size - scale * len(rows)) // 2
    out = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            gx, gy = (x - left) // scale, (y - top) // scale
            inked = 0 <= gy < len(rows) and 0 <= gx < len(rows[0]) and x >= left and y >= top and rows[gy][gx] == "1"
            row += bytes(INK if inked else BACKGROUND)
        out.append(bytes(row))
    return out


def png(rows: list[bytes], size: int) -> bytes:
    """An 8-bit RGB PNG of these rows (filter type 0 on each)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    data = zlib.compress(b"".join(b"\x00" + row for row in rows), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def write_icons(folder: Path = ICONS_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (size, share) in ICONS.items():
        path = folder / name
        path.write_bytes(png(pixels(size, share), size))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_icons(Path(sys.argv[1]) if len(sys.argv) > 1 else ICONS_DIR):
        print(path)
