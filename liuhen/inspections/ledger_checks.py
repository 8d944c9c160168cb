"""What `liuhen verify` asks of the inspections app: does each round, finding and closing still say
what the log recorded — and does each round's sample still come out of its logged seed over the
population its logged criteria describe? A seed changed to steer the sample away from an officer's
footage, a finding of 不合格 turned into 合格, or footage slipped into a period behind the log's back
would each make the 检查台账 (LW-D 14) say something that did not happen."""
from liuhen.common import sampling
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
    rows = ((oid, row, evs) for oid, row, evs in logged_rows(Round.objects.all(), events)
            if row is not None and not isinstance(row, Unreadable))  # else reported above (deleted, unreadable)
    for oid, code, message, ev in sampling.redraw_findings(rows, action=v.DRAW, redraw_one=services.redraw,
                                                           codes=services.REDRAW_CODES, what="轮抽检"):
        out.append(finding("altered", message, f"{Round.ledger_object_type}:{oid}", ev, code=code))
    return out
