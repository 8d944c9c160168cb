"""Demo data of issued documents (执法文书: 文号 and the agency's e-seal, issue 16), through the real
services: five days ago the 机关负责人 刘建国 issued the 决定书 of archived cases — each given its
文号 (本水罚〔2026〕第N号), rendered, sealed with the agency's seal (the local demo CA under
$LIUHEN_HOME/seal) and stored with its PDF/A archive copy — and voided the number of one, with its
reason, so the list of numbers shows a voided one and why (gaps explained). Then one of them is
revoked (撤销, after a 行政复议 decision set it aside), and a 权利告知书 of a case under investigation,
issued, is found wrong: its record is voided, made again, and the new one issued with a new 文号 in
its place — the first document's verification page says 已被替换 and links to the new one."""
import datetime

from liuhen.documents import selectors, services
from liuhen.records import services as records

from .footage import clock_at

ISSUED = 3  # decisions issued (each ~0.4 s: two renders and two seals — the demo stays fast)
VOID_REASON = "文书编号登记有误，未送达当事人，作废后另行编号"
REVOKE_REASON = "经行政复议决定撤销原处罚决定，本机关依法撤销本决定书"
RECORD_VOID_REASON = "告知书所载告知地点有误，作废后重新制作"
REISSUE_REASON = "原告知书告知地点有误，重新制作后重新签发"


def _replace_one(builder, built, leader, start) -> int:
    """A 权利告知书 issued, its record voided and made again, the new one issued in its place."""
    for c in built:
        case = c.case
        if case.is_archived or case.stage != "investigation":
            continue
        for record in case.records.filter(record_type__code="rights_notice", void__isnull=True).order_by("pk"):
            if not selectors.issue_state(record).issuable:
                continue
            content = dict(record.versions.order_by("-number").first().content)
            with clock_at(start):
                first = services.issue_document(leader, record)
            with clock_at(start + datetime.timedelta(minutes=40)):
                records.void_record(c.lead, record, RECORD_VOID_REASON)
            with clock_at(start + datetime.timedelta(minutes=50)):
                remade = builder.record(c, "rights_notice", content)
            with clock_at(start + datetime.timedelta(minutes=70)):
                services.issue_document(leader, remade, replaces=first, reason=REISSUE_REASON)
            return 1
    return 0


def build(builder, built) -> dict:
    leader = builder.people["liujianguo"]
    start = builder.days_ago(5, "10:00")
    done = []
    for c in built:
        if len(done) == ISSUED:
            break
        if not c.case.is_archived:
            continue
        for record in c.case.records.filter(record_type__code="decision").order_by("pk"):
            if selectors.issue_state(record).issuable:
                with clock_at(start + datetime.timedelta(minutes=20 * len(done))):
                    done.append(services.issue_document(leader, record))
                break
    voided = revoked = 0
    if len(done) >= 2:
        with clock_at(start + datetime.timedelta(hours=2)):
            services.void_number(leader, done[1].number, VOID_REASON)
            voided = 1
    if len(done) >= 3:
        with clock_at(start + datetime.timedelta(hours=2, minutes=30)):
            services.revoke_document(leader, done[2], REVOKE_REASON)
            revoked = 1
    replaced = _replace_one(builder, built, leader, start + datetime.timedelta(hours=3))
    return {"documents_issued": len(done) + 2 * replaced, "document_numbers_voided": voided,
            "documents_revoked": revoked, "documents_replaced": replaced}
