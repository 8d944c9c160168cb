"""common.memo: what a reading request asks several times is asked once; anywhere else, every time."""
import re

from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from liuhen.common import memo
from liuhen.common.middleware import RequestContextMiddleware


def test_remember_computes_once_per_key_while_reading_and_every_time_elsewhere():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert memo.remember("k", compute) == 1 and memo.remember("k", compute) == 2  # no request: every time
    with memo.reading():
        assert memo.remember("k", compute) == 3 and memo.remember("k", compute) == 3
        assert memo.remember("other", compute) == 4
    with memo.reading():  # the next request starts empty
        assert memo.remember("k", compute) == 5
    assert memo.remember("k", compute) == 6


def _tables(queries) -> list[str]:
    return [m.group(1) for q in queries if (m := re.search(r'FROM "(\w+)"', q["sql"]))]


def test_a_case_page_asks_the_profile_the_record_types_and_the_access_once(client, world):
    from liuhen.testing.cases import to_investigation

    case = to_investigation(world)
    client.force_login(world.officer)
    client.get(f"/cases/{case.pk}/")  # what a page asks once a while (the session's save) is not counted
    with CaptureQueriesContext(connection) as got:
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    tables = _tables(got.captured_queries)
    assert tables.count("profiles_profileversion") <= 1, tables
    # the types' names once (they were read by four parts), the types an officer may add once
    assert tables.count("records_recordtype") <= 2, tables
    assert tables.count("cases_accessgrant") <= 2, tables  # the access (once) and the page's list of grants


def test_only_a_reading_request_gets_a_memo():
    # A request that writes and then checks must never see an answer from before its write.
    seen = []

    def view(request):
        seen.append(memo._memo.get())
        return HttpResponse("")

    for request in (RequestFactory().post("/x/"), RequestFactory().get("/x/"), RequestFactory().head("/x/")):
        RequestContextMiddleware(view)(request)
    assert seen == [None, {}, {}]


def test_remember_each_computes_only_the_keys_not_yet_remembered():
    asked = []

    def compute(keys):
        asked.append(list(keys))
        return {k: k * 10 for k in keys if k != 3}  # 3 has no answer: None

    assert memo.remember_each("n", [1, 2], compute) == {1: 10, 2: 20}
    assert memo.remember_each("n", [2, 3], compute) == {2: 20, 3: None}
    assert asked == [[1, 2], [2, 3]]  # no request: every key every time
    asked.clear()
    with memo.reading():
        assert memo.remember_each("n", [1, 2, 2], compute) == {1: 10, 2: 20}
        assert memo.remember_each("n", [2, 3, 4], compute) == {2: 20, 3: None, 4: 40}
        assert memo.remember_each("n", [3, 1], compute) == {3: None, 1: 10}  # None remembered too
        assert memo.remember_each("other", [1], compute) == {1: 10}  # each name its own
    assert asked == [[1, 2], [3, 4], [1]]


def test_a_served_fined_case_page_asks_what_several_parts_share_once(client, world):
    # The gate, the service part and the execution part each ask for the documents to serve; the
    # legal-review part and its status each for the proposal; the property
    # part's items and requests each for the handling requests; the execution part for the payments.
    from liuhen.testing.execution import fined_case

    case = fined_case(world)
    client.force_login(world.officer)
    client.get(f"/cases/{case.pk}/")
    with CaptureQueriesContext(connection) as got:
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    tables = _tables(got.captured_queries)
    # The payments and the deferral requests (with their decisions) once each: the account's sums, the
    # schedule in force, the pending request and the page's lists all from them.
    assert tables.count("execution_payment") == 1, tables  # was 4 (a list, three sums)
    assert tables.count("execution_deferralrequest") == 1, tables
    assert tables.count("execution_deferraldecision") == 0, tables  # read with the requests
    assert tables.count("caseproperty_handlingrequest") <= 1, tables  # was 2
    assert tables.count("documents_issueddocument") <= 4, tables  # was 9
    # Which records hold a file, asked by the service part and the oversight checks: once (was 3 and 2).
    assert tables.count("records_attachment") <= 2, tables  # was 8
    assert tables.count("records_supplementfile") <= 1, tables
    # The assessments: the status's latest one is the part's history's first (the oversight facts read
    # theirs with the other cases' facts).
    assert tables.count("legalreview_assessment") <= 2, tables  # was 3
    assert tables.count("cases_party") <= 4, tables  # was 7: the parties' kinds in one query, asked once
    assert len(got.captured_queries) <= 66, len(got.captured_queries)  # was 106


def test_the_record_page_reads_its_versions_signatures_and_attachments_once(client, world):
    # The state read them (records.selectors.loaded_with_state) with the people the page names: the
    # page does not read them again, nor the record, nor whether the reader is one of the officers.
    import io

    from liuhen.records import services as rec
    from liuhen.testing.cases import fill, make_record, sign_all, to_investigation

    case = to_investigation(world)
    record = make_record(world, case, "inspection_record")
    rec.attach(world.officer, record, io.BytesIO(b"%PDF-1.4 site photo"), "现场照片.pdf", "application/pdf")
    content = fill(record.record_type)
    text = next(f["name"] for f in record.record_type.fields if f["type"] == "textarea")
    rec.revise_record(world.officer, record, dict(content, **{text: content[text] + "（复查后补记）"}), "补记检查情况")
    sign_all(world, record)  # on version 2
    client.force_login(world.officer)
    client.get(f"/records/{record.pk}/")
    with CaptureQueriesContext(connection) as got:
        page = client.get(f"/records/{record.pk}/")
    assert page.status_code == 200
    tables = _tables(got.captured_queries)
    for table in ("records_record", "records_recordversion", "records_signature", "records_attachment",
                  "cases_caseofficer"):
        assert tables.count(table) == 1, (table, tables)
    # Each signature's line names its version (第2版), set from the versions read, not the first one.
    signatures = page.content.decode().split('id="signatures"', 1)[1].split('class="card"', 1)[0]
    assert signatures.count("· 第2版") >= 2 and "第1版" not in signatures, signatures
