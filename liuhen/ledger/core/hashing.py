"""RFC 6962 / RFC 9162 §2.1.1 Merkle tree hashing, SHA-256 by default or SM3 by configuration."""
from cryptography.hazmat.primitives import hashes

_ALGOS = {"sha256": hashes.SHA256, "sm3": hashes.SM3}


def _digest(algo: str, data: bytes) -> bytes:
    h = hashes.Hash(_ALGOS[algo]())
    h.update(data)
    return h.finalize()


def leaf_hash(data: bytes, algo: str = "sha256") -> bytes:
    """MTH({d}) = HASH(0x00 || d)."""
    return _digest(algo, b"\x00" + data)


def node_hash(left: bytes, right: bytes, algo: str = "sha256") -> bytes:
    """MTH(D[n]) = HASH(0x01 || MTH(left) || MTH(right))."""
    return _digest(algo, b"\x01" + left + right)
