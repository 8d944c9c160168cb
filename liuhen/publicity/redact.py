"""隐去 (redaction): what stands between a served decision and a person's private data online.

行政处罚法 48 and 市场监管公示规定 (no personal data in a published decision): a natural person's ID
number, phone, address, bank account, health data and the names of other natural persons are removed
before a decision is published. `find` marks every span to remove, `apply` writes the published text,
`check` proves a published text is exactly its source minus the listed spans, and `leaks` is the last
guard: any ID-number or phone pattern left.

Pure Python (no Django): the ledger's checker and the crawler test use it as they are.

Positions are those of the text as given. The scanners read a `view` of it with the same length, in
which full-width digits, letters, dashes and spaces are their ASCII forms, so one pattern serves both.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import asdict, dataclass

CATEGORIES: dict[str, str] = {
    "id_number": "身份证号码",
    "phone": "电话号码",
    "address": "住址",
    "bank_account": "银行账号",
    "health": "健康信息",
    "person_name": "自然人姓名",
    "other": "其他",
}

# When spans overlap and neither holds the other, the joined span takes the first category here.
PRIORITY = ("id_number", "bank_account", "phone", "health", "address", "other", "person_name")

_MARKS = {"id_number": "[身份证号码已隐去]", "phone": "[电话号码已隐去]", "address": "[住址已隐去]",
          "bank_account": "[银行账号已隐去]", "health": "[健康信息已隐去]", "other": "[已隐去]"}

# Two-character surnames kept whole in a name's mark (欧阳锋 → 欧阳某某).
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 钟离 澹台 公冶 宗政 濮阳 淳于 "
    "单于 太叔 申屠 轩辕 呼延 端木 南宫 西门 百里 东郭 闻人 赫连 拓跋 独孤 万俟 司空 第五".split())


@dataclass(frozen=True)
class Span:
    """One removal: source[start:end] is published as `replacement`; `auto` when `find` made it."""

    start: int
    end: int
    category: str
    replacement: str
    auto: bool = True

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Span:
        """Strict: a stored redaction map that is not exactly this shape is refused (ValueError)."""
        if not isinstance(d, dict) or set(d) != {"start", "end", "category", "replacement", "auto"}:
            raise ValueError("redaction: expected start, end, category, replacement, auto")
        if any(type(d[k]) is not int for k in ("start", "end")) or type(d["auto"]) is not bool \
                or not isinstance(d["category"], str) or not isinstance(d["replacement"], str):
            raise ValueError("redaction: wrong field types")
        return cls(d["start"], d["end"], d["category"], d["replacement"], d["auto"])


def mark(category: str, original: str) -> str:
    """The replacement: a person's name → surname + 某某, any other category its fixed mark."""
    if category == "person_name":
        return _surname(original) + "某某"
    if category not in _MARKS:
        raise ValueError(f"unknown redaction category: {category!r}")
    return _MARKS[category]


def _surname(name: str) -> str:
    name = "".join(name.split())
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    # A 2-character name's compound "surname" would be the whole name: its first character only.
    return name[:1] if name and _is_cjk(name[0]) else ""


def _is_cjk(c: str) -> bool:
    return unicodedata.name(c, "").startswith("CJK")


# ---------------------------------------------------------------------------------------------------
# The view: same length as the text, one character for one.

_VIEW = {**{0xFF10 + i: str(i) for i in range(10)},
         **{0xFF21 + i: chr(0x41 + i) for i in range(26)}, **{0xFF41 + i: chr(0x61 + i) for i in range(26)},
         **{ord(c): "-" for c in "－‐‑‒–—―﹣"}, **{ord(c): " " for c in "\u3000\u00a0\t"},
         ord("＋"): "+", ord("x"): "X", ord("×"): "X", ord("ｘ"): "X", ord("Ｘ"): "X",
         ord("Ⅹ"): "X", ord("ⅹ"): "X"}  # the Roman numeral ten, typed for an ID's X


def _view(text: str) -> str:
    view = text.translate(_VIEW)
    # "(024)" / "（+86）" before a number: the opening bracket read as the prefix "+", the closing one
    # as a separator, so the code is a group of the number that follows (positions unchanged).
    return _BRACKETED.sub(lambda m: "+" + m.group(1).replace("+", " ") + " ", view)


_BRACKETED = re.compile(r"[(（]( ?\+? ?(?:0086|86)|0\d{2,3} ?)[)）](?= ?-? ?\d)")

# A number: digit groups joined by a hyphen (spaces around it allowed) or one or two spaces, an ID's
# final X, an optional "+" prefix. Atomic, so a run that fails its right edge is not cut shorter.
_RUN = re.compile(r"(?<![0-9])(?:\+ ?)?(?>\d+(?:(?: ?- ?| {1,2})\d+)*X?)(?![0-9])")
_GROUP = re.compile(r"\d+X?")
_LETTER_LABELS = ("tel", "phone", "mobile", "mob", "fax", "cell", "id", "no", "card", "account", "acct")

# What comes before a number (the last characters of the text before it).
_PHONE_LABEL = re.compile(r"(?:电话|手机|座机|固话|传真|热线|联系方式|tel|phone|mobile|fax)[^\n。，；,;0-9]{0,6}$",
                          re.IGNORECASE)
_ACCOUNT_LABEL = re.compile(r"(?:账号|帐号|账户|帐户|银行卡|卡号|开户行)[^\n。；;]{0,24}$")
_ID_LABEL = re.compile(r"(?:身份证|身份号码|(?<!执法)证件号)[^\n。，；,;0-9]{0,6}$")
# An organisation's or an official's number, not a person's: 统一社会信用代码, 执法证号, 案号…
_CODE_LABEL = re.compile(r"(?:信用代码|组织机构代码|注册号|识别号|税号)[^\n。，；,;0-9]{0,6}$")
_IDENT_LABEL = re.compile(r"(?:执法证|证书编号|证书号|编号|案号|文号|许可证号|登记号|批准号)[^\n。，；,;0-9]{0,6}$")
_CHAIN = re.compile(r"[ 、，,/；;或和及-]*")
_UNIT_AFTER = re.compile(r"\s?(?:元|万|亿|%|‰|年|个|件|次|条|款|项|吨|米|平方|立方|公斤|千克|克|升|人|户|天|小时|分钟|秒|倍)")
_MONEY_BEFORE = re.compile(r"(?:[￥¥$第]|人民币)\s?$")

_MOBILE = re.compile(r"(?:0086|86)?1[3-9]\d{9}")
_LANDLINE = re.compile(r"0(?:10|2\d)[1-9]\d{7}|0[3-9]\d{2}[1-9]\d{6,7}")
_AREA = re.compile(r"0(?:10|2\d|[3-9]\d{2})")
_AREA_NO_ZERO = re.compile(r"(?:10|2\d|[3-9]\d{2})")
_LOCAL = re.compile(r"[1-9]\d{6,7}")

# 统一社会信用代码 (GB 32100-2015): 31 characters, weights 3^i mod 31.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _credit_code(s: str) -> bool:
    if len(s) != 18 or any(c not in _USCC_CHARS for c in s):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(s, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31] == s[17]


def _date(s: str, low: int, high: int) -> bool:
    try:
        return low <= int(s[:4]) <= high and bool(datetime.date(int(s[:4]), int(s[4:6]), int(s[6:8])))
    except ValueError:
        return False


def _id_number(s: str, labelled: bool) -> bool:
    """居民身份证号码: 18 characters (17 digits, a digit or X) with a birth date 1900–2099, or 15 digits
    (the old numbers) with a date 19YYMMDD; the first digit a region's (1–8). The GB 11643 check digit
    is NOT required: a mistyped number is still a person's number — so after 身份证/证件号 any
    15 to 18 characters, a digit missing or a date mistyped."""
    body, last = s[:-1], s[-1:]
    if not body.isdigit() or not (last.isdigit() or last == "X"):
        return False
    if labelled and 15 <= len(s) <= 18:
        return True
    if s[0] not in "12345678":
        return False
    if len(s) == 18:
        # A 17-digit + X without a date is still an ID, unless it is an organisation's credit code.
        return _date(s[6:14], 1900, 2099) or (last == "X" and not _credit_code(s))
    return len(s) == 15 and last.isdigit() and _date("19" + s[6:12], 1900, 1999)


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    category: str
    digits: str


def _numbers(view: str) -> list[_Hit]:
    """Every ID number, phone and bank account in the view, each a whole number of digit groups."""
    hits: list[_Hit] = []
    phone_end = -1
    for run in _RUN.finditer(view):
        if _attached(view, run.start(), run.end()):
            continue
        groups = list(_GROUP.finditer(view, run.start(), run.end()))
        i = 0
        while i < len(groups):
            for j in range(len(groups) - 1, i - 1, -1):
                start = run.start() if i == 0 else groups[i].start()
                category = _classify(view, groups[i:j + 1], start, phone_end)
                if category:
                    hits.append(_Hit(start, groups[j].end(), category, _digits(groups[i:j + 1])))
                    phone_end = groups[j].end() if category == "phone" else phone_end
                    i = j
                    break
            i += 1
    return hits


def _attached(view: str, start: int, end: int) -> bool:
    """Part of a code, not a number: letters right before it (except a label such as Tel), letters
    right after it (91210500MA…; but 13812345678QQ同号 after 电话 is a phone), or a hyphen, slash or dot
    joining it to letters or digits (LW-2026-0001, 1380.00, a URL)."""
    before = view[max(0, start - 16):start]
    if _letter(before[-1:]):
        word = re.search(r"[A-Za-z]+$", before).group().lower()
        return word not in _LETTER_LABELS
    if _letter(view[end:end + 1]) and not (_PHONE_LABEL.search(before) or _ID_LABEL.search(before)
                                           or _ACCOUNT_LABEL.search(view[max(0, start - 32):start])):
        return True
    if re.search(r"[A-Za-z0-9][-/.]$", before):
        return True
    return bool(re.match(r"[-/.][A-Za-z0-9]", view[end:end + 2]))


def _letter(c: str) -> bool:
    return c.isascii() and c.isalpha()


def _digits(groups) -> str:
    return "".join(g.group() for g in groups)


def _classify(view: str, groups, start: int, phone_end: int) -> str | None:
    s = _digits(groups)
    end = groups[-1].end()
    before = view[max(0, start - 16):start]
    if _CODE_LABEL.search(before) and _credit_code(s):
        return None
    if _id_number(s, bool(_ID_LABEL.search(before))):
        return "id_number"
    if not s.isdigit() or _UNIT_AFTER.match(view, end) or _MONEY_BEFORE.search(before) \
            or _IDENT_LABEL.search(before):
        return None
    if _phone(groups, view) or (len(groups) <= 2 and _LOCAL.fullmatch(s) and (
            _PHONE_LABEL.search(before) or (phone_end >= 0 and _CHAIN.fullmatch(view, phone_end, start)))):
        return "phone"
    bare = 16 <= len(s) <= 19 and all(len(g.group()) == 4 for g in groups[:-1]) and len(groups[-1].group()) <= 4 \
        if len(groups) > 1 else 16 <= len(s) <= 19
    if bare or (10 <= len(s) <= 25 and _ACCOUNT_LABEL.search(view[max(0, start - 32):start])):
        return "bank_account"
    return None


def _phone(groups, view: str) -> bool:
    """A mobile (with 86 / 0086 / +86), a landline with its area code (0 or 86 before it), an
    extension after a hyphen."""
    s = _digits(groups)
    if _MOBILE.fullmatch(s) or (len(groups) == 1 and _LANDLINE.fullmatch(s)):
        return True
    first, rest = groups[0].group(), groups[1:]
    if rest and _is_extension(rest, view):
        rest = rest[:-1]
    local = _digits(rest)
    if _AREA.fullmatch(first):
        return bool(_LOCAL.fullmatch(local))
    if first in ("86", "0086") and rest:
        area, number = rest[0].group(), _digits(rest[1:])
        return bool(_AREA_NO_ZERO.fullmatch(area) and _LOCAL.fullmatch(number))
    return False


def _is_extension(rest, view: str) -> bool:
    last = rest[-1]
    return len(rest) >= 2 and len(last.group()) <= 4 and "-" in view[rest[-2].end():last.start()] \
        and bool(_LOCAL.fullmatch(_digits(rest[:-1])))


# ---------------------------------------------------------------------------------------------------
# Names and addresses.

_SPACES = "[ \u3000\u00a0]{0,2}"
_DIGIT_CLASS = {str(i): f"[{i}{chr(0xFF10 + i)}]" for i in range(10)}


def _loose(fragment: str, joint: str = _SPACES) -> re.Pattern | None:
    """A pattern for `fragment` as written in a text: spaces between its characters optional,
    full-width or ASCII digits and letters, any dash."""
    chars = [c for c in unicodedata.normalize("NFKC", fragment) if not c.isspace()]
    if len(chars) < 2:
        return None

    def one(c):
        if c in _DIGIT_CLASS:
            return _DIGIT_CLASS[c]
        if c.isascii() and c.isalpha():
            return f"[{c.lower()}{c.upper()}{chr(ord(c.lower()) - 0x61 + 0xFF41)}{chr(ord(c.upper()) - 0x41 + 0xFF21)}]"
        if c in "-－‐‑‒–—―﹣":
            return "[-－‐‑‒–—―﹣]"
        return re.escape(c)

    return re.compile(joint.join(one(c) for c in chars))


def _occurrences(text: str, fragments) -> list[tuple[int, int, str]]:
    """(start, end, fragment) of every fragment in text, longest fragments first."""
    out = []
    for fragment in sorted(set(fragments), key=lambda f: (-len("".join(f.split())), f)):
        pattern = _loose(fragment)
        if pattern:
            out += [(m.start(), m.end(), fragment) for m in pattern.finditer(text)]
    return out


def _inside(start: int, end: int, spans) -> bool:
    return any(s <= start and end <= e for s, e, *_ in spans)


def _names(text: str, names, keep) -> list[Span]:
    """Every occurrence of each name, longest first: an occurrence inside a longer name's (or a kept
    fragment's: an organisation's name 大连王建国餐饮有限公司) is that one's, not a name of its own."""
    names, kept = ({"".join(f.split()) for f in fragments} for fragments in (names, keep))
    claimed: list[tuple[int, int]] = []
    spans = []
    for start, end, fragment in _occurrences(text, [*names, *kept]):
        if _inside(start, end, claimed):
            continue
        claimed.append((start, end))
        if fragment not in kept:
            spans.append(Span(start, end, "person_name", mark("person_name", text[start:end])))
    return spans


# The administrative part of an address (省, 市, 区/县): the rest (人民路1号3单元502室) is searched too.
_ADMIN_PREFIX = re.compile(r"^(?:[^省]{2,7}省)?(?:[^市]{2,7}市)?(?:[^区县市旗]{1,7}[区县市旗])?")
_ADDRESS_MARKERS = re.compile(r"[省市区县镇乡村路街道巷弄号栋幢室组屯旗楼苑]|单元|胡同|小区|大厦")
_ADDRESS_LABEL = re.compile(r"(?:户籍所在地|经常居住地|住所地|居住地址|居住地|户籍地|住址|住所|地址|家住|现住|居住于|居住在|住在)"
                            r"(?!址)(?: ?(?:[：:]|为|是|在|于))?")
# An organisation's address is public: 机关地址, 单位地址, 注册地址, 办公地址, 公司住所…
_ORG_BEFORE = re.compile(r"(?:机关|单位|注册|办公|经营|营业|公司|企业|机构|门店|场所|本局|我局)$")
_ADDRESS_END = re.compile(r"[，。；;,、\n\r\[【的]|电话|手机|身份证|邮编|邮政编码|联系人|法定代表人|负责人|性别|民族|出生|年龄|职业|邮箱")
_ADDRESS_MAX = 80


def _given_addresses(text: str, addresses) -> list[Span]:
    fragments = list(addresses)
    for a in addresses:
        rest = a[_ADMIN_PREFIX.match(a).end():]
        if rest != a and len(rest) >= 5 and re.search(r"\d|[０-９]|[号室栋幢组村弄巷]|单元", rest):
            fragments.append(rest)
    return [Span(s, e, "address", mark("address", "")) for s, e, _ in _occurrences(text, fragments)]


def _free_addresses(text: str) -> list[Span]:
    """The address after 住址/住所/地址/家住/现住/户籍地/居住地 in free text, to the next 。，； or line
    end or closing bracket (a bracket opened inside it closes inside it), if it looks like one."""
    spans = []
    for m in _ADDRESS_LABEL.finditer(text):
        if _ORG_BEFORE.search(text, max(0, m.start() - 4), m.start()):
            continue
        start = m.end()
        while start < len(text) and text[start] in " \u3000":
            start += 1
        end = _address_end(text, start)
        if end > start and _ADDRESS_MARKERS.search(text, start, end):
            spans.append(Span(start, end, "address", mark("address", "")))
    return spans


def _address_end(text: str, start: int) -> int:
    depth, i, limit = 0, start, min(len(text), start + _ADDRESS_MAX)
    while i < limit:
        c = text[i]
        if c in "（(":
            depth += 1
        elif c in "）)":
            if depth == 0:
                break
            depth -= 1
        elif _ADDRESS_END.match(text, i):
            break
        i += 1
    while i > start and text[i - 1] in " \u3000\t":
        i -= 1
    return i


def _given_accounts(text: str, accounts) -> list[Span]:
    digits = ["".join(c for c in unicodedata.normalize("NFKC", a) if c.isdigit()) for a in accounts]
    joint = "[ \u3000\u00a0\\-－]{0,2}"
    spans = []
    for d in sorted({d for d in digits if len(d) >= 6}, key=len, reverse=True):
        spans += [Span(m.start(), m.end(), "bank_account", mark("bank_account", ""))
                  for m in _loose(d, joint).finditer(text)]
    return spans


def _kept_digits(fragments) -> set[str]:
    keys = {_phone_key(_digits(_GROUP.finditer(_view(f)))) for f in fragments}
    return {k for k in keys if len(k) >= 7}


def _phone_key(digits: str) -> str:
    return re.sub(r"^(?:0086|86)(?=1[3-9]\d{9}$)", "", digits)


# ---------------------------------------------------------------------------------------------------
# The API.

def find(text: str, *, names=(), addresses=(), accounts=(), keep=()) -> list[Span]:
    """Every span of `text` to remove, sorted and not overlapping: ID numbers, phones, bank accounts,
    the given names of natural persons, the given accounts and addresses, addresses after 住址 &c.

    `keep`: what stays — names of persons who are published (an organisation's 法定代表人), an
    organisation's name or address, the agency's phone. A name inside a kept fragment is not removed;
    an address found after 地址 &c., a phone or an account wholly inside one (or a phone or account with
    a kept number's digits) neither. An ID number, a given address or a given account is never kept.
    Fragments shorter than two characters are ignored."""
    view = _view(text)
    kept = _occurrences(text, keep)
    kept_digits = _kept_digits(keep)
    spans = []
    for hit in _numbers(view):
        if hit.category != "id_number" and (_inside(hit.start, hit.end, kept)
                                            or _phone_key(hit.digits) in kept_digits):
            continue
        spans.append(Span(hit.start, hit.end, hit.category, mark(hit.category, text[hit.start:hit.end])))
    # A natural person's given address goes even where it is also a kept one (a home at a company's).
    spans += _given_addresses(text, addresses)
    spans += [s for s in _free_addresses(text) if not _inside(s.start, s.end, kept)]
    spans += _given_accounts(text, accounts)
    spans += _names(text, names, keep)
    spans = merge([], spans)
    # The guard reads the published text, where a mark is a label: "13812345678+6222 0212" becomes
    # "[电话号码已隐去]+6222 0212", a phone after 电话. What it would flag there goes too, until nothing
    # is left, so `leaks` finds nothing in what `apply` writes (bank accounts are not the guard's).
    while more := [Span(h.start, h.end, h.category, mark(h.category, text[h.start:h.end]))
                   for h in _unmasked(text, spans) if h.category == "id_number" or not (
                       _inside(h.start, h.end, kept) or _phone_key(h.digits) in kept_digits)]:
        spans = merge(spans, more)
    return spans


def _unmasked(text: str, spans: list[Span]) -> list[_Hit]:
    """The ID numbers and phones `leaks` would see in apply(text, spans), at their places in `text`
    (a mark holds no digit, so each lies in a piece of text the spans left as it was)."""
    pieces, published, at, offset = [], [], 0, 0  # pieces: (start in the published text, in text, length)
    for s in [*spans, Span(len(text), len(text), "other", "")]:
        pieces.append((offset, at, s.start - at))
        published += [text[at:s.start], s.replacement]
        offset += s.start - at + len(s.replacement)
        at = s.end
    hits = []
    for h in _numbers(_view("".join(published))):
        if h.category == "bank_account":
            continue
        for p_start, t_start, n in pieces:
            if p_start <= h.start and h.end <= p_start + n:
                moved = t_start - p_start
                hits.append(_Hit(h.start + moved, h.end + moved, h.category, h.digits))
    return hits


def manual(text: str, fragment: str, category: str) -> list[Span]:
    """Every occurrence of `fragment` (exactly as written) as a span a reviewer added."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown redaction category: {category!r}")
    if not fragment:
        return []
    return [Span(m.start(), m.end(), category, mark(category, fragment), auto=False)
            for m in re.finditer(re.escape(fragment), text)]


def merge(spans, more) -> list[Span]:
    """Sorted, overlaps joined. A span that holds the others keeps its category and replacement (ties:
    PRIORITY); a join wider than each of its spans takes the first category in PRIORITY — a name's
    mark needs the joined text's own surname, so a join of names only becomes "other". Touching spans
    stay apart. `auto` only when every joined span was automatic."""
    out: list[Span] = []
    group: list[Span] = []
    for span in sorted({*spans, *more}, key=lambda s: (s.start, -s.end, PRIORITY.index(s.category))):
        if group and span.start >= max(s.end for s in group):
            out.append(_join(group))
            group = []
        group.append(span)
    if group:
        out.append(_join(group))
    return out


def _join(group: list[Span]) -> Span:
    start, end = min(s.start for s in group), max(s.end for s in group)
    auto = all(s.auto for s in group)
    whole = [s for s in group if s.start == start and s.end == end]
    if whole:
        best = min(whole, key=lambda s: PRIORITY.index(s.category))
        return Span(start, end, best.category, best.replacement, auto)
    category = min((s.category for s in group), key=PRIORITY.index)
    category = "other" if category == "person_name" else category
    return Span(start, end, category, mark(category, ""), auto)


def apply(source: str, spans) -> str:
    """The published text: source with each span's text replaced by its replacement."""
    out, at = [], 0
    for s in spans:
        if not (at <= s.start < s.end <= len(source)):
            raise ValueError("spans out of range, overlapping or unsorted")
        out += [source[at:s.start], s.replacement]
        at = s.end
    out.append(source[at:])
    return "".join(out)


def check(source: str, published: str, spans) -> list[str]:
    """Problems in Chinese (none: `published` is `source` minus exactly `spans`, each in range, in
    order, not overlapping, of a known category, replaced by its mark). `spans`: Spans or their dicts."""
    problems, parsed, at = [], [], 0
    for n, raw in enumerate(spans, 1):
        try:
            s = raw if isinstance(raw, Span) else Span.from_dict(raw)
        except ValueError:
            problems.append(f"第{n}处隐去记录格式不正确。")
            continue
        if not (0 <= s.start < s.end <= len(source)):
            problems.append(f"第{n}处隐去的位置（{s.start}–{s.end}）超出原文范围（原文共{len(source)}字）。")
            continue
        if s.start < at:
            problems.append(f"第{n}处隐去与前一处重叠或顺序颠倒。")
        at = max(at, s.end)
        if s.category not in CATEGORIES:
            problems.append(f"第{n}处隐去的类别“{s.category}”不在类别表中。")
        elif s.replacement != mark(s.category, source[s.start:s.end]):
            problems.append(f"第{n}处隐去的替换文字应为“{mark(s.category, source[s.start:s.end])}”。")
        parsed.append(s)
    if problems:
        return problems + ["隐去记录有误，无法核对公示文本。"]
    expected = apply(source, parsed)
    if published != expected:
        k = next((i for i, (a, b) in enumerate(zip(published, expected)) if a != b), min(len(published), len(expected)))
        problems.append(f"公示文本与原文去除所列隐去内容后的文本不一致（自第{k + 1}字起）。")
    return problems


def leaks(text: str, *, allow=()) -> list[str]:
    """Any ID-number or phone pattern left in `text`, each said in Chinese by its line and column (never
    the number itself: the message may be logged). `allow`: public numbers (the agency's phone) —
    a phone with an allowed number's digits, or inside an allowed fragment, is not a leak."""
    allowed, allowed_digits = _occurrences(text, allow), _kept_digits(allow)
    out = []
    for hit in _numbers(_view(text)):
        if hit.category == "bank_account":
            continue
        if hit.category == "phone" and (_inside(hit.start, hit.end, allowed)
                                        or _phone_key(hit.digits) in allowed_digits):
            continue
        line = text.count("\n", 0, hit.start) + 1
        column = hit.start - (text.rfind("\n", 0, hit.start) + 1) + 1
        out.append(f"第{line}行第{column}字起有疑似{CATEGORIES[hit.category]}（{len(hit.digits)}位）。")
    return out
