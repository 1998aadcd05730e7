"""The format stored files are kept in: sealed in fixed-size chunks, so a file of any size is
encrypted as it is read and decrypted as it is sent, never held whole in memory.

    MAGIC  key-id-length(1)  key-id  salt(16)  chunk  chunk  ...  final-chunk

Each chunk is up to CHUNK_BYTES of the original, sealed with AES-256-GCM under a key derived
(HKDF-SHA256) from the field key named in the header and the file's random salt. The nonce is
the chunk's index and a flag saying whether it is the last, and the header is bound into every
chunk, so a chunk changed, moved, dropped or cut off (or a header edited) is refused: the
reader only accepts a file that ends with a chunk sealed as the last one (the STREAM
construction of Hoang, Reyhanitabar, Rogaway and Vizár, 2015).

Files written before this format are one Fernet token (key-id$token, vigil.common.crypto); they
start with a key id, which never contains the NUL byte MAGIC starts with, so both still read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vigil.common.crypto import DecryptionError, decrypt_bytes, field_key_material

MAGIC = b"\x00VGF2"
CHUNK_BYTES = 64 * 1024
TAG_BYTES = 16
SALT_BYTES = 16
_INFO = b"vigil.common.sealed_stream v2"


def _file_key(material: bytes, salt: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_INFO).derive(material)
    return AESGCM(derived)


def _nonce(index: int, *, final: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


def is_sealed(head: bytes) -> bool:
    return head.startswith(MAGIC)


def sealed_key_id(head: bytes) -> str:
    """The key id in a sealed file's header (its first 300 bytes), or '' if it is not one."""
    if not is_sealed(head) or len(head) <= len(MAGIC):
        return ""
    length = head[len(MAGIC)]
    key_id = head[len(MAGIC) + 1 : len(MAGIC) + 1 + length]
    return key_id.decode(errors="replace") if len(key_id) == length else ""


def blob_key_id(head: bytes) -> str:
    """The key id of a stored file from its first bytes (300 are enough), in either format
    (sealed, or the older key-id$token of vigil.common.crypto), or '' if it has none."""
    if is_sealed(head):
        return sealed_key_id(head)
    key_id, sep, _rest = head.partition(b"$")
    return key_id.decode(errors="replace") if sep and len(key_id) <= 40 else ""


class SealedWriter:
    """Seals what is written to `handle` chunk by chunk, under the first field key. Call
    close() at the end: it seals the last chunk, without which the file does not read."""

    def __init__(self, handle: BinaryIO) -> None:
        key_id, material = field_key_material()[0]
        salt = os.urandom(SALT_BYTES)
        encoded_id = key_id.encode()
        if len(encoded_id) > 255:
            raise ValueError("A field key id is at most 255 bytes.")
        self._header = MAGIC + bytes([len(encoded_id)]) + encoded_id + salt
        self._aead = _file_key(material, salt)
        self._handle = handle
        self._buffer = bytearray()
        self._index = 0
        handle.write(self._header)

    def _seal(self, plain: bytes, *, final: bool) -> None:
        nonce = _nonce(self._index, final=final)
        self._handle.write(self._aead.encrypt(nonce, plain, self._header))
        self._index += 1

    def write(self, data: bytes) -> None:
        self._buffer += data
        # Keep the last chunk back (strictly more than one chunk is sealed): only close() knows
        # which chunk is the last.
        while len(self._buffer) > CHUNK_BYTES:
            self._seal(bytes(self._buffer[:CHUNK_BYTES]), final=False)
            del self._buffer[:CHUNK_BYTES]

    def close(self) -> None:
        self._seal(bytes(self._buffer), final=True)
        self._buffer.clear()


def seal_to(handle: BinaryIO, chunks: Iterable[bytes]) -> None:
    writer = SealedWriter(handle)
    for chunk in chunks:
        writer.write(chunk)
    writer.close()


def _read_header(handle: BinaryIO) -> tuple[bytes, AESGCM]:
    start = handle.read(len(MAGIC) + 1)
    if len(start) < len(MAGIC) + 1 or not is_sealed(start):
        raise DecryptionError("Not a sealed stored file.")
    key_id = handle.read(start[-1])
    salt = handle.read(SALT_BYTES)
    if len(key_id) != start[-1] or len(salt) != SALT_BYTES:
        raise DecryptionError("The stored file's header is cut short.")
    for candidate_id, material in field_key_material():
        if candidate_id.encode() == key_id:
            return start + key_id + salt, _file_key(material, salt)
    raise DecryptionError(f"Key {key_id.decode(errors='replace')!r} is not configured.")


def open_sealed(handle: BinaryIO) -> Iterator[bytes]:
    """The original bytes of a sealed file, chunk by chunk; DecryptionError (raised before the
    bad chunk is yielded) if any chunk was changed, moved or dropped, or the end is cut off."""
    header, aead = _read_header(handle)
    block = CHUNK_BYTES + TAG_BYTES
    index = 0
    current = handle.read(block)
    while True:
        following = handle.read(block)
        final = not following
        if len(current) < TAG_BYTES or (not final and len(current) != block):
            raise DecryptionError("The stored file is cut short.")
        try:
            yield aead.decrypt(_nonce(index, final=final), current, header)
        except InvalidTag:
            raise DecryptionError(
                f"Chunk {index} of the stored file does not verify: changed, moved or cut short."
            ) from None
        if final:
            return
        current = following
        index += 1


def open_stored(handle: BinaryIO) -> Iterator[bytes]:
    """Either format, chunk by chunk: sealed files stream; a file of the older single-token
    format is decrypted whole (as it always was) and handed out in chunks."""
    head = handle.read(len(MAGIC))
    handle.seek(0)
    if is_sealed(head):
        yield from open_sealed(handle)
        return
    original = decrypt_bytes(handle.read())
    for start in range(0, len(original), CHUNK_BYTES):
        yield original[start : start + CHUNK_BYTES]
