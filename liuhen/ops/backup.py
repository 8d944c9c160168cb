"""备份与恢复 — a whole instance in one directory, and back into an empty instance.

A backup directory holds:

    manifest.json        what it is: format, time, the database's kind, the log's size and root at
                         the backup (its latest signed checkpoint), the SHA-256 of every file below
                         but the blobs (which are named by theirs)
    database.pgdump      PostgreSQL: pg_dump --format=custom, from the snapshot the blob list is read in
    database.sqlite3     SQLite: a copy made with SQLite's online backup API (writers go on meanwhile)
    blobs/ab/cd/<sha256> every stored file the database names, from whatever store (local disk, S3)
    blobs.sha256         their list (`sha256sum -c` reads it)
    keys/                LIUHEN_HOME/keys: field encryption, blind index, ledger signing key, Django secret
    checkpoints/         the published checkpoint and the log's verifier keys

`restore` checks every hash before it writes anything, and writes only into an empty instance (no
table in the database, no key but a fresh Django secret, no published checkpoint, no stored file).
A restored backup is the log as it was: a witness that saw a later checkpoint reports the rollback.
"""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from liuhen.ledger.models import Checkpoint
from liuhen.media import store
from liuhen.media.models import Blob

FORMAT = "liuhen-backup/1"
MANIFEST = "manifest.json"
BLOB_LIST = "blobs.sha256"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# Files a fresh instance makes by itself before anything is written: not "data" (settings.py makes
# the Django secret at import; the checkpoint directory's lock file is made by the first publish).
FRESH_KEYS = {"django-secret"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused, with its Chinese reason; `returncode` for the command's exit."""

    def __init__(self, message: str, returncode: int = 1):
        super().__init__(message)
        self.returncode = returncode


# ---- backup -------------------------------------------------------------------------------------

def backup(target, say=lambda line: None) -> dict:
    """Write a backup of this instance into the new or empty directory `target`; its manifest."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"备份目录 {target} 已存在且不是空目录：请指定一个新目录。", 2)
    target.mkdir(parents=True, exist_ok=True)
    vendor = _vendor()
    database = target / DATABASE_FILES[vendor]
    shas, head = (_dump_postgres if vendor == "postgresql" else _dump_sqlite)(database)
    say(f"数据库：{database.name}（日志规模 {head['size'] if head else 0}）")
    missing = _copy_blobs(shas, target)
    say(f"存储文件：{len(shas) - len(missing)} 个" + (f"，{len(missing)} 个已不在存储中" if missing else ""))
    home = Path(settings.LIUHEN_HOME)
    _copy_files(home / "keys", target / "keys")
    _copy_files(home / "checkpoints", target / "checkpoints")
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "database": vendor,
        "storage": store.backend().name,
        "log": head,
        "blobs": len(shas) - len(missing),
        "blobs_missing": missing,
        "files": _hash_files(target),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def _vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"不支持的数据库：{connection.vendor}（只支持 PostgreSQL 与 SQLite）。")
    return connection.vendor


def _head() -> dict | None:
    latest = Checkpoint.objects.order_by("-id").values("size", "root_hash").first()
    return {"size": latest["size"], "root": latest["root_hash"]} if latest else None


def _dump_postgres(out: Path) -> tuple[list[str], dict | None]:
    """pg_dump from a snapshot this transaction exported: the blob list and the log's head are read
    from exactly the state the dump holds."""
    connection.ensure_connection()
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
        shas = list(Blob.objects.order_by("sha256").values_list("sha256", flat=True))
        head = _head()
        _run(_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             f"--file={out}", _pg_database())
    return shas, head


def _dump_sqlite(out: Path) -> tuple[list[str], dict | None]:
    """SQLite's online backup API (page by page, writers are not stopped); then the blob list and the
    log's head are read from the copy itself."""
    source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
    copy = sqlite3.connect(str(out))
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        shas = [row[0] for row in copy.execute("SELECT sha256 FROM media_blob ORDER BY sha256")]
        row = copy.execute("SELECT size, root_hash FROM ledger_checkpoint ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        copy.close()
        source.close()
    return shas, ({"size": row[0], "root": row[1]} if row else None)


def _copy_blobs(shas: list[str], target: Path) -> list[str]:
    """Copy each stored file out of the store, hashing it on the way; the SHA-256 list is of the
    bytes copied. Returns the files the store no longer has (purged, or lost: verify names them)."""
    missing, listed = [], []
    for sha in shas:
        relative = f"blobs/{sha[:2]}/{sha[2:4]}/{sha}"
        dest = target / relative
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            source = store.open_blob(sha)
        except FileNotFoundError:
            missing.append(sha)
            continue
        digest = hashlib.sha256()
        with source, open(dest, "wb") as out:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
        listed.append(f"{digest.hexdigest()}  {relative}\n")
    (target / BLOB_LIST).write_text("".join(listed), encoding="ascii")
    return missing


def _copy_files(source: Path, dest: Path) -> None:
    """The regular files of a directory (not its lock or temporary files), modes kept (keys: 0600)."""
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not source.is_dir():
        return
    for path in sorted(source.iterdir()):
        if path.is_file() and not path.name.startswith(".") and ".tmp" not in path.name:
            shutil.copy2(path, dest / path.name)


def _hash_files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): _sha256(p) for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != MANIFEST and p.relative_to(root).parts[0] != "blobs"}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---- restore ------------------------------------------------------------------------------------

def restore(source, say=lambda line: None) -> dict:
    """Restore the backup in `source` into this (empty) instance; its manifest."""
    source = Path(source)
    manifest = _read_manifest(source)
    blobs = _checked(source, manifest)
    vendor = _vendor()
    if manifest["database"] != vendor:
        raise BackupError(f"备份来自 {manifest['database']} 数据库，本实例使用 {vendor}：不能跨数据库恢复。", 2)
    problems = not_empty()
    if problems:
        raise BackupError("拒绝恢复：目标实例不是空的（" + "；".join(problems) + "）。"
                          "请在全新的数据库与 LIUHEN_HOME 上恢复。", 2)
    database = source / DATABASE_FILES[vendor]
    (_restore_postgres if vendor == "postgresql" else _restore_sqlite)(database)
    say(f"数据库：已恢复（日志规模 {manifest['log']['size'] if manifest['log'] else 0}）")
    home = Path(settings.LIUHEN_HOME)
    for name in ("keys", "checkpoints"):
        _copy_files(source / name, home / name)
    for relative in blobs:
        with open(source / relative, "rb") as f:
            store.put(f, max_bytes=max(os.fstat(f.fileno()).st_size, 1))
    say(f"存储文件：已恢复 {len(blobs)} 个")
    return manifest


def _read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} 不是留痕备份：无法读取 {MANIFEST}（{exc}）。", 2) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} 不是本版本的留痕备份（格式应为 {FORMAT}）。", 2)
    return manifest


def _checked(source: Path, manifest: dict) -> list[str]:
    """Every file the manifest names hashes to its SHA-256, every blob to its name and its line in
    the list, and nothing is there besides: the blob paths to restore. Nothing is written before."""
    bad = []
    files = manifest.get("files") or {}
    for relative, sha in files.items():
        path = source / relative
        if ".." in Path(relative).parts or not path.is_file() or _sha256(path) != sha:
            bad.append(relative)
    if DATABASE_FILES.get(manifest.get("database")) not in files or BLOB_LIST not in files:
        bad.append(MANIFEST)
    listed = []
    if BLOB_LIST in files and BLOB_LIST not in bad:
        for line in (source / BLOB_LIST).read_text(encoding="ascii").splitlines():
            sha, _, relative = line.partition("  ")
            path = source / relative
            if relative != f"blobs/{sha[:2]}/{sha[2:4]}/{sha}" or not path.is_file() or _sha256(path) != sha:
                bad.append(relative or line)
            listed.append(relative)
    extra = {str(p.relative_to(source)) for p in source.rglob("*") if p.is_file()} - set(files) - set(listed) - {MANIFEST}
    bad += sorted(extra)
    if bad:
        raise BackupError(f"备份已损坏或被改动：{len(bad)} 个文件与清单不符（{'、'.join(bad[:5])}）。未恢复任何内容。")
    return listed


def not_empty() -> list[str]:
    """What this instance already holds (empty list: nothing, a restore may write)."""
    problems = []
    tables = connection.introspection.table_names()
    if tables:
        problems.append(f"数据库已有 {len(tables)} 张表")
    home = Path(settings.LIUHEN_HOME)
    keys = [p.name for p in (home / "keys").glob("*") if p.name not in FRESH_KEYS]
    if keys:
        problems.append(f"{home / 'keys'} 已有密钥")
    if any(p.is_file() and not p.name.startswith(".") for p in (home / "checkpoints").glob("*")):
        problems.append(f"{home / 'checkpoints'} 已有检查点")
    if _store_has_files():
        problems.append("文件存储中已有文件")
    return problems


def _store_has_files() -> bool:
    backend = store.backend()
    if backend.name == "s3":
        listing = backend.client.list_objects_v2(Bucket=backend.bucket, Prefix=backend.prefix + "blobs/", MaxKeys=1)
        return bool(listing.get("KeyCount"))
    root = Path(backend.root)
    return any(p.is_file() for p in root.rglob("*") if "tmp" not in p.relative_to(root).parts[:1])


def _restore_sqlite(database: Path) -> None:
    connection.close()
    name = str(settings.DATABASES["default"]["NAME"])
    source, dest = sqlite3.connect(str(database)), sqlite3.connect(name)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=WAL")  # as settings.py runs it
    finally:
        dest.close()
        source.close()


def _restore_postgres(database: Path) -> None:
    connection.close()
    _run(_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={_pg_database()}", str(database))


# ---- PostgreSQL's tools -------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    """The newest installed client (Debian: /usr/lib/postgresql/<major>/bin): pg_dump must be at least
    the server's version; else the one on PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                   key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if found:
        return str(found[-1])
    path = shutil.which(name)
    if not path:
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端（Debian：postgresql-client）。")
    return path


def _pg_database() -> str:
    return settings.DATABASES["default"]["NAME"]


def _pg_env() -> dict:
    """The connection as libpq's environment (no password on a command line)."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def _run(*args: str) -> None:
    done = subprocess.run(list(args), env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} 失败（退出码 {done.returncode}）：{done.stderr.strip()[-2000:]}")
