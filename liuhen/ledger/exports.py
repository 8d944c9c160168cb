"""Write an offline-verifiable bundle of the whole log (read by core/bundle.py).

The bundle holds the leaves up to the latest signed checkpoint (the offline verifier refuses
leaves no checkpoint covers), every checkpoint, the keyring and what the apps export (record
content, attached files). A file an exporter cannot copy — a blob missing from the store — is
named in the summary's `problems` and the export goes on: the auditor gets everything else, and
`liuhen export_bundle` exits non-zero at the end.
"""
import base64
import contextvars
import json
from pathlib import Path

from .models import Checkpoint, Sequenced
from .signing import origin, vkeys
from .config import hash_algo
from .storage import integrate_all, latest_checkpoint
from .subjects import exporters
from . import vocabulary as vocab

_problems: contextvars.ContextVar[list | None] = contextvars.ContextVar("liuhen_export_problems", default=None)


def report_missing(name: str, error: str) -> None:
    """For exporters: `name` (e.g. "blobs/<sha256>") could not be written into the bundle. The
    export goes on and ends in error. Outside an export, raises (nothing would see it)."""
    problems = _problems.get()
    if problems is None:
        raise RuntimeError(f"{name}: {error}")
    problems.append(f"{name}: {error}")


def export_bundle(path: Path, actor=None) -> dict:
    from . import services as ledger

    integrate_all()  # an operator's act: the bundle covers every entry up to now, signed
    path = Path(path)
    (path / "checkpoints").mkdir(parents=True, exist_ok=True)
    (path / "content").mkdir(exist_ok=True)
    (path / "blobs").mkdir(exist_ok=True)
    latest = latest_checkpoint()
    covered = latest.size if latest is not None else 0  # entries sequenced since are for the next bundle
    n = 0
    with open(path / "entries.jsonl", "w", encoding="utf-8") as out:
        for seq, leaf in (Sequenced.objects.filter(seq__lt=covered).order_by("seq")
                          .values_list("seq", "entry__leaf").iterator(chunk_size=5000)):
            out.write(json.dumps({"seq": seq, "leaf": base64.b64encode(bytes(leaf)).decode("ascii")}) + "\n")
            n += 1
    checkpoints = 0
    for c in Checkpoint.objects.filter(size__lte=covered).order_by("id"):
        (path / "checkpoints" / f"{c.size:012d}.note").write_text(c.note, encoding="utf-8")
        checkpoints += 1
    # Every key the log has signed with, one per line (the current one last). A convenience: an
    # auditor passes the keys from their own copy (--vkey), not these.
    (path / "log.vkey").write_text("".join(k + "\n" for k in vkeys()), encoding="utf-8")
    (path / "manifest.json").write_text(json.dumps(
        {"origin": origin(), "hash": hash_algo(), "size": n, "format": "liuhen-bundle/1"}, indent=2), encoding="utf-8")
    files = blobs = 0
    problems: list[str] = []
    token = _problems.set(problems)
    try:
        for exporter in exporters():
            try:
                f, b = exporter(path / "content", path / "blobs")
            except OSError as exc:  # an exporter that does not report_missing() stops at its first missing file
                problems.append(f"{getattr(exporter, '__qualname__', exporter)}: {exc}")
                continue
            files += f
            blobs += b
    finally:
        _problems.reset(token)
    ledger.append(vocab.EXPORT, actor=actor, object_type="ledger", object_id=n,
                  detail={"entries": n, "checkpoints": checkpoints, "problems": len(problems)})
    return {"entries": n, "checkpoints": checkpoints, "content": files, "blobs": blobs, "problems": problems}
