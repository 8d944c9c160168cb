"""What `liuhen verify` asks of execution: does each payment, deferral application and decision still
say what the log recorded? A payment slipped in by SQL would clear a fine never paid; an approval
slipped in would move the due date and wipe the late fine."""
from liuhen.ledger.subjects import state_checker

from . import models
from . import vocabulary as v

MODELS = (models.Payment, models.DeferralRequest, models.DeferralDecision)


def checkers() -> dict:
    return {m.ledger_object_type: state_checker(m, codes=v.STATE_CODES[m.ledger_object_type]) for m in MODELS}
