"""The offline checker of an evidence copy package (证据复制包): no server, no Django, no database.

    python -m liuhen.ledger.core.package PACKAGE_DIR --vkey FILE

A package (written by the copies app for a 检察院 or 法院, LW-D 13) holds:
    manifest.json          format "liuhen-copy/1": the case, the request and its approval, who made
                           the package, the checkpoint, and per file its SHA-256, size, original
                           name, device, officer, recorded time, the footage row's logged state and
                           the leaf indexes of its entries; the SHA-256 of every other file below
    files/<sha256>-<name>  the footage files, byte for byte as stored
    entries.jsonl          the ledger entries that concern them, one a line:
                           {"seq": leaf index, "leaf": base64 of the canonical JSON event,
                            "proof": [hex hashes of its RFC 9162 inclusion proof]}
    checkpoint.note        the one signed checkpoint (C2SP signed note) every proof is against
    log.vkey               the log's verifier keys (a convenience: check with the key you were
                           given independently, --vkey)

It checks: the checkpoint's signature with the key passed (--vkey, required: a package's own key
proves nothing), its origin and that the manifest names the same tree; each entry's inclusion proof
against the checkpoint's root; that each file hashes to its manifest SHA-256 and size; that each
file's SHA-256 is the one its `footage.add` event's leaf carries, that the footage row's state in
the manifest is the one the log recorded (so its name, size, device, officer and recorded time are
the logged ones), that a `footage.link` event links it to the case, and that the copy request's
and the approval's events name these files and this request, and that the request and the approval
as the manifest tells them (receiver, purpose, 案号, the case number, who asked, who approved, the
opinion) are their logged states. It uses the ledger core's own tree,
hashing and signed-note code (the same as `liuhen verify` and the bundle checker).

Each check is printed on one line: OK or FAIL, an English code, and the Chinese text. Exit status
0 when every check passes, 1 when any fails, 2 when the input cannot be read at all.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from . import checkpoint as cp
from . import entries as entry_lines
from . import note as notes
from .canonical import content_sha256

FORMAT = "liuhen-copy/1"
MANIFEST = "manifest.json"
ENTRIES = "entries.jsonl"
CHECKPOINT = "checkpoint.note"
VKEY = "log.vkey"
FILES = "files"
# The package's own files besides the footage, each named with its SHA-256 in the manifest.
PACKAGE_FILES = (ENTRIES, CHECKPOINT, VKEY)

# The actions whose events the package carries (footage/vocabulary.py, copies/vocabulary.py).
FOOTAGE_ADD = "footage.add"
FOOTAGE_LINK = "footage.link"
COPY_REQUEST = "copies.request"
COPY_APPROVE = "copies.approve"
COPY_STATE_BASELINE = "copies.state_baseline"

CHUNK = 1024 * 1024
# What a desktop writes into a folder it opens (Finder, Explorer): not something a forger adds.
OS_LITTER = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass
class Check:
    ok: bool
    code: str  # English, stable: what tests and scripts match on
    message: str  # Chinese, for the person checking

    def line(self) -> str:
        return f"{'OK  ' if self.ok else 'FAIL'} {self.code}: {self.message}"


def file_sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            n += len(chunk)
    return h.hexdigest(), n


class _Checks(list):
    def ok(self, code: str, message: str) -> None:
        self.append(Check(True, code, message))

    def fail(self, code: str, message: str) -> None:
        self.append(Check(False, code, message))

    def check(self, good: bool, code: str, ok: str, bad: str) -> bool:
        self.append(Check(bool(good), code, ok if good else bad))
        return bool(good)


def verify_package(path: Path, vkey: str) -> list[Check]:
    """Every check of the package at `path` with the verifier key(s) `vkey` (one per line)."""
    path = Path(path)
    out = _Checks()
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        out.fail("manifest.format", f"manifest.json 不是证据复制包的清单（应为 {FORMAT}）")
        return out
    algo = manifest.get("hash", "sha256")
    verifiers = [notes.verifier_from_vkey(line) for line in vkey.split() if line]
    if not verifiers:
        raise ValueError("--vkey 文件中没有公钥")

    # The package's own files are those the manifest names (its SHA-256 binds them all).
    for name in PACKAGE_FILES:
        want = (manifest.get("package_files") or {}).get(name)
        try:
            got, _ = file_sha256(path / name)
        except OSError:
            out.fail("package.file", f"{name}：缺失或无法读取")
            continue
        out.check(got == want, "package.file", f"{name}：SHA-256 与清单一致",
                  f"{name}：SHA-256 为 {got}，清单记载为 {want}（文件被改动）")

    # The checkpoint: signed by the key passed, of this log, the tree the manifest names.
    body = None
    try:
        body, _ = cp.open_checkpoint((path / CHECKPOINT).read_text(encoding="utf-8"), verifiers)
    except (OSError, ValueError) as exc:
        out.fail("checkpoint.signature", f"检查点签名无法用所给公钥验证（{exc}）")
    else:
        out.ok("checkpoint.signature", f"检查点签名有效（日志 {body.origin}，大小 {body.size}）")
        out.check(body.origin == manifest.get("origin"), "checkpoint.origin", "检查点属于清单所称的日志",
                  f"检查点的日志名 {body.origin!r} 与清单的 {manifest.get('origin')!r} 不符")
        named = manifest.get("checkpoint") or {}
        out.check(named.get("size") == body.size and named.get("root") == body.root_hash.hex(),
                  "checkpoint.manifest", "清单记载的树大小和根哈希与检查点一致",
                  "清单记载的树大小或根哈希与检查点不符")

    # Each entry: a canonical event, included in the signed tree.
    events: dict[int, dict] = {}
    try:
        lines = (path / ENTRIES).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
        out.fail("entry.proof", f"{ENTRIES}：缺失或无法读取")
    codes = {entry_lines.FORMAT: "entry.format", entry_lines.EVENT: "entry.event"}
    for r in entry_lines.read(lines, body, algo):
        if r.outcome != entry_lines.PROVEN:
            out.fail(codes.get(r.outcome, "entry.proof"), r.said(ENTRIES))
        else:
            out.ok("entry.proof", r.said(ENTRIES))
            events[r.seq] = r.event

    case_id = (manifest.get("case") or {}).get("id")
    request = manifest.get("request") or {}
    listed: set[str] = set()
    shas: set[str] = set()
    for f in manifest.get("files") or []:
        _check_file(out, path, f, events, case_id, listed, shas)
    # Nothing in files/ that the manifest does not list.
    for p in sorted((path / FILES).iterdir()) if (path / FILES).is_dir() else []:
        if f"{FILES}/{p.name}" not in listed:
            out.fail("file.extra", f"{FILES}/{p.name}：清单中没有这个文件")
    # Nor anything beside the package's own files: a video slipped in next to files/ is not evidence.
    for p in sorted(path.iterdir()):
        if p.name not in (MANIFEST, FILES, *PACKAGE_FILES, *OS_LITTER):
            out.fail("file.extra", f"{p.name}：不属于复制包（清单中没有，也不是复制包自身的文件）")

    # The request and its approval, as the log recorded them.
    ev = events.get(request.get("entry"))
    # What the receiver reads of the request (for whom, why, the court's 案号, who asked) is its
    # logged state: the row's state as the event's content_sha256 vouches for it (LW-D 15 记录在案).
    state = request.get("state") or {}
    good = (ev is not None and ev.get("action") == COPY_REQUEST
            and ev["object"].get("type") == "copy_request" and ev["object"].get("id") == str(request.get("id"))
            and (ev.get("detail") or {}).get("case") == case_id and set(ev.get("blobs") or []) == shas
            and state.get("case_id") == case_id
            and state.get("receiver_kind") == request.get("receiver_kind")
            and state.get("receiver_name") == request.get("receiver") and state.get("purpose") == request.get("purpose")
            and state.get("court_case_number") == request.get("court_case_number")
            and state.get("requested_by_id") == (request.get("requested_by") or {}).get("id")
            # The case number (案件编号) the receiver files the evidence under: the request's state
            # holds it as the request was made, so a relabelled number fails.
            and bool(state.get("case_number")) and state.get("case_number") == (manifest.get("case") or {}).get("number")
            and _state_logged(events, request, state))
    out.check(good, "request.event", f"证据复制申请 {request.get('id')} 的日志事件与本案、本包的文件一致",
              f"证据复制申请 {request.get('id')} 的日志事件缺失，或其案件、文件与清单不符")
    approval = manifest.get("approval") or {}
    ev = events.get(approval.get("entry"))
    state = approval.get("state") or {}
    good = (ev is not None and ev.get("action") == COPY_APPROVE
            and (ev.get("detail") or {}).get("request") == request.get("id")
            and (ev.get("detail") or {}).get("approved") is True
            and ev.get("content_sha256") == content_sha256(state) and state.get("request_id") == request.get("id")
            and state.get("approved") is True and approval.get("approved") is True
            and state.get("opinion") == approval.get("opinion")
            and state.get("decided_by_id") == (approval.get("decided_by") or {}).get("id"))
    out.check(good, "approval.event", "批准该申请的日志事件在包中",
              "批准该申请的日志事件缺失，或它没有批准本申请")
    return out


def _state_logged(events: dict[int, dict], request: dict, state: dict) -> bool:
    """The request's state is the one the log last recorded for it: the request event's own, or that
    of a baseline a migration logged when the state grew ("state_entry", copies.state_baseline)."""
    ev = events.get(request.get("state_entry", request.get("entry")))
    return (ev is not None and ev.get("action") in (COPY_REQUEST, COPY_STATE_BASELINE)
            and ev["object"].get("type") == "copy_request" and ev["object"].get("id") == str(request.get("id"))
            and ev.get("content_sha256") == content_sha256(state))


def _check_file(out: _Checks, path: Path, f: dict, events: dict[int, dict], case_id, listed: set, shas: set):
    rel, sha = str(f.get("path", "")), str(f.get("sha256", ""))
    listed.add(rel)
    shas.add(sha)
    target = (path / rel)
    if not rel.startswith(f"{FILES}/") or "/" in rel[len(FILES) + 1:] or ".." in rel:
        out.fail("file.path", f"{rel}：不是复制包内的文件名")
        return
    try:
        got, size = file_sha256(target)
    except OSError:
        out.fail("file.present", f"{rel}：缺失或无法读取")
        return
    out.check(got == sha, "file.sha256", f"{rel}：SHA-256 与清单一致",
              f"{rel}：文件内容的 SHA-256 为 {got}，清单记载为 {sha}（文件被改动，或清单被改动）")
    out.check(size == f.get("size"), "file.size", f"{rel}：大小 {size} 字节与清单一致",
              f"{rel}：大小 {size} 字节，清单记载为 {f.get('size')}")
    item = f.get("item")
    entries = f.get("entries") or {}
    add = events.get(entries.get("add"))
    good = (add is not None and add.get("action") == FOOTAGE_ADD and add["object"].get("type") == "footage"
            and add["object"].get("id") == str(item) and sha in (add.get("blobs") or []))
    out.check(good, "file.add_event", f"{rel}：入库事件（footage.add）记载的 SHA-256 与清单一致",
              f"{rel}：入库事件（footage.add）缺失，或其记载的 SHA-256 不是清单中的 {sha}")
    state = f.get("state") or {}
    logged = events.get(entries.get("state"))
    good = (logged is not None and logged["object"].get("type") == "footage"
            and logged["object"].get("id") == str(item) and logged.get("content_sha256") == content_sha256(state)
            and state.get("blob_id") == sha and state.get("size") == f.get("size") and state.get("name") == f.get("name")
            and state.get("device_id") == (f.get("device") or {}).get("id")
            and state.get("officer_id") == (f.get("officer") or {}).get("id")
            and state.get("recorded_utc") == f.get("recorded_utc")
            and all(state.get(k) == f.get(k) for k in ("recorded_local", "utc_offset_minutes", "kind", "duration")))
    out.check(good, "file.state", f"{rel}：文件名、大小、类别、时长、设备、执法人员和录制时间与日志记载一致",
              f"{rel}：清单中的文件名、大小、类别、时长、设备、执法人员或录制时间与日志记载的不符")
    linked = [events.get(s) for s in entries.get("links") or []]
    good = any(ev is not None and ev.get("action") == FOOTAGE_LINK and (ev.get("detail") or {}).get("item") == item
               and (ev.get("detail") or {}).get("case") == case_id and sha in (ev.get("blobs") or [])
               for ev in linked)
    out.check(good, "file.link_event", f"{rel}：关联到本案的日志事件在包中",
              f"{rel}：没有把该文件关联到本案的日志事件")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="离线验证留痕证据复制包 / Verify a Liuhen evidence copy package offline.")
    parser.add_argument("package", help="复制包目录 / the package directory")
    parser.add_argument("--vkey", required=True,
                        help="日志公钥文件（应独立获得，不用包内的 log.vkey）/ the log's verifier key, obtained independently")
    args = parser.parse_args(argv)
    try:
        vkey = Path(args.vkey).read_text(encoding="utf-8")
        if not (Path(args.package) / MANIFEST).is_file():
            raise FileNotFoundError(f"{args.package} 不是证据复制包（没有 manifest.json）/ not a copy package")
        checks = verify_package(Path(args.package), vkey)
    except (OSError, ValueError) as exc:  # unreadable input is an error, not a traceback
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    except (AttributeError, KeyError, TypeError) as exc:  # a manifest of the wrong shape (a list for a dict…)
        print(f"ERROR manifest.json 的结构无效（{type(exc).__name__}: {exc}）/ malformed manifest", file=sys.stderr)
        return 2
    for c in checks:
        print(c.line())
    failed = [c for c in checks if not c.ok]
    if failed:
        print(f"FAIL package: 复制包验证未通过（{len(failed)} 项不符）")
        return 1
    print(f"OK   package: 复制包验证通过（{len(checks)} 项检查）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
