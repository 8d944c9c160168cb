"""What `liuhen verify` asks of publicity: does each entry, version, step, exemption, comment and reply
still say what the log recorded? A publish step slipped in by SQL would put an unreviewed text online."""
from liuhen.ledger.subjects import state_checker

from . import models
from . import vocabulary as v

MODELS = (models.Entry, models.Version, models.Step, models.Exemption, models.Comment, models.Reply)


def checkers() -> dict:
    return {m.ledger_object_type: state_checker(m, codes=v.STATE_CODES[m.ledger_object_type]) for m in MODELS}
