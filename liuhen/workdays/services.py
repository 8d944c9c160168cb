"""Writes of the workdays app (工作日历): loading a year's holiday schedule, in one transaction with
its ledger entry. A refused load of a person is in the ledger with its codes, never its text.

Who: the 系统管理员 (the calendar is the installation's configuration, like the record types), or
the system itself (the CLI run by the operator, the demo)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from liuhen.accounts.roles import Role
from liuhen.common import text as free_text
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger

from . import calendar
from . import vocabulary as v
from .models import YearSchedule
from .schedule import ScheduleError, parse


def may_load(user) -> bool:
    return (user is not None and user.is_authenticated and user.is_active
            and user.has_role(Role.SYSTEM_ADMIN))


def _about(actor, *rest) -> tuple[str, object]:
    return v.CALENDAR, ""


@refusals.records_refusals(v.DENIED, "load", _about)
def load_schedule(actor, content: str | bytes, *, reason: str = "") -> YearSchedule:
    """Load one year's schedule file (docs/workdays.md). `actor` None: the system (CLI, demo).

    All or nothing: a file with any problem raises ValidationError (code "schedule_invalid") whose
    messages name each problem's line, and nothing is stored. A later load of a year supersedes the
    earlier one; the earlier row stays. Loading the same file again for a year it already rules
    changes nothing and is refused (code "unchanged"), so the history shows only real changes."""
    if actor is not None and not may_load(actor):
        raise PermissionDenied("只有系统管理员可以载入放假安排。")
    reason = free_text.clean(reason, "说明").strip()
    try:
        sched = parse(content)
    except ScheduleError as exc:
        raise ValidationError([ValidationError(line, code="schedule_invalid") for line in exc.lines()]) from None
    with transaction.atomic():
        previous = YearSchedule.objects.filter(year=sched.year).order_by("-id").first()
        if previous is not None and previous.sha256 == sched.sha256:
            raise ValidationError(f"{sched.year} 年已载入同一文件（{previous.number}），无需重复载入。",
                                  code="unchanged")
        row = YearSchedule.objects.create(
            year=sched.year, notice=sched.notice, number=sched.number, published=sched.published,
            holidays=sched.holidays_json(), workdays=sched.workdays_json(), sha256=sched.sha256, text=sched.text,
            loaded_by=actor, reason=reason)
        ledger.append(v.LOAD, actor=actor, object_type=YearSchedule.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"year": sched.year, "file_sha256": sched.sha256, "number": sched.number,
                              "holidays": sched.holidays_json(), "workdays": sched.workdays_json(),
                              "supersedes": previous.pk if previous is not None else None})
        # This transaction sees the new year at once, every thread after the commit, and nobody
        # keeps it if the transaction is rolled back.
        calendar.loaded_in_transaction()
    return row


def load_file(actor, path, *, reason: str = "") -> YearSchedule:
    """load_schedule of a file on disk (the CLI, the demo)."""
    with open(path, "rb") as fh:
        content = fh.read(1024 * 1024)
    return load_schedule(actor, content, reason=reason)


def log_view(actor, year: int | None) -> None:
    """The calendar page looked at (a read in the ledger, as every page)."""
    ledger.append(v.VIEW, actor=actor, object_type=v.CALENDAR, object_id=str(year or ""), detail={"year": year})
