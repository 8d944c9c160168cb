"""The 案卷评查 pages: open a round, score a file item by item, the round page, the Excel export,
the unit's page and answer form; who may see what; bad input is a Chinese 4xx recorded in the
ledger; reads are logged. And the CLI."""
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.evaluation import scoring, services
from liuhen.evaluation import vocabulary as v
from liuhen.evaluation.models import Answer, Round, Score
from liuhen.ledger.models import Entry
from liuhen.testing.evaluation import clean_results, restored_archived_scene, command, supervisor

SEED = "00112233445566778899aabbccddeeff"


@pytest.fixture
def world(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # built once per run and copied in (liuhen.testing.demo): three cases through archiving per test cost seconds
    world, files = restored_archived_scene(fresh_home, settings.LIUHEN_BLOB_DIR, tmp_path_factory, django_db_blocker)
    world.files = files
    return world


@pytest.fixture
def setup(world, client):
    files = world.files
    ev = supervisor(world)
    client.force_login(ev)
    return world, client, ev, files


def _round(world, size=2):
    today = timezone.localdate()
    return services.open_round(supervisor(world), title="季度评查", period_from=today - datetime.timedelta(days=3),
                               period_to=today, size=size, seed=SEED)


def _post_data(card, **over):
    data = {}
    for section, item in scoring.items(card):
        data[f"i_{item['id']}"] = "0" if section else "ok"
        data[f"n_{item['id']}"] = ""
    data.update(over)
    return data


def test_open_a_round_from_the_form(setup):
    world, client, ev, files = setup
    today = timezone.localdate()
    assert client.get(reverse("evaluation:new")).status_code == 200
    r = client.post(reverse("evaluation:new"), {"title": "2026年第四季度评查", "unit": world.unit.pk, "kind": "penalty",
                                                "period_from": (today - datetime.timedelta(days=5)).isoformat(),
                                                "period_to": today.isoformat(), "size": "2", "seed": SEED.upper()})
    round_ = Round.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("evaluation:round", args=[round_.pk])
    assert round_.seed == SEED and round_.seed_given and len(round_.sample) == 2
    page = client.get(reverse("evaluation:round", args=[round_.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "2026年第四季度评查" in html and SEED in html and "行政处罚" in html
    assert f"满分 {scoring.full_marks(round_.card_for(round_.sample[0]))} 分" in html
    assert Entry.objects.filter(action=v.VIEW, object_id=str(round_.pk)).exists()


@pytest.mark.parametrize("over, text", [
    ({"size": "abc"}, "抽取数量应为整数"), ({"size": "0"}, "抽取数量至少为 1"), ({"seed": "xyz"}, "随机种子应为 32 位"),
    ({"period_from": "2026-13-01"}, "请输入有效的日期"), ({"title": ""}, "请填写评查名称"),
    ({"unit": "999999"}, "所选承办机构不存在"), ({"size": "40"}, "超过了已归档案卷总数")])
def test_bad_input_to_the_form_is_a_chinese_400_recorded(setup, over, text):
    world, client, ev, files = setup
    today = timezone.localdate()
    data = {"title": "评查", "period_from": (today - datetime.timedelta(days=5)).isoformat(),
            "period_to": today.isoformat(), "size": "1"}
    data.update(over)
    r = client.post(reverse("evaluation:new"), data)
    assert r.status_code == 400 and text in r.content.decode()
    assert not Round.objects.exists()
    assert Entry.objects.filter(action__in=[v.REFUSED, v.DENIED]).exists()


def test_score_item_by_item_then_correct_with_reason(setup):
    world, client, ev, files = setup
    round_ = _round(world)
    case_id = round_.sample[0]
    card = round_.card_for(case_id)
    url = reverse("evaluation:score", args=[round_.pk, case_id])
    page = client.get(url)
    assert page.status_code == 200 and "否决项" in page.content.decode()
    item = card["sections"][0]["items"][0]
    # a deduction without its note: 400, nothing saved, recorded
    r = client.post(url, _post_data(card, **{f"i_{item['id']}": str(item["points"])}))
    assert r.status_code == 400 and "请写明问题" in r.content.decode() and not Score.objects.exists()
    assert Entry.objects.filter(action=v.REFUSED, object_id=str(round_.pk)).exists()
    r = client.post(url, _post_data(card, **{f"i_{item['id']}": str(item["points"] + 1), f"n_{item['id']}": "x"}))
    assert r.status_code == 400 and "扣分须在 0 到" in r.content.decode()
    r = client.post(url, _post_data(card, **{f"i_{item['id']}": str(item["points"]), f"n_{item['id']}": "缺页码"}))
    assert r.status_code == 302
    s = Score.objects.get()
    assert s.total == scoring.full_marks(card) - item["points"]
    # a correction needs a reason (the form asks for it now)
    hard = card["hard_fail"][0]["id"]
    data = _post_data(card, **{f"i_{hard}": "fail", f"n_{hard}": "执法人员不足两人"})
    r = client.post(url, data)
    assert r.status_code == 400 and "更正理由" in r.content.decode()
    r = client.post(url, dict(data, reason="复核发现否决项"))
    assert r.status_code == 302
    current = services.current_score(round_, case_id)
    assert current.total == 0 and current.hard_failed and current.supersedes_id == s.pk
    page = client.get(reverse("evaluation:round", args=[round_.pk])).content.decode()
    assert "否决" in page and "已评 1 / 2" in page


def test_who_may_see_and_score(setup, client):
    world, client, ev, files = setup
    round_ = _round(world)
    case_id = round_.sample[0]
    url = reverse("evaluation:score", args=[round_.pk, case_id])
    client.force_login(world.officer)
    assert client.get(reverse("evaluation:index")).status_code == 403
    assert client.get(url).status_code == 403
    # the agency head sees the round but does not score
    client.force_login(world.agency_head)
    assert client.get(url).status_code == 200
    assert client.post(url, _post_data(round_.card_for(case_id))).status_code == 403
    assert Entry.objects.filter(action=v.DENIED, object_id=str(round_.pk)).exists()
    # another agency's round: 404 as if it did not exist, recorded
    other = acc.create_agency(None, name="别的局", short_name="别局")
    stranger = acc.create_user(None, username="x1", full_name="外人", password=world.PASSWORD, agency=other,
                               roles=["supervisor"])
    client.force_login(stranger)
    assert client.get(reverse("evaluation:round", args=[round_.pk])).status_code == 404
    assert client.get(reverse("evaluation:round", args=["abc"])).status_code == 404
    assert Entry.objects.filter(action="access.denied", object_id=str(round_.pk)).exists()
    # a file not in the sample
    client.force_login(ev)
    other_case = next(c.pk for c in files if c.pk not in round_.sample)
    assert client.get(reverse("evaluation:score", args=[round_.pk, other_case])).status_code == 404


def test_close_and_the_excel_workbook_opens(setup):
    from openpyxl import load_workbook

    world, client, ev, files = setup
    round_ = _round(world)
    r = client.post(reverse("evaluation:close", args=[round_.pk]))
    assert r.status_code == 409 and "没有评分" in r.content.decode()
    for case_id in round_.sample:
        card = round_.card_for(case_id)
        results = clean_results(card)
        results[card["sections"][0]["items"][0]["id"]] = {"deduction": 1, "note": "=SUM(A1:A9)"}
        services.score_file(ev, round_, case_id, results)
    assert client.post(reverse("evaluation:close", args=[round_.pk])).status_code == 302
    response = client.get(reverse("evaluation:export", args=[round_.pk]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["评查轮次", "案卷评分", "扣分明细", "等次分布"]
    rows = list(wb["案卷评分"].values)
    assert len(rows) == 3 and rows[1][7] == scoring.full_marks(round_.card_for(round_.sample[0])) - 1
    detail = list(wb["扣分明细"].values)
    assert detail[1][6] == "=SUM(A1:A9)" and wb["扣分明细"]["G2"].data_type == "s"  # text, not a formula
    assert list(wb["评查轮次"].values)[1][12] == "已结束"
    assert Entry.objects.filter(action=v.EXPORT, object_id=str(round_.pk)).exists()


def test_the_unit_head_sees_and_answers_only_the_units_files(setup):
    world, client, ev, files = setup
    round_ = _round(world)
    case_id = round_.sample[0]
    services.score_file(ev, round_, case_id, clean_results(round_.card_for(case_id)))
    client.force_login(world.unit_head)
    page = client.get(reverse("evaluation:unit"))
    assert page.status_code == 200
    number = files[0].__class__.objects.get(pk=case_id).number
    assert number in page.content.decode()
    url = reverse("evaluation:answer", args=[round_.pk, case_id])
    assert client.get(url).status_code == 200
    r = client.post(url, {"stance": "object", "reason": "", "corrected": ""})
    assert r.status_code == 400 and "请写明异议理由" in r.content.decode()
    r = client.post(url, {"stance": "object", "reason": "送达回证在卷", "corrected": "已补页码"})
    assert r.status_code == 302 and Answer.objects.get().stance == "object"
    # not scored yet: nothing to answer
    assert client.get(reverse("evaluation:answer", args=[round_.pk, round_.sample[1]])).status_code == 404
    # the other unit's head sees none of it
    other_head = acc.create_user(None, username="zhao2", full_name="赵科长", password=world.PASSWORD,
                                 agency=world.agency, unit=world.other_unit, roles=["unit_head"])
    client.force_login(other_head)
    assert number not in client.get(reverse("evaluation:unit")).content.decode()
    assert client.get(url).status_code == 404
    assert client.post(url, {"stance": "accept"}).status_code == 404
    assert Answer.objects.count() == 1
    # the evaluator responds on the file's page
    client.force_login(ev)
    a = Answer.objects.get()
    r = client.post(reverse("evaluation:respond", args=[round_.pk, a.pk]), {"text": "异议成立，已更正。"})
    assert r.status_code == 302 and a.responses.count() == 1
    page = client.get(reverse("evaluation:score", args=[round_.pk, case_id])).content.decode()
    assert "送达回证在卷" in page and "异议成立" in page


def test_cli_list_show_open_redraw_close(setup):
    world, client, ev, files = setup
    today = timezone.localdate()
    code, out, err = command("--as", ev.username, "open", "--title", "命令行评查", "--from",
                             (today - datetime.timedelta(days=2)).isoformat(), "--to", today.isoformat(),
                             "--size", "1", "--seed", SEED, "--json")
    assert code == 0, err
    data = json.loads(out.strip().splitlines()[-1])
    assert data["seed"] == SEED and len(data["sample"]) == 1
    code, out, _ = command("list", "--json")
    assert code == 0 and json.loads(out)["rounds"][0]["title"] == "命令行评查"
    code, out, _ = command("show", str(data["id"]), "--json")
    assert code == 0 and json.loads(out)["files"][0]["score"] is None
    code, out, _ = command("redraw", str(data["id"]))
    assert code == 0 and "一致" in out
    code, out, err = command("--as", ev.username, "close", str(data["id"]))
    assert code != 0 and "没有评分" in err
    code, out, err = command("--as", ev.username, "open", "--title", "x", "--from", "2026-99-01", "--to", "2026-01-01",
                             "--size", "1")
    assert code == 2 and "不是有效的日期" in err
    code, out, err = command("show", "99999")
    assert code == 2 and "不存在" in err
