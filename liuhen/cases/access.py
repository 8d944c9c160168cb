"""Who may see and who may work on a case: one policy registry (ARCHITECTURE: every read passes
access.check).

A policy answers, for a user and a case, the access it gives ("work", "view" or None) and, for
lists, the Q of the cases it gives access to. The built-in policies:

- officers assigned to the case: see and work on it;
- the unit's officers and unit head: see it; the unit head may also work on it (assign, approve);
- agency head, legal reviewers, supervisors, archivists: see every case of the agency;
- a time-limited grant (调阅授权, AccessGrant): view or work, only inside its window and not
  after it was revoked.

Once a case is archived (归档) its file is looked at only with approval (LW-D 15, BX 12, AS 14-15):
the "assigned" and "unit" policies give nothing on it — its own officers and unit head ask for a
retrieval slip (调用单, liuhen.retrieval) like anyone else — while the agency roles keep reading it by
duty and an active grant opens it.

Before any policy: the three administrators (三员) see no case content at all, and nobody sees a
case of another agency — but for one policy, "supervision" (上级监督): the 监督人员 of an agency that
supervises another (accounts.Supervision) VIEW the other's cases, never work on them. Everything
gated by a case and a role (a leader's signature, an approval) asks `check_view_to_act`, so that
reading another agency's case never lets anyone act on it. Apps above cases may add policies
(`register_policy`); they apply within the user's agency.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from liuhen.accounts.roles import ADMIN_ROLES, AGENCY_READ_ROLES, SUPERVISION_ROLES, Role
from liuhen.common import memo

VIEW, WORK = "view", "work"
ALL = "all"  # a policy's cases_q answer: every case of the user's agency


@dataclass(frozen=True)
class Policy:
    """An object policy (对象访问策略): `level(user, case, now)` → "work", "view" or None;
    `cases_q(user, now)` → the Q of the cases of the user's agency it opens (None: none; ALL: all)."""

    name: str
    level: Callable
    cases_q: Callable


_POLICIES: dict[str, Policy] = {}


def register_policy(policy: Policy) -> None:
    _POLICIES[policy.name] = policy


def policies() -> list[Policy]:
    return list(_POLICIES.values())


def is_assigned(user, case) -> bool:
    """Is `user` one of the case's officers? Once per reading request (common.memo: the access level
    and the page both ask)."""
    if getattr(user, "pk", None) is None or case.pk is None:
        return False
    return memo.remember(("access.is_assigned", user.pk, case.pk),
                         lambda: case.officers.filter(officer=user).exists())


def _assigned(user, case, now):
    # LW-D 15: an archived file is retrieved with approval, its own officers included.
    return WORK if not case.is_archived and is_assigned(user, case) else None


def _unit(user, case, now):
    if case.is_archived or user.unit_id != case.unit_id:
        return None
    if user.has_role(Role.UNIT_HEAD):
        return WORK
    return VIEW if user.has_role(Role.OFFICER) else None


def _agency_roles(user, case, now):
    return VIEW if user.has_role(*AGENCY_READ_ROLES) else None


def _grant(user, case, now):
    from .selectors import active_grant_scopes

    scopes = active_grant_scopes(user, case, now)
    return WORK if WORK in scopes else (VIEW if scopes else None)


_NOT_ARCHIVED = Q(archived_at__isnull=True)


def _unit_q(user, now):
    if not (user.unit_id and user.has_role(Role.OFFICER, Role.UNIT_HEAD)):
        return None
    return Q(unit_id=user.unit_id) & _NOT_ARCHIVED


def _grant_q(user, now):
    from .models import AccessGrant
    from .selectors import active_grant_q

    return Q(pk__in=AccessGrant.objects.filter(active_grant_q(user, now)).values("case_id"))


register_policy(Policy("assigned", _assigned, lambda user, now: Q(officers__officer=user) & _NOT_ARCHIVED))
register_policy(Policy("unit", _unit, _unit_q))
register_policy(Policy("agency_roles", _agency_roles,
                       lambda user, now: ALL if user.has_role(*AGENCY_READ_ROLES) else None))
register_policy(Policy("grant", _grant, _grant_q))


def _supervision(user, case, now):
    from liuhen.accounts.selectors import supervised_agency_ids

    if not user.has_role(*SUPERVISION_ROLES) or case.agency_id == user.agency_id:
        return None
    return VIEW if case.agency_id in supervised_agency_ids(user.agency_id) else None


def _supervision_q(user, now):
    from liuhen.accounts.selectors import supervised_agency_ids

    ids = supervised_agency_ids(user.agency_id) if user.has_role(*SUPERVISION_ROLES) else ()
    return Q(agency_id__in=ids) if ids else None


# 上级监督: the one policy that passes the agency wall — only to view (cases_q: the other agencies' cases).
SUPERVISION = Policy("supervision", _supervision, _supervision_q)


def _walled_out(user) -> bool:
    """Sees no case at all: not logged in, an administrator (三员), or of no agency."""
    return not user.is_authenticated or user.has_role(*ADMIN_ROLES) or user.agency_id is None


def _excluded(user, case) -> bool:
    return _walled_out(user) or user.agency_id != case.agency_id


def level(user, case, now=None) -> str | None:
    """The highest access any policy gives `user` on `case` at `now`: "work", "view" or None."""
    if now is None and getattr(user, "pk", None) is not None and case.pk is not None:
        return memo.remember(("access.level", user.pk, case.pk), lambda: _level(user, case, None))
    return _level(user, case, now)


def _level(user, case, now) -> str | None:
    if _walled_out(user):
        return None
    if user.agency_id != case.agency_id:
        return SUPERVISION.level(user, case, now)
    best = None
    for policy in _POLICIES.values():
        got = policy.level(user, case, now)
        if got == WORK:
            return WORK
        best = best or got
    return best


def can_view(user, case) -> bool:
    return level(user, case) is not None


def can_work(user, case) -> bool:
    """Add records, attach, sign as officer, move the stage."""
    return level(user, case) == WORK


def check_view_to_act(user, case) -> None:
    """The gate of an act whose right is to see the case plus a role (a leader's signature, an
    approval, a review): check_view, and the case is of the actor's agency — a supervising agency's
    监督人员 reads it (上级监督), never signs, approves or decides on it."""
    check_view(user, case)
    if user.agency_id != case.agency_id:
        raise PermissionDenied("上级监督只能查阅该案件，不能办理、签批或审批。")


def was_own(user, case) -> bool:
    """Did the case belong to the user before it was archived (an officer of it, of its unit, its unit
    head)? They know it, and are told it is archived rather than that they may not see it."""
    if _excluded(user, case):
        return False
    return is_assigned(user, case) or (user.unit_id == case.unit_id and user.has_role(Role.OFFICER, Role.UNIT_HEAD))


def check_view(user, case) -> None:
    if not can_view(user, case):
        if case.is_archived and was_own(user, case):
            raise PermissionDenied("案件已归档：查阅须提交调用单，经批准后在期限内查阅。")
        raise PermissionDenied("您无权查看该案件。")


def check_work(user, case) -> None:
    if case.is_archived and was_own(user, case):
        raise PermissionDenied("案件已归档，不能再修改。")
    check_view(user, case)  # someone who may not see the case learns nothing of its state
    if case.is_archived:
        raise PermissionDenied("案件已归档，不能再修改。")
    if not can_work(user, case):
        raise PermissionDenied("您不是该案件的承办人员，无权办理。")


def by_grant_only(user, case, now=None) -> bool:
    """An archived case `user` sees only through a grant (an approved 调用单): the PDFs they take away are
    the watermarked 查阅件 of liuhen.retrieval (issue 19 item 5), not the documents' own downloads."""
    if not case.is_archived or _excluded(user, case):
        return False
    others = [p.level(user, case, now) for name, p in _POLICIES.items() if name != "grant"]
    return not any(others) and _grant(user, case, now) is not None


def check_not_by_grant(user, case) -> None:
    """Refuse the documents', the volume's and the supplements' own downloads to one who sees the
    archived `case` only through a grant: a copy taken under a 调用单 carries the watermark (retrieval)."""
    if by_grant_only(user, case):
        raise PermissionDenied("该案件已归档：请在调用单页面下载带水印的查阅件。")


def visible_cases(user, now=None):
    """The cases `user` may see, as a queryset (for lists)."""
    from .models import Case

    if _walled_out(user):
        return Case.objects.none()
    q, every = None, False
    for policy in _POLICIES.values():
        got = policy.cases_q(user, now)
        if got is ALL:
            q, every = Q(), True
            break
        if got is not None:
            q = got if q is None else q | got
    where = Q(agency_id=user.agency_id) & q if q is not None else None
    supervised = SUPERVISION.cases_q(user, now)
    if supervised is not None:
        where = supervised if where is None else where | supervised
    if where is None:
        return Case.objects.none()
    qs = Case.objects.filter(where)
    return qs if every and supervised is None else qs.distinct()


def may_grant(user, case) -> bool:
    """Who may give or revoke a grant on a case: the agency head, or the head of the case's unit."""
    if _excluded(user, case):
        return False
    return user.has_role(Role.AGENCY_HEAD) or (user.has_role(Role.UNIT_HEAD) and user.unit_id == case.unit_id)
