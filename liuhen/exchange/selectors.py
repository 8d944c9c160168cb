"""Reads of the exchange API: an agency's cases and issued 决定书 as the platforms receive them — no
party's name, ID number or phone (个人信息保护法 6: no more than the purpose needs) — and the agencies a
client may read (its own; with supervised:read, those its agency supervises now)."""
import datetime

from django.db.models import Q
from django.utils import timezone

from liuhen.accounts.models import Agency
from liuhen.accounts.selectors import supervised_agency_ids
from liuhen.cases.models import Case, StageTransition, Stage
from liuhen.documents.models import IssuedDocument, document_status
from liuhen.documents.selectors import REASON_WITHHELD, names_a_person
from liuhen.records.models import RecordVersion

from .vocabulary import SUPERVISED_READ


def agency_code(agency) -> str:
    """How the platforms name an agency (`agency=`, LIUHEN_PUSH_TARGETS): its 统一社会信用代码 when it
    has one (数据来源单位代码 of the data standards), else its 文号简称."""
    return agency.credit_code or agency.short_name


def agencies_coded(code: str, among=None) -> list:
    """The agencies (of the ids `among`, if given) whose 统一社会信用代码 or 文号简称 is `code` — one,
    unless the code is unknown (none) or two agencies share a 简称 (several)."""
    code = (code or "").strip()
    if not code:
        return []
    qs = Agency.objects.filter(Q(credit_code=code) | Q(short_name=code))
    if among is not None:
        qs = qs.filter(pk__in=among)
    return list(qs.order_by("pk")[:2])


def readable_agency(client, code: str | None):
    """The agency a read call of `client` reads: its own without `code`; with `code`, its own or one
    its agency supervises now (上级监督 not ended) when the client holds supervised:read — else None.
    Never an agency the client's agency does not supervise, whether or not it exists."""
    if not code:
        return client.agency
    among = {client.agency_id}
    if SUPERVISED_READ in client.scopes:
        among |= supervised_agency_ids(client.agency_id)
    found = agencies_coded(code, among)
    return found[0] if len(found) == 1 else None


def _date(value: datetime.datetime | None) -> str | None:
    return timezone.localdate(value).isoformat() if value is not None else None


def _window(field: str, since: datetime.datetime | None, until: datetime.datetime | None) -> Q:
    """`field` in [since, until) — either end open when None."""
    q = Q()
    if since is not None:
        q &= Q(**{f"{field}__gte": since})
    if until is not None:
        q &= Q(**{f"{field}__lt": until})
    return q


def cases(agency, since: datetime.datetime | None = None, until: datetime.datetime | None = None):
    """The agency's cases, by number; `since` (and `until`): those opened, moved or archived in
    [since, until); only `until`: those opened before it."""
    qs = Case.objects.filter(agency=agency)
    if since is not None:
        qs = qs.filter(_window("created_at", since, until) | _window("archived_at", since, until)
                       | _window("transitions__at", since, until)).distinct()
    elif until is not None:
        qs = qs.filter(created_at__lt=until)
    return qs.order_by("pk")


def case_rows(page) -> list[dict]:
    """案件编号, 案由, 执法类别, 程序, 阶段, 立案日期, 结案日期 (moved to 归档管理), 归档日期."""
    page = list(page)
    closed = dict(StageTransition.objects.filter(case__in=page, to_stage=Stage.ARCHIVE)
                  .order_by("at").values_list("case_id", "at"))
    return [{"number": c.number, "title": c.title, "kind": c.get_kind_display(),
             "procedure": c.get_procedure_display(), "stage": "已归档" if c.archived_at else c.get_stage_display(),
             "opened_on": _date(c.created_at), "closed_on": _date(closed.get(c.pk)),
             "archived_on": _date(c.archived_at)} for c in page]


def decisions(agency, since: datetime.datetime | None = None, until: datetime.datetime | None = None):
    """The agency's issued 决定书 (行政处罚决定书), in the order they were issued: those issued, or whose
    文号 was voided, or which were revoked or replaced, in [since, until) — a decision that ended after
    a platform took it is sent again with its new status, so the platform stops showing it."""
    qs = IssuedDocument.objects.filter(record__case__agency=agency, record__record_type__code="decision")
    if since is not None or until is not None:
        qs = qs.filter(_window("issued_at", since, until) | _window("number__void__voided_at", since, until)
                       | _window("withdrawal__withdrawn_at", since, until))
    return qs.select_related("number__void__voided_by", "record__case", "issued_by",
                             "withdrawal__replacement__number", "withdrawal__withdrawn_by").order_by("pk")


def _int(value) -> int | None:
    try:
        return int(str(value).strip()) if str(value or "").strip() else None
    except ValueError:
        return None


def _ended(d: IssuedDocument) -> tuple:
    """(status, when, why, by whom, the replacing 文号): valid with no more while the decision stands;
    else voided (its 文号 voided), revoked or replaced — documents.models.document_status, the one rule,
    read from the rows decisions() select_related."""
    void = getattr(d.number, "void", None)
    withdrawal = getattr(d, "withdrawal", None)
    status = document_status(voided=void is not None, withdrawal=withdrawal.kind if withdrawal is not None else None)
    if void is not None:
        return status, void.voided_at, void.reason, void.voided_by, ""
    if withdrawal is not None:
        replacement = withdrawal.replacement.number.text if withdrawal.replacement_id else ""
        return status, withdrawal.withdrawn_at, withdrawal.reason, withdrawal.withdrawn_by, replacement
    return status, None, "", None, ""


def _reason(d: IssuedDocument, reason: str, by) -> str:
    """The reason as the public verification page shows it: withheld when it names a party or an
    officer (a 文号's void reason is not checked when written)."""
    if reason and names_a_person(d.record.case_id, reason, users=(d.issued_by, by)):
        return REASON_WITHHELD
    return reason


def decision_rows(page) -> list[dict]:
    """文号, 案件编号, 处罚类别, 罚款金额（元）, 决定日期, status (valid / voided / revoked / replaced) and,
    once it is not valid, since when, why and the 文号 that replaced it."""
    page = list(page)
    contents = {(rid, n): content for rid, n, content in RecordVersion.objects.filter(
        record_id__in={d.record_id for d in page}).values_list("record_id", "number", "content")}
    out = []
    for d in page:
        content = contents.get((d.record_id, d.record_version)) or {}
        status, at, reason, by, replaced_by = _ended(d)
        out.append({"number": d.number.text, "case_number": d.record.case.number,
                    "penalty_kind": str(content.get("penalty_kind") or ""),
                    "fine_amount": _int(content.get("fine_amount")),
                    "decided_on": str(content.get("decided_on") or "") or _date(d.issued_at),
                    "status": status, "status_at": timezone.localtime(at).isoformat() if at is not None else None,
                    "status_reason": _reason(d, reason, by), "replaced_by": replaced_by})
    return out
