"""Who may see and who may work on a case (ARCHITECTURE: every read passes access.check).

- officers assigned to the case: see and work on it;
- the unit's officers and unit head: see it; the unit head may also work on it (assign, approve);
- agency head, legal reviewers, supervisors, archivists: see every case of the agency;
- the three administrators (三员) see no case content at all.
"""
from django.core.exceptions import PermissionDenied

from liuhen.accounts.roles import ADMIN_ROLES, AGENCY_READ_ROLES, Role


def is_assigned(user, case) -> bool:
    return case.officers.filter(officer=user).exists()


def can_view(user, case) -> bool:
    if not user.is_authenticated or user.has_role(*ADMIN_ROLES):
        return False
    if user.agency_id != case.agency_id:
        return False
    if user.has_role(*AGENCY_READ_ROLES):
        return True
    if user.unit_id == case.unit_id and user.has_role(Role.OFFICER, Role.UNIT_HEAD):
        return True
    return is_assigned(user, case)


def can_work(user, case) -> bool:
    """Add records, attach, sign as officer, move the stage."""
    if not can_view(user, case):
        return False
    if is_assigned(user, case):
        return True
    return user.has_role(Role.UNIT_HEAD) and user.unit_id == case.unit_id


def check_view(user, case) -> None:
    if not can_view(user, case):
        raise PermissionDenied("您无权查看该案件。")


def check_work(user, case) -> None:
    check_view(user, case)  # someone who may not see the case learns nothing of its state
    if case.is_archived:
        raise PermissionDenied("案件已归档，不能再修改。")
    if not can_work(user, case):
        raise PermissionDenied("您不是该案件的承办人员，无权办理。")


def visible_cases(user):
    """The cases `user` may see, as a queryset (for lists)."""
    from django.db.models import Q

    from .models import Case

    if not user.is_authenticated or user.has_role(*ADMIN_ROLES) or user.agency_id is None:
        return Case.objects.none()
    qs = Case.objects.filter(agency_id=user.agency_id)
    if user.has_role(*AGENCY_READ_ROLES):
        return qs
    q = Q(officers__officer=user)
    if user.has_role(Role.OFFICER, Role.UNIT_HEAD) and user.unit_id:
        q |= Q(unit_id=user.unit_id)
    return qs.filter(q).distinct()
