"""Reads of the exchange API: an agency's cases and issued 决定书 as the platforms receive them — no
party's name, ID number or phone (个人信息保护法 6: no more than the purpose needs)."""
import datetime

from django.db.models import Q
from django.utils import timezone

from liuhen.cases.models import Case, StageTransition, Stage
from liuhen.documents.models import IssuedDocument
from liuhen.records.models import RecordVersion


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
    """The agency's issued 决定书 (行政处罚决定书), in the order they were issued (in [since, until))."""
    qs = IssuedDocument.objects.filter(record__case__agency=agency, record__record_type__code="decision")
    qs = qs.filter(_window("issued_at", since, until))
    return qs.select_related("number", "record__case").order_by("pk")


def _int(value) -> int | None:
    try:
        return int(str(value).strip()) if str(value or "").strip() else None
    except ValueError:
        return None


def decision_rows(page) -> list[dict]:
    """文号, 案件编号, 处罚类别, 罚款金额（元）, 决定日期, status (valid / voided / revoked / replaced)."""
    page = list(page)
    contents = {(rid, n): content for rid, n, content in RecordVersion.objects.filter(
        record_id__in={d.record_id for d in page}).values_list("record_id", "number", "content")}
    out = []
    for d in page:
        content = contents.get((d.record_id, d.record_version)) or {}
        out.append({"number": d.number.text, "case_number": d.record.case.number,
                    "penalty_kind": str(content.get("penalty_kind") or ""),
                    "fine_amount": _int(content.get("fine_amount")),
                    "decided_on": str(content.get("decided_on") or "") or _date(d.issued_at),
                    "status": d.status})
    return out
