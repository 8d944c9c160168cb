"""What `liuhen verify` asks of caseproperty: does each item, custody, request, approval and result still
say what the log recorded? An item's quantity lowered by SQL would hide what went missing from the
store; an approval slipped in would let property be destroyed that no head approved."""
from liuhen.ledger.subjects import state_checker

from . import models
from . import vocabulary as v

MODELS = (models.Item, models.Custody, models.HandlingRequest, models.HandlingApproval, models.Handling)


def checkers() -> dict:
    return {m.ledger_object_type: state_checker(m, codes=v.STATE_CODES[m.ledger_object_type]) for m in MODELS}
