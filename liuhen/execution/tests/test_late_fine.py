"""加处罚款 (行政处罚法 72) as a computation: per day 3% of what fell due and is unpaid, from the day after
the due date, the day of payment counted, never above the fine — whatever the schedule and payments."""
import datetime
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from liuhen.execution.selectors import late_fine, yuan

D0 = datetime.date(2026, 3, 2)
FINE = 500_000  # 5000 元


def _paid(*pairs):
    return [SimpleNamespace(paid_on=d, amount_fen=a) for d, a in pairs]


def test_nothing_on_or_before_the_due_date():
    assert late_fine([(None, [(D0, FINE)])], [], D0, 3, FINE) == 0
    assert late_fine([(None, [(D0, FINE)])], [], D0 - datetime.timedelta(days=5), 3, FINE) == 0


def test_three_percent_a_day_from_the_day_after():
    assert late_fine([(None, [(D0, FINE)])], [], D0 + datetime.timedelta(days=1), 3, FINE) == 15_000  # 150 元
    assert late_fine([(None, [(D0, FINE)])], [], D0 + datetime.timedelta(days=10), 3, FINE) == 150_000


def test_capped_at_the_fine():
    assert late_fine([(None, [(D0, FINE)])], [], D0 + datetime.timedelta(days=33), 3, FINE) == 495_000
    assert late_fine([(None, [(D0, FINE)])], [], D0 + datetime.timedelta(days=34), 3, FINE) == FINE  # 102% → 100%
    assert late_fine([(None, [(D0, FINE)])], [], D0 + datetime.timedelta(days=4000), 3, FINE) == FINE


def test_a_payment_lowers_the_base_from_the_day_after_it():
    # 2000 元 paid on the second day late: that day counts in full, then 3% of 3000 元.
    payments = _paid((D0 + datetime.timedelta(days=2), 200_000))
    assert late_fine([(None, [(D0, FINE)])], payments, D0 + datetime.timedelta(days=4), 3, FINE) == 2 * 15_000 + 2 * 9_000


def test_paid_on_the_due_date_no_late_fine():
    assert late_fine([(None, [(D0, FINE)])], _paid((D0, FINE)), D0 + datetime.timedelta(days=60), 3, FINE) == 0


def test_instalments_each_from_its_own_date():
    later = D0 + datetime.timedelta(days=30)
    sched = [(D0, 200_000), (later, 300_000)]
    assert late_fine([(None, sched)], [], D0 + datetime.timedelta(days=2), 3, FINE) == 2 * 6_000  # 3% of 2000 元
    assert late_fine([(None, sched)], _paid((D0, 200_000)), later + datetime.timedelta(days=1), 3, FINE) == 9_000


def test_rounded_down_to_the_fen():
    assert late_fine([(None, [(D0, 333)])], [], D0 + datetime.timedelta(days=1), 3, 333) == 9  # 9.99 分
    assert yuan(123456) == "1,234.56" and yuan(5) == "0.05"


def test_a_deferral_stops_it_from_the_day_after_its_approval():
    approved = D0 + datetime.timedelta(days=5)
    periods = [(None, [(D0, FINE)]), (approved, [(D0 + datetime.timedelta(days=60), FINE)])]
    assert late_fine(periods, [], approved, 3, FINE) == 5 * 15_000  # what ran before stays
    assert late_fine(periods, [], D0 + datetime.timedelta(days=60), 3, FINE) == 5 * 15_000
    assert late_fine(periods, [], D0 + datetime.timedelta(days=62), 3, FINE) == 7 * 15_000


@settings(max_examples=200, deadline=None)
@given(fine=st.integers(min_value=1, max_value=10**9), days=st.integers(min_value=0, max_value=400),
       percent=st.integers(min_value=1, max_value=100),
       pays=st.lists(st.tuples(st.integers(min_value=-10, max_value=400), st.integers(min_value=1, max_value=10**9)),
                     max_size=5))
def test_never_above_the_fine_and_never_decreasing(fine, days, percent, pays):
    payments = _paid(*[(D0 + datetime.timedelta(days=d), a) for d, a in pays])
    on = D0 + datetime.timedelta(days=days)
    got = late_fine([(None, [(D0, fine)])], payments, on, percent, fine)
    assert 0 <= got <= fine
    assert late_fine([(None, [(D0, fine)])], payments, on + datetime.timedelta(days=1), percent, fine) >= got
