"""RFC 6962 / RFC 9162 §2.1.1 Merkle tree hashing, SHA-256 by default or SM3 by configuration.

The hot paths (append, integrate, verify of 10^6 leaves) hash millions of times: hashlib costs
about 0.4 µs a call against 2.4 µs for `cryptography`'s Hash object, so hashlib is used wherever
it gives the same bytes (SHA-256 always; SM3 when this OpenSSL has it), `cryptography` otherwise.
"""
import hashlib
from collections.abc import Callable
from functools import lru_cache

from cryptography.hazmat.primitives import hashes

_ALGOS = {"sha256": hashes.SHA256, "sm3": hashes.SM3}


def _cryptography_digest(algo: str, data: bytes) -> bytes:
    h = hashes.Hash(_ALGOS[algo]())
    h.update(data)
    return h.finalize()


@lru_cache(maxsize=None)
def digest_function(algo: str) -> Callable[[bytes], bytes]:
    """data -> digest for `algo`; KeyError for an unknown algorithm."""
    _ALGOS[algo]  # validates
    if algo == "sha256":
        sha256 = hashlib.sha256
        return lambda data: sha256(data).digest()
    if algo in hashlib.algorithms_available:
        try:
            if hashlib.new(algo, b"abc").digest() == _cryptography_digest(algo, b"abc"):
                new = hashlib.new
                return lambda data: new(algo, data).digest()
        except ValueError:  # an OpenSSL that lists it but cannot do it
            pass
    return lambda data: _cryptography_digest(algo, data)


def _digest(algo: str, data: bytes) -> bytes:
    return digest_function(algo)(data)


def leaf_hash(data: bytes, algo: str = "sha256") -> bytes:
    """MTH({d}) = HASH(0x00 || d)."""
    return digest_function(algo)(b"\x00" + data)


def node_hash(left: bytes, right: bytes, algo: str = "sha256") -> bytes:
    """MTH(D[n]) = HASH(0x01 || MTH(left) || MTH(right))."""
    return digest_function(algo)(b"\x01" + left + right)
