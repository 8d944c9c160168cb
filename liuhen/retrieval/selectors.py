"""Reads of retrieval (档案利用): the file's SHA-256 a slip carries, a slip's state, the classes of a
file's records, the slips a user asked for and those waiting for their approval."""
import hashlib
from dataclasses import dataclass

from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.archive.contents import contents
from liuhen.cases import access
from liuhen.footage.models import FootageItem
from liuhen.profiles.selectors import profile_for_case
from liuhen.profiles.spec import CLASSIFICATIONS

from .models import Classification, Decision, Kind, RetrievalRequest

PENDING, APPROVED, REFUSED, EXPIRED = "pending", "approved", "refused", "expired"
STATE_LABELS = {PENDING: "待审批", APPROVED: "已批准", REFUSED: "已拒绝", EXPIRED: "已过期"}
STATE_BADGES = {PENDING: "badge-warn", APPROVED: "badge-done", REFUSED: "badge-bad", EXPIRED: "badge-void"}
# LC 33, 政府信息公开条例 15: what a party or an outsider may not consult or copy.
CLOSED_CLASSES = frozenset({"trade_secret", "privacy"})
LIST_LIMIT = 200


def file_items(case) -> list:
    """The records of the case file — complete, not voided — in the 卷内目录's procedural order (the
    package's and the volume's list: archive.contents)."""
    return [p.state for p in contents(case) if p.kind == "document"]


def file_footage(case) -> list[FootageItem]:
    """The footage of the case file (linked, links not ended), each item once, in the 卷内目录's order
    (by stage, then by the time it was recorded: archive.contents)."""
    return [p.footage for p in contents(case) if p.kind == "media"]


def footage_label(item: FootageItem) -> str:
    """An item as a slip lists it: its name, its recording time (当地), its duration."""
    parts = [item.name]
    if item.recorded_local:
        parts.append(item.recorded_local.replace("T", " ")[:16])
    if item.duration is not None:
        seconds = round(item.duration)
        parts.append(f"{seconds // 60}:{seconds % 60:02d}")
    return " · ".join(parts)


def file_sha256(case) -> str:
    """案卷 SHA-256: over the 卷内目录 in its order (archive.contents) — each record's latest version (its
    id, version number and content SHA-256), each clip's SHA-256 — one line each: what the slip carries,
    so that a later look can tell whether the file is still the one approved."""
    h = hashlib.sha256()
    for piece in contents(case):
        if piece.kind == "document":
            st = piece.state
            h.update(f"record {st.record.pk} {st.latest.number} {st.latest.content_sha256}\n".encode())
        else:
            h.update(f"footage {piece.footage.blob_id}\n".encode())
    return h.hexdigest()


def classes(case) -> dict[int, str]:
    """{record_id: class code} the archivist set (the latest row of each record wins)."""
    out = {}
    for record_id, code in (Classification.objects.filter(case=case).order_by("id")
                            .values_list("record_id", "code")):
        out[record_id] = code
    return out


def class_of(case, record_id: int, given: dict | None = None) -> str:
    given = classes(case) if given is None else given
    return given.get(record_id) or profile_for_case(case).archive.classification


def class_label(code: str) -> str:
    return CLASSIFICATIONS.get(code, code)


def approve_roles(case, kind: str) -> tuple:
    spec = profile_for_case(case).archive
    return {Kind.STAFF: spec.staff_approve_roles, Kind.OUTSIDER: spec.outsider_approve_roles,
            Kind.PARTY: spec.party_approve_roles}[kind]


def role_names(roles) -> str:
    return "、".join(Role(r).label for r in roles)


def may_decide(user, req: RetrievalRequest) -> bool:
    """A role the profile names for the kind, of the case's agency, neither the requester nor the one who
    entered it; for a staff slip also one who may give the grant (the agency head, or the head of the
    case's unit: cases.access.may_grant)."""
    case = req.case
    if not user.is_authenticated or user.agency_id != case.agency_id:
        return False
    if user.pk in (req.requester_id, req.entered_by_id):
        return False
    if not user.has_role(*approve_roles(case, req.kind)):
        return False
    return req.kind != Kind.STAFF or access.may_grant(user, case)


def state(req: RetrievalRequest, now=None) -> str:
    decision = getattr(req, "decision", None) if _has_decision(req) else None
    if decision is None:
        return PENDING
    if not decision.approved:
        return REFUSED
    return APPROVED if (now or timezone.now()) < decision.expires_at else EXPIRED


def _has_decision(req) -> bool:
    try:
        req.decision
    except Decision.DoesNotExist:
        return False
    return True


def decision_of(req) -> Decision | None:
    return req.decision if _has_decision(req) else None


@dataclass
class Slip:
    req: RetrievalRequest
    state: str
    decision: Decision | None

    @property
    def label(self) -> str:
        if self.state == APPROVED:
            return f"已批准（至 {timezone.localtime(self.decision.expires_at):%Y-%m-%d %H:%M}）"
        return STATE_LABELS[self.state]

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]


def slip(req: RetrievalRequest, now=None) -> Slip:
    return Slip(req, state(req, now), decision_of(req))


def _rows(qs):
    return qs.select_related("case", "requester", "entered_by", "decision", "decision__decided_by").order_by("-id")


def my_requests(user) -> list[Slip]:
    """我的调阅申请: the slips the user asked for (staff) or entered (the archivist's), newest first."""
    from django.db.models import Q

    qs = RetrievalRequest.objects.filter(Q(requester=user) | Q(entered_by=user))
    return [slip(r) for r in _rows(qs)[:LIST_LIMIT]]


def awaiting_decision(user) -> list[RetrievalRequest]:
    """The slips `user` may decide and nobody has, oldest first (待审批, 我的待办)."""
    if not user.is_authenticated or user.agency_id is None:
        return []
    qs = (RetrievalRequest.objects.filter(case__agency_id=user.agency_id, decision__isnull=True)
          .select_related("case", "requester", "entered_by").order_by("id"))
    return [r for r in qs if may_decide(user, r)]


def copies_to_make(user) -> list[RetrievalRequest]:
    """Approved outsider's and party's slips, unexpired, whose copy the archivist has not made."""
    if not user.has_role(Role.ARCHIVIST):
        return []
    qs = (RetrievalRequest.objects.filter(case__agency_id=user.agency_id, kind__in=[Kind.OUTSIDER, Kind.PARTY],
                                          decision__approved=True, decision__expires_at__gt=timezone.now(),
                                          copy__isnull=True)
          .select_related("case", "decision").order_by("id"))
    return list(qs)


def scope_records(req: RetrievalRequest) -> list:
    """The record states the slip covers: the listed records, or the whole file's."""
    items = file_items(req.case)
    if req.whole:
        return items
    wanted = set(req.record_ids)
    return [st for st in items if st.record.pk in wanted]


def scope_footage(req: RetrievalRequest) -> list[FootageItem]:
    """The footage the slip covers: the listed items still linked to the case, or all the file's."""
    items = file_footage(req.case)
    if req.whole:
        return items
    wanted = set(req.footage_ids)
    return [it for it in items if it.pk in wanted]


def footage_in_scope(user, case, item, now=None) -> bool:
    """footage.register_case_narrowing: one who reads an archived case only through a grant plays only
    the clips a running staff slip of theirs covers (a whole-file slip: every clip of the file)."""
    if not access.by_grant_only(user, case, now):
        return True
    now = now or timezone.now()
    slips = (RetrievalRequest.objects.filter(case=case, requester=user, kind=Kind.STAFF, decision__approved=True,
                                             decision__expires_at__gt=now))
    return any(req.whole or item.pk in set(req.footage_ids) for req in slips)


def classifier(case) -> dict[int, str]:
    """liuhen.archive.classes' classifier: the archivist's classes of the case's records."""
    return classes(case)


def copy_blobs(shas: set[str]) -> set[str]:
    """Of `shas`, those a copy's watermarked PDF stores (media.purge asks before deleting). A footage
    item a copy names is the original's own blob: its keeping stays the original's (LW-D 11)."""
    from .models import CopyItem

    return set(CopyItem.objects.filter(blob_id__in=shas, footage__isnull=True).values_list("blob_id", flat=True))
