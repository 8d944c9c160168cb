"""What `liuhen verify` asks of the retention app: does each long-term ground, legal hold, purge
notice, removal and restoration still say what the log last recorded for it? A hold deleted by SQL
would unfreeze footage, a notice inserted would let a file go without its custodians told, a
removal deleted would bring a file back unseen: each is a finding with its code."""
from liuhen.ledger.subjects import state_checker

from . import vocabulary as v
from .models import LegalHold, LongTermGround, PurgeNotice, Removal, Restoration

MODELS = (LongTermGround, LegalHold, PurgeNotice, Removal, Restoration)

CHECKERS = {m.ledger_object_type: state_checker(m, codes=v.STATE_CODES[m.ledger_object_type]) for m in MODELS}
