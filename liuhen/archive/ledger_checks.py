"""What `liuhen verify` asks of the archive room: does each supplement, imported package and imported
file still say what the log recorded? A supplement's file swapped by SQL would put another judgement
in the case file; an imported package's 四性 report rewritten would hide that it was checked with
its own key; an assembled volume swapped would hand on another file than the one assembled."""
from liuhen.ledger.subjects import state_checker

from . import models
from . import vocabulary as v

MODELS = (models.Supplement, models.ImportedPackage, models.ImportedFile, models.AssembledFile,
          models.AssembledDocument)


def checkers() -> dict:
    return {m.ledger_object_type: state_checker(m, codes=v.STATE_CODES[m.ledger_object_type]) for m in MODELS}
