"""The scan writes its rows with plain executemany and reads them back in plain SQL (engine._insert,
engine._stored): what the ORM reads of the stored Finding, FindingEvent and Clock rows must equal
what the engine computed, field by field (datetimes to the microsecond, booleans as booleans)."""
from liuhen.oversight import engine
from liuhen.oversight.finding_models import Clock, Finding, FindingEvent
from liuhen.testing.cases import to_investigation


def test_stored_rows_equal_the_computed_findings_and_clocks(world):
    case = to_investigation(world)
    computed_f, computed_c = engine.evaluate([case.pk])[case.pk]
    assert computed_f and computed_c
    result = engine.scan()
    assert result.opened == len(computed_f)
    for f in computed_f:
        row = Finding.objects.get(case=case, key=f.key)
        assert (row.agency_id, row.unit_id) == (case.agency_id, case.unit_id)
        for name in engine._FINDING_FIELDS:
            assert getattr(row, name) == getattr(f, name), name
        event = FindingEvent.objects.get(case=case, key=f.key, event="opened")
        assert (event.code, event.message, event.officer_id, event.at) == (f.code, f.message, f.officer_id,
                                                                          row.opened_at)
    for k in computed_c:
        row = Clock.objects.get(case=case, key=k.key)
        for name in engine._CLOCK_FIELDS:
            assert getattr(row, name) == getattr(k, name), name
        assert row.extended is False
    # and read back in plain SQL, they compare equal: a second scan writes nothing
    stored = {r[1]: r[3:] for r in engine._stored(Clock, engine._CLOCK_FIELDS, [case.pk])}
    assert stored == {k.key: tuple(getattr(k, n) for n in engine._CLOCK_FIELDS) for k in computed_c}
    again = engine.scan()
    assert (again.opened, again.resolved, again.clocks_changed) == (0, 0, 0)
