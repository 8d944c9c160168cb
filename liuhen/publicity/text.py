"""The texts a decision's publication is made of: the decision as served (its `source`, line by line
what the sealed PDF prints: documents.render's Document of the issued version), the people and places
in the case whose names and addresses must not go online, and the summary (摘要) the public reads first.

行政处罚法 48 and 市场监管公示规定 10: the published decision is the one served on the party, except the
redactions; the summary (文号, 当事人, 违法行为类型, 处罚内容, 机关, 日期) comes first."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.core.exceptions import ValidationError

from liuhen.cases.models import PartyKind
from liuhen.cases.selectors import current_parties
from liuhen.documents.render import document_for, render_html
from liuhen.profiles.spec import PENALTY_CODES
from liuhen.records.selectors import record_with_state, signer_names

from . import redact



def decision_document(doc):
    """documents.render's Document of the issued decision `doc`, as it was issued: refused when the
    record has a later version than the one issued (the corrected decision is issued anew first)."""
    st = record_with_state(doc.record_id)
    if st.latest.number != doc.record_version:
        raise ValidationError(f"决定书（{doc.number.text}）签发后记录已有新版本：请先重新签发，再据以公示。",
                              code="stale_document")
    return document_for(st.record, number=doc.number.text, state=st)


def served_text(d) -> str:
    """The decision as served, one printed line per line: the words of its layout (documents/kinds/
    decision.html in documents/page.html, whatever the profile and the apps add to it) read out of the
    same HTML the sealed PDF is rendered from — letterhead, title, 文号, 当事人 and 地址, each field, 依据,
    the remedies, any signatures, the agency and the date; not the QR code's caption nor the seal's
    placeholder, which are not the decision's words."""
    reader = _PrintedLines()
    reader.feed(render_html([d]))
    reader.close()
    return "".join(f"{line}\n" for line in reader.lines)


_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML's white space (a full-width space is a character printed)


class _PrintedLines(HTMLParser):
    """The lines of the rendered page's <section class="document">: a block element or <br> ends a line;
    whitespace runs become one space (as the PDF prints them)."""

    BLOCKS = {"p", "h1", "h2", "div", "br", "tr", "li", "section"}
    VOID = {"br", "img", "hr", "meta", "link", "input"}
    SKIP = {"qr", "place", "draft-mark"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._stack: list[bool] = []  # per open element: is it (or an ancestor) skipped
        self._inside = False
        self._line: list[str] = []

    def _end_line(self):
        line = _SPACES.sub(" ", "".join(self._line)).strip(" ")
        if line:
            self.lines.append(line)
        self._line = []

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "section" and "document" in classes:
            self._inside = True
        if not self._inside:
            return
        if tag in self.BLOCKS:
            self._end_line()
        if tag not in self.VOID:
            self._stack.append((bool(self._stack) and self._stack[-1]) or bool(classes & self.SKIP))

    def handle_endtag(self, tag):
        if not self._inside or tag in self.VOID:
            return
        if tag in self.BLOCKS:
            self._end_line()
        if self._stack:
            self._stack.pop()
        if tag == "section":
            self._inside = False

    def handle_data(self, data):
        if self._inside and not (self._stack and self._stack[-1]):
            self._line.append(data)


@dataclass(frozen=True)
class People:
    """Who and where the redaction looks for in a case: natural persons' names (parties, the people who
    signed its records as party, witness or other) and their addresses; `keep` what stays (an
    organisation's name, legal representative, address and phone; the agency's phone; a natural person
    party's name unless the profile masks it)."""

    names: tuple[str, ...]
    addresses: tuple[str, ...]
    keep: tuple[str, ...]


def people(case, *, mask_party: bool) -> People:
    names, addresses, keep = [], [], []
    for p in current_parties(case):
        if p.kind == PartyKind.PERSON:
            names.append(p.name)
            if p.address:
                addresses.append(p.address)
            if not mask_party:
                keep.append(p.name)
        else:  # 双公示: an organisation's name and its 法定代表人 are published (a name signed as party too);
            keep += [p.name, p.legal_representative, p.address, p.phone]  # its address and phone are no one's privacy
    names += signer_names(case)
    keep.append(case.agency.phone)  # the agency's own number (on a decision's remedies, say)
    clean = lambda xs: tuple(dict.fromkeys(x.strip() for x in xs if x and len(x.strip()) >= 2))  # noqa: E731
    return People(clean(names), clean(addresses), clean(keep))


def find(text: str, who: People) -> list:
    return redact.find(text, names=who.names, addresses=who.addresses, keep=who.keep)


def scrub(text: str, who: People) -> str:
    """A field of the summary with the same redactions as the body (its own spans, not logged: the
    summary is checked by redact.leaks before it is published)."""
    return redact.apply(text, find(text, who))


def party_label(case, who: People) -> str:
    """当事人 as published: an organisation's name; a natural person's name unless the profile masks it."""
    out = []
    for p in current_parties(case):
        name = p.name if p.kind != PartyKind.PERSON or p.name in who.keep else redact.mark("person_name", p.name)
        out.append(name)
    return "、".join(out)


def issued_content(doc) -> dict:
    """The content of the decision record's version that `doc` printed (what was decided)."""
    return doc.record.versions.get(number=doc.record_version).content


def penalty_code(label: str) -> str:
    return PENALTY_CODES.get((label or "").strip(), "")


def public_until(profile, penalty: str, fine: int | None, decided: datetime.date) -> datetime.date | None:
    """The last day the decision stays public: the first of the profile's durations that matches its
    penalty kind (code) and fine (市场监管公示规定 14: 3 months for 通报批评 or a small fine, 3 years else)."""
    for rule in profile.publicity.durations:
        if rule.penalties and penalty not in rule.penalties:
            continue
        if rule.max_fine is not None and (fine is None or fine > rule.max_fine):
            continue
        return add_months(decided, rule.months)
    return None


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def decision_summary(case, d, who: People, *, until: datetime.date | None) -> dict:
    """摘要 (市场监管公示规定 10) then the 双公示 fields, label → text, in order."""
    f = d.fields
    parties = list(current_parties(case))
    orgs = [p for p in parties if p.kind != PartyKind.PERSON]
    out = {
        "决定书文号": d.number,
        "当事人": party_label(case, who),
        "违法行为类型": scrub(case.title, who),
        "处罚内容": scrub(f.get("content", ""), who),
        "处罚机关": d.agency,
        "决定日期": d.date.isoformat(),
        "统一社会信用代码": "、".join(p.id_number for p in orgs),
        "法定代表人": "、".join(p.legal_representative for p in orgs if p.legal_representative),
        "违法事实": scrub(f.get("facts", ""), who),
        "处罚依据": scrub(f.get("basis", ""), who),
        "处罚类别": f.get("penalty_kind", ""),
        "罚款金额（元）": f.get("fine_amount", ""),
        "没收金额（元）": f.get("confiscation_amount", ""),
        "公示截止期": until.isoformat() if until else "长期",
        "处罚机关统一社会信用代码": case.agency.credit_code,
    }
    return {k: str(v) for k, v in out.items()}
