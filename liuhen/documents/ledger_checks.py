"""What `liuhen verify` asks of the documents app: does each 文号, void and issued document still say
what the log recorded? A number deleted (an unexplained gap), a void slipped in or taken out (a
document shown valid or void against the record), an issued document's PDF hash or token changed by
SQL, a revocation or replacement slipped in or taken out (a document shown revoked or valid on its
public verification page against the record) — each would let the paper a party holds disagree
with what the agency logged."""
from liuhen.ledger.subjects import state_checker

from . import vocabulary as v
from .models import DocumentNumber, DocumentWithdrawal, IssuedDocument, NumberVoid


def _coded(model):
    return state_checker(model, codes=v.STATE_CODES[model.ledger_object_type])


check_number = _coded(DocumentNumber)
check_void = _coded(NumberVoid)
check_issued = _coded(IssuedDocument)
check_withdrawal = _coded(DocumentWithdrawal)
