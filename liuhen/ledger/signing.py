"""The log's signing key and its public verifier key, kept under LIUHEN_HOME/keys.

Ed25519 by default; SM2 (GB/T 32918, via gmssl) with LIUHEN_LEDGER_SIGNATURE=sm2. The key file is
created on first use; but a key signs checkpoints only once the log has announced it (签名密钥公告):
a `ledger.key_announce` event naming its verifier key (and the key it replaces), recorded as the
log's current key (models.LogIdentity). The first key of a new log is announced automatically at
its first integration; any later one — a new key, a switch to SM2, a key file that changed under
the server — only by `liuhen rotate_ledger_key`. The integrator refuses to sign with any other
(KeyNotAnnouncedError), and `liuhen verify` reports a checkpoint signed by a key no announcement
introduced (ledger.E016).

The verifier key (vkey) is also written to LIUHEN_HOME/checkpoints/log.vkey for witnesses, and
every key ever loaded to checkpoints/log.vkeys, so old checkpoints stay verifiable after a rotation.
"""
import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from liuhen.common.keys import key_path, load_or_create_bytes

from .core import note
from .identity import LedgerConfigError, configured_origin

KEY_FILES = {"ed25519": "ledger-ed25519.seed", "sm2": "ledger-sm2.key"}


class KeyNotAnnouncedError(LedgerConfigError):
    """The configured signing key is not the key the log announced."""


def origin() -> str:
    return configured_origin()


def signature_kind() -> str:
    kind = getattr(settings, "LIUHEN_LEDGER_SIGNATURE", "ed25519")
    if kind not in KEY_FILES:
        raise ValueError(f"LIUHEN_LEDGER_SIGNATURE must be ed25519 or sm2, not {kind!r}")
    return kind


def kind_of(s: note.Signer | note.Verifier) -> str:
    return "sm2" if isinstance(s, (note.SM2Signer, note.SM2Verifier)) else "ed25519"


def checkpoint_dir() -> Path:
    path = Path(settings.LIUHEN_HOME) / "checkpoints"
    path.mkdir(parents=True, exist_ok=True)
    return path


@lru_cache(maxsize=None)
def _signer(home: str, kind: str, name: str) -> note.Signer:
    if kind == "ed25519":
        return note.Ed25519Signer.from_seed(name, load_or_create_bytes(Path(home), KEY_FILES[kind], 32))
    if kind == "sm2":
        # An SM2 private key is a scalar below the curve order: 32 random bytes are below it with
        # overwhelming probability (n ≈ 2^256 − 2^224); SM2Signer.from_private_hex refuses one that is not.
        scalar = load_or_create_bytes(Path(home), KEY_FILES[kind], 32)
        return note.SM2Signer.from_private_hex(name, scalar.hex())
    raise ValueError(f"LIUHEN_LEDGER_SIGNATURE must be ed25519 or sm2, not {kind!r}")


def signer(reload: bool = False) -> note.Signer:
    """The configured signing key (created on first use). `reload`: read the key file again (after
    another process rotated it)."""
    if reload:
        _signer.cache_clear()
    s = _signer(str(settings.LIUHEN_HOME), signature_kind(), origin())
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


# ---- announcement and rotation ------------------------------------------------------------------

def announce(identity, s: note.Signer, *, actor=None, reason: str):
    """Append the event that introduces `s` as the log's signing key and record it as current.
    Inside the caller's transaction, under the log's lock (storage._state_for_update)."""
    from . import services
    from . import vocabulary as vocab

    previous = identity.vkey
    entry = services.append(vocab.KEY_ANNOUNCE, actor=actor, object_type=vocab.KEY_OBJECT_TYPE,
                            object_id=s.key_id.hex(),
                            detail={"vkey": s.vkey(), "algorithm": kind_of(s), "previous": previous,
                                    "reason": reason})
    identity.vkey, identity.signature_algo, identity.key_entry_id = s.vkey(), kind_of(s), entry.pk
    identity.save(update_fields=["vkey", "signature_algo", "key_entry_id", "updated_at"])
    return entry


def not_announced_message(s: note.Signer, announced_vkey: str) -> str:
    current = note.verifier_from_vkey(announced_vkey) if announced_vkey else None
    now = f"{kind_of(current)} 密钥 {current.key_id.hex()}" if current else "（尚无）"
    return (f"拒绝签名：本进程的签名密钥（{kind_of(s)}，密钥 ID {s.key_id.hex()}）未经日志公告；"
            f"日志当前公告的密钥为 {now}。更换签名密钥（包括改用 SM2）只能通过 "
            f"`liuhen rotate_ledger_key`，它把新密钥作为一个日志事件公告。"
            f"(signing key {s.key_id.hex()} was never announced in the log: run `liuhen rotate_ledger_key`)")


@contextmanager
def fresh_key_file(kind: str):
    """Move the key file of `kind` aside (retire_key_file) for the block, which announces the fresh
    key in a transaction; if the block fails, undo it all: the fresh key (never announced, so it
    signed nothing) is removed, the old file is back in place, and log.vkey and log.vkeys are as
    they were — no unannounced key stays in place or in the key ring. Yields the retired path."""
    ring = [checkpoint_dir() / "log.vkey", checkpoint_dir() / "log.vkeys"]
    saved = {path: path.read_bytes() if path.exists() else None for path in ring}
    path = key_path(Path(settings.LIUHEN_HOME), KEY_FILES[kind])
    retired = retire_key_file(kind)
    try:
        yield retired
    except BaseException:
        path.unlink(missing_ok=True)
        if retired is not None:
            os.replace(retired, path)
        for ring_file, content in saved.items():
            if content is None:
                ring_file.unlink(missing_ok=True)
            else:
                ring_file.write_bytes(content)
        _signer.cache_clear()
        raise


def retire_key_file(kind: str) -> Path | None:
    """Move the current key file of `kind` aside (kept, never deleted: <file>.<key id>.retired), so
    that the next use creates a fresh key."""
    path = key_path(Path(settings.LIUHEN_HOME), KEY_FILES[kind])
    if not path.exists():
        return None
    old = signer() if kind == signature_kind() else None
    target = path.with_name(f"{path.name}.{old.key_id.hex() if old else 'old'}.retired")
    path.rename(target)
    _signer.cache_clear()
    return target
