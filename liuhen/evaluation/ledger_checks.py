"""What `liuhen verify` asks of the evaluation app: does each round, score, answer, response and
closing still say what the log recorded — does each round's sample still come out of its logged
seed over the population its logged criteria describe, and does each score's total and grade still
follow from its items under its round's pinned card? A seed changed to steer the sample away from a
unit's weak files, a 不合格 turned into 合格, or an archived file slipped into a round's period behind
the log's back would each make the 评查 say something that did not happen."""
from liuhen.common import sampling
from liuhen.ledger.subjects import Unreadable, finding, logged_rows, state_checker

from . import scoring, services
from . import vocabulary as v
from .models import Answer, Response, Round, RoundClose, Score

check_answer = state_checker(Answer, codes=v.STATE_CODES[Answer.ledger_object_type])
check_response = state_checker(Response, codes=v.STATE_CODES[Response.ledger_object_type])
check_close = state_checker(RoundClose, codes=v.STATE_CODES[RoundClose.ledger_object_type])
_check_round_rows = state_checker(Round, codes=v.STATE_CODES[Round.ledger_object_type])
_check_score_rows = state_checker(Score, codes=v.STATE_CODES[Score.ledger_object_type])


def check_round(events):
    """The rows against the log, then each round drawn again from its logged seed and criteria."""
    out = _check_round_rows(events)
    rows = ((oid, row, evs) for oid, row, evs in logged_rows(Round.objects.all(), events)
            if row is not None and not isinstance(row, Unreadable))  # else reported above (deleted, unreadable)
    for oid, code, message, ev in sampling.redraw_findings(rows, action=v.OPEN, redraw_one=services.redraw,
                                                           codes=services.REDRAW_CODES, what="轮评查"):
        out.append(finding("altered", message, f"{Round.ledger_object_type}:{oid}", ev, code=code))
    return out


def check_score(events):
    """The rows against the log, then each score's total and grade recomputed from its items under
    the card its round pinned (a total raised by SQL together with a forged event would still not
    follow from the items)."""
    out = _check_score_rows(events)
    rounds = {}
    for oid, row, evs in logged_rows(Score.objects.all(), events):
        if row is None or isinstance(row, Unreadable):
            continue
        if row.round_id not in rounds:
            rounds[row.round_id] = Round.objects.filter(pk=row.round_id).first()
        round_ = rounds[row.round_id]
        if round_ is None:
            continue  # the round is gone: its own check reports it (deleted)
        obj = f"{Score.ledger_object_type}:{oid}"
        try:
            result = scoring.outcome(round_.cards[row.card], row.results)
            wrong = (result.total, result.grade, result.hard_failed) != (row.total, row.grade, row.hard_failed)
        except Exception:  # noqa: BLE001 — items or a card that cannot be read: it does not follow either
            wrong = True
        if wrong:
            out.append(finding("altered", f"评分 {oid} 的总分或等次与其评查项目、评查标准不符", obj,
                               evs[-1] if evs else None, code=v.E019))
    return out
