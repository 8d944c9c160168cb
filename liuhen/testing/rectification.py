"""Builders for the rectification tests: a case in 送达执行 (its fine decision served), orders and re-checks
made through records.services as an officer would — dates given as days from today."""
import datetime

from django.utils import timezone

from liuhen.records import services as rec
from liuhen.records.models import RecordType
from liuhen.testing.cases import fill, sign_all
from liuhen.testing.execution import fined_case


def on(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def service_case(world):
    """A case in 送达执行: its 决定书 imposes a fine and was served 3 days ago (testing.execution)."""
    return fined_case(world)


def make(world, case, code, data: dict, *, sign=True, by=None):
    rt = RecordType.objects.get(code=code)
    record = rec.create_record(by or world.officer, case, rt, {**fill(rt), **data})
    return sign_all(world, record) if sign else record


def order(world, case, *, issued=-30, deadline=-20, sign=True):
    """A 责令改正通知书 issued `issued` days from today, its deadline `deadline` days from today."""
    return make(world, case, "rectification_order", {
        "violation": "未经许可取水", "requirement": "停止取水，拆除取水设施", "basis": "《水法》第六十九条",
        "issued_on": on(issued).isoformat(), "deadline": on(deadline).isoformat()}, sign=sign)


def recheck(world, case, *, deadline=-20, outcome="未改正", at=None, sign=True):
    """A 整改复查记录 of the order whose deadline is `deadline` days from today, made at `at` (default: an
    hour ago)."""
    at = at or timezone.localtime() - datetime.timedelta(hours=1)
    return make(world, case, "rectification_check", {
        "deadline": on(deadline).isoformat(), "outcome": outcome, "result": "现场复查，取水设施仍在使用",
        "time": at.strftime("%Y-%m-%dT%H:%M"), "place": "本溪市平山区1号"}, sign=sign)
