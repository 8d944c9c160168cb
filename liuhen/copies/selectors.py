"""Reads of the copies app: a request's status (which of its rows exist), the requests a person may
see, a request's history from the ledger."""
from django.db.models import Q

from liuhen.accounts.roles import ADMIN_ROLES, Role
from liuhen.cases import access
from liuhen.ledger import services as ledger

from . import checks
from .models import CopyApproval, CopyHandover, CopyPackage, CopyRequest

STATUS_LABELS = {
    "pending": "待审批",
    "declined": "不予批准",
    "approved": "已批准，待制作",
    "made": "已制作，待移交",
    "handed_over": "已移交",
}
STATUS_BADGES = {"pending": "badge-warn", "declined": "badge-bad", "approved": "badge-current",
                 "made": "badge-current", "handed_over": "badge-done"}

STATUS_Q = {
    "pending": Q(approval__isnull=True),
    "declined": Q(approval__approved=False),
    "approved": Q(approval__approved=True, package__isnull=True),
    "made": Q(package__isnull=False, package__handover__isnull=True),
    "handed_over": Q(package__handover__isnull=False),
}


def approval_of(request: CopyRequest):
    return CopyApproval.objects.filter(request=request).select_related("decided_by").first()


def package_of(request: CopyRequest):
    return CopyPackage.objects.filter(request=request).select_related("made_by").first()


def handover_of(package):
    if package is None:
        return None
    return CopyHandover.objects.filter(package=package).select_related("recorded_by").first()


def status(request: CopyRequest) -> str:
    approval = getattr(request, "approval", None) if _loaded(request, "approval") else approval_of(request)
    if approval is None:
        return "pending"
    if not approval.approved:
        return "declined"
    package = getattr(request, "package", None) if _loaded(request, "package") else package_of(request)
    if package is None:
        return "approved"
    return "handed_over" if handover_of(package) is not None else "made"


def _loaded(obj, name) -> bool:
    try:
        getattr(obj, name)
    except Exception:  # noqa: BLE001 — RelatedObjectDoesNotExist: nothing there
        return False
    return True


def sees_all(user) -> bool:
    """The approvers, the office that makes copies and the supervisors see every request of the agency."""
    copies = checks.rules(user.agency_id)
    return user.has_role(*copies.approve_roles, *copies.maker_roles, Role.SUPERVISOR)


def sees_none(user) -> bool:
    return not user.is_authenticated or user.agency_id is None or user.has_role(*ADMIN_ROLES)


def visible_requests(user):
    if sees_none(user):
        return CopyRequest.objects.none()
    qs = CopyRequest.objects.filter(agency_id=user.agency_id)
    if not sees_all(user):
        qs = qs.filter(Q(requested_by=user) | Q(case__in=access.visible_cases(user).values("pk")))
    return qs


def may_see(user, request: CopyRequest) -> bool:
    if sees_none(user) or request.agency_id != user.agency_id:
        return False
    return sees_all(user) or request.requested_by_id == user.pk or access.can_view(user, request.case)


def listing(user, status_code: str = ""):
    qs = visible_requests(user).select_related("case", "requested_by")
    if status_code in STATUS_Q:
        qs = qs.filter(STATUS_Q[status_code])
    rows = list(qs.order_by("-requested_at", "-pk")[:500])
    approvals = {a.request_id: a for a in CopyApproval.objects.filter(request__in=rows)}
    packages = {p.request_id: p for p in CopyPackage.objects.filter(request__in=rows)}
    handed = set(CopyHandover.objects.filter(package__in=packages.values()).values_list("package__request_id",
                                                                                       flat=True))
    for r in rows:
        a, p = approvals.get(r.pk), packages.get(r.pk)
        r.status_code = ("pending" if a is None else "declined" if not a.approved else "approved" if p is None
                         else "handed_over" if r.pk in handed else "made")
        r.status_label = STATUS_LABELS[r.status_code]
        r.status_badge = STATUS_BADGES[r.status_code]
    return rows


def history(request: CopyRequest) -> list[dict]:
    """The ledger's events about the request, its decision, package and handover, oldest first."""
    out = ledger.trail(CopyRequest.ledger_object_type, request.pk)
    approval = approval_of(request)
    if approval is not None:
        out += ledger.trail(CopyApproval.ledger_object_type, approval.pk)
    package = package_of(request)
    if package is not None:
        out += ledger.trail(CopyPackage.ledger_object_type, package.pk)
        handover = handover_of(package)
        if handover is not None:
            out += ledger.trail(CopyHandover.ledger_object_type, handover.pk)
    from . import vocabulary as v

    for e in out:
        e["label"] = v.ACTION_LABELS.get(e["action"], e["action"])
        if e["action"] == v.APPROVE:
            e["label"] = "批准" if (e.get("detail") or {}).get("approved") else "不予批准"
    # Page views are reads of the request, not steps of it (they are in the ledger all the same).
    return sorted((e for e in out if e["action"] != v.VIEW), key=lambda e: e["entry_id"])


def case_requests(case):
    return list(CopyRequest.objects.filter(case=case).select_related("requested_by").order_by("-requested_at"))
