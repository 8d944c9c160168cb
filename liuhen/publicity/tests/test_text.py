"""The texts of a decision's publication (行政处罚法 48; 市场监管公示规定 10): the served text is what the
sealed PDF prints, line by line; the people whose names go; the public period by the profile."""
import datetime
import re

import pytest

from liuhen.documents.models import IssuedDocument
from liuhen.profiles.spec import PENALTY_KINDS, PublicityDuration
from liuhen.publicity import text
from liuhen.testing.documents import pdf_text
from liuhen.testing.documents_verify import stored
from liuhen.testing.publicity import FACTS_WITH_PEOPLE, issued_decision, organisation_case


def _flat(value: str) -> str:
    return re.sub(r"\s+", "", value)


def test_every_line_of_the_served_text_is_printed_on_the_sealed_pdf_and_nothing_else(world):
    case, doc = issued_decision(world, facts=FACTS_WITH_PEOPLE + "\n第二段：当事人到案后如实陈述。", witness="李四")
    served = text.served_text(text.decision_document(doc))
    printed = _flat(pdf_text(stored(doc.pdf_sha256)))
    lines = served.splitlines()
    assert served.endswith("\n") and all(line == line.strip() and line for line in lines)
    for line in lines:
        assert _flat(line) in printed, line
    # In the printed order, and the whole page but the QR code's caption, the seal's place and page numbers.
    assert printed.index(_flat(lines[0])) < printed.index(_flat(lines[len(lines) // 2])) < printed.index(
        _flat(lines[-1]))
    rest = printed
    for line in lines:
        rest = rest.replace(_flat(line), "", 1)
    assert re.sub(r"扫码验真|https?://[^/]+/v/[A-Za-z0-9_-]+|印章位置|第\d+页共\d+页", "", rest) == ""
    assert lines[:3] == ["测试市水务局", "行政处罚决定书", doc.number.text]
    assert "当事人：王五" in lines and "第二段：当事人到案后如实陈述。" in lines
    assert any(line.startswith("见证人签名：李四") for line in lines)  # what decision.html prints, signatures too
    assert not any("扫码验真" in line or "印章位置" in line for line in lines)


def test_markup_in_a_field_is_the_text_the_party_read(world):
    _case, doc = issued_decision(world, facts="经查，当事人称“<b>不知情</b>” & 拒不改正。")
    served = text.served_text(text.decision_document(doc))
    assert "事实和理由：经查，当事人称“<b>不知情</b>” & 拒不改正。" in served.splitlines()


def test_a_record_changed_after_issue_is_not_the_served_text(world):
    from django.core.exceptions import ValidationError

    from liuhen.testing.documents_verify import later_version

    _case, doc = issued_decision(world, remedy="测试")
    later_version(world, doc.record)
    with pytest.raises(ValidationError) as raised:
        text.decision_document(IssuedDocument.objects.get(pk=doc.pk))
    assert raised.value.code == "stale_document"


def test_the_people_whose_names_go_and_stay(world):
    case, _doc = issued_decision(world, witness="李四")
    who = text.people(case, mask_party=False)
    assert "李四" in who.names and "王五" in who.names and who.keep == ("王五",)
    assert "本溪市平山区1号" in who.addresses
    assert text.people(case, mask_party=True).keep == ()


def test_an_organisations_name_and_representative_stay(world):
    case = organisation_case(world)
    who = text.people(case, mask_party=True)  # masking is for natural persons only
    assert set(who.keep) == {"本溪市平山区某建材有限公司", "赵六", "本溪市平山区工业园3号"}
    assert who.addresses == ()  # an organisation's address is no one's privacy


@pytest.mark.parametrize("label", [label for _, label in PENALTY_KINDS])
def test_every_penalty_label_maps_to_its_code(label):
    assert text.penalty_code(label) == dict((lb, c) for c, lb in PENALTY_KINDS)[label]
    assert text.penalty_code(f" {label} ") == text.penalty_code(label)


def test_an_unknown_label_has_no_code():
    assert text.penalty_code("罚金") == "" and text.penalty_code("") == "" and text.penalty_code(None) == ""


@pytest.mark.parametrize("day, months, expected", [
    (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
    (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
    (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
    (datetime.date(2026, 12, 2), 36, datetime.date(2029, 12, 2)),
    (datetime.date(2026, 3, 31), 12, datetime.date(2027, 3, 31)),
])
def test_months_are_calendar_months_clamped_to_the_months_end(day, months, expected):
    assert text.add_months(day, months) == expected


class _Profile:
    def __init__(self, *durations):
        from liuhen.profiles.spec import PublicitySpec

        base = PublicitySpec(applies=None, exclude_penalties=(), mask_person_name=False, deadline="publicity",
                             withdrawal_deadline="withdrawal", article="x")
        self.publicity = base if not durations else base.__class__(**{**base.__dict__, "durations": durations})


def test_the_public_period_by_the_profiles_durations():
    day = datetime.date(2026, 12, 2)
    base = _Profile()
    assert text.public_until(base, "criticism", None, day) == datetime.date(2027, 3, 2)  # 通报批评: 3 months
    assert text.public_until(base, "fine", 5000, day) == datetime.date(2029, 12, 2)  # the rest: 3 years
    small = _Profile(PublicityDuration(("fine",), 1000, 3, "某省办法"), PublicityDuration((), None, 36, "x"))
    assert text.public_until(small, "fine", 1000, day) == datetime.date(2027, 3, 2)  # at most 1000: 3 months
    assert text.public_until(small, "fine", 1001, day) == datetime.date(2029, 12, 2)
    assert text.public_until(small, "fine", None, day) == datetime.date(2029, 12, 2)  # no amount: not "small"
    assert text.public_until(small, "revocation", 500, day) == datetime.date(2029, 12, 2)
    none = _Profile(PublicityDuration(("fine",), None, 3, "x"))
    assert text.public_until(none, "warning", None, day) is None  # no rule matches: no end


def test_the_summary_comes_first_with_the_double_publicity_fields(world):
    case = organisation_case(world)
    _case, doc = issued_decision(world, case, facts="经查，当事人于二〇二六年十月擅自倾倒建筑垃圾，证人李四（电话13912345678）目睹。")
    who = text.people(case, mask_party=False)
    d = text.decision_document(doc)
    summary = text.decision_summary(case, d, who, until=datetime.date(2029, 12, 2))
    assert list(summary)[:6] == ["决定书文号", "当事人", "违法行为类型", "处罚内容", "处罚机关", "决定日期"]
    assert summary["决定书文号"] == doc.number.text and summary["当事人"] == "本溪市平山区某建材有限公司"
    assert summary["统一社会信用代码"] == "91350100M000100Y43" and summary["法定代表人"] == "赵六"
    assert summary["处罚类别"] == "罚款" and summary["罚款金额（元）"] == "5000" and summary["公示截止期"] == "2029-12-02"
    assert "13912345678" not in summary["违法事实"]
    assert all(isinstance(v, str) for v in summary.values())
