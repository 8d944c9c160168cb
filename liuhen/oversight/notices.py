"""提醒 — in-app notices: new findings on the user's cases (FindingEvent "opened" since the user last
marked their notices as seen) and approaching or overdue deadlines of their cases not seen yet.

What the user has seen is an append-only NoticeMark per "mark as seen" (POST, CSRF), with its ledger
event (oversight.notices_seen) carrying the digest of the row's state, so `liuhen verify` finds a
mark changed, inserted or deleted behind the log's back (oversight.E501-E503). The badge count and
the list apply the same filters (count_for counts in the database what pending lists)."""
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from liuhen.ledger import services as ledger
from liuhen.ledger.subjects import state_checker

from . import pages_vocabulary as v
from . import selectors
from .notice_models import NoticeMark

MAX_LISTED = 200


@dataclass
class Notices:
    findings: list = field(default_factory=list)  # FindingEvent rows, newest first
    deadlines: list = field(default_factory=list)  # selectors.ClockView
    last_event_id: int = 0  # the highest FindingEvent id considered (seen or not)

    @property
    def count(self) -> int:
        return len(self.findings) + len(self.deadlines)


def latest_mark(user) -> NoticeMark | None:
    return NoticeMark.objects.filter(user=user).order_by("-id").first()


def finding_events_q(user) -> Q | None:
    """The finding events of `user`'s concern: every one on their own cases (an officer's, a unit
    head's unit); for the 机关负责人 and the 监督人员 also the agency's errors."""
    from liuhen.cases.models import Case

    own = selectors.own_cases_q(user)
    q = None if own is None else Q(case__in=Case.objects.filter(own))
    if selectors.watches_agency(user):
        q = Q(severity="error") if q is None else q | Q(severity="error")
    return None if q is None else Q(agency_id=user.agency_id) & q


def _new_findings(q: Q, seen_id: int):
    from .finding_models import FindingEvent, FindingEventKind

    return (FindingEvent.objects.filter(q, event=FindingEventKind.OPENED, id__gt=seen_id)
            .order_by("-at", "-id")[:MAX_LISTED])


def pending(user, now=None) -> Notices:
    """The notices `user` has not marked as seen."""
    from .finding_models import FindingEvent

    if not selectors.works_cases(user):
        return Notices()
    mark = latest_mark(user)
    seen_id = mark.seen_event_id if mark else 0
    seen_deadlines = set(mark.seen_deadlines or []) if mark else set()
    out = Notices()
    q = finding_events_q(user)
    if q is not None:
        out.last_event_id = FindingEvent.objects.filter(q).order_by("-id").values_list("id", flat=True).first() or 0
        out.findings = list(_new_findings(q, seen_id).select_related("case", "officer"))
    out.last_event_id = max(out.last_event_id, seen_id)
    out.deadlines = [cv for cv in selectors.my_deadlines(user, now) if cv.token not in seen_deadlines]
    return out


def count_for(user, now=None) -> int:
    """The badge's number (`{% oversight_notice_badge %}`, on every page of a case worker): as many
    as pending(user) lists — the same filters — counted in the database, never loading a row: the
    mark, the new findings (at most MAX_LISTED, as the list) and the deadlines not seen.

    No error is swallowed: the engine's tables come with the same `migrate` as the users table the
    badge's user is read from, so no logged-in page is served without them."""
    if not selectors.works_cases(user):
        return 0
    mark = latest_mark(user)
    n = 0
    q = finding_events_q(user)
    if q is not None:
        n += _new_findings(q, mark.seen_event_id if mark else 0).count()
    return n + selectors.my_deadlines_count(user, now, seen_tokens=mark.seen_deadlines if mark else ())


@transaction.atomic
def mark_seen(user, up_to_event_id: int, deadline_tokens) -> NoticeMark:
    """标记为已读: a new NoticeMark (never an update) with its ledger event. `up_to_event_id` is the
    highest event the list showed — a finding opened after the page was rendered stays new; it never
    goes back below the previous mark."""
    previous = latest_mark(user)
    seen = max(int(up_to_event_id or 0), previous.seen_event_id if previous else 0)
    tokens = sorted({str(t)[:300] for t in deadline_tokens})[:500]
    mark = NoticeMark.objects.create(user=user, agency_id=user.agency_id, seen_event_id=seen,
                                     seen_deadlines=tokens)
    ledger.append(v.NOTICES_SEEN, actor=user, object_type=NoticeMark.ledger_object_type, object_id=mark.pk,
                  content_sha256=mark.ledger_digest(),
                  detail={"user": user.pk, "seen_event_id": seen, "deadlines": len(tokens)})
    return mark


def rows(n: Notices) -> list[dict]:
    """The notices as list rows (newest findings first, then deadlines, overdue first)."""
    out = []
    for e in n.findings:
        out.append({"kind": "finding", "title": e.message, "case": e.case, "code": e.code,
                    "severity": e.get_severity_display(), "red": e.severity == "error",
                    "when": e.at, "detail": f"依据 {e.article}" if e.article else "", "fix": e.fix,
                    "url": reverse("cases:detail", args=[e.case_id])})
    for cv in n.deadlines:
        c = cv.clock
        out.append({"kind": "deadline", "title": f"{c.label}：{cv.label}", "case": c.case, "code": c.deadline,
                    "severity": cv.label, "red": cv.overdue, "when": c.due_at, "detail": cv.remaining, "fix": "",
                    "url": reverse("cases:detail", args=[c.case_id])})
    return out


check_notice_mark = state_checker(NoticeMark, codes=v.STATE_CODES[NoticeMark.ledger_object_type])


def register() -> None:
    """Called by the app's ready(): the pages' read actions, `liuhen verify`'s checker of the notice
    marks, and the system check of LIUHEN_TODO_DUE_DAYS."""
    from django.core import checks

    from liuhen.ledger.subjects import register_subject
    from liuhen.ledger.vocabulary import register_read_actions

    register_read_actions(*v.READ_ACTIONS)
    register_subject(NoticeMark.ledger_object_type, check_notice_mark)
    checks.register(selectors.due_days_setting)
