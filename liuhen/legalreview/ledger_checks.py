"""What `liuhen verify` asks of the legal review: does each row (认定、送审、补充材料、延期、审核意见、分歧、
决定、法律职业资格) still say what the log recorded? A review slipped in by SQL would open the gate of a
major decision; one taken out would hide that it was reviewed."""
from liuhen.ledger.subjects import state_checker

from . import models
from . import vocabulary as v

MODELS = (models.Assessment, models.Submission, models.MaterialRequest, models.MaterialAnswer,
          models.ExtensionRequest, models.ExtensionDecision, models.Review, models.Disagreement, models.Ruling,
          models.Qualification)


def checkers() -> dict:
    return {m.ledger_object_type: state_checker(m, codes=v.STATE_CODES[m.ledger_object_type]) for m in MODELS}
