"""What `liuhen verify` asks of the inspections app: does each round, finding and closing still say
what the log recorded — and does each round's sample still come out of its logged seed over the
population its logged criteria describe? A seed changed to steer the sample away from an officer's
footage, a finding of 不合格 turned into 合格, or footage slipped into a period behind the log's back
would each make the 检查台账 (LW-D 14) say something that did not happen."""
from liuhen.ledger.subjects import Unreadable, finding, logged_rows, state_checker

from . import services
from . import vocabulary as v
from .models import Finding, Round, RoundClose

check_finding = state_checker(Finding, codes=v.STATE_CODES[Finding.ledger_object_type])
check_close = state_checker(RoundClose, codes=v.STATE_CODES[RoundClose.ledger_object_type])
_check_round_rows = state_checker(Round, codes=v.STATE_CODES[Round.ledger_object_type])


def check_round(events):
    """The rows against the log, then each round drawn again from its logged seed and criteria."""
    out = _check_round_rows(events)
    for oid, row, evs in logged_rows(Round.objects.all(), events):
        if row is None or isinstance(row, Unreadable):
            continue  # reported above (deleted, or unreadable)
        draws = [ev for ev in evs if ev[2].get("action") == v.DRAW]
        obj = f"{Round.ledger_object_type}:{oid}"
        if not draws:
            out.append(finding("altered", f"第 {oid} 轮抽检在日志中没有抽取记录，无从重新抽取核对", obj,
                               evs[-1] if evs else None, code=v.E012))
            continue
        ev = draws[0]
        try:
            result = services.redraw(row, ev[2].get("detail") or {})
        except Exception as exc:  # noqa: BLE001 — a criteria or seed that cannot be read is a finding
            out.append(finding("altered", f"第 {oid} 轮抽检无法重新抽取（{type(exc).__name__}: {exc}）"[:300],
                               obj, ev, code=v.E004))
            continue
        seen = set()
        for code, message in result.problems:
            if code == v.E001 or (code, message) in seen:
                continue  # a row differing from its event is the state check's finding already
            seen.add((code, message))
            out.append(finding("altered", f"第 {oid} 轮抽检：{message}", obj, ev, code=code))
    return out
