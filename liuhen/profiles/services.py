"""Loading a profile version for an agency (writes). A file is checked whole before anything is
written: a bad one is refused with each error's line and reason, the refusal is in the ledger, and
the agency's active profile stays what it was."""
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from liuhen.common.text import clean
from liuhen.ledger import services as ledger
from liuhen.ledger.core.canonical import content_sha256

from . import loader
from . import vocabulary as V
from .models import ProfileVersion

# Who may load an agency's profile (the rules its officers are held to): the system administrator
# configures the system; the 机关负责人 answers for the agency's rules. Scripts act as the system.
LOAD_ROLES = ("system_admin", "agency_head")


class ProfileRefused(ValidationError):
    """A profile file refused: `.profile_error` holds every error with its line."""

    def __init__(self, error: loader.ProfileError):
        self.profile_error = error
        super().__init__(error.lines(), code="invalid_profile")


def version_snapshot(pv: ProfileVersion) -> dict:
    """What a load's event says of its row (the digest of it is the event's content_sha256)."""
    return {"agency": pv.agency_id, "code": pv.code, "name": pv.name, "number": pv.number, "sha256": pv.sha256,
            "loaded_by": pv.loaded_by_id, "loaded_at": pv.loaded_at.isoformat(timespec="microseconds"),
            "reason": pv.reason}


def record_refusal(actor, agency, error: loader.ProfileError, label: str) -> None:
    """A refused profile file in the ledger (a read: it stays whatever becomes of the caller)."""
    # The lines and the number of errors, never the file's text (a reason may quote anything).
    with transaction.atomic():
        ledger.append(V.REFUSED, actor=actor, object_type=V.AGENCY_OBJECT, object_id=getattr(agency, "pk", ""),
                      detail={"act": "load", "codes": ["invalid_profile"], "file": label[:100],
                              "lines": [line for _, line, _ in error.errors if line][:20],
                              "errors": len(error.errors)})


def check_text(text: str, label: str = "配置文件"):
    """The Profile a text says, or loader.ProfileError (nothing recorded: a dry check)."""
    return loader.build(text, label=label)


def load_profile(actor, agency, text: str, *, reason: str = "", label: str = "配置文件") -> ProfileVersion:
    """Load `text` as the agency's next profile version. Refused (ProfileRefused, with each line and
    reason, recorded in the ledger) if the file is not valid; PermissionDenied if `actor` may not."""
    if actor is not None and not actor.has_role(*LOAD_ROLES):
        raise PermissionDenied("只有系统管理员或机关负责人可以载入执法规则配置。")
    if actor is not None and actor.agency_id is not None and actor.agency_id != agency.pk:
        raise PermissionDenied("只能载入本机关的执法规则配置。")
    reason = clean(reason, "载入原因", max_length=500).strip()
    try:
        profile = loader.build(text, label=label)
    except loader.ProfileError as exc:
        record_refusal(actor, agency, exc, label)
        raise ProfileRefused(exc) from exc
    with transaction.atomic():
        # One number after another per agency, even when two loads race (the agency row is locked).
        type(agency).objects.select_for_update().filter(pk=agency.pk).first()
        number = (ProfileVersion.objects.filter(agency=agency).aggregate(m=Max("number"))["m"] or 0) + 1
        pv = ProfileVersion.objects.create(
            agency=agency, code=profile.code, name=profile.name[:200], number=number, source=text,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), loaded_by=actor, loaded_at=timezone.now(),
            reason=reason[:500])
        pv = ProfileVersion.objects.get(pk=pv.pk)  # times as stored
        ledger.append(V.LOAD, actor=actor, object_type=V.OBJECT_TYPE, object_id=pv.pk, object_version=pv.number,
                      content_sha256=content_sha256(version_snapshot(pv)),
                      detail={**version_snapshot(pv), "extends": profile.extends, "regulation": profile.regulation})
    from . import selectors

    selectors.remember(pv, profile)
    return pv
