"""The demo's history played in time order (演示数据的时间线).

The demo writes months of history through the real services, each step under
`liuhen.demo.footage.clock_at(when)`, so that its rows and their ledger entries carry the time the
step happened. The ledger is append-only and its order is its time order: a step dated in March
must not be appended after one dated in May. The demo's parts (people, devices, each case, the
recorders' days, retention, copies…) are each written as straight-line code that moves through its
own time; a `Timeline` runs them together, each part a *task* (a greenlet), and every
`clock_at(when)` inside a task is a point where the task waits until every other task has done what
it had to do before `when`. So the parts interleave by time — and a part added later needs nothing
but `clock_at` for its steps.

Rules for a task: write each step inside `clock_at(when)`; read the state a step depends on inside
that block (at its time, not before); code after a block goes on at that block's time. A step asked
for a time earlier than what the timeline already played runs at the timeline's time (never back);
a step asked for a time after the real moment the demo is loaded runs now (never in the future).
"""
import datetime
import heapq
import itertools

import django.utils.timezone as django_timezone
import greenlet

_active = None


def active():
    """The running Timeline if the caller is one of its tasks, else None."""
    if _active is not None and greenlet.getcurrent() is not _active.main:
        return _active
    return None


class Timeline:
    def __init__(self):
        self.main = greenlet.getcurrent()
        self.queue = []  # (when, n, greenlet)
        self.count = itertools.count()
        self.played = None  # the latest time the timeline reached
        self.behind = []  # (asked, played): steps asked for a time the timeline had already passed

    def task(self, when: datetime.datetime, fn, *args, **kwargs):
        """Run fn(*args, **kwargs) as a task starting at `when`."""
        g = greenlet.greenlet(lambda: fn(*args, **kwargs), parent=self.main)
        # The tasks run in the caller's context (contextvars): the same database connection and
        # transaction wherever Django keeps them there (asgiref's Local, when an event loop runs in
        # the thread — Playwright's in the browser tests).
        g.gr_context = greenlet.getcurrent().gr_context
        heapq.heappush(self.queue, (when, next(self.count), g))
        return g

    def wait_until(self, when: datetime.datetime) -> None:
        """Inside a task: go on once the timeline reaches `when` (clock_at calls this)."""
        self._note_time()
        heapq.heappush(self.queue, (when, next(self.count), greenlet.getcurrent()))
        self.main.switch()

    def _note_time(self):
        now = django_timezone.now()
        self.played = now if self.played is None else max(self.played, now)

    def run(self) -> None:
        """Play every task to its end, step by step in time order."""
        from .footage import set_clock

        global _active
        if _active is not None:
            raise RuntimeError("a demo timeline is already running")
        _active = self
        try:
            while self.queue:
                when, _n, g = heapq.heappop(self.queue)
                real_now = datetime.datetime.now(datetime.timezone.utc)
                target = when if self.played is None else max(when, self.played)
                if target - when > datetime.timedelta(minutes=1):
                    self.behind.append((when, target))
                set_clock(min(target, real_now))
                g.switch()
                self._note_time()
        finally:
            _active = None
            set_clock(None)
            for _when, _n, g in self.queue:  # a task that failed left others waiting: end them
                g.throw(greenlet.GreenletExit)
