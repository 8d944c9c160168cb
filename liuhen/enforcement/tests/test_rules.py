"""行政强制执行 refused where the law refuses it (行政强制法 13, 35-40, 43, 53-54): each rule refused
with its Chinese message and nothing written, and accepted when it holds; the enforcement decision's
signature refused when its preconditions no longer hold."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liuhen.enforcement import selectors as s
from liuhen.testing.enforcement import ago, decision, made, make, refused, reminder, today, workday_ago
from liuhen.testing.snapshots import restored
from liuhen.ledger.models import Entry
from liuhen.records import vocabulary as rv
from liuhen.testing.cases import sign_all
from liuhen.testing.execution import pay
from liuhen.testing.signing import sign_as_rule_asks

pytestmark = pytest.mark.usefixtures("fresh_home")

LATE_FINE, TRANSFER = "加处罚款或者滞纳金", "划拨存款、汇款"


@pytest.fixture
def scene(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    """A world and its fined cases, served, reminded, decided (liuhen.testing.enforcement_scene):
    built once per run and copied in with its keys and files."""
    return restored("liuhen.testing.enforcement_scene:enforcement_scene", fresh_home, settings.LIUHEN_BLOB_DIR,
                    tmp_path_factory, django_db_blocker)


@pytest.fixture
def world(scene):
    return scene.world


def codes(exc: ValidationError) -> list[str]:
    return [e.code for e in exc.error_list]


# ---- 催告书 (35) --------------------------------------------------------------------------------------

def test_no_reminder_before_the_decision_is_served(world, scene):
    case = scene.unserved
    exc = refused(world, case, "reminder_notice", "行政处罚决定书尚未送达，不能催告（行政强制法 35）。")
    assert codes(exc) == ["reminder_not_served"]


def test_no_reminder_before_the_party_is_overdue(world, scene):
    case = scene.within  # served 3 days ago: the fine falls due in 12 days (行政处罚法 67)
    refused(world, case, "reminder_notice", "当事人尚未逾期不履行行政决定", issued_on=ago(0), deadline=ago(-10))


def test_no_reminder_once_the_fine_is_paid_but_one_after_a_failed_recheck(world, scene):
    case = scene.served40
    pay(world, case, "5000")
    refused(world, case, "reminder_notice", "当事人尚未逾期不履行行政决定", issued_on=ago(0), deadline=ago(-10))
    made(world, case, "rectification_order", issued_on=ago(20), deadline=ago(10))  # 责令改正 (BX 10)
    made(world, case, "rectification_check", deadline=ago(10), outcome="未改正")  # the order not obeyed
    assert made(world, case, "reminder_notice", issued_on=ago(0), deadline=ago(-10))


def test_the_reminder_gives_the_profile_s_days(world, scene):
    case = scene.served40
    exc = refused(world, case, "reminder_notice", "催告书的履行期限应当自发出之日起不少于10日", issued_on=ago(0),
                  deadline=ago(-9))
    assert f"不早于{(today() + datetime.timedelta(days=10)):%Y-%m-%d}" in exc.messages[0]
    record = made(world, case, "reminder_notice", issued_on=ago(0), deadline=ago(-10))
    assert s.for_case(case).reminder.id == record.pk and s.for_case(case).stage == s.REMINDED


# ---- 陈述申辩及复核 (36) -----------------------------------------------------------------------------

def test_a_statement_only_after_a_reminder(world, scene):
    case = scene.served
    exc = refused(world, case, "enforcement_statement", "尚无已完成的催告书")
    assert codes(exc) == ["statement_without_reminder"]
    reminder(world, case)
    refused(world, case, "enforcement_statement", "早于催告书的发出日期", stated_on=ago(41))
    assert made(world, case, "enforcement_statement", stated_on=ago(35), adopted="不采纳")


def test_a_statement_adopted_in_full_stops_the_decision(world, scene):
    case = scene.reminded
    made(world, case, "enforcement_statement", stated_on=ago(35), adopted="采纳")
    exc = refused(world, case, "enforcement_decision", "经复核成立并已采纳", decided_on=ago(20),
                  measure_kind=LATE_FINE)
    assert codes(exc) == ["statement_adopted"]
    reminder(world, case, issued_days_ago=15)  # a new 催告 after the review: decided on again
    assert decision(world, case, decided_days_ago=1)


def test_a_statement_not_yet_reviewed_keeps_the_decision(world, scene):
    case = scene.reminded
    make(world, case, "enforcement_statement", stated_on=ago(35), adopted="部分采纳")  # unsigned: not reviewed
    refused(world, case, "enforcement_decision", "当事人的陈述、申辩尚未复核完毕", decided_on=ago(20),
            measure_kind=LATE_FINE)


# ---- 强制执行决定书 (13, 35, 37, 39-40) ---------------------------------------------------------------

def test_no_decision_without_a_served_reminder_whose_deadline_passed(world, scene):
    case = scene.served
    refused(world, case, "enforcement_decision", "应当事先以书面形式催告当事人履行义务", decided_on=ago(0),
            measure_kind=LATE_FINE)
    reminder(world, case, served_days_ago=False)
    refused(world, case, "enforcement_decision", "催告书尚未送达当事人", decided_on=ago(0), measure_kind=LATE_FINE)


def test_no_decision_before_the_reminder_s_deadline_has_passed(world, scene):
    case = scene.reminded  # reminded 40 days ago, 10 days to perform: deadline 30 days ago
    deadline = today() - datetime.timedelta(days=30)
    exc = refused(world, case, "enforcement_decision", "届满后当事人仍不履行的，方可作出", decided_on=ago(30),
                  measure_kind=LATE_FINE)
    assert exc.messages == [f"催告书的履行期限（{deadline:%Y-%m-%d}）届满后当事人仍不履行的，方可作出强制执行决定：决定日期"
                            f"不能早于{deadline + datetime.timedelta(days=1):%Y-%m-%d}（行政强制法 37）。"]
    record = decision(world, case, decided_days_ago=29)
    assert s.for_case(case).stage == s.DECIDED and s.for_case(case).waiting[0].id == record.pk


def test_a_measure_the_agency_has_no_power_for_goes_to_the_court(world, scene):
    case = scene.reminded
    exc = refused(world, case, "enforcement_decision", "", decided_on=ago(20), measure_kind=TRANSFER)
    assert exc.messages == ["本机关无此强制执行权，应当申请人民法院强制执行（行政强制法 13、53）。"]
    assert codes(exc) == ["no_power"]


def test_no_decision_while_suspended_until_resumed(world, scene):
    case = scene.reminded
    made(world, case, "enforcement_suspension", suspended_on=ago(25), resumed_on="")
    refused(world, case, "enforcement_decision", "中止，恢复执行前不能作出强制执行决定", decided_on=ago(20),
            measure_kind=LATE_FINE)
    assert s.for_case(case).stage == s.SUSPENDED
    refused(world, case, "enforcement_suspension", "恢复执行日期不能早于中止日期", suspended_on=ago(25),
            resumed_on=ago(26))
    made(world, case, "enforcement_suspension", suspended_on=ago(25), resumed_on=ago(21))  # 恢复执行
    assert decision(world, case, decided_days_ago=20)


def test_termination_ends_the_matter(world, scene):
    case = scene.reminded
    made(world, case, "enforcement_termination", ended_on=ago(25))
    assert s.for_case(case).stage == s.TERMINATED
    for code, content in [("enforcement_decision", {"decided_on": ago(20), "measure_kind": LATE_FINE}),
                          ("reminder_notice", {"issued_on": ago(0), "deadline": ago(-10)}),
                          ("court_enforcement", {"applied_on": ago(0)}),
                          ("enforcement_measure", {"measure_kind": LATE_FINE, "time": workday_ago()}),
                          ("enforcement_termination", {})]:
        exc = refused(world, case, code, "终结执行")
        assert codes(exc) == ["terminated"]


def test_the_leader_may_not_approve_a_decision_whose_preconditions_went(world, scene):
    case = scene.reminded
    record = make(world, case, "enforcement_decision", decided_on=ago(20), measure_kind=LATE_FINE)
    made(world, case, "enforcement_statement", stated_on=ago(35), adopted="采纳")
    with pytest.raises(ValidationError) as exc:
        sign_all(world, record)
    assert codes(exc.value) == ["statement_adopted"]
    assert s.for_case(case).decisions == []


# ---- 强制执行实施记录 (37, 39-40, 43) ---------------------------------------------------------------

def test_a_measure_only_under_an_approved_decision_of_its_kind(world, scene):
    case = scene.reminded
    unsigned = make(world, case, "enforcement_decision", decided_on=ago(20), measure_kind=LATE_FINE)
    sign_all(world, unsigned, skip=("leader",))
    exc = refused(world, case, "enforcement_measure", "没有负责人已批准的“加处罚款或者滞纳金”强制执行决定书",
                  measure_kind=LATE_FINE, time=workday_ago())
    assert codes(exc) == ["measure_without_decision"]
    assert unsigned.pk == s.for_case(case).decision_open.id
    sign_as_rule_asks(unsigned, officers=[], unit_head=world.unit_head, agency_head=world.agency_head)  # approved
    refused(world, case, "enforcement_measure", "没有负责人已批准的“划拨存款、汇款”", measure_kind=TRANSFER,
            time=workday_ago())
    made(world, case, "enforcement_measure", measure_kind=LATE_FINE, time=workday_ago())
    assert s.for_case(case).stage == s.CARRIED_OUT


def test_a_measure_not_before_its_decision_nor_in_the_future(world, scene):
    case = scene.reminded
    decision(world, case, decided_days_ago=2)
    refused(world, case, "enforcement_measure", "实施时间早于强制执行决定的日期", measure_kind=LATE_FINE,
            time=workday_ago(5))
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    refused(world, case, "enforcement_measure", "实施时间不能晚于现在", measure_kind=LATE_FINE, time=f"{tomorrow}T10:00")


def test_no_measure_at_night(world, scene):
    case = scene.decided
    exc = refused(world, case, "enforcement_measure", "", measure_kind=LATE_FINE, time=workday_ago(hour=23))
    assert exc.messages[0].startswith("行政机关不得在夜间（22时至次日6时）实施行政强制执行（行政强制法 43）。情况紧急的除外")
    refused(world, case, "enforcement_measure", "夜间", measure_kind=LATE_FINE, time=workday_ago(hour=5))
    assert made(world, case, "enforcement_measure", measure_kind=LATE_FINE, time=workday_ago(hour=21))


def test_no_measure_on_a_holiday(world, scene):
    from liuhen.workdays.calendar import is_workday

    case = scene.decided
    d = today() - datetime.timedelta(days=1)
    while is_workday(d) is not False:
        d -= datetime.timedelta(days=1)
    exc = refused(world, case, "enforcement_measure", "法定节假日", measure_kind=LATE_FINE, time=f"{d.isoformat()}T10:00")
    assert codes(exc) == ["measure_night_or_holiday"]


def test_no_measure_while_suspended(world, scene):
    case = scene.decided
    made(world, case, "enforcement_suspension", suspended_on=ago(15), resumed_on="")
    refused(world, case, "enforcement_measure", "中止，恢复执行前不能实施强制执行", measure_kind=LATE_FINE,
            time=workday_ago())


# ---- 申请人民法院强制执行 (53-54) ----------------------------------------------------------------------

def test_no_court_application_before_service_or_the_remedy_deadlines(world, scene):
    case = scene.unserved
    refused(world, case, "court_enforcement", "行政处罚决定书尚未送达，不能申请人民法院强制执行", applied_on=ago(0))
    case = scene.served100r  # served 100 days ago, reminded
    exc = refused(world, case, "court_enforcement", "尚未届满，不能申请人民法院强制执行", applied_on=ago(0))
    assert codes(exc) == ["court_early"] and f"至{s.for_case(case).remedy_end:%Y-%m-%d}" in exc.messages[0]


def test_a_late_court_application_is_refused(world, scene):
    case = scene.served300r  # served 300 days ago, reminded
    e = s.for_case(case)
    exc = refused(world, case, "court_enforcement", "已超过申请期限", applied_on=ago(0))
    assert exc.messages == [f"已超过申请期限：应当自复议、诉讼期限届满之日起3个月内（{e.court_from:%Y-%m-%d}至"
                            f"{e.court_to:%Y-%m-%d}）申请人民法院强制执行（行政强制法 53）。"]
    assert made(world, case, "court_enforcement", applied_on=e.court_to.isoformat(), outcome="", ruled_on="")


def test_the_court_only_after_a_reminder_served_ten_days_before(world, scene):
    case = scene.served
    refused(world, case, "court_enforcement", "尚无已送达的催告书", applied_on=ago(0))
    reminder(world, case, issued_days_ago=5)
    e = s.for_case(case)
    assert e.earliest_court == today() + datetime.timedelta(days=6)  # served 5 days ago; 十日后
    exc = refused(world, case, "court_enforcement", "催告书送达10日后当事人仍未履行的", applied_on=ago(0))
    assert codes(exc) == ["court_wait"]
    refused(world, case, "court_enforcement", "最早", applied_on=ago(-5))
    assert made(world, case, "court_enforcement", applied_on=ago(-6), outcome="", ruled_on="")


def test_the_court_s_outcome_and_its_date_go_together(world, scene):
    case = scene.reminded
    refused(world, case, "court_enforcement", "应当同时填写", applied_on=ago(0), outcome="已受理", ruled_on="")
    refused(world, case, "court_enforcement", "应当同时填写", applied_on=ago(0), outcome="", ruled_on=ago(0))
    refused(world, case, "court_enforcement", "不能早于申请日期", applied_on=ago(0), outcome="已受理", ruled_on=ago(1))
    made(world, case, "court_enforcement", applied_on=ago(0), outcome="已受理", ruled_on=ago(0))
    e = s.for_case(case)
    assert e.stage == s.AT_COURT and e.court_pending
    made(world, case, "court_enforcement", applied_on=ago(0), outcome="执行完毕", ruled_on=ago(0))
    assert s.for_case(case).stage == s.DONE and s.for_case(case).missing == []


# ---- the web edge --------------------------------------------------------------------------------

def test_a_refused_record_is_answered_400_in_chinese_and_recorded(client, world, scene):
    case = scene.served
    client.force_login(world.officer)
    before = Entry.objects.filter(action=rv.REFUSED).count()
    from liuhen.records.models import Record, RecordType
    from liuhen.testing.cases import fill

    rt = RecordType.objects.get(code="enforcement_decision")
    response = client.post(reverse("records:new", args=[case.pk]),
                           {**fill(rt), "type": rt.code, "measure_kind": LATE_FINE, "decided_on": ago(0)})
    assert response.status_code == 400
    assert "应当事先以书面形式催告当事人履行义务" in response.content.decode()
    assert Entry.objects.filter(action=rv.REFUSED).count() == before + 1
    assert not Record.objects.filter(case=case, record_type=rt).exists()
