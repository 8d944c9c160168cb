"""Field encryption and blind indexes for personal information (SPEC §9).

个人信息保护法 and 等保 2.0 ask that sensitive personal information (ID numbers, phone numbers,
addresses of natural persons) be encrypted at rest, masked in lists and still searchable. We
encrypt each value with an AEAD cipher under a data key, and keep beside it a keyed hash (blind
index) of its normalised form, so an exact-match search needs no decryption.

Suite by configuration (LIUHEN_CRYPTO):
- "intl": AES-256-GCM
- "gm":   SM4-GCM (GB/T 39786 密码应用)
The blind index is HMAC-SHA256 or HMAC-SM3 by its own setting (LIUHEN_BLIND_INDEX), chosen once
per database.

Ciphertext format (text, so it fits any database): "<suite>:<base64(nonce|ciphertext|tag)>".
The suite prefix lets a deployment switch suites without losing older values.
"""
import base64
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from .keys import load_or_create_bytes

SUITES = ("intl", "gm")


class DecryptionError(Exception):
    pass


@lru_cache(maxsize=None)
def _keys(home: str) -> dict:
    from pathlib import Path

    return {
        "intl": load_or_create_bytes(Path(home), "field-aes256.key", 32),
        "gm": load_or_create_bytes(Path(home), "field-sm4.key", 16),
        "index": load_or_create_bytes(Path(home), "blind-index.key", 32),
    }


def _current_suite() -> str:
    suite = getattr(settings, "LIUHEN_CRYPTO", "intl")
    if suite not in SUITES:
        raise ValueError(f"LIUHEN_CRYPTO must be one of {SUITES}, not {suite!r}")
    return suite


def encrypt(plaintext: str, suite: str | None = None) -> str:
    suite = suite or _current_suite()
    key = _keys(str(settings.LIUHEN_HOME))[suite]
    nonce = os.urandom(12)
    data = plaintext.encode("utf-8")
    if suite == "intl":
        sealed = AESGCM(key).encrypt(nonce, data, None)
    else:
        enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
        sealed = enc.update(data) + enc.finalize() + enc.tag
    return f"{suite}:" + base64.b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str) -> str:
    try:
        suite, b64 = token.split(":", 1)
        raw = base64.b64decode(b64)
        nonce, sealed = raw[:12], raw[12:]
        key = _keys(str(settings.LIUHEN_HOME))[suite]
        if suite == "intl":
            data = AESGCM(key).decrypt(nonce, sealed, None)
        elif suite == "gm":
            dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, sealed[-16:])).decryptor()
            data = dec.update(sealed[:-16]) + dec.finalize()
        else:
            raise DecryptionError(f"unknown suite {suite!r}")
    except DecryptionError:
        raise
    except Exception as exc:  # InvalidTag, bad base64, missing key…
        raise DecryptionError("cannot decrypt field value") from exc
    return data.decode("utf-8")


def normalise(value: str) -> str:
    """What the blind index hashes: no spaces, upper case (ID numbers end in X or x)."""
    return "".join(value.split()).upper()


def blind_index(value: str) -> str:
    # The index algorithm is its own setting, fixed for the life of a database: switching the
    # encryption suite must not make existing values unsearchable.
    name = getattr(settings, "LIUHEN_BLIND_INDEX", "hmac-sha256")
    if name not in ("hmac-sha256", "hmac-sm3"):
        raise ValueError(f"LIUHEN_BLIND_INDEX must be hmac-sha256 or hmac-sm3, not {name!r}")
    algo = hashes.SHA256() if name == "hmac-sha256" else hashes.SM3()
    h = hmac.HMAC(_keys(str(settings.LIUHEN_HOME))["index"], algo)
    h.update(normalise(value).encode("utf-8"))
    return h.finalize().hex()


def mask(value: str, keep_start: int = 3, keep_end: int = 4) -> str:
    """110105********1234 — for lists and anyone without the clearance to see the whole."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[:1] + "*" * (len(value) - 1)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]
