"""What `liuhen verify` asks of the avrules app: does each field-trip declaration and interruption
note still say what the log recorded? A declared return moved later by SQL would excuse late
footage (AS 12); a deleted interruption note would reopen a gap the officer explained (LQ 22)."""
from liuhen.ledger.subjects import state_checker

from . import vocabulary as v
from .models import FieldTrip, Interruption

check_field_trip = state_checker(FieldTrip, codes=v.STATE_CODES[FieldTrip.ledger_object_type])
check_interruption = state_checker(Interruption, codes=v.STATE_CODES[Interruption.ledger_object_type])
