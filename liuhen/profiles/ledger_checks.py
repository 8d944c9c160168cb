"""What `liuhen verify` asks of the profiles app: does each profile version still say what its load
event recorded? A version's text changed by SQL would change the rules cases pinned to it are held
to; a version slipped in would become an agency's active profile behind the log's back."""
import hashlib

from liuhen.ledger.core.canonical import content_sha256
from liuhen.ledger.subjects import Unreadable, finding, logged_rows, unlogged_ids, unreadable_finding

from . import vocabulary as V
from .models import ProfileVersion


def check(events: dict[str, list]) -> list[dict]:
    from .services import version_snapshot

    out = []
    for oid, pv, evs in logged_rows(ProfileVersion.objects.all(), events):
        obj = f"{V.OBJECT_TYPE}:{oid}"
        loads = [ev for ev in evs if ev[2].get("action") == V.LOAD]
        if pv is None:
            out.append(finding("deleted", "执法规则配置版本已不存在，而日志记载了它", obj, evs[0], code=V.E001))
            continue
        if isinstance(pv, Unreadable):
            out.append(unreadable_finding(V.OBJECT_TYPE, pv, "执法规则配置版本", evs[0]))
            continue
        if not loads:
            out.append(finding("inserted", "执法规则配置版本没有载入的日志条目", obj, code=V.E003))
            continue
        if content_sha256(version_snapshot(pv)) != loads[-1][2].get("content_sha256"):
            out.append(finding("altered", "执法规则配置版本（机关、版本号、载入人、时间、原因或摘要）被修改，与载入时日志的记载不符",
                               obj, loads[-1], code=V.E002))
        if hashlib.sha256(pv.source.encode("utf-8")).hexdigest() != pv.sha256:
            out.append(finding("altered", "执法规则配置文本被修改，与载入时记录的 SHA-256 不符", obj, loads[-1],
                               code=V.E004))
    for oid in unlogged_ids(ProfileVersion, events):
        out.append(finding("inserted", "执法规则配置版本没有日志条目", f"{V.OBJECT_TYPE}:{oid}", code=V.E003))
    return out
