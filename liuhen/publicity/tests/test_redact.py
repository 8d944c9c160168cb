"""隐去: what `find` removes and what it leaves, `apply`, `merge`, `check` catching tampering, `leaks`."""
import re

import pytest
from hypothesis import example, given, settings, strategies as st

from liuhen.publicity import redact
from liuhen.publicity.redact import Span

ID_CASES = [
    "110101199003071234",              # 18 digits
    "11010119900307123X",              # final X
    "11010119900307123x",              # final x
    "11010119900307123×",              # × for X
    "11010119900307123Ⅹ",              # the Roman numeral ten for X
    "１１０１０１１９９００３０７１２３Ｘ",  # full-width
    "１１０１０１1990０３０７123ｘ",        # mixed widths
    "110101 19900307 123X",            # spaced 6-8-4
    "110101-1990-0307-1234",           # hyphens
    "1101 0119 9003 0712 34",          # spaced by 4
    "110101900307123",                 # 15-digit old number
    "21020219900307123X",              # a wrong check digit: still a person's number
    "110101200512310017",              # born in 2005
]

PHONE_CASES = [
    "13812345678", "138-1234-5678", "138 1234 5678", "+86 138 1234 5678", "+8613812345678",
    "8613812345678", "0086-138-1234-5678", "(+86)13812345678", "１３８１２３４５６７８", "１３８-1234-５６７８",
    "19912345678", "024-12345678", "(024)12345678", "（024）1234 5678", "0411-8765432", "0411 8765 432",
    "010-87654321", "02412345678", "024-12345678-801", "+86-24-12345678",
]

LABELLED_LOCAL = ["电话：8765432", "联系电话：87654321", "手机：1234 5678", "座机为 2345678", "Tel: 87654321",
                  "TEL 8765432", "联系电话（办公）：87654321"]

BANK_CASES = ["6222021234567890123", "6222 0212 3456 7890 123", "6222-0212-3456-7890", "6217000012345678",
              "６２２２０２１２３４５６７８９０１２３"]

# A credit code by GB 32100 (check character valid).
CREDIT_ALNUM = "91210500MA0YYYYY1W"
CREDIT_DIGITS = "911101080000000007"

UNTOUCHED = [
    "罚款人民币50000元", "罚款50,000.00元", "没收违法所得1380000元", "2026年12月2日", "2026-12-02",
    "2026-03-01至2026-03-31", "2026-03-01 2026-03-31", "20260301 20260331", "本水罚〔2026〕12号",
    "陵水罚字〔2026〕第0012号", "案号：LW-2026-0001", "LW-2026-0001-A", "依据《中华人民共和国水法》第六十五条第一款",
    "依据第65条第1款", "统一社会信用代码：" + CREDIT_ALNUM, CREDIT_ALNUM, "统一社会信用代码：" + CREDIT_DIGITS,
    "（统一社会信用代码：" + CREDIT_DIGITS + "）", "执法证号：辽B2105000001", "执法证号：14010000001",
    "共计13812345678元", "第13812345678号", "¥13812345678", "12345678", "营业面积1234567平方米",
    "邮编116001", "监督电话12345", "举报电话12315", "版本1.3812345678", "http://x.cn/13812345678",
    "机关地址：大连市中山区人民路2号。", "单位地址：大连市中山区人民路2号", "注册地址：大连市中山区人民路2号",
    "办公地址为大连市中山区人民路2号", "公司住所：大连市中山区人民路2号", "电子邮件地址：abc@example.cn",
    "地址：见附件", "网站地址：www.example.cn",
]


def published(text, **kw):
    return redact.apply(text, redact.find(text, **kw))


@pytest.mark.parametrize("number", ID_CASES)
@pytest.mark.parametrize("frame", ["{}", "身份证号码：{}，", "当事人张三（公民身份号码{}）于", "身份证号 {}\n"])
def test_id_numbers_are_removed(number, frame):
    text = frame.format(number)
    spans = redact.find(text)
    assert [(s.category, text[s.start:s.end]) for s in spans] == [("id_number", number)]
    assert published(text) == frame.format("[身份证号码已隐去]")
    assert redact.leaks(text) and not redact.leaks(published(text))


@pytest.mark.parametrize("number", PHONE_CASES)
@pytest.mark.parametrize("frame", ["{}", "联系电话：{}。", "（手机{}）", "其电话为{}，"])
def test_phones_are_removed(number, frame):
    text = frame.format(number)
    spans = redact.find(text)
    assert [(s.category, text[s.start:s.end]) for s in spans] == [("phone", number)]
    assert published(text) == frame.format("[电话号码已隐去]")
    assert redact.leaks(text) and not redact.leaks(published(text))


@pytest.mark.parametrize("text", LABELLED_LOCAL)
def test_local_numbers_after_a_phone_label_are_removed(text):
    assert [s.category for s in redact.find(text)] == ["phone"]
    assert redact.leaks(text) and not redact.leaks(published(text))
    assert not any(c.isdigit() for c in published(text))


def test_a_list_of_phones_after_one_label():
    text = "电话：8765432、87654321或13812345678，罚款5000元"
    assert published(text) == "电话：[电话号码已隐去]、[电话号码已隐去]或[电话号码已隐去]，罚款5000元"


def test_a_local_number_and_a_mobile_in_one_spaced_run_are_two_phones():
    text = "电话：8765432 13812345678"
    assert [s.category for s in redact.find(text)] == ["phone", "phone"]
    assert published(text) == "电话：[电话号码已隐去] [电话号码已隐去]"


@pytest.mark.parametrize("number", BANK_CASES)
@pytest.mark.parametrize("frame", ["{}", "银行卡号：{}。", "开户行：中国工商银行大连分行 账号 {}"])
def test_bank_accounts_are_removed(number, frame):
    text = frame.format(number)
    assert [(s.category, text[s.start:s.end]) for s in redact.find(text)] == [("bank_account", number)]
    assert published(text) == frame.format("[银行账号已隐去]")


@pytest.mark.parametrize("number", ["0400123456789012345678", "1234567890123", "62220212345678901234"])
def test_longer_or_shorter_accounts_after_an_account_label(number):
    text = f"账号：{number}，户名：大连某公司"
    assert [s.category for s in redact.find(text)] == ["bank_account"]
    assert f"{number}" not in published(text)


def test_a_20_digit_run_is_not_cut_for_an_id_inside_it():
    text = "流水号62110119900307123456"  # an ID's shape inside a longer number: not an ID number
    assert redact.find(text) == []
    assert redact.leaks(text) == []


def test_given_accounts_in_any_writing():
    text = "转入其账户 6222-0212-3456 789 后"
    spans = redact.find(text, accounts=["6222021234 56789"])
    assert [(s.category, text[s.start:s.end]) for s in spans] == [("bank_account", "6222-0212-3456 789")]


@pytest.mark.parametrize("text", UNTOUCHED)
def test_what_is_not_private_stays(text):
    assert redact.find(text) == [], [text[s.start:s.end] for s in redact.find(text)]
    assert redact.leaks(text) == []


def test_an_all_digit_code_after_a_credit_code_label_with_a_wrong_check_character_is_removed():
    # Not a credit code by its check character: whatever it is, the safe side is to remove it.
    text = "统一社会信用代码：110101199003071234"
    assert [s.category for s in redact.find(text)] == ["id_number"]


@pytest.mark.parametrize("number", ["11010119900307123", "110101199013071234", "910101199003071234",
                                    "1101011990030712"])
def test_after_an_id_label_a_mistyped_number_is_still_an_id_number(number):
    text = f"身份证号码：{number}。"
    assert published(text) == "身份证号码：[身份证号码已隐去]。"
    assert redact.leaks(text)


def test_an_id_number_after_an_identifier_label_is_still_removed():
    text = "编号：110101199003071234"
    assert [s.category for s in redact.find(text)] == ["id_number"]


def test_a_letter_label_before_a_phone():
    text = "Tel13812345678；AB13812345678"
    assert [text[s.start:s.end] for s in redact.find(text)] == ["13812345678"]


@pytest.mark.parametrize("text, expected", [
    ("电话号码：13812345678QQ同号", "电话号码：[电话号码已隐去]QQ同号"),
    ("身份证号：11010119900307123XA", "身份证号：[身份证号码已隐去]A"),
    ("13812345678QQ", "13812345678QQ"),  # no label: letters after digits are a code's
    ("统一社会信用代码：12210000123456789L", "统一社会信用代码：12210000123456789L"),
])
def test_letters_right_after_a_number(text, expected):
    assert published(text) == expected


# ---------------------------------------------------------------------------------------------------
# Names.

@pytest.mark.parametrize("name, expected", [
    ("张三", "张某某"), ("王建国", "王某某"), ("欧阳锋", "欧阳某某"), ("司马相如", "司马某某"), ("诸葛亮", "诸葛某某"),
    ("上官婉儿", "上官某某"), ("东方明", "东方某某"), ("皇甫嵩", "皇甫某某"), ("尉迟恭", "尉迟某某"),
    ("公孙策", "公孙某某"), ("慕容复", "慕容某某"), ("长孙无忌", "长孙某某"), ("宇文泰", "宇文某某"),
    ("司徒雷", "司徒某某"), ("夏侯惇", "夏侯某某"), ("令狐冲", "令狐某某"), ("钟离春", "钟离某某"),
    ("欧阳", "欧某某"),  # a two-character name: never the whole name as a "surname"
    ("买买提·艾力", "买某某"), ("张 三", "张某某"),
])
def test_mark_of_a_name(name, expected):
    assert redact.mark("person_name", name) == expected


@pytest.mark.parametrize("category, expected", [
    ("id_number", "[身份证号码已隐去]"), ("phone", "[电话号码已隐去]"), ("address", "[住址已隐去]"),
    ("bank_account", "[银行账号已隐去]"), ("health", "[健康信息已隐去]"), ("other", "[已隐去]"),
])
def test_mark_of_the_other_categories(category, expected):
    assert redact.mark(category, "任何内容") == expected


def test_mark_refuses_an_unknown_category():
    with pytest.raises(ValueError):
        redact.mark("email", "x")


def test_every_occurrence_of_a_name_even_inside_a_word():
    text = "当事人张三于现场。张三称：张三丰田车行的车是张三的。"
    assert published(text, names=["张三"]) == "当事人张某某于现场。张某某称：张某某丰田车行的车是张某某的。"


def test_longest_name_first_and_the_whole_name_only():
    text = "证人张三丰与当事人张三、张三丰之子张某到场；张先生未到。"
    out = published(text, names=["张三", "张三丰"])
    assert out == "证人张某某与当事人张某某、张某某之子张某到场；张先生未到。"
    spans = redact.find(text, names=["张三", "张三丰"])
    assert [text[s.start:s.end] for s in spans] == ["张三丰", "张三", "张三丰"]


def test_names_written_with_spaces_and_compound_surnames():
    text = "当事人：欧阳 锋\n证人：张　三\n"
    assert published(text, names=["欧阳锋", "张三"]) == "当事人：欧阳某某\n证人：张某某\n"


def test_kept_names_stay_and_protect_what_is_inside_them():
    text = "当事人大连王建国餐饮有限公司（法定代表人：李四），证人王建国、李四。"
    out = published(text, names=["王建国", "李四"], keep=["李四", "大连王建国餐饮有限公司"])
    assert out == "当事人大连王建国餐饮有限公司（法定代表人：李四），证人王某某、李四。"


def test_short_fragments_are_ignored():
    assert redact.find("王五在王家", names=["王", " "]) == []


# ---------------------------------------------------------------------------------------------------
# Addresses.

@pytest.mark.parametrize("text, expected", [
    ("住址：辽宁省大连市中山区人民路1号3单元502室，", "住址：[住址已隐去]，"),
    ("住所：大连市甘井子区某某村三组。", "住所：[住址已隐去]。"),
    ("现住址：大连市甘井子区XX村三组。", "现住址：[住址已隐去]。"),
    ("家住大连市西岗区八一路12号的当事人", "家住[住址已隐去]的当事人"),
    ("现住大连市西岗区八一路12号", "现住[住址已隐去]"),
    ("户籍地：辽宁省本溪市平山区北地街道东明路1号\n", "户籍地：[住址已隐去]\n"),
    ("居住地为本溪市明山区新明街道（老区）5栋2单元301室；", "居住地为[住址已隐去]；"),
    ("（住址：大连市中山区人民路1号）", "（住址：[住址已隐去]）"),
    ("地址：大连市中山区人民路1号  电话：13812345678", "地址：[住址已隐去]  电话：[电话号码已隐去]"),
    ("送达地址：大连市沙河口区西安路88号，", "送达地址：[住址已隐去]，"),
])
def test_addresses_after_a_label_in_free_text(text, expected):
    assert published(text) == expected


def test_given_addresses_and_their_street_part():
    address = "辽宁省大连市中山区人民路1号3单元502室"
    text = "经查，当事人在其位于人民路1号3单元502室的住处存放，另辽宁省大连市中山区人民路１号３单元５０２室为其户籍。"
    out = published(text, addresses=[address])
    assert out == "经查，当事人在其位于[住址已隐去]的住处存放，另[住址已隐去]为其户籍。"


def test_a_kept_organisation_address_stays():
    text = "当事人：大连某公司\n地址：大连市中山区人民路2号\n当事人：张三\n地址：大连市中山区人民路9号\n"
    out = published(text, names=["张三"], keep=["大连市中山区人民路2号"])
    assert out == "当事人：大连某公司\n地址：大连市中山区人民路2号\n当事人：张某某\n地址：[住址已隐去]\n"


def test_a_given_address_goes_even_where_it_is_kept():
    text = "张三住所：大连市中山区人民路2号，与大连某公司地址相同。"
    out = published(text, addresses=["大连市中山区人民路2号"], keep=["大连市中山区人民路2号"])
    assert out == "张三住所：[住址已隐去]，与大连某公司地址相同。"


def test_a_kept_phone_stays_in_any_writing_and_leaks_allows_it():
    text = "监督电话：024-42842110；当事人电话：13812345678。"
    assert published(text, keep=["（024）42842110"]) == "监督电话：024-42842110；当事人电话：[电话号码已隐去]。"
    assert len(redact.leaks(text)) == 2
    assert len(redact.leaks(text, allow=["02442842110"])) == 1


def test_an_id_number_is_never_kept():
    text = "身份证号码：110101199003071234"
    assert published(text, keep=["110101199003071234"]) == "身份证号码：[身份证号码已隐去]"
    assert redact.leaks(text, allow=["110101199003071234"])


# ---------------------------------------------------------------------------------------------------
# manual, merge, apply.

def test_manual_marks_every_occurrence():
    text = "其患有高血压，高血压病史十年。"
    spans = redact.manual(text, "高血压", "health")
    assert [(s.start, s.end, s.auto) for s in spans] == [(3, 6, False), (7, 10, False)]
    assert redact.apply(text, spans) == "其患有[健康信息已隐去]，[健康信息已隐去]病史十年。"
    assert redact.manual(text, "", "health") == []
    with pytest.raises(ValueError):
        redact.manual(text, "高血压", "disease")


def test_merge_the_wider_wins_and_touching_spans_stay_apart():
    name = Span(3, 5, "person_name", "王某某")
    address = Span(0, 8, "address", "[住址已隐去]")
    phone = Span(8, 19, "phone", "[电话号码已隐去]")
    assert redact.merge([name], [address, phone]) == [address, phone]


def test_merge_partial_overlap_takes_priority_and_auto_only_if_all_auto():
    a = Span(0, 5, "address", "[住址已隐去]")
    b = Span(3, 9, "phone", "[电话号码已隐去]", auto=False)
    assert redact.merge([a], [b]) == [Span(0, 9, "phone", "[电话号码已隐去]", auto=False)]


def test_merge_of_overlapping_names_becomes_other():
    text = "张三丰收"
    spans = redact.merge(redact.manual(text, "张三丰", "person_name"), redact.manual(text, "丰收", "person_name"))
    assert spans == [Span(0, 4, "other", "[已隐去]", auto=False)]
    assert redact.check(text, "[已隐去]", spans) == []


def test_merge_equal_spans_by_priority_and_duplicates():
    a = Span(0, 18, "bank_account", "[银行账号已隐去]")
    b = Span(0, 18, "id_number", "[身份证号码已隐去]")
    assert redact.merge([a, b], [a]) == [b]


def test_span_as_dict_and_back():
    span = Span(1, 3, "person_name", "张某某", auto=False)
    assert span.as_dict() == {"start": 1, "end": 3, "category": "person_name", "replacement": "张某某", "auto": False}
    assert Span.from_dict(span.as_dict()) == span


@pytest.mark.parametrize("bad", [
    {"start": 1, "end": 3, "category": "phone", "replacement": "x"},
    {"start": "1", "end": 3, "category": "phone", "replacement": "x", "auto": True},
    {"start": True, "end": 3, "category": "phone", "replacement": "x", "auto": True},
    {"start": 1, "end": 3, "category": "phone", "replacement": "x", "auto": 1},
    {"start": 1, "end": 3, "category": "phone", "replacement": "x", "auto": True, "extra": 1},
])
def test_span_from_dict_is_strict(bad):
    with pytest.raises(ValueError):
        Span.from_dict(bad)


def test_apply_refuses_overlapping_spans():
    with pytest.raises(ValueError):
        redact.apply("0123456789", [Span(0, 5, "other", "[已隐去]"), Span(4, 6, "other", "[已隐去]")])


# ---------------------------------------------------------------------------------------------------
# check: the published text is the source minus exactly the listed spans.

SOURCE = "当事人张三，身份证号码110101199003071234，电话13812345678。"


def _good():
    spans = redact.find(SOURCE, names=["张三"])
    return spans, redact.apply(SOURCE, spans)


def test_check_passes_a_faithful_publication_with_spans_or_dicts():
    spans, text = _good()
    assert text == "当事人张某某，身份证号码[身份证号码已隐去]，电话[电话号码已隐去]。"
    assert redact.check(SOURCE, text, spans) == []
    assert redact.check(SOURCE, text, [s.as_dict() for s in spans]) == []


def test_check_catches_a_tampered_published_text():
    spans, text = _good()
    problems = redact.check(SOURCE, text.replace("当事人", "当时人"), spans)
    assert problems == ["公示文本与原文去除所列隐去内容后的文本不一致（自第2字起）。"]
    assert redact.check(SOURCE, text + "补充", spans)


def test_check_catches_a_span_left_out_of_the_list():
    spans, text = _good()
    assert redact.check(SOURCE, text, spans[:-1])  # the phone removed but not listed


def test_check_catches_a_wrong_replacement():
    spans, text = _good()
    wrong = [Span(s.start, s.end, s.category, "李某某" if s.category == "person_name" else s.replacement) for s in spans]
    problems = redact.check(SOURCE, redact.apply(SOURCE, wrong), wrong)
    assert problems[0] == "第1处隐去的替换文字应为“张某某”。"


def test_check_catches_a_span_out_of_range():
    spans = [Span(60, 80, "other", "[已隐去]")]
    problems = redact.check(SOURCE, SOURCE, spans)
    assert "超出原文范围" in problems[0]


def test_check_catches_overlap_and_disorder():
    spans, text = _good()
    overlapping = [spans[0], Span(spans[0].start + 1, spans[0].end + 2, "other", "[已隐去]"), *spans[1:]]
    assert "重叠" in redact.check(SOURCE, text, overlapping)[0]
    assert "重叠" in redact.check(SOURCE, text, list(reversed(spans)))[0]


def test_check_catches_an_unknown_category_and_a_malformed_entry():
    spans, text = _good()
    unknown = [Span(spans[0].start, spans[0].end, "email", "[已隐去]"), *spans[1:]]
    assert "不在类别表中" in redact.check(SOURCE, text, unknown)[0]
    assert "格式不正确" in redact.check(SOURCE, text, [{"start": 0}])[0]


# ---------------------------------------------------------------------------------------------------
# A decision as served, with everything in it.

DECISION = """陵川县水务局
行政处罚决定书
陵水罚〔2026〕12号
当事人：张三（公民身份号码：１１０１０１１９９００３０７１２３Ｘ）
地址：辽宁省大连市中山区人民路1号3单元502室
当事人：大连王建国餐饮有限公司（法定代表人/负责人：王建国）
统一社会信用代码：91210500MA0YYYYY1W
违法事实：2026年3月7日，本局执法人员在大连市甘井子区某某村三组检查时发现，当事人张三未经批准擅自取水。\
经询问，证人李四（身份证号 210202 19850611 4321，联系电话 138-1234-5678，家住大连市西岗区八一路12号）证实，\
张三自2025年起在其位于人民路1号3单元502室的住处旁打井取水。张三称其电话为（0411）8765 4321，\
手机+86 139 8765 4321，银行卡号6222 0212 3456 7890 123。欧阳锋（座机：2345678）到场。
依据：《中华人民共和国水法》第六十九条第一款、《取水许可和水资源费征收管理条例》第四十八条。
处罚内容：责令停止违法行为，罚款人民币50000元，限于收到本决定书之日起15日内缴至指定账户。
如不服本决定，可在收到本决定书之日起60日内向大连市人民政府申请行政复议，或者在6个月内向人民法院提起行政诉讼。
监督电话：024-42842110
陵川县水务局
2026年3月20日
"""

DECISION_PEOPLE = dict(names=["张三", "李四", "欧阳锋", "王建国"], addresses=["辽宁省大连市中山区人民路1号3单元502室"],
                       keep=["王建国", "大连王建国餐饮有限公司", "024-42842110"])


def test_a_whole_decision():
    assert len(DECISION) >= 500
    spans = redact.find(DECISION, **DECISION_PEOPLE)
    out = redact.apply(DECISION, spans)
    assert redact.check(DECISION, out, spans) == []
    assert redact.leaks(out, allow=["024-42842110"]) == []
    assert len(redact.leaks(DECISION, allow=["024-42842110"])) == 6  # 2 IDs, 4 phones — raw text
    for gone in ["张三", "李四", "欧阳锋", "1234", "4321", "8765", "3456 7890", "人民路1号", "八一路"]:
        assert gone not in out.replace("陵水罚〔2026〕12号", ""), gone
    for kept in ["陵水罚〔2026〕12号", "2026年3月7日", "50000元", "第六十九条第一款", "91210500MA0YYYYY1W",
                 "大连王建国餐饮有限公司（法定代表人/负责人：王建国）", "监督电话：024-42842110", "2026年3月20日",
                 "15日内", "60日内", "6个月内", "在大连市甘井子区某某村三组检查", "张某某", "李某某", "欧阳某某", "大连市人民政府"]:
        assert kept in out, kept
    # The redaction is stable: nothing left to find in what is published.
    assert redact.find(out, **DECISION_PEOPLE) == []


def test_the_agency_phone_is_a_leak_unless_allowed():
    spans = redact.find(DECISION, **DECISION_PEOPLE)
    out = redact.apply(DECISION, spans)
    assert redact.leaks(out) == ["第12行第6字起有疑似电话号码（11位）。"]


@pytest.mark.parametrize("raw", ID_CASES + PHONE_CASES + LABELLED_LOCAL)
def test_leaks_finds_every_raw_case_and_says_no_digits(raw):
    problems = redact.leaks(f"正文{raw}。")
    assert len(problems) == 1
    assert not re.search(r"\d{4}", problems[0])  # the message may be logged: never the number


@pytest.mark.parametrize("text, expected", [
    ("家住址：大连市西岗区八一路12号。", "家住址：[住址已隐去]。"),
    ("其地址大连市西岗区八一路12号，", "其地址[住址已隐去]，"),
    ("其住所地不详，送达地址确认书附卷。", "其住所地不详，送达地址确认书附卷。"),
])
def test_address_labels_without_a_joiner(text, expected):
    assert published(text) == expected


# Any text made of these pieces: what `find` removes is sorted and apart, `check` proves the
# publication, and `leaks` finds nothing in it.
PIECES = ["1", "3", "8", "0", "9", "X", "x", "１", "３", "Ｘ", " ", "-", "\u3000", "(", "（", ")", "）", "+",
          "电话：", "手机", "账号：", "身份证号码：", "住址：", "家住", "大连市", "路", "1号", "，", "。", "\n", "张三",
          "欧阳锋", "元", "年", "A", "Q", "L", "Tel", "统一社会信用代码：", "/", ".", "[", "、", "13812345678", "110101199003071234",
          "024-", "6222 0212 "]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
@example(["13812345678", "+", "6222 0212 "])  # a mark reads as a label: "[电话号码已隐去]+6222 0212"
@example(["110101199003071234", "+", "1", *["3"] * 14])  # after [身份证号码已隐去] any 15 digits are an ID
def test_any_text_is_redacted_consistently(parts):
    text = "".join(parts)
    spans = redact.find(text, names=["张三", "欧阳锋"], addresses=["大连市1号"])
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    out = redact.apply(text, spans)
    assert redact.check(text, out, spans) == []
    assert redact.leaks(out) == []


@pytest.mark.parametrize("text, expected", [
    ("13812345678+6222 0212", "[电话号码已隐去][电话号码已隐去]"),
    ("110101199003071234+123456789012345", "[身份证号码已隐去][身份证号码已隐去]"),
    # the agency's own number stays, even where a mark before it would read as its label
    ("13812345678+84311234", "[电话号码已隐去]+84311234"),
])
def test_what_the_guard_would_read_after_a_mark_goes_too(text, expected):
    spans = redact.find(text, keep=["84311234"])
    out = redact.apply(text, spans)
    assert out == expected and redact.check(text, out, spans) == []
    assert redact.leaks(out, allow=["84311234"]) == []
