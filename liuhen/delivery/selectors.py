"""Reads of 送达 (行政处罚法 61; 民事诉讼法 85-95 as the practice cites them): for each document the case
must serve — its decision, and any issued document a service record names by its 文号 — each
service record with its method, the time it counts as served, and the proof still missing.

A service counts only when its record is complete (all signatures) AND its method's proof is
complete: 留置送达 its witness and AV record (the profile's `delivery.lien_proof`), 邮寄送达 the date of
receipt and the return receipt kept, 公告送达 the notice kept, its posting recorded on AV and the
period run (`delivery.public_notice_days`), 电子送达 the party's consent still in force.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from liuhen.common import memo
from liuhen.profiles import selectors as profiles
from liuhen.records.catalog import SERVICE_METHODS
from liuhen.records.selectors import states_for_case, with_files

DIRECT, MAIL, LIEN, ENTRUST, TRANSFER, PUBLIC, ELECTRONIC = SERVICE_METHODS
RECEIPT, MAIL_RECEIPT, NOTICE, CONFIRMATION, DECISION = (
    "service_receipt", "mail_receipt", "service_notice", "address_confirmation", "decision")
SERVICE_CODES = (RECEIPT, MAIL_RECEIPT, NOTICE)
# The methods a 送达回证 carries; 邮寄 and 公告 have their own records with their proof.
METHOD_OF_CODE = {MAIL_RECEIPT: MAIL, NOTICE: PUBLIC}
SERVED, WAITING, PENDING, NONE = "served", "waiting", "pending", "none"
STATUS_LABELS = {SERVED: "已送达", WAITING: "公告期未满", PENDING: "待补证明", NONE: "尚未送达"}


def parse_date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def parse_datetime(value) -> datetime.datetime | None:
    if not value:
        return None
    at = datetime.datetime.fromisoformat(str(value))
    return at if timezone.is_aware(at) else timezone.make_aware(at)


def start_of(day: datetime.date | None) -> datetime.datetime | None:
    return None if day is None else timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def method_of(code: str, content: dict) -> str:
    return METHOD_OF_CODE.get(code) or (content or {}).get("method", "")


def served_time(code: str, content: dict, notice_days: int) -> datetime.datetime | None:
    """When a service record's document counts as served, by its method (None: not yet known):
    the 送达时间 of a receipt; 邮寄送达 the date of receipt (民事诉讼法 91); 公告送达 the day the
    profile's days after publication end (民事诉讼法 95: 自发出公告之日起，经过三十日，即视为送达)."""
    content = content or {}
    if code == MAIL_RECEIPT:
        return start_of(parse_date(content.get("received_on")))
    if code == NOTICE:
        published = parse_date(content.get("published_on"))
        return start_of(published + datetime.timedelta(days=notice_days)) if published else None
    return parse_datetime(content.get("served_at"))


def consents(states, e_address: str) -> bool:
    """Does a complete 送达地址确认书 of the case consent to electronic service at `e_address`
    (民事诉讼法 90: 经受送达人同意，可以采用能够确认其收悉的电子方式送达)?"""
    address = (e_address or "").strip()
    return bool(address) and any(
        st.complete and st.record.record_type.code == CONFIRMATION and st.latest.content.get("e_consent")
        and (st.latest.content.get("e_address") or "").strip() == address for st in states)


def lien_missing(witness: str, av_ok: bool, lien_proof: str) -> list[str]:
    """What a 留置送达 lacks besides the refusal (民事诉讼法 89: 邀请有关基层组织或者所在单位的代表到场
    见证…也可以采用拍照、录像等方式记录送达过程)."""
    if lien_proof == "witness_or_av":
        return [] if witness or av_ok else ["见证人或拍照、录像记录"]
    return ([] if witness else ["见证人"]) + ([] if av_ok else ["拍照、录像记录"])


def proof_missing(code: str, content: dict, *, attached: bool, av_ok: bool, lien_proof: str,
                  consented: bool) -> list[str]:
    """The proof a complete service record still lacks for its method, in Chinese (empty: none)."""
    content = content or {}
    method = method_of(code, content)
    if code == MAIL_RECEIPT:
        return (([] if content.get("received_on") else ["签收日期（尚未签收）"])
                + ([] if attached else ["邮件回执（附件）"]))
    if code == NOTICE:
        return ([] if attached else ["公告原件或照片（附件）"]) + ([] if av_ok else ["公告张贴的拍照、录像记录"])
    if method == LIEN:
        return lien_missing((content.get("witness") or "").strip(), av_ok, lien_proof)
    if method == ELECTRONIC and not consented:
        return ["当事人同意电子送达的送达地址确认书（已完成）"]
    return []


@dataclass
class Service:
    """One service record of a document: its method, when it counts as served and what is missing."""

    state: object  # records.selectors.RecordState
    method: str
    served_at: datetime.datetime | None
    missing: list[str] = field(default_factory=list)  # proof and signatures still needed

    @property
    def record(self):
        return self.state.record

    @property
    def name(self) -> str:
        return f"{self.record.record_type.name}（第{self.record.serial}号，{self.method}）"

    def status(self, now: datetime.datetime | None = None) -> str:
        if self.missing or self.served_at is None:
            return PENDING
        return WAITING if self.served_at > (now or timezone.now()) else SERVED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status()]


@dataclass
class ToServe:
    """A document the case must serve: its decision, or an issued document a service record names."""

    label: str
    record: object  # records.Record
    numbers: frozenset  # its 文号: issued, or written on the decision
    services: list[Service] = field(default_factory=list)

    @property
    def served(self) -> Service | None:
        """The service that counts: the earliest served one."""
        done = [s for s in self.services if s.status() == SERVED]
        return min(done, key=lambda s: s.served_at) if done else None

    @property
    def status(self) -> str:
        if self.served is not None:
            return SERVED
        if any(s.status() == WAITING for s in self.services):
            return WAITING
        return PENDING if self.services else NONE

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def number(self) -> str:
        return "、".join(sorted(self.numbers))

    def problems(self) -> list[str]:
        """Why the document does not count as served yet, in Chinese with the article."""
        if self.served is not None:
            return []
        if not self.services:
            return [f"{self.label}尚未送达：应当在宣告后当场交付当事人，当事人不在场的，应当在七日内依照民事诉讼法的"
                    "有关规定送达（行政处罚法 61）。"]
        out = []
        for s in self.services:
            if s.status() == WAITING:
                out.append(f"{s.name}：公告期至{timezone.localdate(s.served_at):%Y-%m-%d}届满，届满之日视为送达"
                           "（民事诉讼法 95）。")
            elif s.missing:
                out.append(f"{s.name}尚不能认定送达，缺少：{'、'.join(s.missing)}（行政处罚法 61，民事诉讼法 85-95）。")
        return out


def issued_numbers(case) -> dict:
    """{文号: record id} of the case's issued documents (not voided) and of the 文号 written on its decisions."""
    from liuhen.documents.models import IssuedDocument

    out = {}
    for text, record_id in IssuedDocument.objects.filter(record__case=case, number__void__isnull=True).values_list(
            "number__text", "record_id"):
        out[text] = record_id
    return out


def known_numbers(case, states) -> set[str]:
    """Every 文号 a service record of the case may name (documents.issue: issued; or typed on a decision)."""
    typed = {(st.latest.content.get("doc_number") or "").strip() for st in states
             if not st.voided and st.record.record_type.code == DECISION}
    return (set(issued_numbers(case)) | typed) - {""}


def _av_ok(case) -> dict:
    """{record id: the AV the act needs is there (footage or an approved note)} (avrules)."""
    from liuhen.avrules.selectors import case_av

    return {row.record.pk: not row.problems() for row in case_av(case)}


def service_of(state, *, states, av: dict, spec) -> Service:
    content = state.latest.content
    code = state.record.record_type.code
    missing = [] if state.complete else list(state.missing)
    # The proof's file: an attachment, or a 补充材料 added after signing (the notice photographed later).
    attached = bool(state.record.attachments.all()) or bool(with_files([state.record.pk]))
    missing += proof_missing(code, content, attached=attached,
                             av_ok=av.get(state.record.pk, True), lien_proof=spec.lien_proof,
                             consented=consents(states, content.get("e_address")))
    return Service(state, method_of(code, content), served_time(code, content, spec.public_notice_days), missing)


def documents_to_serve(case) -> list[ToServe]:
    """The case's documents to serve with their services, the decision first (when it has one). Asked
    once per reading request (common.memo): the case page's gate, its service part and its clocks each
    ask. The answer is shared: not to be changed by who asks."""
    return memo.remember(("delivery.documents_to_serve", case.pk), lambda: _documents_to_serve(case))


def _documents_to_serve(case) -> list[ToServe]:
    from liuhen.records.models import Record

    states = [st for st in states_for_case(case) if not st.voided]
    decisions = [st for st in states if st.record.record_type.code == DECISION and st.complete]
    services = [st for st in states if st.record.record_type.code in SERVICE_CODES]
    numbers = issued_numbers(case)
    items: list[ToServe] = []
    main = None
    if decisions:
        d = decisions[-1]
        own = {n for n, rec in numbers.items() if rec == d.record.pk}
        own |= {(d.latest.content.get("doc_number") or "").strip()} - {""}
        main = ToServe(d.record.record_type.name, d.record, frozenset(own))
        items.append(main)
    if not services:
        return items
    spec = profiles.profile_for_case(case).delivery
    av = _av_ok(case)
    for st in services:
        number = (st.latest.content.get("doc_number") or "").strip()
        item = next((i for i in items if number and number in i.numbers), None)
        if item is None and number in numbers:
            record = Record.objects.select_related("record_type").get(pk=numbers[number])
            item = ToServe(record.record_type.name, record, frozenset({number}))
            items.append(item)
        item = item or main
        if item is None:
            item = main = ToServe(st.latest.content.get("document") or "送达文书", None, frozenset())
            items.insert(0, item)
        item.services.append(service_of(st, states=states, av=av, spec=spec))
    return items


def decision_service(case) -> ToServe | None:
    """The case's decision as a document to serve (None: no complete decision)."""
    items = documents_to_serve(case)
    return items[0] if items and items[0].record is not None and items[0].record.record_type.code == DECISION \
        else None


def served_at(case) -> datetime.datetime | None:
    """When the case's decision counts as served (None: not yet)."""
    item = decision_service(case)
    served = item.served if item is not None else None
    return served.served_at if served is not None else None


# ---- many cases at once (oversight's facts: the served-time anchor of the `service` deadline) -----

def served_from_facts(records, *, attached: frozenset, footage_records: frozenset, decision_numbers: dict,
                      spec, av_acts=(), now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When the decision of one case counts as served, from its records read in bulk (records.bulk
    RecordFact with the content of the service records, decisions, 送达地址确认书 and 不适宜音像记录说明):
    the rule of `documents_to_serve`, with the AV present when footage is linked to the act
    (`footage_records`: record ids) or a complete 不适宜音像记录说明 names it, where the agency's AV acts
    (`av_acts`, avrules) ask for it. `attached`: ids of records
    with an attachment; `decision_numbers`: {decision record id: its issued 文号}. None: not served."""
    from liuhen.avrules.rules import act_of
    from liuhen.avrules.selectors import NOT_SUITABLE_CODES

    live = [r for r in records if not r.voided]
    decisions = [r for r in live if r.code == DECISION and r.complete]
    if not decisions:
        return None
    d = decisions[-1]
    numbers = {decision_numbers.get(d.id, ""), ((d.content or {}).get("doc_number") or "").strip()} - {""}
    noted = set()
    for r in live:
        if r.code in NOT_SUITABLE_CODES and r.complete:
            noted.add(str((r.content or {}).get("act_serial")))
    consented = [r for r in live if r.code == CONFIRMATION and r.complete and (r.content or {}).get("e_consent")]
    now = now or timezone.now()
    found = []
    for r in live:
        content = r.content or {}
        number = (content.get("doc_number") or "").strip()
        if r.code not in SERVICE_CODES or not r.complete or (number and number not in numbers):
            continue
        address = (content.get("e_address") or "").strip()
        act = act_of(av_acts, r.code, content)
        av_ok = act is None or not act.required or r.id in footage_records or str(r.serial) in noted
        missing = proof_missing(
            r.code, content, attached=r.id in attached, av_ok=av_ok,
            lien_proof=spec.lien_proof,
            consented=bool(address) and any((c.content.get("e_address") or "").strip() == address for c in consented))
        at = served_time(r.code, content, spec.public_notice_days)
        if not missing and at is not None and at <= now:
            found.append(at)
    return min(found) if found else None
