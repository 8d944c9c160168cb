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
