"""Signed notes (C2SP signed-note v1.0.0, as golang.org/x/mod/sumdb/note): keys, signing, opening.

Pure Python, no Django: the standalone verifier imports this module alone.

Format
------
A signed note is a text ending in a newline, a blank line, then one or more signature lines::

    <text>\\n
    \\n
    — <key name> base64(4-byte key ID || signature)\\n

The whole note must be valid UTF-8 without ASCII control characters other than newline; the text
is everything up to and including the newline before the *last* blank line.  Key names are
non-empty and contain no Unicode space and no ``+``.

Keys are written as Go's ``note`` package writes them::

    vkey = <name>+<hex8 key ID>+base64(type || public key)
    skey = PRIVATE+KEY+<name>+<hex8 key ID>+base64(type || private key)
    key ID = SHA-256(name || 0x0A || type || public key)[:4]

The base64 part may itself contain ``+``, so a vkey is split on its first two ``+`` only (an skey
on its first four).

Signature types
---------------
* ``0x01`` Ed25519 (RFC 8032), public key 32 bytes, signer key = the 32-byte seed.  This is the
  type of the signed-note spec, of sum.golang.org and of Tessera logs.
* SM2 (GB/T 32918.2-2016) with SM3 has no registered type byte.  signed-note.md, "Signature
  types", reserves ``0xff`` "for signature types without an identifier byte assigned by this
  specification. It is RECOMMENDED that this byte be followed by a longer identifier that is
  unlikely to collide."  Liuhen therefore uses the type ``0xff || b"liuhen/sm2-sm3-v1"``
  (:data:`SM2_SIGNATURE_TYPE`), which means, for version 1:

  - curve sm2p256v1 (GB/T 32918.5-2016), digest SM3 (GB/T 32905-2016);
  - e = SM3(Z_A || note text), Z_A computed with the default user ID ``1234567812345678``
    (GB/T 35276-2017 / GM/T 0009, the ID that OpenSSL, GmSSL and gmssl use by default);
  - public key = uncompressed point ``0x04 || X || Y`` (65 bytes), so the vkey decodes to
    ``0xff || "liuhen/sm2-sm3-v1" || 0x04 || X || Y`` and the key ID is
    SHA-256(name || 0x0A || 0xff || "liuhen/sm2-sm3-v1" || 0x04 || X || Y)[:4];
  - signature = ``r || s``, each a 32-byte big-endian integer (64 bytes, not DER);
  - signer key (skey) = ``0xff || "liuhen/sm2-sm3-v1" || d`` with d a 32-byte big-endian scalar.

  Other signed-note implementations (Go's ``note``) do not know this type: they reject such a
  vkey with "unknown verifier algorithm" and, when opening a note, ignore SM2 signature lines as
  signatures from unknown keys, which the spec requires of them.

Opening policy (C2SP, stricter than Go's ``note.Open``)
-------------------------------------------------------
* a signature whose (name, key ID) is not a trusted verifier is ignored and listed as unverified
  (identical repeated lines are listed once);
* every signature from a trusted key is verified, *including repeats*; any failure rejects the
  note (signed-note: "If a signature from a known key fails to verify, clients SHOULD reject the
  whole note").  Go's ``note.Open`` skips a second signature from an already-seen key before
  verifying it and would accept such a note;
* at least one trusted signature must verify;
* at most :data:`MAX_SIGNATURES` (100, Go's limit; the spec requires accepting at least 16)
  signature lines, counted before de-duplication.

SM2 arithmetic is done by ``gmssl`` 3.2.2 (``gmssl.sm2.CryptSM2.sign``/``verify`` on a digest);
SM3 and Ed25519 by ``cryptography``.  ``gmssl`` is worked around in three places: its
constructor corrupts public keys that start with the hex digits 0 or 4 (``lstrip("04")``), so
the key is assigned after construction; its ``verify`` does not range-check r and s, so that is
done here; its default nonce comes from ``random`` (not a CSPRNG), so k is drawn with
``secrets``.
"""
from __future__ import annotations

import abc
import base64
import binascii
import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from gmssl import sm2 as _gmssl_sm2

__all__ = [
    "ED25519_SIGNATURE_TYPE",
    "MAX_SIGNATURES",
    "SM2P256V1",
    "SM2_DEFAULT_USER_ID",
    "SM2_SIGNATURE_TYPE",
    "SM2Curve",
    "Ed25519Signer",
    "Ed25519Verifier",
    "InvalidSignatureError",
    "MalformedNoteError",
    "NoteError",
    "OpenedNote",
    "SM2Signer",
    "SM2Verifier",
    "Signer",
    "UnverifiedNoteError",
    "Verifier",
    "key_id_for",
    "open_note",
    "sign_note",
    "signer_from_skey",
    "signers_of",
    "sm2_public_key",
    "sm2_sign_digest",
    "sm2_verify_digest",
    "sm2_za",
    "sm3",
    "verifier_from_vkey",
]

MAX_SIGNATURES = 100
ED25519_SIGNATURE_TYPE = b"\x01"
SM2_SIGNATURE_TYPE = b"\xff" + b"liuhen/sm2-sm3-v1"
SM2_DEFAULT_USER_ID = b"1234567812345678"

_SIG_PREFIX = "\u2014 "  # em dash, space
_HEX8 = re.compile(r"[0-9A-Fa-f]{8}")


# ---- errors -------------------------------------------------------------------------------------


class NoteError(ValueError):
    """A malformed note or key, no verifiable trusted signature, or a failing trusted signature."""


class MalformedNoteError(NoteError):
    """The note (or key, or text to sign) does not follow the signed-note format."""


class UnverifiedNoteError(NoteError):
    """The note is well formed but no signature from a trusted key is in it."""


class InvalidSignatureError(NoteError):
    """A signature from a trusted key (name and key ID match) does not verify."""

    def __init__(self, name: str, key_id: bytes):
        super().__init__(f"invalid signature for key {name}+{key_id.hex()}")
        self.name = name
        self.key_id = key_id


# ---- helpers ------------------------------------------------------------------------------------


def sm3(data: bytes) -> bytes:
    """SM3 digest (GB/T 32905-2016) through ``cryptography``."""
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def _is_valid_name(name: str) -> bool:
    """signed-note: non-empty, no Unicode spaces, no '+'; also valid UTF-8 and no control chars."""
    if not isinstance(name, str) or name == "" or "+" in name:
        return False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    for ch in name:
        if ch.isspace() or ord(ch) < 0x20 or unicodedata.category(ch) in ("Zs", "Zl", "Zp"):
            return False
    return True


def key_id_for(name: str, typed_public_key: bytes) -> bytes:
    """key ID = SHA-256(name || 0x0A || type || public key)[:4] (signed-note, recommended)."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + typed_public_key).digest()[:4]


def _b64decode(s: str) -> bytes:
    """Standard base64 with padding; no characters outside the alphabet (as Go's StdEncoding)."""
    try:
        return base64.b64decode(s.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError) as e:
        raise MalformedNoteError("bad base64") from e


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _check_text(text: str, what: str) -> bytes:
    """Valid UTF-8, no control characters except newline; returns the UTF-8 bytes."""
    if not isinstance(text, str):
        raise MalformedNoteError(f"{what} must be str")
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise MalformedNoteError(f"{what} is not valid UTF-8") from e
    for ch in text:
        if ord(ch) < 0x20 and ch != "\n":
            raise MalformedNoteError(f"{what} contains control character U+{ord(ch):04X}")
    return raw


# ---- SM2 (GB/T 32918.2) on top of gmssl -------------------------------------------------------


@dataclass(frozen=True)
class SM2Curve:
    """Prime-field curve parameters (lowercase hex, 64 digits each)."""

    p: str
    a: str
    b: str
    gx: str
    gy: str
    n: str

    @property
    def n_int(self) -> int:
        return int(self.n, 16)

    @property
    def p_int(self) -> int:
        return int(self.p, 16)

    def ecc_table(self) -> dict:
        """The parameter table that ``gmssl.sm2.CryptSM2`` takes."""
        return {"n": self.n, "p": self.p, "g": self.gx + self.gy, "a": self.a, "b": self.b}

    def on_curve(self, x: int, y: int) -> bool:
        p = self.p_int
        if not (0 <= x < p and 0 <= y < p):
            return False
        return (y * y - (x * x * x + int(self.a, 16) * x + int(self.b, 16))) % p == 0


SM2P256V1 = SM2Curve(
    p="fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff",
    a="fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc",
    b="28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93",
    gx="32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7",
    gy="bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0",
    n="fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123",
)


def _gm(curve: SM2Curve, private_hex: str | None = None, public_xy: bytes | None = None):
    c = _gmssl_sm2.CryptSM2(private_key=private_hex, public_key="", ecc_table=curve.ecc_table())
    # Assigned after construction: CryptSM2.__init__ does public_key.lstrip("04"), which also
    # strips leading '0'/'4' digits of X itself.
    c.public_key = public_xy.hex() if public_xy is not None else ""
    return c


def sm2_public_key(d: int, curve: SM2Curve = SM2P256V1) -> bytes:
    """X || Y (64 bytes) of d*G."""
    if not 1 <= d <= curve.n_int - 2:
        raise ValueError("SM2 private key out of range [1, n-2]")
    xy = _gm(curve)._kg(d, curve.gx + curve.gy)
    if xy is None:  # pragma: no cover - impossible for d in range
        raise ValueError("SM2 public key is the point at infinity")
    return bytes.fromhex(xy)


def sm2_za(public_xy: bytes, user_id: bytes = SM2_DEFAULT_USER_ID, curve: SM2Curve = SM2P256V1) -> bytes:
    """Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A) (GB/T 32918.2, 5.5)."""
    bits = len(user_id) * 8
    if bits > 0xFFFF:
        raise ValueError("SM2 user ID too long")
    return sm3(
        bits.to_bytes(2, "big") + user_id
        + b"".join(bytes.fromhex(v) for v in (curve.a, curve.b, curve.gx, curve.gy))
        + public_xy
    )


def sm2_sign_digest(d: int, e: bytes, k: int | None = None, curve: SM2Curve = SM2P256V1) -> tuple[int, int]:
    """(r, s) over the 32-byte e = SM3(Z_A || M).  k is drawn with ``secrets`` unless given (tests)."""
    n = curve.n_int
    if not 1 <= d <= n - 2:
        raise ValueError("SM2 private key out of range [1, n-2]")
    c = _gm(curve, private_hex="%064x" % d)
    while True:
        kk = k if k is not None else secrets.randbelow(n - 1) + 1
        sig = c.sign(e, "%064x" % kk)
        if sig is not None:
            return int(sig[:64], 16), int(sig[64:], 16)
        if k is not None:
            raise ValueError("SM2: this k gives r = 0, r + k = n or s = 0")


def sm2_verify_digest(public_xy: bytes, e: bytes, r: int, s: int, curve: SM2Curve = SM2P256V1) -> bool:
    """Verify (r, s) over e (GB/T 32918.2, 7.1), with the range checks gmssl leaves out."""
    n = curve.n_int
    if not (1 <= r < n and 1 <= s < n) or (r + s) % n == 0:
        return False
    if len(public_xy) != 64 or not curve.on_curve(int.from_bytes(public_xy[:32], "big"),
                                                  int.from_bytes(public_xy[32:], "big")):
        return False
    try:
        return bool(_gm(curve, public_xy=public_xy).verify("%064x%064x" % (r, s), e))
    except (TypeError, ValueError):  # gmssl hits the point at infinity: not a valid signature
        return False


# ---- keys ---------------------------------------------------------------------------------------


class Verifier(abc.ABC):
    """Verifies signatures of one key: ``name``, ``key_id`` (4 bytes) and ``verify(msg, sig)``."""

    name: str
    key_id: bytes

    @abc.abstractmethod
    def verify(self, msg: bytes, sig: bytes) -> bool: ...

    def vkey(self) -> str:  # pragma: no cover - overridden by the built-in verifiers
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}+{self.key_id.hex()}>"


class Signer(abc.ABC):
    """Signs with one key: ``name``, ``key_id`` (4 bytes), ``sign(msg)``, ``vkey()``."""

    name: str
    key_id: bytes

    @abc.abstractmethod
    def sign(self, msg: bytes) -> bytes: ...

    @abc.abstractmethod
    def vkey(self) -> str: ...

    def skey(self) -> str:
        """The private signer key string; only the built-in signers have one."""
        raise NotImplementedError(f"{type(self).__name__} has no skey")

    def verifier(self) -> Verifier:
        return verifier_from_vkey(self.vkey())

    def __repr__(self) -> str:  # never shows the private key
        return f"<{type(self).__name__} {self.name}+{self.key_id.hex()}>"


def _format_key(name: str, key_id: bytes, typed_key: bytes) -> str:
    return f"{name}+{key_id.hex()}+{_b64(typed_key)}"


def _check_name(name: str) -> None:
    if not _is_valid_name(name):
        raise MalformedNoteError(f"invalid key name {name!r}")


class Ed25519Verifier(Verifier):
    def __init__(self, name: str, public_key: bytes):
        _check_name(name)
        if len(public_key) != 32:
            raise MalformedNoteError("Ed25519 public key must be 32 bytes")
        self.name = name
        self.public_key = bytes(public_key)
        self.key_id = key_id_for(name, ED25519_SIGNATURE_TYPE + self.public_key)
        self._key = Ed25519PublicKey.from_public_bytes(self.public_key)

    def verify(self, msg: bytes, sig: bytes) -> bool:
        if len(sig) != 64:
            return False
        try:
            self._key.verify(sig, msg)
        except InvalidSignature:
            return False
        return True

    def vkey(self) -> str:
        return _format_key(self.name, self.key_id, ED25519_SIGNATURE_TYPE + self.public_key)


class Ed25519Signer(Signer):
    def __init__(self, name: str, seed: bytes):
        _check_name(name)
        if not isinstance(seed, (bytes, bytearray)) or len(seed) != 32:
            raise MalformedNoteError("Ed25519 seed must be 32 bytes")
        self.name = name
        self.seed = bytes(seed)
        self._key = Ed25519PrivateKey.from_private_bytes(self.seed)
        self.public_key = self._key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.key_id = key_id_for(name, ED25519_SIGNATURE_TYPE + self.public_key)

    @classmethod
    def from_seed(cls, name: str, seed: bytes) -> "Ed25519Signer":
        return cls(name, seed)

    @classmethod
    def generate(cls, name: str) -> "Ed25519Signer":
        return cls(name, secrets.token_bytes(32))

    def sign(self, msg: bytes) -> bytes:
        return self._key.sign(msg)

    def vkey(self) -> str:
        return _format_key(self.name, self.key_id, ED25519_SIGNATURE_TYPE + self.public_key)

    def skey(self) -> str:
        return "PRIVATE+KEY+" + _format_key(self.name, self.key_id, ED25519_SIGNATURE_TYPE + self.seed)


class SM2Verifier(Verifier):
    """SM2 with SM3 over sm2p256v1, default user ID, signature r || s (see module docstring)."""

    def __init__(self, name: str, public_key: bytes):
        """public_key: uncompressed point 0x04 || X || Y (65 bytes) or X || Y (64 bytes)."""
        _check_name(name)
        if len(public_key) == 65 and public_key[0] == 4:
            public_key = public_key[1:]
        if len(public_key) != 64:
            raise MalformedNoteError("SM2 public key must be 0x04 || X || Y")
        x, y = int.from_bytes(public_key[:32], "big"), int.from_bytes(public_key[32:], "big")
        if not SM2P256V1.on_curve(x, y):
            raise MalformedNoteError("SM2 public key is not a point on sm2p256v1")
        self.name = name
        self.public_xy = bytes(public_key)
        self.key_id = key_id_for(name, SM2_SIGNATURE_TYPE + b"\x04" + self.public_xy)
        self._za = sm2_za(self.public_xy)

    def verify(self, msg: bytes, sig: bytes) -> bool:
        if len(sig) != 64:
            return False
        e = sm3(self._za + msg)
        return sm2_verify_digest(self.public_xy, e, int.from_bytes(sig[:32], "big"),
                                 int.from_bytes(sig[32:], "big"))

    def vkey(self) -> str:
        return _format_key(self.name, self.key_id, SM2_SIGNATURE_TYPE + b"\x04" + self.public_xy)


class SM2Signer(Signer):
    """SM2 with SM3 over sm2p256v1, default user ID; random k from ``secrets``."""

    def __init__(self, name: str, private_hex: str):
        _check_name(name)
        if not isinstance(private_hex, str) or not re.fullmatch(r"[0-9A-Fa-f]{1,64}", private_hex):
            raise MalformedNoteError("SM2 private key must be at most 64 hex digits")
        d = int(private_hex, 16)
        if not 1 <= d <= SM2P256V1.n_int - 2:
            raise MalformedNoteError("SM2 private key out of range [1, n-2]")
        self.name = name
        self._d = d
        self.private_hex = "%064x" % d
        self.public_xy = sm2_public_key(d)
        self.key_id = key_id_for(name, SM2_SIGNATURE_TYPE + b"\x04" + self.public_xy)
        self._za = sm2_za(self.public_xy)

    @classmethod
    def from_private_hex(cls, name: str, private_hex: str) -> "SM2Signer":
        return cls(name, private_hex)

    @classmethod
    def generate(cls, name: str) -> "SM2Signer":
        return cls(name, "%064x" % (secrets.randbelow(SM2P256V1.n_int - 2) + 1))

    def sign(self, msg: bytes) -> bytes:
        r, s = sm2_sign_digest(self._d, sm3(self._za + msg))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def vkey(self) -> str:
        return _format_key(self.name, self.key_id, SM2_SIGNATURE_TYPE + b"\x04" + self.public_xy)

    def skey(self) -> str:
        return "PRIVATE+KEY+" + _format_key(self.name, self.key_id,
                                            SM2_SIGNATURE_TYPE + bytes.fromhex(self.private_hex))


def _split_key(s: str) -> tuple[str, bytes, bytes]:
    """name, key ID, decoded key bytes of '<name>+<hex8>+<base64>' (base64 may contain '+')."""
    parts = s.split("+", 2)
    if len(parts) != 3:
        raise MalformedNoteError("key must be <name>+<hex key ID>+<base64 key>")
    name, hex8, b64 = parts
    if not _is_valid_name(name):
        raise MalformedNoteError(f"invalid key name {name!r}")
    if not _HEX8.fullmatch(hex8):
        raise MalformedNoteError("key ID must be 8 hex digits")
    raw = _b64decode(b64)
    if not raw:
        raise MalformedNoteError("empty key")
    return name, bytes.fromhex(hex8), raw


def verifier_from_vkey(vkey: str) -> Verifier:
    """Parse a verifier key: Ed25519 (type 0x01) or Liuhen SM2 (0xff "liuhen/sm2-sm3-v1")."""
    if not isinstance(vkey, str):
        raise MalformedNoteError("vkey must be str")
    name, kid, raw = _split_key(vkey)
    if key_id_for(name, raw) != kid:
        raise MalformedNoteError("vkey key ID does not match SHA-256(name || 0x0A || key)[:4]")
    if raw[:1] == ED25519_SIGNATURE_TYPE:
        if len(raw) != 33:
            raise MalformedNoteError("Ed25519 vkey must be 0x01 || 32-byte public key")
        v: Verifier = Ed25519Verifier(name, raw[1:])
    elif raw.startswith(SM2_SIGNATURE_TYPE):
        rest = raw[len(SM2_SIGNATURE_TYPE):]
        if len(rest) != 65 or rest[0] != 4:
            raise MalformedNoteError("SM2 vkey must end in an uncompressed point 0x04 || X || Y")
        v = SM2Verifier(name, rest)
    else:
        raise MalformedNoteError(f"unknown verifier algorithm 0x{raw[0]:02x}")
    assert v.key_id == kid
    return v


def signer_from_skey(skey: str) -> Signer:
    """Parse Go's 'PRIVATE+KEY+<name>+<hex8>+<base64>' (Ed25519) or its SM2 analogue."""
    if not isinstance(skey, str) or not skey.startswith("PRIVATE+KEY+"):
        raise MalformedNoteError("skey must start with PRIVATE+KEY+")
    name, kid, raw = _split_key(skey[len("PRIVATE+KEY+"):])
    s: Signer
    if raw[:1] == ED25519_SIGNATURE_TYPE:
        if len(raw) != 33:
            raise MalformedNoteError("Ed25519 skey must be 0x01 || 32-byte seed")
        s = Ed25519Signer(name, raw[1:])
    elif raw.startswith(SM2_SIGNATURE_TYPE):
        rest = raw[len(SM2_SIGNATURE_TYPE):]
        if len(rest) != 32:
            raise MalformedNoteError("SM2 skey must end in a 32-byte private scalar")
        s = SM2Signer(name, rest.hex())
    else:
        raise MalformedNoteError(f"unknown signer algorithm 0x{raw[0]:02x}")
    if s.key_id != kid:
        raise MalformedNoteError("skey key ID does not match the derived public key")
    return s


# ---- notes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedNote:
    """An opened note: its text, the names of the verified keys in order of their first signature,
    and (name, key ID) of each distinct signature line from a key that is not trusted."""

    text: str
    verified: list[str]
    unverified: list[tuple[str, bytes]]


@dataclass(frozen=True)
class _SigLine:
    line: str  # without the newline
    name: str
    key_id: bytes
    sig: bytes


def _split_note(note: str | bytes) -> tuple[str, list[_SigLine]]:
    """Check the format and split a note into its text and its signature lines."""
    if isinstance(note, (bytes, bytearray)):
        try:
            note = bytes(note).decode("utf-8")
        except UnicodeDecodeError as e:
            raise MalformedNoteError("note is not valid UTF-8") from e
    _check_text(note, "note")
    split = note.rfind("\n\n")
    if split < 0:
        raise MalformedNoteError("no blank line before the signatures")
    text, block = note[: split + 1], note[split + 2:]
    if block == "" or not block.endswith("\n"):
        raise MalformedNoteError("signature block must be non-empty and end in a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNoteError(f"more than {MAX_SIGNATURES} signatures")
    out = []
    for line in lines:
        if not line.startswith(_SIG_PREFIX):
            raise MalformedNoteError("signature line must start with an em dash and a space")
        name, _, b64 = line[len(_SIG_PREFIX):].partition(" ")
        if not _is_valid_name(name) or b64 == "":
            raise MalformedNoteError("malformed signature line")
        raw = _b64decode(b64)
        if len(raw) < 5:
            raise MalformedNoteError("signature too short")
        out.append(_SigLine(line, name, raw[:4], raw[4:]))
    return text, out


def open_note(note: str | bytes, verifiers: Sequence[Verifier]) -> OpenedNote:
    """Open a signed note: raises NoteError unless at least one trusted signature verifies and no
    signature from a trusted key fails.  ``note`` may be str or the raw UTF-8 bytes."""
    text, lines = _split_note(note)
    msg = text.encode("utf-8")

    by_key: dict[tuple[str, bytes], list[Verifier]] = {}
    for v in verifiers:
        group = by_key.setdefault((v.name, bytes(v.key_id)), [])
        if not any(v is w or _same_key(v, w) for w in group):
            group.append(v)

    verified: list[str] = []
    unverified: list[tuple[str, bytes]] = []
    seen_keys: set[tuple[str, bytes]] = set()
    seen_lines: set[str] = set()
    for sl in lines:
        group = by_key.get((sl.name, sl.key_id))
        if not group:
            if sl.line not in seen_lines:
                seen_lines.add(sl.line)
                unverified.append((sl.name, sl.key_id))
            continue
        if len(group) > 1:
            raise NoteError(f"ambiguous key {sl.name}+{sl.key_id.hex()}: several trusted keys share it")
        if sl.line not in seen_lines:  # an identical line has the identical outcome
            seen_lines.add(sl.line)
            if not group[0].verify(msg, sl.sig):
                raise InvalidSignatureError(sl.name, sl.key_id)
        if (sl.name, sl.key_id) not in seen_keys:
            seen_keys.add((sl.name, sl.key_id))
            verified.append(sl.name)
    if not verified:
        raise UnverifiedNoteError("note has no verifiable signatures")
    return OpenedNote(text=text, verified=verified, unverified=unverified)


def signers_of(note: str | bytes, verifiers: Sequence[Verifier]) -> list[Verifier]:
    """The trusted verifiers whose signature lines a note carries, in the order of the lines (call
    it on a note that ``open_note`` opened: each of them then verified). Which key signed a note
    matters when keys change: a log's checkpoint must be signed by a key the log announced."""
    _, lines = _split_note(note)
    by_key = {(v.name, bytes(v.key_id)): v for v in verifiers}
    out: list[Verifier] = []
    for sl in lines:
        v = by_key.get((sl.name, sl.key_id))
        if v is not None and v not in out:
            out.append(v)
    return out


def _same_key(a: Verifier, b: Verifier) -> bool:
    try:
        return a.vkey() == b.vkey()
    except NotImplementedError:
        return False


def sign_note(text: str | None, signers: Sequence[Signer], existing_note: str | bytes | None = None) -> str:
    """Sign ``text`` with each signer, in order, and return the note.

    ``text`` must end in a newline, be valid UTF-8 and contain no control character other than
    newline.  With ``existing_note``, its signature lines are kept (before the new ones, as Go's
    ``note.Sign`` does), except a line from the same (name, key ID) as a new signer, which is
    replaced; identical repeated lines are written once.  ``text`` may then be None; if given it
    must equal the existing note's text.  The existing signatures are copied, not verified: open
    the note first if that matters.
    """
    kept: list[str] = []
    if existing_note is not None:
        old_text, old_lines = _split_note(existing_note)
        if text is not None and text != old_text:
            raise MalformedNoteError("text differs from the text of the existing note")
        text = old_text
    elif text is None:
        raise MalformedNoteError("text is required")
    msg = _check_text(text, "text")
    if not text.endswith("\n"):
        raise MalformedNoteError("text must end in a newline")

    new_keys: set[tuple[str, bytes]] = set()
    for s in signers:
        _check_name(s.name)
        key = (s.name, bytes(s.key_id))
        if len(key[1]) != 4:
            raise MalformedNoteError("signer key ID must be 4 bytes")
        if key in new_keys:
            raise MalformedNoteError(f"two signers share the key {s.name}+{key[1].hex()}")
        new_keys.add(key)
    if existing_note is not None:
        seen: set[str] = set()
        for sl in old_lines:
            if (sl.name, sl.key_id) in new_keys or sl.line in seen:
                continue
            seen.add(sl.line)
            kept.append(sl.line)
    if not kept and not new_keys:
        raise MalformedNoteError("a note needs at least one signature")
    if len(kept) + len(new_keys) > MAX_SIGNATURES:
        raise MalformedNoteError(f"more than {MAX_SIGNATURES} signatures")

    out = [text, "\n"]
    for line in kept:
        out.append(line + "\n")
    for s in signers:
        sig = s.sign(msg)
        if not sig:
            raise NoteError(f"signer {s.name} returned an empty signature")
        out.append(f"{_SIG_PREFIX}{s.name} {_b64(bytes(s.key_id) + sig)}\n")
    return "".join(out)
