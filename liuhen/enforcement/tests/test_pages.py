"""The 强制执行 gate (a case does not leave 送达执行 while a decision waits for its measure or the court has
not answered, unless terminated) and the case page's 强制执行 card."""
import pytest
from django.urls import reverse

from liuhen.cases.gates import registered_gates, transition_blockers
from liuhen.enforcement import selectors as s
from liuhen.testing.enforcement import ago, decision, made, workday_ago
from liuhen.testing.snapshots import restored

pytestmark = pytest.mark.usefixtures("fresh_home")

LATE_FINE = "加处罚款或者滞纳金"


@pytest.fixture
def scene(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    """A world and its fined cases, served, reminded, paid (liuhen.testing.enforcement_scene): built
    once per run and copied in with its keys and files."""
    return restored("liuhen.testing.enforcement_scene:enforcement_scene", fresh_home, settings.LIUHEN_BLOB_DIR,
                    tmp_path_factory, django_db_blocker)


@pytest.fixture
def world(scene):
    return scene.world


def gate(case):
    return registered_gates()["enforcement"](case, case.stage, {})


def page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_decision_waiting_for_its_measure_keeps_the_case(world, scene):
    case = scene.reminded
    assert gate(case) == []
    decision(world, case, decided_days_ago=20)
    [problem] = gate(case)
    assert problem == f"{ago(20)}作出的强制执行决定（{LATE_FINE}）尚未实施，应当记录实施情况或终结执行（行政强制法 37、40）"
    assert problem in transition_blockers(case)
    made(world, case, "enforcement_measure", measure_kind=LATE_FINE, time=workday_ago())
    assert gate(case) == []


def test_a_court_application_without_a_result_keeps_the_case(world, scene):
    case = scene.reminded
    made(world, case, "court_enforcement", court="本溪市平山区人民法院", applied_on=ago(0), outcome="", ruled_on="")
    assert gate(case) == [f"{ago(0)}向本溪市平山区人民法院申请强制执行，尚无法院的裁定或执行结果（行政强制法 57-58）"]
    made(world, case, "court_enforcement", court="本溪市平山区人民法院", applied_on=ago(0), outcome="已受理",
         ruled_on=ago(0))
    assert len(gate(case)) == 1  # accepted, no ruling yet
    made(world, case, "court_enforcement", court="本溪市平山区人民法院", applied_on=ago(0), outcome="裁定准予执行",
         ruled_on=ago(0))
    assert gate(case) == []


def test_a_termination_releases_the_case(world, scene):
    case = scene.reminded
    decision(world, case)
    assert gate(case)
    made(world, case, "enforcement_termination", ended_on=ago(0))
    assert gate(case) == []
    assert not any("强制执行" in p for p in transition_blockers(case))


def test_the_card_shows_the_steps_the_window_and_the_next_records(client, world, scene):
    case = scene.reminded
    e = s.for_case(case)
    html = page(client, world.officer, case)
    assert 'id="enforcement"' in html and 'id="enforcement-stage">待决定<' in html
    assert f"{e.court_from:%Y-%m-%d} 至 {e.court_to:%Y-%m-%d}" in html
    assert f'id="enforcement-earliest-decision">{e.earliest_decision:%Y-%m-%d}<' in html
    assert f"履行期限至{ago(30)}，{ago(40)}送达" in html
    new = reverse("records:new", args=[case.pk])
    for code in ("enforcement_statement", "enforcement_decision", "court_enforcement", "enforcement_suspension",
                 "enforcement_termination"):
        assert f"{new}?type={code}" in html
    assert f"{new}?type=enforcement_measure" not in html and f"{new}?type=reminder_notice" not in html
    assert "加处罚款或者滞纳金" in html  # the agency's own power (行政强制法 13)


def test_the_card_before_a_reminder_offers_one_and_says_what_is_missing(client, world, scene):
    case = scene.served
    html = page(client, world.officer, case)
    assert 'id="enforcement-stage">未启动<' in html and "尚未制作完成催告书" in html
    assert f"{reverse('records:new', args=[case.pk])}?type=reminder_notice" in html


def test_no_card_before_service_and_no_buttons_for_a_viewer(client, world, scene):
    case = scene.unserved
    assert 'id="enforcement"' not in page(client, world.officer, case)
    case = scene.reminded
    html = page(client, world.agency_head, case)  # sees the case, is not its officer
    assert 'id="enforcement"' in html and "?type=enforcement_decision" not in html


def test_no_card_while_nothing_is_overdue(client, world, scene):
    """A fine still within its 15 days, or paid: nothing to enforce, no card (行政强制法 35: only an
    obligation not performed in time is enforced)."""
    within = scene.within  # served 3 days ago
    assert 'id="enforcement"' not in page(client, world.officer, within)
    paid = scene.paid  # served 200 days ago, the 5000 元 paid
    assert 'id="enforcement"' not in page(client, world.officer, paid)
    assert 'id="enforcement"' in page(client, world.officer, scene.served)  # overdue: the card
