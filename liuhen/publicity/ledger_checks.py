"""What `liuhen verify` asks of publicity: does each entry, version, step, exemption, comment and reply
still say what the log recorded? A publish step slipped in by SQL would put an unreviewed text online.

And of each decision's version, what anyone holding the served 决定书 can check: its source (the text as
served, encrypted) still hashes to the SHA-256 the log recorded with the version (publicity.E020), and
its published body is that source minus exactly the listed redactions (redact.check: publicity.E019)."""
import hashlib

from liuhen.ledger.subjects import Unreadable, finding, model_states, state_checker

from . import models, redact
from . import vocabulary as v

MODELS = (models.Entry, models.Version, models.Step, models.Exemption, models.Comment, models.Reply)
_TEXT_FIELDS = ("source", "source_sha256", "body", "redactions")


def checkers() -> dict:
    out = {m.ledger_object_type: state_checker(m, codes=v.STATE_CODES[m.ledger_object_type]) for m in MODELS}
    out[models.Version.ledger_object_type] = _with_texts(out[models.Version.ledger_object_type])
    return out


def _with_texts(check_states):
    def check(events: dict[str, list]) -> list[dict]:
        return check_states(events) + check_texts()
    return check


def check_texts() -> list[dict]:
    """E020 / E019 for every version with a source, streamed in primary-key order (the source_sha256
    itself is in the version's logged state: E004 says if it was changed)."""
    out = []
    for oid, state in model_states(models.Version, _TEXT_FIELDS):
        obj = f"{models.Version.ledger_object_type}:{oid}"
        if isinstance(state, Unreadable):
            out.append(finding("altered", f"公示稿的送达文书文本无法读取（{state.error}），已被改动", obj,
                               code=v.SOURCE_ALTERED))
            continue
        problem = text_problem(state)
        if problem:
            out.append(finding("altered", problem[1], obj, code=problem[0]))
    return out


def text_problem(state: dict) -> tuple[str, str] | None:
    """(code, message) of what is wrong with a version's texts, or None."""
    source, digest = state["source"] or "", state["source_sha256"] or ""
    if not source and not digest:
        return None  # not a decision: nothing was served
    if hashlib.sha256(source.encode("utf-8")).hexdigest() != digest:
        return v.SOURCE_ALTERED, "公示稿的送达文书文本与日志记载的 SHA-256 不符，已被改动"
    spans = state["redactions"]
    problems = (redact.check(source, state["body"] or "", spans) if isinstance(spans, list)
                else ["隐去记录不是列表。"])
    if problems:
        return v.BODY_NOT_SOURCE, "公示内容不是送达文书文本去除所列隐去内容后的文本：" + "；".join(problems)[:400]
    return None
