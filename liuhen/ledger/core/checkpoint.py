"""Transparency-log checkpoints (C2SP tlog-checkpoint v1.0.0): the body of a signed note.

Pure Python, no Django.  The note text is at least three non-empty lines, each ending in a
newline::

    <origin>\\n
    <tree size, ASCII decimal, no leading zeros>\\n
    <base64 root hash>\\n
    [<extension line>\\n ...]

* origin: non-empty; the spec only RECOMMENDS a schema-less URL without spaces or ``+``, so both
  are accepted here (control characters are not: a signed note cannot carry them);
* size: ``0`` or ``[1-9][0-9]*``, at most 2**64 - 1 (Tessera and transparency-dev/formats use
  uint64); no sign, no spaces, no ``_``, no non-ASCII digits;
* root hash: canonical standard base64 of exactly 32 bytes (the RFC 6962 root with SHA-256, and
  the SM3 root, are both 32 bytes); non-canonical encodings (stray bits in the last character,
  missing padding) are rejected;
* extension lines: optional, each non-empty.  The spec does NOT RECOMMEND them.
"""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Sequence

from .note import OpenedNote, Signer, Verifier, open_note, sign_note

__all__ = [
    "MAX_TREE_SIZE",
    "ROOT_HASH_SIZE",
    "Checkpoint",
    "CheckpointError",
    "format_checkpoint",
    "open_checkpoint",
    "parse_checkpoint",
    "sign_checkpoint",
]

ROOT_HASH_SIZE = 32
MAX_TREE_SIZE = 2**64 - 1

_SIZE = re.compile(r"0|[1-9][0-9]*")


class CheckpointError(ValueError):
    """A checkpoint body that does not follow C2SP tlog-checkpoint."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.extensions, str):
            raise CheckpointError("extensions must be a sequence of lines, not a str")
        if not isinstance(self.extensions, tuple):
            object.__setattr__(self, "extensions", tuple(self.extensions))
        if isinstance(self.root_hash, (bytearray, memoryview)):
            object.__setattr__(self, "root_hash", bytes(self.root_hash))

    @property
    def root_hash_b64(self) -> str:
        return base64.b64encode(self.root_hash).decode("ascii")


def _check_line(line: object, what: str) -> str:
    if not isinstance(line, str) or line == "":
        raise CheckpointError(f"{what} must be a non-empty str")
    try:
        line.encode("utf-8")
    except UnicodeEncodeError as e:
        raise CheckpointError(f"{what} is not valid UTF-8") from e
    if any(ord(ch) < 0x20 for ch in line):  # includes the newline
        raise CheckpointError(f"{what} contains a newline or control character")
    return line


def format_checkpoint(cp: Checkpoint) -> str:
    """``origin\\nsize\\nbase64(root)\\n`` followed by each extension line and a newline."""
    _check_line(cp.origin, "origin")
    if type(cp.size) is not int or not 0 <= cp.size <= MAX_TREE_SIZE:
        raise CheckpointError("size must be an int in [0, 2**64 - 1]")
    if not isinstance(cp.root_hash, bytes) or len(cp.root_hash) != ROOT_HASH_SIZE:
        raise CheckpointError(f"root hash must be {ROOT_HASH_SIZE} bytes")
    for ext in cp.extensions:
        _check_line(ext, "extension line")
    lines = [cp.origin, str(cp.size), cp.root_hash_b64, *cp.extensions]
    return "".join(line + "\n" for line in lines)


def parse_checkpoint(text: str | bytes) -> Checkpoint:
    """Strict parse of a checkpoint body (the text of an opened note)."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as e:
            raise CheckpointError("checkpoint is not valid UTF-8") from e
    if not isinstance(text, str):
        raise CheckpointError("checkpoint must be str")
    if not text.endswith("\n"):
        raise CheckpointError("checkpoint must end in a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError("checkpoint needs origin, size and root hash lines")
    for i, line in enumerate(lines):
        _check_line(line, f"line {i + 1}")
    origin, size_s, root_s, *extensions = lines
    if not _SIZE.fullmatch(size_s):
        raise CheckpointError(f"bad tree size {size_s!r}")
    size = int(size_s)
    if size > MAX_TREE_SIZE:
        raise CheckpointError("tree size does not fit in 64 bits")
    try:
        root = base64.b64decode(root_s.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError) as e:
        raise CheckpointError("root hash is not base64") from e
    if len(root) != ROOT_HASH_SIZE:
        raise CheckpointError(f"root hash must be {ROOT_HASH_SIZE} bytes, not {len(root)}")
    if base64.b64encode(root).decode("ascii") != root_s:
        raise CheckpointError("root hash is not canonical base64")
    return Checkpoint(origin=origin, size=size, root_hash=root, extensions=tuple(extensions))


def sign_checkpoint(cp: Checkpoint, signers: Sequence[Signer]) -> str:
    """``sign_note(format_checkpoint(cp), signers)``."""
    return sign_note(format_checkpoint(cp), signers)


def open_checkpoint(note: str | bytes, verifiers: Sequence[Verifier], *,
                    origin: str | None = None) -> tuple[Checkpoint, OpenedNote]:
    """Open the note (NoteError on any signature problem), then parse its text (CheckpointError).

    With ``origin``, the checkpoint's origin line must equal it (CheckpointError otherwise); the
    spec only says the log's key name SHOULD match the origin, so that is not checked here.
    """
    opened = open_note(note, verifiers)
    cp = parse_checkpoint(opened.text)
    if origin is not None and cp.origin != origin:
        raise CheckpointError(f"checkpoint origin {cp.origin!r} is not {origin!r}")
    return cp, opened
