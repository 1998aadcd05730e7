"""Just enough PDF text extraction to check what a WeasyPrint PDF says, without a dependency.

WeasyPrint writes text as glyph ids in hex strings and a ToUnicode map per font. We decode every
content stream with every font's map; the right map turns the right runs back into text.
"""

from __future__ import annotations

import re
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
HEX_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
HEX_TRIPLE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
TEXT_HEX = re.compile(rb"<([0-9a-fA-F]*)>")


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for raw in STREAM.findall(pdf):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in BFCHAR.findall(data):
        for src, dst in HEX_PAIR.findall(block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in BFRANGE.findall(data):
        for lo, hi, dst in HEX_TRIPLE.findall(block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def pdf_texts(pdf: bytes) -> list[str]:
    """The text of the PDF decoded with each font's map (one string per map)."""
    streams = _streams(pdf)
    cmaps = [_cmap(s) for s in streams if b"beginbfchar" in s or b"beginbfrange" in s]
    content = [s for s in streams if b" Tf" in s]
    texts = []
    for cmap in cmaps:
        chars = []
        for stream in content:
            for hex_run in TEXT_HEX.findall(stream):
                for i in range(0, len(hex_run) - 3, 4):
                    chars.append(cmap.get(int(hex_run[i : i + 4], 16), ""))
        texts.append("".join(chars))
    return texts


def pdf_contains(pdf: bytes, text: str) -> bool:
    """Whether the PDF says `text`, spaces aside: where a line wraps, or a space is drawn as a
    gap rather than a glyph, the decoded runs have no space to match."""
    wanted = "".join(text.split())
    return any(wanted in "".join(candidate.split()) for candidate in pdf_texts(pdf))
