"""Officers (执法人员) and their certificates (执法证) received from the provincial platform: each call
carries the platform's whole record of one person or one certificate, and is idempotent — the same
record again changes nothing and says so; a changed one is written through accounts.services (the
same writes and ledger events as the system administrator's), in one transaction, or nothing is.

A received officer gets an officer-role account of the client's agency whose password was generated
and never kept: nobody can log in as them until the system administrator sets a password
(reset_password, released by the security administrator)."""
import datetime
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction

from liuhen.accounts import services as accounts
from liuhen.accounts.models import Certificate, Unit
from liuhen.accounts.roles import Role
from liuhen.common import text
from liuhen.ledger import services as ledger

from . import vocabulary as v
from .models import ApiClient, ReceivedOfficer

OFFICER_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"


def _line(value: str, label: str, max_length: int, *, required: bool = True) -> str:
    """A single line of text as a form would take it (no control characters: PostgreSQL stores no NUL)."""
    value = text.clean(value, label, max_length=max_length).strip()
    if required and not value:
        raise ValidationError(f"请填写{label}。", code="required")
    return value


def _officer_id(value: str) -> str:
    if not OFFICER_ID.fullmatch(value or ""):
        raise ValidationError("平台人员编号应为 1 至 64 个字母、数字或 . _ -。", code="officer_id")
    return value


def _unit(agency, name: str) -> Unit | None:
    if not name:
        return None
    unit = Unit.objects.filter(agency=agency, name=name).first()
    if unit is None:
        raise ValidationError(f"执法机构“{name}”在本机关不存在，请先由系统管理员创建。", code="unit_unknown")
    return unit


def username_for(agency, officer_id: str) -> str:
    """The login name of a received officer: the platform's id within the agency (unique with it)."""
    return f"zf{agency.pk}-{officer_id}"


def receive_officer(client: ApiClient, *, officer_id: str, name: str, unit: str = "",
                    active: bool = True) -> tuple[str, ReceivedOfficer, list[str]]:
    """执法人员 `officer_id` of the client's agency as the platform now has it: (CREATED, UPDATED or
    UNCHANGED, the link to the account, the fields changed). The body is the whole record: an empty
    `unit` takes the person out of their unit, `active` False disables the account (调离、离岗)."""
    agency = client.agency
    officer_id = _officer_id(officer_id)
    name = _line(name, "姓名", 50)
    unit = _line(unit, "执法机构", 100, required=False)
    with transaction.atomic():
        unit_row = _unit(agency, unit)
        row = ReceivedOfficer.objects.select_related("user").filter(agency=agency, officer_id=officer_id).first()
        if row is not None:
            changed = accounts.change_person(None, row.user, full_name=name, unit=unit_row, is_active=active)
            return (UPDATED if changed else UNCHANGED), row, changed
        user = accounts.create_user(None, username=username_for(agency, officer_id), full_name=name,
                                    password=secrets.token_urlsafe(32), agency=agency, unit=unit_row,
                                    roles=[Role.OFFICER])
        row = ReceivedOfficer.objects.create(agency=agency, officer_id=officer_id, user=user, client=client)
        row = ReceivedOfficer.objects.select_related("user").get(pk=row.pk)
        ledger.append_row(v.OFFICER_RECEIVE, None, row, officer_id=officer_id, user=user.pk, client=client.pk)
        if not active:
            accounts.change_person(None, user, full_name=name, unit=unit_row, is_active=False)
        return CREATED, row, []


def receive_certificate(client: ApiClient, *, officer_id: str, number: str, valid_from: datetime.date,
                        valid_until: datetime.date, issued_by: str = "",
                        revoked: bool = False) -> tuple[str, Certificate, list[str]]:
    """执法证 `number` of a received officer as the platform now has it: (CREATED, UPDATED or UNCHANGED,
    the certificate, the fields changed). A revoked certificate stays revoked (注销 is final)."""
    officer_id = _officer_id(officer_id)
    number = _line(number, "执法证号", 40)
    issued_by = _line(issued_by, "发证机关", 100, required=False)
    row = ReceivedOfficer.objects.select_related("user").filter(agency=client.agency, officer_id=officer_id).first()
    if row is None:
        raise ValidationError(f"平台人员编号“{officer_id}”尚未报送，请先报送该执法人员。", code="officer_unknown")
    with transaction.atomic():
        cert = Certificate.objects.filter(number=number).first()
        if cert is None:
            cert = accounts.issue_certificate(None, row.user, number=number, valid_from=valid_from,
                                              valid_until=valid_until, issued_by=issued_by)
            if revoked:
                accounts.revoke_certificate(None, cert)
            return CREATED, cert, []
        if cert.holder_id != row.user_id:
            raise ValidationError(f"执法证号“{number}”已登记在其他人员名下。", code="certificate_holder")
        if cert.revoked:
            if not revoked:
                raise ValidationError(f"执法证（{number}）已注销，不能恢复；新证请使用新的证号。",
                                      code="certificate_revoked")
            return UNCHANGED, cert, []
        changed = accounts.change_certificate(None, cert, valid_from=valid_from, valid_until=valid_until,
                                              issued_by=issued_by)
        if revoked:
            accounts.revoke_certificate(None, cert)
            changed.append("revoked")
        return (UPDATED if changed else UNCHANGED), cert, changed
