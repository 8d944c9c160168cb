"""What `liuhen verify` asks of the records app: do the rows still say what the log says?"""
from liuhen.ledger.core.canonical import content_sha256
from liuhen.ledger.subjects import finding
from liuhen.media import store

from .models import Record


def signature_digest(record, version, *, role, signer_key, outcome, at_iso, attachments) -> str:
    """The digest that binds a signature to the exact content signed (see services._signature)."""
    return content_sha256({
        "record": record.pk, "version": version.number, "content_sha256": version.content_sha256,
        "attachments": sorted(attachments), "role": role, "signer": signer_key, "outcome": outcome,
        "at": at_iso,
    })


def check(events: dict[str, list]) -> list[dict]:
    out = []
    records = {str(r.pk): r for r in Record.objects.prefetch_related(
        "versions", "attachments", "signatures__version", "signatures__signer", "signatures__record")
        .select_related("void")}
    for rid, evs in events.items():
        obj = f"record:{rid}"
        record = records.get(rid)
        if record is None:
            out.append(finding("deleted", "记录已不存在，而日志记载了它", obj, evs[0]))
            continue
        versions = {v.number: v for v in record.versions.all()}
        claimed = {}
        for ev in evs:
            e = ev[2]
            if e["action"] in ("record.create", "record.version"):
                n = e["object"]["version"]
                if n in claimed:
                    # A version is written once: a second claim is an attempt to cover a rewrite.
                    out.append(finding("altered", f"第{n}版在日志中出现了第二次，与首次记载冲突", f"{obj} v{n}", ev))
                    continue
                claimed[n] = (e["content_sha256"], ev)
        for n, (sha, ev) in claimed.items():
            v = versions.get(n)
            if v is None:
                out.append(finding("deleted", f"第{n}版已不存在", f"{obj} v{n}", ev))
            elif content_sha256(v.content) != sha or v.content_sha256 != sha:
                out.append(finding("altered", f"第{n}版内容被修改，与日志记载的摘要不符", f"{obj} v{n}", ev))
        for n in versions.keys() - claimed.keys():
            out.append(finding("inserted", f"第{n}版没有对应的日志条目", f"{obj} v{n}", evs[-1]))

        attach_evs = [ev for ev in evs if ev[2]["action"] == "record.attach"]
        claimed_blobs = [b for ev in attach_evs for b in ev[2]["blobs"]]
        rows = list(record.attachments.all())
        for a in rows:
            if a.blob_id not in claimed_blobs:
                out.append(finding("inserted", f"附件“{a.filename}”没有对应的日志条目", f"{obj} attachment:{a.pk}"))
            elif not store.verify(a.blob_id):
                ev = next(ev for ev in attach_evs if a.blob_id in ev[2]["blobs"])
                out.append(finding("altered", f"附件“{a.filename}”的文件被修改或丢失（SHA-256 {a.blob_id[:12]}…）",
                                    f"{obj} attachment:{a.pk}", ev))
        have = [a.blob_id for a in rows]
        for ev in attach_evs:
            for b in ev[2]["blobs"]:
                if b not in have:
                    out.append(finding("deleted", f"附件（SHA-256 {b[:12]}…）已不存在", obj, ev))

        sign_evs = {ev[2]["detail"].get("digest"): ev for ev in evs if ev[2]["action"] in ("record.sign", "record.refuse")}
        blobs = [a.blob_id for a in rows]
        for s in record.signatures.all():
            digest = signature_digest(record, s.version, role=s.role,
                                      signer_key=s.signer.username if s.signer_id else s.signer_name,
                                      outcome=s.outcome, at_iso=s.signed_at.isoformat(timespec="microseconds"),
                                      attachments=blobs)
            if s.digest not in sign_evs:
                out.append(finding("inserted", f"签字（{s.signer_name}）没有对应的日志条目", f"{obj} signature:{s.pk}"))
            elif digest != s.digest:
                out.append(finding("altered", f"签字（{s.signer_name}）被修改，与其摘要不符", f"{obj} signature:{s.pk}",
                                    sign_evs[s.digest]))
        present = {s.digest for s in record.signatures.all()}
        for digest, ev in sign_evs.items():
            if digest not in present:
                out.append(finding("deleted", "签字已不存在", obj, ev))

        void_evs = [ev for ev in evs if ev[2]["action"] == "record.void"]
        voided = hasattr(record, "void")
        if void_evs and not voided:
            out.append(finding("deleted", "作废记录已不存在", obj, void_evs[0]))
        if voided and not void_evs:
            out.append(finding("inserted", "作废没有对应的日志条目", obj))
    for rid in records.keys() - events.keys():
        out.append(finding("inserted", "记录没有任何日志条目", f"record:{rid}"))
    return out


def export_content(content_dir, blob_dir) -> tuple[int, int]:
    """Every record version's content and every attached file, for an offline bundle."""
    import shutil

    from liuhen.ledger.core.canonical import canonical_bytes

    from .models import Attachment, RecordVersion

    files = 0
    for rid, number, content in RecordVersion.objects.values_list("record_id", "number", "content").iterator():
        (content_dir / f"record-{rid}-v{number}.json").write_bytes(canonical_bytes(content))
        files += 1
    blobs = set(Attachment.objects.values_list("blob_id", flat=True))
    for sha in blobs:
        shutil.copyfile(store.path_for(sha), blob_dir / sha)
    return files, len(blobs)
