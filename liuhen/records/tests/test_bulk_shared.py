"""records.bulk.record_facts while a reading request is served: a case's records are read once for
the page's parts, each part getting what it would have read alone."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liuhen.common import memo
from liuhen.records.bulk import record_facts
from liuhen.testing.cases import make_record, sign_all, to_investigation


def _seen(facts) -> list:
    return [(f.id, f.code, f.content, f.content_at, list(f.missing), f.completed_at, f.officer_signed)
            for fs in facts.values() for f in fs]


def test_the_records_are_read_once_and_each_part_gets_its_own_copies_with_its_content(world):
    case = to_investigation(world)
    sign_all(world, make_record(world, case, "inspection_record"))
    rows = {case.pk: (case.kind, case.procedure)}
    approval, inspection = {"start_approval"}, {"start_approval", "inspection_record"}
    alone = {codes: _seen(record_facts([case.pk], rows, content_codes=frozenset(codes)))
             for codes in (frozenset(), frozenset(approval), frozenset(inspection))}
    assert [c is not None for _, _, c, *_ in alone[frozenset(inspection)]] == [True, True]

    with memo.reading():
        with CaptureQueriesContext(connection) as first:
            a = record_facts([case.pk], rows, content_codes=approval)
        with CaptureQueriesContext(connection) as second:
            b = record_facts([case.pk], rows, content_codes=inspection)
        a[case.pk][0].officer_signed = ["added by the first part"]  # the oversight facts add to theirs
        with CaptureQueriesContext(connection) as third:
            c = record_facts([case.pk], rows)
    assert len(first.captured_queries) >= 2  # the records with their signatures summed up; the approval's content
    # The second part asks only for the content it lacks: the inspection record's latest version.
    assert len(second.captured_queries) == 1 and "records_recordversion" in second.captured_queries[0]["sql"]
    assert len(third.captured_queries) == 0
    assert _seen(a) != alone[frozenset(approval)]  # (the first part's own addition)
    a[case.pk][0].officer_signed = None
    assert _seen(a) == alone[frozenset(approval)]  # the inspection's content not given to a part that did not ask
    assert _seen(b) == alone[frozenset(inspection)]
    assert _seen(c) == alone[frozenset()]  # no content, and not what the first part added
