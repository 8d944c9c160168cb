"""A bad schedule file is refused whole, each problem with its line and a Chinese reason, and
nothing is loaded; a person's refused load is in the ledger (its codes, never the text)."""
import pytest

from liuhen.ledger.models import Entry
from liuhen.testing.workdays import FICTIONAL_2038, clean_calendar, schedule_text  # noqa: F401
from liuhen.workdays import calendar, services
from liuhen.workdays import vocabulary as v
from liuhen.workdays.models import YearSchedule
from liuhen.workdays.schedule import ScheduleError, parse

pytestmark = pytest.mark.usefixtures("clean_calendar")

GOOD = FICTIONAL_2038


def problems(text):
    with pytest.raises(ScheduleError) as info:
        parse(text)
    return info.value.problems


def line_of(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize("bad, needle, reason", [
    # a YAML error: an unclosed flow mapping
    (GOOD.replace("to: 2038-01-03}", "to: 2038-01-03"), None, "YAML 格式错误"),
    (GOOD + "remark: 多余\n", "remark:", "未知的键“remark”"),
    (GOOD.replace("from: 2038-02-06", "from: 2026-02-06"), "name: 春节", "不在本文件的年度 2038 年内"),
    (GOOD.replace("workdays: [2038-02-13]", "workdays: [2038-02-13, 2038-02-07]"), "workdays:",
     "在第 7 行的春节放假期间内"),
    (GOOD.replace("workdays: [2038-02-13]", "workdays: [2038-02-15]"), "workdays:", "是周一，不是周末"),
    (GOOD.replace("from: 2038-02-06, to: 2038-02-12", "from: 2038-02-12, to: 2038-02-06"), "name: 春节",
     "结束日 2038-02-06 早于起始日 2038-02-12"),
    (GOOD.replace("to: 2038-01-03", "to: 2038-02-30"), "name: 元旦", "不是存在的日期"),
    (GOOD.replace("to: 2038-01-03", "to: 2038/01/03"), "name: 元旦", "不是 YYYY-MM-DD 格式"),
    (GOOD.replace("to: 2038-01-03", "to: 2038-02-07"), "name: 春节", "与第 6 行的元旦重叠"),
    (GOOD.replace("year: 2038\n", "year: 2038\nyear: 2028\n"), "year: 2028", "键“year”重复出现"),
    (GOOD.replace("year: 2038", "year: 二〇三八"), "year:", "year 应为"),
    (GOOD.replace("- {name: 元旦, ", "- {"), "from: 2038-01-01", "缺少“name”"),
])
def test_a_bad_file_names_its_line_and_reason(bad, needle, reason):
    found = problems(bad)
    assert any(reason in r for _, r in found), found
    if needle is not None:
        assert (line_of(bad, needle), ) in {(line,) for line, r in found if reason in r}, found
    else:
        assert all(line for line, _ in found)


def test_missing_keys_and_empty_files():
    found = problems("\n".join(line for line in GOOD.splitlines() if not line.startswith("year:")))
    assert any("缺少必填的键“year”" in r for _, r in found)
    assert problems("")[0][1] == "文件是空的"
    assert "映射" in problems("- 2038\n")[0][1]
    assert "UTF-8" in problems("year: 2038\nnotice: \xff".encode("latin-1"))[0][1]
    assert "两份" not in str(problems("a: 1\n---\nb: 2\n"))  # two documents: a YAML error, refused
    assert problems("year: 2038\n" + "#" * 70000)[0][0] is None  # too large


def test_a_refused_file_loads_nothing_and_the_refusal_is_recorded(world):
    calendar.known(2038)
    bad = GOOD.replace("workdays: [2038-02-13]", "workdays: [2038-02-15]")
    with pytest.raises(Exception) as info:
        services.load_schedule(world.sysadmin, bad)
    assert f"第 {line_of(bad, 'workdays:')} 行" in info.value.messages[0]
    assert not YearSchedule.objects.filter(year=2038).exists() and not calendar.known(2038)
    refusal = Entry.objects.filter(action=v.DENIED).last()
    assert refusal is not None and refusal.actor_id == world.sysadmin.pk
    assert b"schedule_invalid" in bytes(refusal.leaf) and "周一".encode() not in bytes(refusal.leaf)


def test_only_the_system_administrator_loads(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.load_schedule(world.officer, GOOD)
    assert not YearSchedule.objects.filter(year=2038).exists()
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.officer.pk).exists()
    row = services.load_schedule(world.sysadmin, GOOD, reason="测试")
    assert row.loaded_by == world.sysadmin and row.year == 2038
    load = Entry.objects.get(action=v.LOAD, object_id=str(row.pk))
    assert load.actor_id == world.sysadmin.pk


def test_the_same_file_twice_is_refused_as_unchanged(db):
    services.load_schedule(None, schedule_text(2026))
    with pytest.raises(Exception) as info:
        services.load_schedule(None, schedule_text(2026))
    assert "已载入同一文件" in info.value.messages[0]
    assert YearSchedule.objects.filter(year=2026).count() == 1


def test_the_demo_module_loads_both_notices(world):
    """liuhen/demo/workdays.py (wired into the demo by the integrator) through the real service."""
    from types import SimpleNamespace

    from liuhen.demo import workdays as demo_workdays

    counts = demo_workdays.build(SimpleNamespace(people={"hanlixin": world.sysadmin}))
    assert counts == {"workday_schedules": 2}
    rows = list(YearSchedule.objects.filter(year__in=(2025, 2026)).order_by("year"))
    assert [(r.year, r.number, r.loaded_by_id) for r in rows] == [
        (2025, "国办发明电〔2024〕12号", world.sysadmin.pk), (2026, "国办发明电〔2025〕7号", world.sysadmin.pk)]
    assert calendar.source(2026) == rows[1].pk and not calendar.known(2038)
