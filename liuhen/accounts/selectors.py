"""Reads of agencies and people that other apps' commands and views share."""
from django.core.exceptions import ValidationError

from .models import Agency, Supervision, User


def agency_named(name: str = "", actor=None) -> Agency:
    """The agency a script means: by name or 文号简称; else the acting person's; else the only one.
    A Chinese ValidationError when there is none or the choice is not clear."""
    if name:
        found = Agency.objects.filter(name=name).first() or Agency.objects.filter(short_name=name).first()
        if found is None:
            raise ValidationError(f"执法机关“{name}”不存在。")
        return found
    if actor is not None and actor.agency_id:
        return actor.agency
    agencies = list(Agency.objects.all()[:2])
    if len(agencies) != 1:
        raise ValidationError("请用 --agency 指定执法机关。" if agencies else "还没有执法机关，请先初始化。")
    return agencies[0]


def person_named(username: str, what: str = "人员") -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ValidationError(f"{what}“{username}”不存在。")
    return user


def supervised_agency_ids(agency_id) -> set[int]:
    """The agencies `agency_id` supervises now (上级监督, directly: a supervision is declared for each
    pair, it does not pass down a chain)."""
    if agency_id is None:
        return set()
    return set(Supervision.objects.filter(supervisor_id=agency_id, end__isnull=True)
               .values_list("supervised_id", flat=True))


def active_supervisions():
    return Supervision.objects.filter(end__isnull=True).select_related("supervisor", "supervised").order_by("id")
