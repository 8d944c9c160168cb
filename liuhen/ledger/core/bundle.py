"""The standalone verifier: checks an exported bundle with no server, no Django, no database.

    python -m liuhen.ledger.core.bundle BUNDLE_DIR [--vkey FILE]

A bundle (written by `liuhen export_bundle`) holds:
    log.vkey                  the log's verifier keys, one per line (signed-note format); --vkey
                              overrides it, and an auditor should pass keys obtained independently
    manifest.json             origin, hash algorithm, size
    entries.jsonl             every leaf in order: {"seq": n, "leaf": "<base64 of the canonical JSON>"}
    checkpoints/<size>.note   signed checkpoints
    content/<type>-<id>-v<version>.json   the content of record versions (canonical JSON)
    blobs/<sha256>            attached files

It recomputes the Merkle tree from the leaves, checks every checkpoint's signature and root,
checks that each content file and blob is exactly what some leaf says it was, and that none is
missing: every record version a leaf writes has its content file, every blob a leaf names is there
— unless a leaf purged it (`media.purge`, after its retention ran out: LW-D 11): its bytes are
gone on purpose, its SHA-256 and the purge stay in the log: not a problem.
Exit status 0 when everything verifies, 1 otherwise, with one line per problem.
"""
import argparse
import base64
import hashlib
import json
import sys
from pathlib import Path

from . import checkpoint as cp
from . import note as notes
from .canonical import content_sha256
from .replay import GAP, NOT_EVENT, ROOT, TRUNCATED, UNCOVERED, Issue, Replay

# The leaves that write an object version's content, whose content file the bundle must hold:
# (object type, action). Other leaves may name a version and its hash (an attachment or signature
# of it) or carry a content hash with no version (a case's state), and need no file of their own.
VERSION_WRITES = {("record", "record.create"), ("record", "record.version")}
# The leaf that records a stored file purged (its bytes deleted, the hash kept): the bundle need not
# hold that file (liuhen/media/purge.py).
PURGE_ACTION = "media.purge"


def verify_bundle(path: Path, vkey: str | None = None) -> list[str]:
    path = Path(path)
    problems: list[str] = []
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    algo = manifest.get("hash", "sha256")
    # One verifier key per line: every key the log has signed with.
    verifiers = [notes.verifier_from_vkey(line) for line in
                 (vkey or (path / "log.vkey").read_text(encoding="utf-8")).split() if line]

    signed: dict[int, bytes] = {}
    for f in sorted((path / "checkpoints").glob("*.note")):
        try:
            body, _ = cp.open_checkpoint(f.read_text(encoding="utf-8"), verifiers)
        except ValueError as exc:
            problems.append(f"{f.name}: signature does not verify ({exc})")
            continue
        if body.origin != manifest.get("origin"):
            problems.append(f"{f.name}: origin {body.origin!r} is not the log's {manifest.get('origin')!r}")
        if body.size in signed and signed[body.size] != body.root_hash:
            problems.append(f"{f.name}: two different signed roots for size {body.size} (fork)")
        signed[body.size] = body.root_hash
    if not signed:
        problems.append("no verifiable checkpoint in the bundle")

    replay = Replay(algo, signed)
    claims: dict[tuple, str] = {}
    versions: dict[tuple, int] = {}  # (type, id, version) -> the leaf that writes it: its file must be here
    blobs: dict[str, int] = {}  # sha256 -> the first leaf that names it: the file must be here
    purged: set[str] = set()  # named by a purge leaf: need not be here
    with open(path / "entries.jsonl", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            try:
                item = json.loads(line)
                leaf = base64.b64decode(item["leaf"], validate=True)
            except (ValueError, KeyError, TypeError):
                problems.append(f"entries.jsonl line {n + 1}: not a valid entry line")
                continue
            seq = item.get("seq")
            if type(seq) is not int:
                problems.append(f"entries.jsonl line {n + 1}: leaf index {seq!r} is not a number")
                seq = replay.expected
            _, event = replay.add(seq, leaf)
            if event is None:
                continue
            obj = event["object"]
            if event.get("content_sha256") and isinstance(obj.get("version"), int):
                key = (obj["type"], obj["id"], obj["version"])
                # the first claim about a version is the one that counts (a later one is a rewrite)
                claims.setdefault(key, event["content_sha256"])
                if (key[0], event.get("action")) in VERSION_WRITES:
                    versions.setdefault(key, n)
            for b in event.get("blobs", []):
                blobs.setdefault(b, n)
                if event.get("action") == PURGE_ACTION:
                    purged.add(b)
    replay.finish()
    for issue in replay.issues:
        problems.append(_describe(issue))

    present: set[tuple] = set()
    for f in sorted((path / "content").glob("*.json")) if (path / "content").exists() else []:
        try:
            otype, oid, ver = f.stem.rsplit("-", 2)
            key = (otype, oid, int(ver.removeprefix("v")))
        except ValueError:
            problems.append(f"content/{f.name}: not a content file name (<type>-<id>-v<version>.json)")
            continue
        present.add(key)
        want = claims.get(key)
        try:
            got = content_sha256(json.loads(f.read_text(encoding="utf-8")))
        except ValueError:
            problems.append(f"content/{f.name}: not valid JSON")
            continue
        if want is None:
            problems.append(f"content/{f.name}: no leaf speaks of this version")
        elif got != want:
            problems.append(f"content/{f.name}: content differs from what the log recorded")
    for (otype, oid, ver), n in versions.items():
        if (otype, oid, ver) not in present:
            problems.append(f"content/{otype}-{oid}-v{ver}.json: missing (leaf {n} records this version's content)")
    stored: set[str] = set()
    for f in sorted((path / "blobs").iterdir()) if (path / "blobs").exists() else []:
        stored.add(f.name)
        digest = hashlib.sha256(f.read_bytes()).hexdigest()
        if digest != f.name:
            problems.append(f"blobs/{f.name}: the file's bytes hash to {digest}")
        elif f.name not in blobs:
            problems.append(f"blobs/{f.name}: no leaf speaks of this file")
    for sha, n in blobs.items():
        if sha not in stored and sha not in purged:
            problems.append(f"blobs/{sha}: missing (leaf {n} names this file)")
    return problems


def _describe(issue: Issue) -> str:
    if issue.kind == GAP:
        return f"leaf {issue.seq}: leaf index {issue.seq}, expected {issue.first} (leaves missing or out of order)"
    if issue.kind == ROOT:
        return f"the leaves do not give the signed root of size {issue.size}"
    if issue.kind == NOT_EVENT:
        return f"leaf {issue.seq}: not a canonical JSON event"
    if issue.kind == TRUNCATED:
        return f"the bundle's leaves stop before a checkpoint that signs {issue.size}: truncated"
    if issue.kind == UNCOVERED:
        # Leaves no signed checkpoint covers prove nothing: anyone with the files could have added them.
        return (f"leaves {issue.first}–{issue.last} are not covered by any signed checkpoint: "
                "refused (they could have been added by anyone)")
    return f"{issue.kind}: {issue}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Verify a Liuhen ledger bundle offline.")
    parser.add_argument("bundle")
    parser.add_argument("--vkey", help="file with the log's verifier key, obtained independently")
    args = parser.parse_args(argv)
    try:
        vkey = Path(args.vkey).read_text(encoding="utf-8") if args.vkey else None
        if not (Path(args.bundle) / "manifest.json").is_file():
            raise FileNotFoundError(f"{args.bundle} is not a Liuhen bundle (no manifest.json)")
        problems = verify_bundle(Path(args.bundle), vkey)
    except (OSError, ValueError) as exc:  # unreadable input is an error, not a traceback
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    for p in problems:
        print(f"FAIL {p}")
    if not problems:
        print("OK: every checkpoint, leaf, content file and blob verifies")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
