"""The enforcement tests' builders: a fined case whose decision was served long ago, a 催告书 issued
(文号) and served by a 送达回证, and each later record made the real way (create + every signature)."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.testing.execution import fined_case


def today() -> datetime.date:
    return timezone.localdate()


def ago(days: int) -> str:
    """The ISO date `days` days before today (negative: after)."""
    return (today() - datetime.timedelta(days=days)).isoformat()


def workday_ago(at_least: int = 1, *, hour: int = 10) -> str:
    """The ISO datetime, at `hour`, of the latest working day at least `at_least` days before today."""
    from liuhen.workdays.calendar import is_workday

    d = today() - datetime.timedelta(days=at_least)
    while is_workday(d) is not True:
        d -= datetime.timedelta(days=1)
    return f"{d.isoformat()}T{hour:02d}:00"


def make(world, case, code, **content):
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType
    from liuhen.testing.cases import fill

    rt = RecordType.objects.get(code=code)
    return rec.create_record(world.officer, case, rt, {**fill(rt), **content})


def made(world, case, code, **content):
    from liuhen.testing.cases import sign_all

    return sign_all(world, make(world, case, code, **content))


def refused(world, case, code, text: str, **content) -> ValidationError:
    """Making the record is refused with `text` in its message, and nothing is written."""
    from liuhen.records.models import Record

    before = Record.objects.count()
    with pytest.raises(ValidationError) as exc:
        make(world, case, code, **content)
    assert text in "".join(exc.value.messages), exc.value.messages
    assert Record.objects.count() == before
    return exc.value


def served_case(world, *, served_days_ago=200, fine=5000):
    """In 送达执行, a 决定书 fining `fine` yuan served `served_days_ago` days ago (unpaid: overdue after 15 days)."""
    return fined_case(world, fine=fine, served_days_ago=served_days_ago)


def reminder(world, case, *, issued_days_ago=40, days=10, served_days_ago=None, **content):
    """A complete 催告书 issued `issued_days_ago` days ago with a deadline `days` after, issued as a
    document and — unless `served_days_ago` is False — served by a 送达回证 then."""
    from liuhen.documents.services import issue_document
    from liuhen.testing.cases import sign_all

    record = made(world, case, "reminder_notice", issued_on=ago(issued_days_ago), deadline=ago(issued_days_ago - days),
                  **content)
    if served_days_ago is False:
        return record
    doc = issue_document(world.officer, record)
    at = timezone.localtime(timezone.now() - datetime.timedelta(
        days=issued_days_ago if served_days_ago is None else served_days_ago))
    sign_all(world, make(world, case, "service_receipt", document="催告书", doc_number=doc.number.text,
                         served_at=at.strftime("%Y-%m-%dT%H:%M")))
    return record


def decision(world, case, *, decided_days_ago=20, kind="加处罚款或者滞纳金", **content):
    return made(world, case, "enforcement_decision", decided_on=ago(decided_days_ago), measure_kind=kind, **content)
