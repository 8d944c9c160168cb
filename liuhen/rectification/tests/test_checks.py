"""The content of 责令改正通知书 and 整改复查记录 (行政处罚法 28; BX 10, LC 23), checked when a record is made or
revised: every rule refused with a Chinese message naming the article, nothing written — and its lawful
side accepted."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liuhen.ledger.models import Entry
from liuhen.records import services as rec
from liuhen.records import vocabulary as rv
from liuhen.records.models import Record, RecordType
from liuhen.testing.cases import fill

from liuhen.testing.rectification import on, order, recheck, service_case

pytestmark = pytest.mark.django_db


def refused(fn, *args, **kw) -> str:
    before = Record.objects.count()
    with pytest.raises(ValidationError) as exc:
        fn(*args, **kw)
    assert Record.objects.count() == before  # nothing half-written
    return exc.value.messages[0]


# ---- the order ----------------------------------------------------------------------------------------

def test_an_order_s_deadline_must_come_after_its_issue(world):
    case = service_case(world)
    msg = refused(order, world, case, issued=-3, deadline=-3)
    assert "应当晚于发出日期" in msg and "行政处罚法 28" in msg
    refused(order, world, case, issued=-3, deadline=-4)
    assert order(world, case, issued=-3, deadline=-2).record_type.code == "rectification_order"


def test_an_order_is_not_issued_in_the_future(world):
    case = service_case(world)
    msg = refused(order, world, case, issued=1, deadline=10)
    assert "发出日期不能晚于今天" in msg and "行政处罚法 28" in msg
    assert order(world, case, issued=0, deadline=10)


def test_no_second_order_while_the_first_waits_for_its_re_check(world):
    case = service_case(world)
    first = order(world, case, sign=False)
    msg = refused(order, world, case, issued=-1, deadline=10)
    assert f"第{first.serial}号尚未签字完成" in msg and "BX 10, LC 23" in msg
    from liuhen.testing.cases import sign_all

    sign_all(world, first)
    msg = refused(order, world, case, issued=-1, deadline=10)
    assert f"第{first.serial}号尚待整改复查" in msg and "整改期限" in msg
    recheck(world, case, deadline=-20, outcome="未改正", sign=False)  # a draft re-check does not close it
    assert "尚待整改复查" in refused(order, world, case, issued=-1, deadline=10)


@pytest.mark.parametrize("outcome", ["未改正", "部分改正"])
def test_a_repeated_order_after_a_re_check_that_found_it_not_corrected(world, outcome):
    case = service_case(world)
    order(world, case)
    recheck(world, case, outcome=outcome)
    second = order(world, case, issued=-1, deadline=10)
    assert second.serial > 0


def test_no_repeated_order_once_corrected(world):
    case = service_case(world)
    order(world, case)
    recheck(world, case, outcome="已按期改正")
    msg = refused(order, world, case, issued=-1, deadline=10)
    assert "已按期改正，不能再次责令改正" in msg and "BX 10, LC 23" in msg


def test_a_draft_order_is_revised_without_counting_itself(world):
    case = service_case(world)
    draft = order(world, case, sign=False)
    rt = RecordType.objects.get(code="rectification_order")
    content = {**fill(rt), "issued_on": on(-30).isoformat(), "deadline": on(-15).isoformat()}
    version = rec.revise_record(world.officer, draft, content, "改正期限写错")
    assert version.content["deadline"] == on(-15).isoformat()
    with pytest.raises(ValidationError) as exc:
        rec.revise_record(world.officer, draft, {**content, "deadline": on(-30).isoformat()}, "再改")
    assert "应当晚于发出日期" in exc.value.messages[0]


# ---- the re-check -------------------------------------------------------------------------------------

def test_a_re_check_needs_a_complete_order(world):
    case = service_case(world)
    msg = refused(recheck, world, case)
    assert "没有待复查的责令改正通知书" in msg and "BX 10, LC 23" in msg
    draft = order(world, case, sign=False)
    assert "没有待复查" in refused(recheck, world, case)
    from liuhen.testing.cases import sign_all

    sign_all(world, draft)
    assert recheck(world, case).record_type.code == "rectification_check"


def test_a_re_check_carries_its_order_s_deadline(world):
    case = service_case(world)
    o = order(world, case, deadline=-20)
    msg = refused(recheck, world, case, deadline=-19)
    assert f"第{o.serial}号" in msg and on(-20).isoformat() in msg and "应当与" in msg
    assert recheck(world, case, deadline=-20)


def test_an_order_is_re_checked_once(world):
    case = service_case(world)
    order(world, case)
    recheck(world, case, sign=False)
    assert "尚未签字完成的整改复查记录" in refused(recheck, world, case)
    case2 = service_case(world)
    order(world, case2)
    recheck(world, case2)
    assert "没有待复查" in refused(recheck, world, case2)


def test_before_the_deadline_has_run_only_an_early_correction(world):
    case = service_case(world)
    order(world, case, issued=-5, deadline=0)  # the deadline is today: the party has the whole day
    msg = refused(recheck, world, case, deadline=0, outcome="未改正")
    assert "尚未届满" in msg and "已按期改正" in msg and "BX 10, LC 23" in msg
    assert "尚未届满" in refused(recheck, world, case, deadline=0, outcome="部分改正")
    assert recheck(world, case, deadline=0, outcome="已按期改正")


def test_after_the_deadline_any_outcome(world):
    case = service_case(world)
    order(world, case, issued=-5, deadline=-2)
    assert recheck(world, case, deadline=-2, outcome="未改正")


def test_a_re_check_is_not_in_the_future_nor_before_the_order(world):
    case = service_case(world)
    order(world, case, issued=-10, deadline=-5)
    later = timezone.localtime() + datetime.timedelta(hours=2)
    msg = refused(recheck, world, case, deadline=-5, outcome="已按期改正", at=later)
    assert "复查时间不能晚于现在" in msg
    before = timezone.localtime() - datetime.timedelta(days=11)
    assert "早于责令改正通知书的发出日期" in refused(recheck, world, case, deadline=-5, outcome="已按期改正", at=before)
    assert recheck(world, case, deadline=-5, outcome="已按期改正")


def test_the_form_answers_a_refusal_400_in_chinese_and_records_it(client, world):
    case = service_case(world)
    client.force_login(world.officer)
    rt = RecordType.objects.get(code="rectification_check")
    before = Entry.objects.filter(action=rv.REFUSED).count()
    data = {**fill(rt), "type": rt.code, "deadline": on(-20).isoformat(), "outcome": "未改正",
            "time": (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}
    response = client.post(reverse("records:new", args=[case.pk]), data)
    assert response.status_code == 400
    assert "没有待复查的责令改正通知书" in response.content.decode()
    assert Entry.objects.filter(action=rv.REFUSED).count() == before + 1
    assert not Record.objects.filter(case=case, record_type=rt).exists()
    order(world, case)
    response = client.post(reverse("records:new", args=[case.pk]), data)
    assert response.status_code == 302
    assert Record.objects.filter(case=case, record_type=rt).count() == 1
