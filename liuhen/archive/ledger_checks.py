"""What `liuhen verify` asks of the archive room: does each supplement, imported package and imported
file still say what the log recorded? A supplement's file swapped by SQL would put another judgement
in the case file; an imported package's 四性 report rewritten would hide that it was checked with
its own key."""
from liuhen.ledger.subjects import state_checker

from . import models
from . import vocabulary as v

MODELS = (models.Supplement, models.ImportedPackage, models.ImportedFile)


def checkers() -> dict:
    return {m.ledger_object_type: state_checker(m, codes=v.STATE_CODES[m.ledger_object_type]) for m in MODELS}
