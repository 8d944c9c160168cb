"""What caseproperty shows on the case page (cases/pages.py, registered in CasePropertyConfig.ready()):
the case's items with where each is kept and its state, the term of each 查封、扣押 (行政强制法 25), the
requests with their approval and result; the officer's forms (登记财物, 移交保管, 申请处理, 登记处理结果)
and the approver's (批准/不予批准)."""
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.cases import access
from liuhen.cases.models import Stage
from liuhen.profiles import selectors as profiles

from . import forms
from . import selectors as s

TEMPLATE = "caseproperty/case_part.html"


def _request_rows(user, case, reqs, views, officer) -> list[dict]:
    names = {view.item.pk: view.item for view in views}
    rows = []
    for req in reqs:
        state = s.request_state(req)
        row = {"req": req, "items": [names[i] for i in req.item_ids if i in names], "state": state,
               "approval": s.approval_of(req), "handling": s.handling_of(req)}
        if state == s.PENDING and not case.is_archived and s.may_decide(user, case, req):
            row["decision_form"] = forms.DecisionForm(prefix=f"d{req.pk}")
        if state == s.APPROVED and officer:
            row["handling_form"] = forms.HandlingForm(prefix=f"h{req.pk}")
        rows.append(row)
    return rows


def _terms(case, views) -> list[dict]:
    """Each seizure's term; `released` when every item listed from it is handled (returned, released…) —
    shown on the card, while the clock itself is met only by the records (records.duedates is pure)."""
    now = timezone.now()
    out = []
    for t in s.seizure_terms(case, now=now):
        listed = [view for view in views if str(view.item.source_record_id) == t.subject_id]
        out.append({"due": t, "overdue": t.met_at is None and t.due_at is not None and t.due_at < now,
                    "released": bool(listed) and all(view.state == s.HANDLED for view in listed)})
    return out


def case_page(user, case, *, can_work) -> dict:
    views = s.items(case)
    # Items are listed, kept and handled from 调查取证 to 送达执行 (查封扣押 in the investigation, handling
    # after the decision); in 程序启动 and 归档管理 the card only shows what there is.
    officer = (can_work and not case.is_archived and case.stage in (Stage.INVESTIGATION, Stage.DECISION, Stage.SERVICE)
               and access.is_assigned(user, case))
    if not views and not officer:
        return {"caseproperty": None}
    held = [view for view in views if view.state == s.HELD]
    rows = [{"view": view, "custody_form": forms.CustodyForm(prefix=f"c{view.item.pk}")
             if officer and view.state != s.HANDLED else None} for view in views]
    ctx = {"items": rows, "requests": _request_rows(user, case, s.requests(case), views, officer),
           "terms": _terms(case, views), "officer": officer,
           "approvers": "、".join(Role(r).label for r in profiles.profile_for_case(case).case_property.approve_roles)}
    if officer:
        ctx["item_form"] = forms.ItemForm(records=s.source_records(case), prefix="item")
        if held:
            ctx["request_form"] = forms.RequestForm(items=held, prefix="req")
    return {"caseproperty": ctx}


def register() -> None:
    from liuhen.cases import pages as case_pages

    case_pages.register_case_page(case_page)
    case_pages.register_case_part(TEMPLATE)
