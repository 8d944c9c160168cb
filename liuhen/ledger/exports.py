"""Write an offline-verifiable bundle of the whole log (read by core/bundle.py)."""
import base64
import json
from pathlib import Path

from .models import Checkpoint, Sequenced
from .signing import origin, vkeys
from .config import hash_algo
from .storage import integrate_all
from .subjects import exporters


def export_bundle(path: Path, actor=None) -> dict:
    from . import services as ledger

    integrate_all()
    path = Path(path)
    (path / "checkpoints").mkdir(parents=True, exist_ok=True)
    (path / "content").mkdir(exist_ok=True)
    (path / "blobs").mkdir(exist_ok=True)
    n = 0
    with open(path / "entries.jsonl", "w", encoding="utf-8") as out:
        for seq, leaf in Sequenced.objects.order_by("seq").values_list("seq", "entry__leaf").iterator(chunk_size=5000):
            out.write(json.dumps({"seq": seq, "leaf": base64.b64encode(bytes(leaf)).decode("ascii")}) + "\n")
            n += 1
    checkpoints = 0
    for c in Checkpoint.objects.order_by("id"):
        (path / "checkpoints" / f"{c.size:012d}.note").write_text(c.note, encoding="utf-8")
        checkpoints += 1
    # Every key the log has signed with, one per line (the current one last).
    (path / "log.vkey").write_text("".join(k + "\n" for k in vkeys()), encoding="utf-8")
    (path / "manifest.json").write_text(json.dumps(
        {"origin": origin(), "hash": hash_algo(), "size": n, "format": "liuhen-bundle/1"}, indent=2), encoding="utf-8")
    files = blobs = 0
    for exporter in exporters():
        f, b = exporter(path / "content", path / "blobs")
        files += f
        blobs += b
    ledger.append("ledger.export", actor=actor, object_type="ledger", object_id=n,
                  detail={"entries": n, "checkpoints": checkpoints})
    return {"entries": n, "checkpoints": checkpoints, "content": files, "blobs": blobs}
