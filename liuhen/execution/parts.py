"""What execution shows on the case page (cases/pages.py, registered in ExecutionConfig.ready()): from
送达执行 on, when the decision imposes a fine — the fine, when it was served, the due date(s), what was
paid and the balance, the illegal gains confiscated (没收违法所得) and what of them was handed over, the deferral state, and the late fine computed for today (shown, not charged);
the officer's forms (缴款 with the voucher's photo, 延期/分期申请) and the head's decision form."""
from liuhen.cases import access
from liuhen.cases.models import STAGE_ORDER, Stage
from liuhen.profiles import selectors as profiles

from . import forms
from . import selectors as s
from .models import Towards

TEMPLATE = "execution/case_part.html"


def _shown(case) -> bool:
    return case.is_archived or STAGE_ORDER.index(case.stage) >= STAGE_ORDER.index(Stage.SERVICE)


def case_page(user, case, *, can_work) -> dict:
    if not _shown(case):
        return {"execution": None}
    acc = s.account(case)
    if not acc.fine and not acc.confiscation:
        return {"execution": None}
    officer = s.in_execution(case) and can_work and access.is_assigned(user, case)
    ctx = {
        "account": acc,
        "payments": s.payments(case),
        "requests": s.requests(case),
        "spec": profiles.profile_for_case(case).execution,
    }
    if officer and (acc.balance > 0 or acc.late_cap_left > 0 or acc.confiscation_balance > 0):
        first = (acc.balance, Towards.FINE) if acc.balance > 0 else (acc.confiscation_balance, Towards.CONFISCATION)
        ctx["payment_form"] = forms.PaymentForm(initial={"amount": s.yuan(first[0]).replace(",", ""),
                                                         "paid_on": acc.on, "towards": first[1]})
    if officer and acc.balance > 0 and acc.due_on is not None and acc.pending is None:
        ctx["deferral_form"] = forms.DeferralRequestForm()
    if acc.pending is not None and s.may_decide(user, case) and not case.is_archived:
        ctx["decision_form"] = forms.DeferralDecisionForm()
    return {"execution": ctx}


def register() -> None:
    from liuhen.cases import pages as case_pages

    case_pages.register_case_page(case_page)
    case_pages.register_case_part(TEMPLATE)
