"""What `liuhen verify` asks of the devices app: does each device, sign-out (领用) and return (归还)
still say what the log last recorded for it? A device moved to another custodian by SQL, a
sign-out's officer or time changed, or a return deleted would attribute footage to the wrong
person (LQ 27) — each write logged the digest of the row's state, and each row is compared."""
from liuhen.ledger.subjects import state_checker

from . import vocabulary as v
from .models import Device, DockStation, LifeEvent, Return, SignOut


def _coded_checker(model):
    return state_checker(model, codes=v.STATE_CODES[model.ledger_object_type])


check_device = _coded_checker(Device)
check_signout = _coded_checker(SignOut)
check_return = _coded_checker(Return)
check_station = _coded_checker(DockStation)
check_life_event = _coded_checker(LifeEvent)
