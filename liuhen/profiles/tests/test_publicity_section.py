"""The profile's `publicity:` section (公示, issue 20): every packaged profile loads it with its clocks
(publish, withdraw, republish a change), a bad value is refused with its line and a Chinese reason,
an extending profile changes the keys it gives and keeps the others, and the profile page and
`liuhen profile show` say every setting in Chinese with its article."""
import pytest

from liuhen.profiles import describe, loader, spec
from liuhen.profiles.spec import Period, PublicityDuration
from liuhen.testing.profiles import load, profile_text

pytestmark = pytest.mark.django_db


def refused(body: str) -> loader.ProfileError:
    with pytest.raises(loader.ProfileError) as exc:
        loader.build(profile_text(body=body), label="t.yaml")
    return exc.value


def only(err: loader.ProfileError) -> tuple[int, str]:
    assert len(err.errors) == 1, err.lines()
    return err.errors[0][1], err.errors[0][2]


# ---- the packaged profiles ------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["base", "AS", "BX", "LC", "LQ", "LW"])
def test_each_packaged_profile_has_its_three_publicity_clocks(code):
    p = loader.packaged(code, check_names=True)
    pub = p.publicity
    publish, withdraw, republish = (p.deadline(pub.deadline), p.deadline(pub.withdrawal_deadline),
                                    p.deadline(pub.republish_deadline))
    # An exempted decision (a minor's case, secrets, a penalty not published) meets the clock at once.
    assert publish.end == ("publication.published", "publication.exempted")
    assert (withdraw.start, withdraw.period, withdraw.end) == ("decision.revoked", Period(3, "wd"),
                                                               ("publication.withdrawn",))
    assert (republish.start, republish.period, republish.end) == ("decision.replaced", Period(10, "wd"),
                                                                  ("publication.republished",))
    assert "LW-P 11" in republish.article  # 自变更之日起10个工作日内将修改后的信息重新公布
    assert pub.durations[-1].penalties == () and pub.durations[-1].max_fine is None  # a term for every decision


def test_base_writes_out_every_publicity_setting_with_its_article():
    pub = loader.packaged("base").publicity
    assert pub.durations == (PublicityDuration(("criticism",), None, 3, "市场监管公示规定 14"),
                             PublicityDuration((), None, 36, "市场监管公示规定 14"))
    assert all(d.max_fine is None for d in pub.durations)  # 较低数额罚款: the provinces differ, base sets none
    assert pub.no_early_removal == ("suspension", "revocation", "demotion", "ban")
    assert (pub.draft_roles, pub.review_roles, pub.approve_roles) == (
        ("officer", "unit_head", "legal_reviewer"), ("legal_reviewer",), ("agency_head",))
    assert (pub.statistics_due, pub.republish_deadline) == ("01-31", "republication")
    assert "行政处罚法》第四十八条" in pub.notice
    assert pub.exclude_penalties == ("warning",) and pub.mask_person_name is False
    assert {k: pub.article_for(k) for k in ("republish_deadline", "no_early_removal", "approve_roles",
                                            "statistics_due", "mask_person_name")} == {
        "republish_deadline": "LW-P 11", "no_early_removal": "市场监管公示规定 16", "approve_roles": "LW-P 6",
        "statistics_due": "国办发〔2018〕118号", "mask_person_name": "LW-P 8, 行政处罚法 48"}


def test_the_agency_profiles_keep_their_own_publicity_and_inherit_the_rest():
    base, lq, lc, lw = (loader.packaged(c) for c in ("base", "LQ", "LC", "LW"))
    # 住建 (LQ): seven working days, warnings published too, the person's name masked.
    assert lq.deadline(lq.publicity.deadline).period == Period(7, "wd")
    assert (lq.publicity.exclude_penalties, lq.publicity.mask_person_name) == ((), True)
    assert lc.publicity.exclude_penalties == ("warning",) and lc.publicity.article == "行政处罚法 48"
    # LW-P 7: every kind of enforcement decision, and its republication clock as wide.
    assert lw.publicity.applies == spec.Applies(procedures=("general",))
    assert lw.deadline("republication").applies == lw.publicity.applies
    for p in (lq, lc, lw):
        assert (p.publicity.durations, p.publicity.approve_roles, p.publicity.notice) == (
            base.publicity.durations, base.publicity.approve_roles, base.publicity.notice)


# ---- refused with the line and the reason -------------------------------------------------------------

LONG_NOTICE = "本" * 301


@pytest.mark.parametrize("body, line, words", [
    # roles: known codes, none of the three administrators (三员分立)
    ("publicity:\n  draft_roles: [officer, system_admin]\n", 5, ["draft_roles", "三员分立"]),
    ("publicity:\n  review_roles: [chief]\n", 5, ["review_roles", "未知的角色 'chief'"]),
    ("publicity:\n  approve_roles: []\n", 5, ["approve_roles", "非空的角色代码列表"]),
    ("publicity:\n  approve_roles: {value: agency_head, article: LW-P 6}\n", 5, ["approve_roles", "非空的角色代码列表"]),
    # durations: a list of {penalties, max_fine, months, article}, ending with a rule for every decision
    ("publicity:\n  durations: []\n", 5, ["durations", "非空列表"]),
    ("publicity:\n  durations:\n    - {penalties: [parking], months: 3, article: x}\n    - {months: 36, article: x}\n",
     6, ["第1条的处罚种类（penalties）", "处罚种类代码"]),
    ("publicity:\n  durations:\n    - {penalties: [fine], max_fine: -1, months: 3, article: x}\n"
     "    - {months: 36, article: x}\n", 6, ["max_fine", "0 到"]),
    ("publicity:\n  durations:\n    - {months: 0, article: x}\n", 6, ["months", "1 到 1200"]),
    ("publicity:\n  durations:\n    - {months: 1201, article: x}\n", 6, ["months", "1 到 1200"]),
    ("publicity:\n  durations:\n    - {months: \"36\", article: x}\n", 6, ["months", "整数"]),
    ("publicity:\n  durations:\n    - {article: x}\n", 6, ["第1条缺少“months”"]),
    ("publicity:\n  durations:\n    - {months: 36}\n", 6, ["第1条缺少依据（article）"]),
    ("publicity:\n  durations:\n    - {months: 36, article: x, years: 3}\n", 6, ["未知的键“years”"]),
    ("publicity:\n  durations:\n    - {months: 36, article: x}\n    - {penalties: [criticism], months: 3, article: x}\n",
     6, ["第1条不限处罚种类和罚款数额", "永远不会适用"]),
    ("publicity:\n  durations:\n    - {penalties: [criticism], months: 3, article: x}\n", 6, ["兜底规则"]),
    # penalty codes of PENALTY_KINDS
    ("publicity:\n  no_early_removal: [forever]\n", 5, ["no_early_removal", "处罚种类代码"]),
    ("publicity:\n  exclude_penalties: [警告]\n", 5, ["exclude_penalties", "处罚种类代码"]),
    # statistics_due: a "MM-DD" every year has
    ("publicity:\n  statistics_due: \"02-30\"\n", 5, ["statistics_due", "月-日"]),
    ("publicity:\n  statistics_due: \"02-29\"\n", 5, ["statistics_due", "每年都有"]),
    ("publicity:\n  statistics_due: \"1-31\"\n", 5, ["statistics_due", "01-31"]),
    ("publicity:\n  statistics_due: 131\n", 5, ["statistics_due"]),
    # notice: non-empty, at most 300 characters
    ("publicity:\n  notice: \"\"\n", 5, ["notice", "非空文字"]),
    (f"publicity:\n  notice: {LONG_NOTICE}\n", 5, ["notice", "不超过300个字符"]),
    # deadlines named must exist
    ("publicity:\n  republish_deadline: nowhere\n", 5, ["公示引用的期限“nowhere”不存在", "republish_deadline"]),
    ("publicity:\n  withdrawal_deadline: nowhere\n", 5, ["公示引用的期限“nowhere”不存在"]),
    ("publicity:\n  deadline: \"\"\n", 5, ["deadline", "期限（deadlines）的标识"]),
    ("remove: [republication]\n", None, ["公示引用的期限“republication”不存在"]),
    # the rest
    ("publicity:\n  mask_person_name: \"yes\"\n", 5, ["mask_person_name", "true 或 false"]),
    ("publicity:\n  statistics: \"01-31\"\n", 5, ["未知的键“statistics”"]),
    ("publicity:\n  article: \"\"\n", 5, ["依据（article）为空"]),
])
def test_a_bad_publicity_value_is_refused_with_its_line_and_reason(body, line, words):
    got_line, reason = only(refused(body))
    if line is not None:
        assert got_line == line, reason
    for w in words:
        assert w in reason, reason


def test_a_profile_extending_nothing_must_name_its_deadlines():
    with pytest.raises(loader.ProfileError) as exc:
        loader.build("code: X\nname: 独立\npublicity:\n  mask_person_name: true\n", label="x.yaml")
    reasons = [e[2] for e in exc.value.errors]
    assert any("缺少“deadline”" in r for r in reasons) and any("缺少“withdrawal_deadline”" in r for r in reasons)
    assert any("缺少依据（article）" in r for r in reasons)


def test_a_profile_extending_nothing_gets_the_spec_defaults():
    p = loader.build("""code: X
name: 独立
deadlines:
  - {id: pub, label: 公示, start: record.decision.completed, period: 7wd, end: [publication.published], article: a}
  - {id: wd, label: 撤回, start: decision.revoked, period: 3wd, end: [publication.withdrawn], article: a}
  - {id: republication, label: 重新公示, start: decision.replaced, period: 10wd, end: [publication.republished], article: a}
publicity: {deadline: pub, withdrawal_deadline: wd, article: 行政处罚法 48}
""", label="x.yaml")
    assert p.publicity == spec.PublicitySpec(spec.Applies(), (), False, "pub", "wd", "行政处罚法 48")


def test_a_child_of_a_parent_without_publicity_must_complete_it(tmp_path):
    (tmp_path / "P.yaml").write_text("code: P\nname: 父\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("code: C\nname: 子\nextends: P\npublicity:\n  mask_person_name: true\n",
                                     encoding="utf-8")
    with pytest.raises(loader.ProfileError) as exc:
        loader.build_file(tmp_path / "c.yaml")
    assert any("缺少“deadline”（继承的配置中也没有）" in e[2] and e[1] == 5 for e in exc.value.errors), exc.value.lines()


# ---- extends: key by key --------------------------------------------------------------------------------

def test_an_extending_profile_changes_the_keys_it_gives_and_keeps_the_others():
    """A province's 较低数额罚款 (here 10000 yuan) is a rule before the catch-all; `durations` is replaced whole."""
    p = loader.build(profile_text(body="""publicity:
  mask_person_name: {value: true, article: 本局规定}
  durations:
    - {penalties: [fine], max_fine: 10000, months: 3, article: 某省公示办法 9}
    - {penalties: [criticism], months: 3, article: 市场监管公示规定 14}
    - {months: 36, article: 市场监管公示规定 14}
  approve_roles: [agency_head, unit_head]
"""), label="t.yaml")
    base = loader.packaged("base").publicity
    pub = p.publicity
    assert pub.mask_person_name is True and pub.article_for("mask_person_name") == "本局规定"
    assert pub.durations[0] == PublicityDuration(("fine",), 10000, 3, "某省公示办法 9") and len(pub.durations) == 3
    assert pub.approve_roles == ("agency_head", "unit_head") and pub.article_for("approve_roles") == base.article
    for key in ("applies", "exclude_penalties", "deadline", "withdrawal_deadline", "republish_deadline",
                "no_early_removal", "draft_roles", "review_roles", "statistics_due", "notice", "article"):
        assert getattr(pub, key) == getattr(base, key), key
    assert pub.article_for("no_early_removal") == "市场监管公示规定 16"  # the parent's article stays with its value


def test_a_grandchild_keeps_what_its_parent_changed(tmp_path):
    (tmp_path / "child.yaml").write_text("code: C\nname: 子\nextends: LQ\npublicity:\n  statistics_due: \"01-15\"\n",
                                         encoding="utf-8")
    p = loader.build_file(tmp_path / "child.yaml")
    assert (p.publicity.statistics_due, p.publicity.mask_person_name, p.publicity.exclude_penalties) == ("01-15", True, ())
    assert p.deadline(p.publicity.deadline).period == Period(7, "wd")


# ---- in words -------------------------------------------------------------------------------------------

def test_durations_in_words():
    assert describe.durations_label(loader.packaged("base").publicity.durations) == "通报批评：3个月；其他：3年"
    assert describe.durations_label((PublicityDuration(("fine",), 10000, 3, "a"), PublicityDuration((), 5000, 6, "a"),
                                     PublicityDuration((), None, 18, "a"))) == \
        "罚款（不超过10000元）：3个月；罚款不超过5000元：6个月；其他：18个月"
    assert describe.durations_label((PublicityDuration((), None, 36, "a"),)) == "一律：3年"


def test_the_profile_page_shows_the_publicity_section(client, world):
    load(world, profile_text(body="publicity:\n  mask_person_name: true\n  statistics_due: \"02-15\"\n"))
    client.force_login(world.agency_head)
    html = client.get("/profiles/").content.decode()
    section = html[html.index('id="publicity"'):]
    section = section[:section.index("</div>")]
    for words in ("行政执法公示", "行政处罚 · 一般程序", "不予公示的处罚", "警告", "隐去名字（如张某某）",
                  "自决定书签字完成起20个工作日内", "自决定被撤销、变更或确认无效起3个工作日内",
                  "自决定变更起10个工作日内", "LW-P 11", "通报批评：3个月；其他：3年", "市场监管公示规定 14",
                  "责令停产停业、吊销许可证件、降低资质等级、限制从业", "市场监管公示规定 16",
                  "执法人员、承办机构负责人、法制审核人员", "机关负责人", "LW-P 6",
                  "每年2月15日（上一年度的执法数据）", "本决定将依据《中华人民共和国行政处罚法》第四十八条"):
        assert words in section, words
    # the deadlines table names the new anchors in Chinese
    assert "公示或决定不予公示" in html and "重新公示变更后的决定" in html


def test_profile_show_prints_the_publicity_section():
    out = describe.text(loader.packaged("LQ", check_names=True))
    publicity = out[out.index("\n公示：\n"):]
    for words in ("公示时限：自决定书签字完成起7个工作日内（依据：行政处罚法 48, 85）",
                  "受处罚自然人的姓名：隐去名字（如张某某）（依据：本机关规定）",
                  "不予公示的处罚：无", "统计数据公开截止：每年1月31日", "公示期限（期满撤下）：通报批评：3个月；其他：3年"):
        assert words in publicity, words
