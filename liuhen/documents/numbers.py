"""文号 (document numbers): a sequence per agency, document kind and year, e.g. 本水罚〔2026〕第3号.

A number is given when a document is issued (`issue_number`, inside the issue's transaction), never
when a case is opened: a document that is never issued takes no number, and an issue that fails
rolls its number back with everything else — so the sequence has no gap but a voided number, and
a voided number stays listed with its reason (`void_number`; SPEC §8: gaps are explained).

Never reused, also when two processes issue at once: the database holds one row per (agency, kind,
year, n) (a unique constraint). On SQLite every transaction takes the write lock at its start
(transaction_mode IMMEDIATE), so issues are serial; on PostgreSQL a transaction-level advisory lock
on the sequence serialises them, and should a row still collide the number is taken again in a
savepoint.

The format comes from the agency profile's `documents` section (`numbering`: a mapping from
the document kind — the record type's code — to its format, "*" for every other kind), read
defensively: the profile may have no such section. Placeholders: {agency} (the agency's 文号简称),
{year}, {n}, {kind} (the document's name, e.g. 权利告知书).
"""
from __future__ import annotations

import hashlib
import string

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from liuhen.accounts.roles import AGENCY_READ_ROLES, LEADER_ROLES
from liuhen.common import text as texts
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger

from . import vocabulary as v
from .models import DocumentNumber, NumberVoid

# The penalty decision's number names the kind of act (罚); every other document carries its own
# name, so that two kinds' sequences never print the same 文号.
DEFAULT_FORMATS = {"decision": "{agency}罚〔{year}〕第{n}号", "*": "{agency}{kind}〔{year}〕{n}号"}
PLACEHOLDERS = frozenset({"agency", "year", "n", "kind"})
_UNSET = object()


def _section_value(section, name: str):
    if section is None:
        return None
    if isinstance(section, dict):
        return section.get(name)
    return getattr(section, name, None)


def profile_section(agency_id):
    """The agency profile's `documents` section, or None when the profile has none (yet)."""
    try:
        from liuhen.profiles import selectors as profiles

        getter = getattr(profiles, "agency_section", None)
        return getter(agency_id, "documents") if getter is not None else None
    except (AttributeError, KeyError, LookupError):
        return None


def check_format(fmt) -> str:
    """A number format: text with {n}, and no placeholder but {agency}, {year}, {n}, {kind}."""
    if not isinstance(fmt, str) or not fmt.strip():
        raise ValidationError("文号格式不能为空。", code="bad_format")
    try:
        names = {name for _, name, spec, conv in string.Formatter().parse(fmt) if name is not None}
    except ValueError as exc:
        raise ValidationError(f"文号格式“{fmt}”有误：花括号不成对。", code="bad_format") from exc
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        raise ValidationError(f"文号格式“{fmt}”中有未知的占位符：{'、'.join('{' + u + '}' for u in unknown)}"
                              f"（可用：{{agency}}、{{year}}、{{n}}、{{kind}}）。", code="bad_format")
    if "n" not in names:
        raise ValidationError(f"文号格式“{fmt}”缺少序号占位符 {{n}}。", code="bad_format")
    try:  # a format spec that cannot take its value ({agency:d}, {n!q}) fails here, not at issue time
        fmt.format(agency="本水", year=2026, n=1, kind="决定书")
    except (ValueError, TypeError, IndexError) as exc:
        raise ValidationError(f"文号格式“{fmt}”有误：{exc}。", code="bad_format") from exc
    return fmt


def number_format(agency_id, kind: str, section=_UNSET) -> str:
    """The format of `kind`'s numbers: the profile's (or the `section` given: a dict or an object),
    else the default."""
    if section is _UNSET:
        section = profile_section(agency_id)
    formats = _section_value(section, "numbering") or {}
    if not isinstance(formats, dict):
        raise ValidationError("机关执法规则配置中的文号格式（documents.numbering）应为“文书种类: 格式”的对应表。",
                              code="bad_format")
    for key in (kind, "*"):
        if key in formats:  # given, even empty: an agency's format is never silently replaced
            return check_format(formats[key])
    return check_format(DEFAULT_FORMATS.get(kind) or DEFAULT_FORMATS["*"])


def format_number(fmt: str, *, agency: str, year: int, n: int, kind: str = "") -> str:
    return check_format(fmt).format(agency=agency, year=year, n=n, kind=kind)


def _kind_name(kind: str) -> str:
    from liuhen.records.models import RecordType

    return RecordType.objects.filter(code=kind).values_list("name", flat=True).first() or kind


def _lock_sequence(agency_id, kind: str, year: int) -> None:
    """PostgreSQL: hold the sequence's advisory lock until the transaction ends (SQLite's write lock
    is taken at BEGIN IMMEDIATE already)."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(f"liuhen.documents:{agency_id}:{kind}:{year}".encode()).digest()[:8],
                         "big", signed=True)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def issue_number(actor, agency, kind: str, *, record=None, year: int | None = None, section=_UNSET) -> DocumentNumber:
    """The next 文号 of (agency, kind, year) — this year's by default — written with its ledger
    event. Called inside the issuing transaction: if that fails, the number was never given."""
    if not kind or len(kind) > 60:
        raise ValidationError("文书种类无效。", code="bad_kind")
    year = year or timezone.localdate().year
    fmt = number_format(agency.pk, kind, section)
    name = _kind_name(kind) if "{kind}" in fmt else ""
    for _attempt in range(5):
        with transaction.atomic():
            _lock_sequence(agency.pk, kind, year)
            last = DocumentNumber.objects.filter(agency=agency, kind=kind, year=year).aggregate(m=Max("n"))["m"]
            n = (last or 0) + 1
            number_text = format_number(fmt, agency=agency.short_name, year=year, n=n, kind=name)
            if DocumentNumber.objects.filter(agency=agency, text=number_text).exists():
                # A format without {year} (or one changed in the profile) would print a number that
                # was already given: refused, never a second paper with the same 文号.
                raise ValidationError(f"文号“{number_text}”已被使用：请检查机关执法规则配置中的文号格式。",
                                      code="number_text_used")
            try:
                with transaction.atomic():  # a savepoint: a collision leaves the caller's transaction usable
                    row = DocumentNumber.objects.create(agency=agency, kind=kind, year=year, n=n, text=number_text,
                                                        record=record, issued_by=actor)
            except IntegrityError:
                continue  # another process took n first (PostgreSQL without the lock): take the next
            ledger.append(v.NUMBER, actor=actor, object_type=row.ledger_object_type, object_id=row.pk,
                          content_sha256=row.ledger_digest(),
                          detail={"agency": agency.pk, "kind": kind, "year": year, "n": n, "text": number_text,
                                  "record": record.pk if record is not None else None})
            return row
    raise ValidationError("文号编制冲突，请重试。", code="number_conflict")


def _about_number(actor, number=None, *rest):
    if isinstance(number, DocumentNumber):
        return number.ledger_object_type, number.pk
    return v.SEAL, getattr(actor, "agency_id", "") or ""


@refusals.records_refusals(v.REFUSED, "void_number", _about_number)
def void_number(actor, number: DocumentNumber, reason: str) -> NumberVoid:
    """作废文号: a leader (承办机构负责人 or 机关负责人) of the agency voids a number, with its reason.
    The number stays listed; the document it was given to is void with it."""
    if (actor is None or not actor.is_authenticated or not actor.is_active or actor.agency_id != number.agency_id
            or not actor.has_role(*LEADER_ROLES)):
        raise PermissionDenied("只有本机关的负责人可以作废文号。")
    reason = texts.clean(reason or "", "作废理由", max_length=500).strip()
    if not reason:
        raise ValidationError("请填写作废理由。", code="reason_required")
    with transaction.atomic():
        if NumberVoid.objects.filter(number=number).exists():
            raise ValidationError(f"文号“{number.text}”已作废。", code="already_void")
        try:
            with transaction.atomic():
                row = NumberVoid.objects.create(number=number, reason=reason, voided_by=actor)
        except IntegrityError as exc:
            raise ValidationError(f"文号“{number.text}”已作废。", code="already_void") from exc
        ledger.append(v.VOID, actor=actor, object_type=row.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"number": number.pk, "text": number.text})
    return row


# Who reads the 文号 register: the leaders who issue and void numbers, and those who read every case
# of the agency (法制审核, 监督, 档案): a gap in the numbers is theirs to see explained.
REGISTER_ROLES = LEADER_ROLES | AGENCY_READ_ROLES


def may_read_register(user) -> bool:
    return (user is not None and user.is_authenticated and getattr(user, "agency_id", None) is not None
            and user.has_role(*REGISTER_ROLES))
