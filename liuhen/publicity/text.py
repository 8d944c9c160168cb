"""The texts a decision's publication is made of: the decision as served (its `source`, line by line
what the sealed PDF prints: documents.render's Document of the issued version), the people and places
in the case whose names and addresses must not go online, and the summary (摘要) the public reads first.

行政处罚法 48 and 市场监管公示规定 10: the published decision is the one served on the party, except the
redactions; the summary (文号, 当事人, 违法行为类型, 处罚内容, 机关, 日期) comes first."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from liuhen.cases.models import PartyKind
from liuhen.cases.selectors import current_parties
from liuhen.documents.render import document_for
from liuhen.profiles.spec import PENALTY_KINDS
from liuhen.records.selectors import record_with_state, signer_names

from . import redact

PENALTY_CODES = {label: code for code, label in PENALTY_KINDS}


def decision_document(doc):
    """documents.render's Document of the issued decision `doc`, as it was issued: refused when the
    record has a later version than the one issued (the corrected decision is issued anew first)."""
    st = record_with_state(doc.record_id)
    if st.latest.number != doc.record_version:
        raise ValidationError(f"决定书（{doc.number.text}）签发后记录已有新版本：请先重新签发，再据以公示。",
                              code="stale_document")
    return document_for(st.record, number=doc.number.text, state=st)


def served_text(d) -> str:
    """The decision as served, one printed line per line: letterhead, title, 文号, 当事人 and 地址, each
    field, 依据, the remedies, the extra rows, the agency and the date (decision.html's order)."""
    lines = [d.letterhead, d.title, d.number]
    for p in d.addressees:
        lines.append(f"当事人：{p.name}" + (f"（法定代表人/负责人：{p.representative}）" if p.representative else ""))
        if p.address:
            lines.append(f"地址：{p.address}")
    lines += [f"{row['label']}：{row['value']}" for row in d.rows if row["value"]]
    if d.basis:
        lines.append(f"依据：{d.basis}")
    lines += d.remedy_lines
    lines += [f"{label}：{value}" for label, value in d.extras]
    lines += [d.agency, d.date_cn]
    return "\n".join(line.strip() for line in lines if line and line.strip()) + "\n"


@dataclass(frozen=True)
class People:
    """Who and where the redaction looks for in a case: natural persons' names (parties, the people who
    signed its records as party, witness or other) and their addresses; `keep` the names that stay (an
    organisation's legal representative; the party itself unless the profile masks it)."""

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
        else:  # 双公示: an organisation's name (it signs as 当事人 too) and its 法定代表人 are published
            keep += [p.name, p.legal_representative]
    names += signer_names(case)
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
        "违法行为类型": case.title,
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
