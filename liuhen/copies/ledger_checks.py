"""What `liuhen verify` asks of the copies app: does each copy request, decision, package and
handover still say what the log recorded? An item slipped into a request, a refusal turned into an
approval, a package's SHA-256 or a handover's receiver changed by SQL — each would rewrite what was
given to a court and on whose consent (LW-D 13, LW-D 15 记录在案)."""
from liuhen.ledger.subjects import state_checker

from . import vocabulary as v
from .models import CopyApproval, CopyHandover, CopyPackage, CopyRequest


def _coded(model):
    return state_checker(model, codes=v.STATE_CODES[model.ledger_object_type])


check_request = _coded(CopyRequest)
check_approval = _coded(CopyApproval)
check_package = _coded(CopyPackage)
check_handover = _coded(CopyHandover)
