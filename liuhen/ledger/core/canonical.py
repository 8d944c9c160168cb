"""The canonical serialisation of a ledger event: the exact bytes that become a Merkle leaf.

JSON with keys sorted, no insignificant white space, UTF-8 without escaping (so the Chinese text
stays readable in an exported bundle). The same dict always gives the same bytes.
"""
import hashlib
import json


def canonical_bytes(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_sha256(obj) -> str:
    """SHA-256 of an object's canonical form: what an event says about the content it covers."""
    return hashlib.sha256(canonical_bytes(obj)).hexdigest()
