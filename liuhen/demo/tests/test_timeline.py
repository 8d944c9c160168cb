"""The demo's timeline (liuhen/demo/timeline.py) and calendar (liuhen/demo/days.py): parts written as
straight-line code, each step under clock_at, played together in time order — never back in time,
never in the future — in the caller's transaction."""
import contextvars
import datetime

import pytest
from django.db import connection
from django.utils import timezone

from liuhen.demo import days
from liuhen.demo.footage import clock_at
from liuhen.demo.timeline import Timeline

T0 = timezone.make_aware(datetime.datetime(2026, 9, 1, 9, 0))


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


def test_tasks_interleave_by_time_and_each_step_runs_at_its_time():
    seen = []

    def part(name, minutes):
        for m in minutes:
            with clock_at(at(m)):
                seen.append((name, m, timezone.now()))

    line = Timeline()
    line.task(at(0), part, "a", [0, 30, 90])
    line.task(at(10), part, "b", [10, 20, 60, 120])
    line.run()
    assert [(n, m) for n, m, _ in seen] == [("a", 0), ("b", 10), ("b", 20), ("a", 30), ("b", 60), ("a", 90),
                                            ("b", 120)]
    for _n, m, now in seen:
        assert datetime.timedelta(0) <= now - at(m) < datetime.timedelta(seconds=5)
    assert line.behind == []
    # After the run the clock is the real one again.
    assert abs(timezone.now() - datetime.datetime.now(datetime.timezone.utc)) < datetime.timedelta(seconds=5)


def test_never_back_in_time_nor_into_the_future():
    seen = []

    def part():
        with clock_at(at(60)):
            seen.append(timezone.now())
        with clock_at(at(30)):  # asked for a time already played: it runs then, not before
            seen.append(timezone.now())
        with clock_at(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)):  # the future: now
            seen.append(timezone.now())

    line = Timeline()
    line.task(at(0), part)
    line.run()
    assert seen[0] <= seen[1] < at(61)
    assert [(asked, played >= at(60)) for asked, played in line.behind] == [(at(30), True)]
    real = datetime.datetime.now(datetime.timezone.utc)
    assert real - datetime.timedelta(seconds=5) < seen[2] <= real


def test_a_failing_task_stops_the_run_and_the_clock_is_real_again():
    def fails():
        with clock_at(at(5)):
            raise RuntimeError("a step failed")

    def waits():
        with clock_at(at(1)):
            pass
        with clock_at(at(50)):
            pytest.fail("the run should have stopped")

    line = Timeline()
    line.task(at(0), waits)
    line.task(at(2), fails)
    with pytest.raises(RuntimeError, match="a step failed"):
        line.run()
    assert abs(timezone.now() - datetime.datetime.now(datetime.timezone.utc)) < datetime.timedelta(seconds=5)
    # Outside a timeline clock_at moves the clock for its block only.
    with clock_at(at(0)):
        assert timezone.now() - at(0) < datetime.timedelta(seconds=5)


_seen_var = contextvars.ContextVar("seen", default="unset")


@pytest.mark.django_db
def test_tasks_run_in_the_callers_context_and_transaction():
    _seen_var.set("caller")
    out = []

    def part():
        with clock_at(at(0)):
            out.append((_seen_var.get(), connection.in_atomic_block))

    line = Timeline()
    line.task(at(0), part)
    line.run()
    assert out == [("caller", True)]  # the test's transaction: what a task writes is rolled back with it


@pytest.mark.django_db  # the demo's days are the working-day calendar's, which reads the notices loaded
def test_working_days():
    assert not days.is_workday(datetime.date(2026, 10, 5))  # 国庆节
    assert days.is_workday(datetime.date(2026, 9, 20))  # a Sunday worked for it (调休)
    assert not days.is_workday(datetime.date(2026, 11, 28))  # a Saturday
    # A year the calendar does not know: Monday to Friday, no error (the demo only needs days).
    assert days.is_workday(datetime.date(2099, 6, 1)) and not days.is_workday(datetime.date(2099, 6, 6))
    assert days.after(datetime.date(2026, 9, 30), 1) == datetime.date(2026, 10, 8)
    assert days.after(datetime.date(2026, 11, 27), 0) == datetime.date(2026, 11, 27)
    assert days.back(datetime.date(2026, 11, 30), 1) == datetime.date(2026, 11, 27)
    assert days.on_or_before(datetime.date(2026, 10, 7)) == datetime.date(2026, 9, 30)
