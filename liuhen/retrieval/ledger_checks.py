"""What `liuhen verify` asks of retrieval: does each slip, decision, copy, class and note still say what
the log recorded? A decision slipped in by SQL would open an archived file nobody approved."""
from liuhen.ledger.subjects import state_checker

from . import models
from . import vocabulary as v

MODELS = (models.RetrievalRequest, models.Decision, models.Copy, models.CopyItem, models.Classification,
          models.SecretNote)


def checkers() -> dict:
    return {m.ledger_object_type: state_checker(m, codes=v.STATE_CODES[m.ledger_object_type]) for m in MODELS}
