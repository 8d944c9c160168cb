"""Profile files are validated on load: every bad input is refused with its line and a Chinese
reason (issue 15, "Bad input"), and the packaged files all load."""
import re
from pathlib import Path

import pytest

from liuhen.profiles import loader
from liuhen.profiles.spec import Period

pytestmark = pytest.mark.django_db  # the registries of record types and case codes are filled

ROOT = Path(__file__).resolve().parents[3]


def refused(text: str, **kw) -> loader.ProfileError:
    with pytest.raises(loader.ProfileError) as exc:
        loader.build(text, label="t.yaml", **kw)
    return exc.value


def head(body: str, extends: str = "base") -> str:
    return f"code: T\nname: 测试\n{'extends: ' + extends if extends else ''}\n{body}"


@pytest.mark.parametrize("code", ["base", "BX", "LC", "LW", "AS", "LQ"])
def test_the_packaged_profiles_load_with_every_name_checked(code):
    p = loader.build(loader.packaged_text(code), label=f"{code}.yaml")
    assert p.code == code and p.name
    assert (p.extends == "base") == (code != "base")
    for rule in (*p.rules.values(), *p.signatures, *p.av_acts, *p.deadlines, *p.major, *p.phrases):
        assert rule.article.strip(), rule
    for entry in p.stages:
        assert all(r.article for r in entry.requirements)
    assert p.scorecard is not None and p.scorecard.full_marks == 100


def test_agency_specifics():
    lw = loader.packaged("LW")
    [opening] = [ph for ph in lw.phrases_for("inspection") if ph.id == "lw_opening"]
    assert opening.text.startswith("今天是×年×月×日，执法人员×××、×××") and opening.article == "LW-D 6"
    review = lw.deadline("legal_review")
    assert (review.period, review.extension, review.article) == (Period(10, "wd"), Period(10, "wd"), "LW-L 16")
    lq = loader.packaged("LQ")
    assert lq.deadline("publicity").period == Period(7, "wd")
    assert {a.id for a in lq.av_acts} >= {"inspection", "sampling", "hearing", "seizure", "lien_service", "public_notice"}
    seizure = next(a for a in lq.av_acts if a.id == "seizure")
    assert seizure.required and not seizure.forbidden_without_reason  # LQ 19: 全程音像记录, no excuse
    assert any(ph.article == "LQ 22" for ph in lq.phrases)
    as_ = loader.packaged("AS")
    assert as_.rule("av_field_trip_hours") == 24 and as_.rules["av_field_trip_hours"].article == "AS 12"
    inspection = next(a for a in as_.av_acts if a.id == "inspection")
    assert inspection.forbidden_without_reason and inspection.article == "AS 8"  # a written reason where not suitable
    base = loader.packaged("base")
    # 行政处罚法 85: 七日 are working days — service within 7 working days of the decision.
    assert base.deadline("service").period == Period(7, "wd")


def test_every_cited_article_of_the_profiles_exists():
    """As tests/test_standalone.py does for the code: each seed article a profile cites is in docs/regulations."""
    citation = re.compile(r"\b(BX|LC|LQ|AS|LW-[PRDL])[ ]((?:\d+)(?:[-,–](?:\d+))*)\b")
    digits = "零一二三四五六七八九"

    def chinese(n):
        if n < 10:
            return digits[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")

    texts = {k: (ROOT / "docs" / "regulations" / f"{k}.txt").read_text(encoding="utf-8")
             for k in ("BX", "LC", "LQ", "AS", "LW-P", "LW-R", "LW-D", "LW-L")}
    missing, seen = [], 0
    for path in sorted(loader.DATA_DIR.glob("*.yaml")):
        for key, spec in citation.findall(path.read_text(encoding="utf-8")):
            for part in spec.split(","):
                a, _, b = part.replace("–", "-").partition("-")
                for n in range(int(a), int(b or a) + 1):
                    seen += 1
                    if f"第{n}条" not in texts[key] and f"第{chinese(n)}条" not in texts[key]:
                        missing.append(f"{path.name}: {key} {n}")
    assert seen > 50 and missing == []


# ---- bad input: refused with the line and a reason ---------------------------------------------------

def test_an_unknown_record_type_is_refused_with_its_line():
    err = refused(head("""stages:
  - stage: start
    applies: {procedures: [general]}
    requirements:
      - {id: a, codes: [no_such_record], article: BX 5}
"""))
    assert err.errors == [("t.yaml", 8, "文书类型“no_such_record”不是已知的文书类型")]
    assert "t.yaml 第8行：文书类型“no_such_record”不是已知的文书类型" in str(err)


def test_a_cycle_of_extends_is_refused_with_its_line(tmp_path):
    (tmp_path / "a.yaml").write_text("code: a\nname: 甲\nextends: b\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("# 乙\ncode: b\nname: 乙\nextends: a\n", encoding="utf-8")
    with pytest.raises(loader.ProfileError) as exc:
        loader.build_file(tmp_path / "a.yaml")
    assert ("b.yaml", 4, "继承（extends）形成循环：a → b → a") in exc.value.errors
    assert ("a.yaml", 3, "继承的配置“b”本身无效") in exc.value.errors
    # A profile extending itself, and one naming a profile that does not exist.
    assert refused("code: base\nname: 自己\nextends: base\n").errors[0][1:] == (3, "继承（extends）形成循环：base → base")
    assert "继承的配置“nowhere”不存在" in refused(head("", extends="nowhere")).errors[0][2]


@pytest.mark.parametrize("period, start, line, words", [
    ("10 weeks", "case.started", 8, "期限“10 weeks”无效"),
    ("0d", "case.started", 8, "期限“0d”无效"),
    ("7x", "case.started", 8, "应为正整数加单位 h（小时）、d（日）或 wd（工作日）"),
    ("7wd", "case.sometime", 7, "起算时点（start）“case.sometime”不是已知的时点"),
    ("7wd", "record.no_such_record.completed", 7, "“no_such_record”不是已知的文书类型"),
    ("7wd", "stage.nowhere.entered", 7, "不是已知的时点"),
])
def test_a_bad_deadline_expression_is_refused_with_its_line(period, start, line, words):
    err = refused(head(f"""deadlines:
  - id: d
    label: 某期限
    start: {start}
    period: {period}
    end: [case.archived]
    article: BX 11
"""))
    assert len(err.errors) == 1 and err.errors[0][1] == line and words in err.errors[0][2], err.errors


@pytest.mark.parametrize("article, line, words", [
    (None, 8, "缺少依据（article）"),
    ('""', 11, "依据（article）为空"),
    ("'   '", 11, "依据（article）为空"),
])
def test_a_missing_article_is_refused_with_its_line(article, line, words):
    err = refused(head(f"""rules:
  - id: r
    value: 3
    article: BX 4
  - id: s
    value: 4
    text: 另一规则
{'    article: ' + article if article else ''}
"""))
    assert len(err.errors) == 1 and err.errors[0][1] == line and words in err.errors[0][2], err.errors


@pytest.mark.parametrize("body, line, words", [
    ("rules: [{id: r, value: 1, article: BX 4, colour: red}]", 4, "未知的键“colour”"),
    ("stages:\n  - stage: nowhere\n    requirements: []", 5, "阶段“nowhere”未知"),
    ("stages:\n  - stage: start\n    applies: {kinds: [spaceflight]}\n    requirements: []", 6, "执法类别（kinds）中的“spaceflight”未知"),
    ("stages:\n  - stage: start\n    applies: {procedures: [fast]}\n    requirements: []", 6, "程序（procedures）中的“fast”未知"),
    ("stages:\n  - stage: start\n    applies: {start_modes: [whim]}\n    requirements: []", 6, "启动方式（start_modes）中的“whim”未知"),
    ("signatures:\n  - {id: s, record_type: decision, leader: boss, article: BX 9}", 5, "负责人（leader）应为"),
    ("av_acts:\n  - {id: x, label: 某环节, records: [decision], av: sometimes, article: LQ 19}", 5, "av 应为"),
    ("av_acts:\n  - {id: x, label: 某环节, records: [decision], kinds: [hologram], article: LQ 19}", 5, "“hologram”未知"),
    ("rules:\n  - {id: r, value: 1, article: BX 4}\n  - {id: r, value: 2, article: BX 4}", 6, "标识“r”重复（第5行已有）"),
    ("rules: 3", 4, "规则值（rules）应为列表"),
    ("phrases:\n  - {id: p, act: nowhere, text: 你好, article: LW-D 6}", 5, "所属环节“nowhere”不是音像记录环节"),
    ("name: 再来一个", 4, "键“name”重复"),
    ("scorecard: {sections: [], bands: []}", 4, "sections 应为非空列表"),
])
def test_other_bad_input_is_refused_with_its_line(body, line, words):
    err = refused(head(body))
    assert any(e[1] == line and words in e[2] for e in err.errors), err.errors


def test_yaml_syntax_and_missing_keys():
    err = refused("code: T\nname: [unclosed\n")
    assert err.errors[0][1] == 2 and "YAML 语法错误" in err.errors[0][2]
    err = refused("regulation: BX\n")
    assert {e[2] for e in err.errors} == {"配置文件缺少“code”", "配置文件缺少“name”"}
    assert refused("").errors == [("t.yaml", 1, "文件为空")]
    assert "顶层应为键值对" in refused("- a\n- b\n").errors[0][2]


def test_all_errors_of_a_file_are_reported_together_in_line_order():
    err = refused(head("""rules:
  - {id: r, value: 1}
deadlines:
  - {id: d, label: 期限, start: case.started, period: 3y, end: [case.archived], article: BX 11}
"""))
    assert [e[1] for e in err.errors] == [5, 7]


def test_an_extending_profile_replaces_by_id_adds_and_removes():
    p = loader.build(head("""remove: [inquiry]
rules:
  - {id: on_site_officers, value: 3, article: LQ 17}
av_acts:
  - {id: detention, label: 限制人身自由, records: [seizure_record], av: required, article: LQ 19}
"""), label="t.yaml")
    assert p.rule("on_site_officers") == 3 and p.rules["on_site_officers"].article == "LQ 17"
    assert p.rule("emergency_approval_hours") == 24  # inherited
    ids = [a.id for a in p.av_acts]
    assert "inquiry" not in ids and ids[-1] == "detention" and "inspection" in ids


def test_the_default_profile_setting_is_checked_at_start(settings):
    from liuhen.profiles.checks import default_profile_setting

    assert default_profile_setting() == []
    settings.LIUHEN_DEFAULT_PROFILE = "LQ"
    assert default_profile_setting() == []
    settings.LIUHEN_DEFAULT_PROFILE = "nowhere"
    [error] = default_profile_setting()
    assert error.id == "liuhen.profiles.E001" and "nowhere" in error.msg
