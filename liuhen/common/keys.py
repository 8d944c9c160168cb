"""Key material kept under LIUHEN_HOME/keys, created on first start (mode 0600)."""
import os
import secrets
from pathlib import Path


def key_path(home: Path, name: str) -> Path:
    return Path(home) / "keys" / name


def load_or_create_bytes(home: Path, name: str, size: int = 32) -> bytes:
    """Return the key `name`, creating it atomically if it does not exist yet.

    Several processes may start at once (server, tests, CLI): O_EXCL makes exactly one win,
    the others read what it wrote.
    """
    path = key_path(home, name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_bytes(size))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    data = path.read_bytes()
    if len(data) != size:
        raise RuntimeError(f"key file {path} has {len(data)} bytes, expected {size}")
    return data


def load_or_create_secret(home: Path, name: str) -> str:
    return load_or_create_bytes(home, name, 50).hex()
