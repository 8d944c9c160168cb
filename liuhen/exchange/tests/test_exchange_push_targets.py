"""A push target per agency (issue 21 §4: a platform serving several agencies, each reporting to its own
provincial line platform), against real HTTP servers on loopback: each agency's batches go to the URL of
its LIUHEN_PUSH_TARGETS entry with the token of the environment variable it names, the others to
LIUHEN_PUSH_URL (none: left out, said so); no token in the database or the ledger; a bad configuration
is a system check with a stable id and a clear refusal of `liuhen api push`, nothing sent."""
import json

import pytest
from django.core import checks

from liuhen.accounts import services as acc
from liuhen.exchange import push, targets
from liuhen.exchange import vocabulary as v
from liuhen.exchange.models import PushAttempt, PushBatch
from liuhen.ledger.models import Entry
from liuhen.testing.commands import run_command
from liuhen.testing.push_platform import platform

TOKEN_A, TOKEN_B = "secret-of-the-water-line-platform", "secret-of-the-urban-line-platform"


@pytest.fixture
def configured(settings, tmp_path, monkeypatch):
    settings.LIUHEN_PUSH_URL = ""
    settings.LIUHEN_PUSH_TOKEN = "default-secret"
    settings.LIUHEN_PUSH_RETRIES = 0
    settings.LIUHEN_PUSH_SETTLE_SECONDS = 0
    monkeypatch.setenv("LIUHEN_PUSH_TOKEN_CESHUI", TOKEN_A)
    monkeypatch.setenv("LIUHEN_PUSH_TOKEN_URBAN", TOKEN_B)
    return settings


def write_targets(settings, tmp_path, data, name="push-targets.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    settings.LIUHEN_PUSH_TARGETS = str(path)
    return path


def exchange_checks():
    return [(m.id, m.msg) for m in checks.run_checks() if m.id and m.id.startswith("liuhen.exchange.")]


def test_each_agency_to_its_own_platform_with_its_own_token_the_others_to_the_default(world, configured, tmp_path):
    settings = configured
    urban = acc.create_agency(None, name="测试市城市管理综合行政执法局", short_name="测城", credit_code="11210500MB0000003A")
    county = acc.create_agency(None, name="测试县司法局", short_name="县司")
    world.open_case()
    with platform(200) as water_line, platform(200) as urban_line, platform(200) as default:
        write_targets(settings, tmp_path, {
            "测水": {"url": water_line.url, "token_env": "LIUHEN_PUSH_TOKEN_CESHUI"},
            "11210500MB0000003A": {"url": urban_line.url, "token_env": "LIUHEN_PUSH_TOKEN_URBAN"}})
        assert exchange_checks() == []
        # No default URL: the county, not listed, is left out — and said so.
        run = run_command("api", "push")
        assert run.code == 0, run.err
        assert f"{county.name}：{push.NO_TARGET}" in run.out
        assert not PushBatch.objects.filter(agency=county).exists() and not default.received
        settings.LIUHEN_PUSH_URL = default.url
        world.open_case()
        outcomes = {o.agency: o for o in push.push_all(sleep=lambda s: None)}
    assert all(not o.problem for o in outcomes.values()), outcomes
    [(h1, b1), (h2, b2)] = water_line.received
    [(hu, bu)] = urban_line.received
    [(hd, bd)] = default.received
    assert h1["Authorization"] == h2["Authorization"] == f"Bearer {TOKEN_A}"
    assert hu["Authorization"] == f"Bearer {TOKEN_B}" and hd["Authorization"] == "Bearer default-secret"
    assert [json.loads(b)["agency"]["name"] for b in (b1, b2, bu, bd)] == [world.agency.name, world.agency.name,
                                                                         urban.name, county.name]
    by_agency = {a.batch.agency_id: a.url for a in PushAttempt.objects.select_related("batch")}
    assert by_agency == {world.agency.pk: water_line.url, urban.pk: urban_line.url, county.pk: default.url}
    # The tokens are read from the environment when sending: nowhere in the database, nor in the ledger.
    kept = json.dumps([json.loads(bytes(e.leaf)) for e in Entry.objects.all()], ensure_ascii=False)
    kept += "".join(PushBatch.objects.values_list("payload", flat=True))
    kept += json.dumps(list(PushAttempt.objects.values_list("url", "answer")))
    assert TOKEN_A not in kept and TOKEN_B not in kept and "default-secret" not in kept


def test_the_default_file_under_liuhen_home_and_a_named_agency_without_target(world, configured, fresh_home):
    other = acc.create_agency(None, name="另一执法机关", short_name="另")
    fresh_home.mkdir()
    with platform(200) as water_line:
        (fresh_home / targets.FILE_NAME).write_text(json.dumps(
            {"测水": {"url": water_line.url}}, ensure_ascii=False), encoding="utf-8")
        [outcome] = push.push_all(world.agency, sleep=lambda s: None)
        assert outcome.acknowledged and "Authorization" not in water_line.received[0][0]  # no token_env: none
        bad = run_command("api", "--agency", "另", "push")
    assert bad.code == 2 and other.name in bad.err and "未配置推送地址" in bad.err
    assert not PushBatch.objects.filter(agency=other).exists()


CASES = [
    ("unknown agency", {"无此机关": {"url": "https://a.example.cn/push"}}, v.CHECK_TARGET_AGENCY, "没有以此"),
    ("not http", {"测水": {"url": "ftp://a.example.cn/push"}}, v.CHECK_TARGET_URL, "不是 http(s) 网址"),
    ("no host", {"测水": {"url": "https:///push"}}, v.CHECK_TARGET_URL, "不是 http(s) 网址"),
    ("bad port", {"测水": {"url": "http://a.example.cn:http/push"}}, v.CHECK_TARGET_URL, "格式不正确"),
    ("no url", {"测水": {"token_env": "LIUHEN_PUSH_TOKEN_CESHUI"}}, v.CHECK_TARGET_URL, "推送地址为空"),
    ("password in url", {"测水": {"url": "https://u:p@a.example.cn/push"}}, v.CHECK_TARGET_URL, "用户名或密码"),
    ("token in file", {"测水": {"url": "https://a.example.cn/push", "token": "x"}}, v.CHECK_TARGETS,
     "令牌不得写在配置文件中"),
    ("token unset", {"测水": {"url": "https://a.example.cn/push", "token_env": "LIUHEN_UNSET_TOKEN"}},
     v.CHECK_TARGET_TOKEN, "LIUHEN_UNSET_TOKEN 未设置"),
    ("bad env name", {"测水": {"url": "https://a.example.cn/push", "token_env": "A B"}}, v.CHECK_TARGETS,
     "环境变量名"),
    ("entry not object", {"测水": "https://a.example.cn/push"}, v.CHECK_TARGETS, "应为对象"),
    ("not an object", ["测水"], v.CHECK_TARGETS, "应为对象"),
    ("not json", "{测水: ", v.CHECK_TARGETS, "不是有效的 JSON"),
    ("twice", {"测水": {"url": "https://a.example.cn/push"}, "测试市水务局": {"url": "https://b.example.cn/push"}},
     v.CHECK_TARGET_AGENCY, "没有以此"),  # a name is not a code
]


@pytest.mark.parametrize("name, data, check_id, words", CASES, ids=[c[0] for c in CASES])
def test_a_bad_target_is_a_system_check_and_the_push_refuses_sending_nothing(
        world, configured, tmp_path, name, data, check_id, words):
    settings = configured
    world.open_case()
    with platform(200) as line:
        settings.LIUHEN_PUSH_URL = line.url
        write_targets(settings, tmp_path, data)
        found = exchange_checks()
        run = run_command("api", "push")
    assert [i for i, _ in found] == [check_id] and words in found[0][1], found
    level = [m.level for m in checks.run_checks() if m.id == check_id][0]
    assert level == (checks.WARNING if check_id == v.CHECK_TARGET_AGENCY else checks.ERROR)
    assert run.code == 2 and "推送配置有误" in run.err and words in run.err, run.err
    assert not PushBatch.objects.exists() and not line.received


def test_the_same_agency_twice_a_missing_named_file_and_a_bad_default_url(world, configured, tmp_path):
    settings = configured
    world.agency.credit_code = "11210500MB0000004B"
    world.agency.save(update_fields=["credit_code"])
    write_targets(settings, tmp_path, {"测水": {"url": "https://a.example.cn/push"},
                                       "11210500MB0000004B": {"url": "https://b.example.cn/push"}})
    assert exchange_checks() == [(v.CHECK_TARGETS, "推送目标“11210500MB0000004B”：测试市水务局已有推送目标")]
    settings.LIUHEN_PUSH_TARGETS = str(tmp_path / "missing.json")
    [(check_id, message)] = exchange_checks()
    assert check_id == v.CHECK_TARGETS and "文件不存在" in message
    settings.LIUHEN_PUSH_TARGETS = ""
    settings.LIUHEN_PUSH_URL = "platform.example.cn/push"
    assert [i for i, _ in exchange_checks()] == [v.CHECK_TARGET_URL]
    run = run_command("check")
    assert run.code != 0 and v.CHECK_TARGET_URL in run.err + run.out
    assert run_command("api", "push").code == 2 and not PushBatch.objects.exists()
