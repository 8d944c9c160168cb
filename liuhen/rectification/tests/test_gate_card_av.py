"""The case cannot leave 送达执行 while an order waits for its re-check (BX 10, LC 23); the 责令改正 card on the
case page (the orders, their deadlines and re-check dates, the record due next for who may write it); the
re-check's AV as the profile asks (base: optional; LQ 19: required unless an approved 不适宜音像记录说明)."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liuhen.cases import services as cases
from liuhen.cases.models import Stage
from liuhen.profiles import loader
from liuhen.profiles import services as profiles
from liuhen.testing.avrules import not_suitable

from liuhen.testing.rectification import on, order, recheck, service_case

pytestmark = pytest.mark.django_db


def rectification_problems(case):
    return [p for p in cases.transition_blockers(case) if "责令改正通知书" in p]


# ---- the gate ------------------------------------------------------------------------------------------

def test_an_order_waiting_for_its_re_check_keeps_the_case_in_service(world):
    case = service_case(world)
    assert cases.transition_blockers(case) == []
    draft = order(world, case, sign=False)
    assert rectification_problems(case) == []  # a draft is no order yet
    from liuhen.testing.cases import sign_all

    sign_all(world, draft)
    [problem] = rectification_problems(case)
    assert f"第{draft.serial}号" in problem and on(-20).isoformat() in problem and "已逾期" in problem
    assert "BX 10, LC 23" in problem
    with pytest.raises(ValidationError) as exc:
        cases.advance(world.officer, case)
    assert problem in exc.value.messages
    recheck(world, case, outcome="未改正", sign=False)
    assert rectification_problems(case) == [problem]  # a draft re-check is no re-check
    from liuhen.records.models import Record

    sign_all(world, Record.objects.get(case=case, record_type__code="rectification_check"))
    assert rectification_problems(case) == []
    assert cases.advance(world.officer, case).stage == Stage.ARCHIVE


# ---- the card -----------------------------------------------------------------------------------------

def _page(client, case, user):
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_card_offers_a_first_order_to_an_officer_only(client, world):
    case = service_case(world)
    page = _page(client, case, world.officer)
    assert 'id="rectification"' in page and "本案尚无责令改正通知书" in page
    assert f"{reverse('records:new', args=[case.pk])}?type=rectification_order" in page and "制作责令改正通知书" in page
    assert 'id="rectification"' not in _page(client, case, world.agency_head)  # no order, no work: no card


def test_the_card_shows_the_chain_and_the_record_due_next(client, world):
    case = service_case(world)
    first = order(world, case, issued=-30, deadline=-20)
    page = _page(client, case, world.officer)
    assert f"记录第{first.serial}号" in page and on(-20).isoformat() in page and "逾期未复查" in page
    assert "?type=rectification_check" in page and "制作整改复查记录" in page and f"整改期限填写 {on(-20).isoformat()}" in page
    check = recheck(world, case, outcome="部分改正")
    page = _page(client, case, world.officer)
    assert "待再次责令改正" in page and "部分改正" in page and reverse("records:detail", args=[check.pk]) in page
    assert "?type=rectification_order" in page and "再次责令改正" in page
    second = order(world, case, issued=-1, deadline=10)
    page = _page(client, case, world.officer)
    assert f"记录第{second.serial}号" in page and "待复查" in page and on(10).isoformat() in page
    assert "?type=rectification_check" in page
    head = _page(client, case, world.agency_head)  # sees the chain, offered nothing
    assert f"记录第{second.serial}号" in head and "?type=rectification_" not in head


def test_once_corrected_nothing_more_is_offered(client, world):
    case = service_case(world)
    order(world, case, issued=-30, deadline=-20)
    recheck(world, case, outcome="已按期改正")
    page = _page(client, case, world.officer)
    assert "已改正" in page and 'id="rectification-next"' not in page


def test_no_card_before_service(client, world):
    from liuhen.testing.cases import to_decision

    case = to_decision(world)
    assert 'id="rectification"' not in _page(client, case, world.officer)


# ---- the re-check's AV by profile (avrules) -------------------------------------------------------------

def _av_problems(case, check):
    return [p for p in cases.transition_blockers(case) if "音像" in p and f"第{check.serial}号" in p]


def test_base_does_not_ask_for_the_re_check_s_av(world):
    case = service_case(world)
    order(world, case)
    check = recheck(world, case)
    assert _av_problems(case, check) == [] and cases.transition_blockers(case) == []


def test_lq_asks_for_the_re_check_s_av_or_an_approved_note(world):
    profiles.load_profile(None, world.agency, loader.packaged_text("LQ"), reason="测试", label="LQ.yaml")
    case = service_case(world)
    order(world, case)
    check = recheck(world, case)
    [problem] = _av_problems(case, check)
    assert "整改复查（现场执法）" in problem and "LQ 19" in problem
    with pytest.raises(ValidationError):
        cases.advance(world.officer, case)
    not_suitable(world, check)
    assert _av_problems(case, check) == []
