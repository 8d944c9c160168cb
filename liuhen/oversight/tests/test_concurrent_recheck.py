"""Two workers re-checking one case at once (two officers' commits on the same case): the one that
writes second finds the other's findings already stored — (case, key) is unique — and compares
again with what is there, instead of losing its re-check to an IntegrityError."""
import logging

from liuhen.oversight import engine, signals
from liuhen.oversight.finding_models import Finding, FindingEvent
from liuhen.testing.cases import to_investigation


def test_a_re_check_that_loses_the_race_compares_again(world, monkeypatch, caplog):
    case = with_suspended(world)
    real = engine._stored
    raced, racing = [], []

    def other_worker_between_read_and_write(model, names, case_ids):
        rows = real(model, names, case_ids)
        if model is Finding and not racing:  # our read is done; the other worker writes now
            racing.append(True)
            raced.append(engine.recheck([case.pk]).opened)
        return rows

    monkeypatch.setattr(engine, "_stored", other_worker_between_read_and_write)
    signals.touch(case.pk)
    with caplog.at_level(logging.ERROR, logger="liuhen.oversight.signals"):
        signals._flush()
    assert raced and raced[0] > 0  # the other worker opened the case's findings first
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    keys = list(Finding.objects.filter(case=case).values_list("key", flat=True))
    assert len(keys) == raced[0] == len(set(keys))
    assert FindingEvent.objects.filter(case=case, event="opened").count() == raced[0]  # opened once


def with_suspended(world):
    """A case in 调查取证 with its findings not yet stored (its re-checks held back)."""
    with signals.suspended():
        return to_investigation(world)
