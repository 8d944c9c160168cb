"""年度行政执法数据 — a year's enforcement figures of an agency, published by 31 January of the next year
(国办发〔2018〕118号, 行政执法公示制度: 每年1月31日前公开上年度行政执法总体情况有关数据): cases opened by kind and
by procedure, decisions made by penalty kind, fines and confiscations, decisions revoked or replaced,
legal reviews, hearings, and the decisions published and withdrawn on the portal.

Reads only. Counts and sums are the database's (COUNT … GROUP BY) where the value is a column; the
decisions' penalty kinds and amounts are in the records' JSON content — a JSON sum is not written the
same on SQLite and PostgreSQL, so the decision records completed in the year are read once with their
content (records.bulk.record_facts: a fixed number of queries, the same completeness rule as the case
page) and counted and summed in Python. A year runs from 1 January 00:00 to the next in the agency's
time zone (settings.TIME_ZONE)."""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from liuhen.cases.models import Case, Kind, Procedure
from liuhen.ledger import refusals
from liuhen.profiles.spec import PENALTY_KINDS
from liuhen.records.bulk import record_facts

from . import services
from . import vocabulary as v
from .models import EntryKind, Step, StepKind, Version

DECISION, HEARING = "decision", "hearing_transcript"  # 决定书; 听证会笔录 (the hearing held)
NO_KIND = "未载明处罚种类"
# The labels of the flattened figures (the summary the public reads), each at most 40 characters.
LABELS = {"cases": "立案总数", "decisions": "作出处罚决定", "fines": "罚款总额（元）", "confiscations": "没收金额（元）",
          "revoked": "撤销决定", "replaced": "变更决定（原决定被替换）", "legal_reviews": "法制审核",
          "hearings": "举行听证", "published": "公示处罚决定", "withdrawn": "撤回公示"}


def year_span(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[1 January of `year`, 1 January of the next) in the agency's time zone."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def _int(value) -> int:
    try:
        return int(str(value or "0").strip() or 0)
    except ValueError:
        return 0


def _by(labels, counts: dict) -> dict:
    """{label: count} for every choice, zeros included, in the choices' order."""
    return {label: counts.get(code, 0) for code, label in labels}


def _cases(agency, start, end) -> dict:
    # cases has no aggregate selector: a direct read-only query of cases.models.Case.
    opened = Case.objects.filter(agency=agency, created_at__gte=start, created_at__lt=end)
    by_kind = dict(opened.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    by_procedure = dict(opened.values_list("procedure").annotate(n=Count("id")).values_list("procedure", "n"))
    return {"cases": sum(by_kind.values()), "cases_by_kind": _by(Kind.choices, by_kind),
            "cases_by_procedure": _by(Procedure.choices, by_procedure)}


def _completed(agency, start, end) -> list:
    """The 决定书 and 听证会笔录 records of the agency completed in [start, end), as records.bulk facts with
    their content. Only records that could have been completed then are read: written before `end`, and
    written, signed or confirmed (a party's refusal, LQ 17) at or after `start` — the completion is the
    last of those times (records.bulk)."""
    from liuhen.records.models import Record

    touched = (Record.objects.filter(case__agency=agency, record_type__code__in=(DECISION, HEARING),
                                     created_at__lt=end)
               .filter(Q(created_at__gte=start) | Q(signatures__signed_at__gte=start)
                       | Q(signatures__confirmations__confirmed_at__gte=start)))
    case_ids = sorted(set(touched.values_list("case_id", flat=True)))
    rows = dict((pk, (kind, procedure)) for pk, kind, procedure
                in Case.objects.filter(pk__in=case_ids).values_list("pk", "kind", "procedure"))
    facts = record_facts(case_ids, rows, content_codes=frozenset({DECISION}))
    return [f for records in facts.values() for f in records
            if f.code in (DECISION, HEARING) and f.complete and start <= f.completed_at < end]


def _decisions(done: list) -> dict:
    decisions = [f for f in done if f.code == DECISION]
    labels = [label for _, label in PENALTY_KINDS]
    by_kind = dict.fromkeys(labels, 0)
    for f in decisions:
        label = str((f.content or {}).get("penalty_kind") or "").strip()
        key = label if label in by_kind else NO_KIND
        by_kind[key] = by_kind.get(key, 0) + 1
    return {"decisions": len(decisions), "decisions_by_penalty": by_kind,
            "fines": sum(_int((f.content or {}).get("fine_amount")) for f in decisions),
            "confiscations": sum(_int((f.content or {}).get("confiscation_amount")) for f in decisions),
            "hearings": sum(1 for f in done if f.code == HEARING)}


def _withdrawals(agency, start, end) -> dict:
    # documents has no aggregate selector: a direct read-only query of documents.models.DocumentWithdrawal.
    from liuhen.documents.models import DocumentWithdrawal, WithdrawalKind

    kinds = dict(DocumentWithdrawal.objects
                 .filter(document__record__case__agency=agency, document__record__record_type__code=DECISION,
                         withdrawn_at__gte=start, withdrawn_at__lt=end)
                 .values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return {"revoked": kinds.get(WithdrawalKind.REVOKED, 0), "replaced": kinds.get(WithdrawalKind.REPLACED, 0)}


def _legal_reviews(agency, start, end) -> int:
    # legalreview has no aggregate selector: a direct read-only query of legalreview.models.Review (审核意见).
    from liuhen.legalreview.models import Review

    return Review.objects.filter(submission__case__agency=agency, reviewed_at__gte=start, reviewed_at__lt=end).count()


def _publicity(agency, start, end) -> dict:
    steps = Step.objects.filter(version__entry__agency=agency, version__entry__kind=EntryKind.DECISION,
                                at__gte=start, at__lt=end)
    return {"published": steps.filter(kind=StepKind.PUBLISH).values("version__entry").distinct().count(),
            "withdrawn": steps.filter(kind=StepKind.WITHDRAW).count()}


def annual(agency, year: int) -> dict:
    """The figures of `agency` for `year`: cases (opened, by kind, by procedure), decisions (completed 决定书,
    by 处罚种类), fines and confiscations (元), decisions revoked / replaced, legal reviews done, hearings
    held (听证会笔录 completed), decisions published (entries with a 发布 in the year) and withdrawn."""
    start, end = year_span(year)
    out = {"year": year, "agency": agency.name}
    out |= _cases(agency, start, end)
    out |= _decisions(_completed(agency, start, end))
    out |= _withdrawals(agency, start, end)
    out["legal_reviews"] = _legal_reviews(agency, start, end)
    out |= _publicity(agency, start, end)
    return out


def flatten(figures: dict) -> dict:
    """The figures as the summary the public reads: label → text, in order (zeros of the breakdowns left
    out but the totals kept)."""
    out = {"统计年度": f"{figures['year']}年", LABELS["cases"]: str(figures["cases"])}
    out |= {f"立案·{k}": str(n) for k, n in figures["cases_by_kind"].items() if n}
    out |= {f"立案·{k}": str(n) for k, n in figures["cases_by_procedure"].items() if n}
    out[LABELS["decisions"]] = str(figures["decisions"])
    out |= {f"处罚决定·{k}": str(n) for k, n in figures["decisions_by_penalty"].items() if n}
    out |= {LABELS[k]: str(figures[k]) for k in ("fines", "confiscations", "revoked", "replaced", "legal_reviews",
                                                 "hearings", "published", "withdrawn")}
    return out


def table(figures: dict) -> str:
    """The figures as a readable text table (the version's body): one line per figure, grouped."""
    def lines(title, items):
        return [title, *(f"  {k}：{n}" for k, n in items)]

    parts = [f"{figures['agency']}{figures['year']}年度行政执法数据", ""]
    parts += lines("一、立案", [("立案总数", figures["cases"]), *figures["cases_by_kind"].items(),
                            *figures["cases_by_procedure"].items()])
    parts += lines("二、行政处罚决定", [("作出处罚决定", figures["decisions"]),
                                 *((k, n) for k, n in figures["decisions_by_penalty"].items() if n),
                                 (LABELS["fines"], figures["fines"]),
                                 (LABELS["confiscations"], figures["confiscations"]),
                                 (LABELS["revoked"], figures["revoked"]), (LABELS["replaced"], figures["replaced"])])
    parts += lines("三、程序", [(LABELS["legal_reviews"], figures["legal_reviews"]),
                             (LABELS["hearings"], figures["hearings"])])
    parts += lines("四、公示", [(LABELS["published"], figures["published"]), (LABELS["withdrawn"], figures["withdrawn"])])
    return "\n".join(parts) + "\n"


def title(agency, year: int) -> str:
    return f"{agency.name}{year}年度行政执法数据"


def draft_statistics(actor, year: int) -> Version:
    """公示稿 of the actor's agency's figures for `year` (国办发〔2018〕118号): refused for a year not yet
    ended — the figures of a running year are not the year's. The rest (roles, a year already drafted)
    is services.draft_content's, which records its own refusals."""
    agency = getattr(actor, "agency", None)
    if agency is None:
        raise PermissionDenied("不属于任何执法机关。")
    if not isinstance(year, int) or year >= timezone.localdate().year:
        exc = ValidationError(f"{year}年度尚未结束，不能公示其执法数据。", code="year_not_ended")
        refusals.record_refused_act(actor, v.REFUSED, "draft_statistics", exc, "publicity_entry", "")
        raise exc
    figures = annual(agency, year)
    return services.draft_content(actor, EntryKind.STATISTICS, year=year, title=title(agency, year),
                                  summary=flatten(figures), body=table(figures))
