"""The log's signing key and its public verifier key, kept under LIUHEN_HOME/keys.

Ed25519 by default; SM2 (GB/T 32918, via gmssl) with LIUHEN_LEDGER_SIGNATURE=sm2. Created on first
use. The verifier key (vkey) is also written to LIUHEN_HOME/checkpoints/log.vkey for witnesses.
"""
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from liuhen.common.keys import load_or_create_bytes

from .core import note


def origin() -> str:
    return getattr(settings, "LIUHEN_LOG_ORIGIN", "liuhen.local/ledger")


def checkpoint_dir() -> Path:
    path = Path(settings.LIUHEN_HOME) / "checkpoints"
    path.mkdir(parents=True, exist_ok=True)
    return path


@lru_cache(maxsize=None)
def _signer(home: str, kind: str, name: str) -> note.Signer:
    if kind == "ed25519":
        return note.Ed25519Signer.from_seed(name, load_or_create_bytes(Path(home), "ledger-ed25519.seed", 32))
    if kind == "sm2":
        # An SM2 private key is a scalar below the curve order: 32 random bytes are below it with
        # overwhelming probability (n ≈ 2^256 − 2^224); SM2Signer.from_private_hex refuses one that is not.
        scalar = load_or_create_bytes(Path(home), "ledger-sm2.key", 32)
        return note.SM2Signer.from_private_hex(name, scalar.hex())
    raise ValueError(f"LIUHEN_LEDGER_SIGNATURE must be ed25519 or sm2, not {kind!r}")


def signer() -> note.Signer:
    s = _signer(str(settings.LIUHEN_HOME), getattr(settings, "LIUHEN_LEDGER_SIGNATURE", "ed25519"), origin())
    vkey_file = checkpoint_dir() / "log.vkey"
    if not vkey_file.exists() or vkey_file.read_text().strip() != s.vkey():
        vkey_file.write_text(s.vkey() + "\n")
    # Every key the log has ever signed with (a switch to SM2, a new key): old checkpoints stay
    # verifiable. One verifier key per line, oldest first.
    ring = checkpoint_dir() / "log.vkeys"
    known = ring.read_text().split() if ring.exists() else []
    if s.vkey() not in known:
        with open(ring, "a") as out:
            out.write(s.vkey() + "\n")
    return s


def vkeys() -> list[str]:
    """The log's verifier keys, oldest first (the current one last)."""
    current = signer().vkey()
    ring = checkpoint_dir() / "log.vkeys"
    keys = [k for k in (ring.read_text().split() if ring.exists() else []) if k != current]
    return keys + [current]


def verifier() -> note.Verifier:
    return note.verifier_from_vkey(signer().vkey())


def verifiers() -> list[note.Verifier]:
    return [note.verifier_from_vkey(k) for k in vkeys()]
