"""Demo data of issued documents (执法文书: 文号 and the agency's e-seal, issue 16), through the real
services: five days ago the 机关负责人 刘建国 issued the 决定书 of archived cases — each given its
文号 (本水罚〔2026〕第N号), rendered, sealed with the agency's seal (the local demo CA under
$LIUHEN_HOME/seal) and stored with its PDF/A archive copy — and voided the number of one, with its
reason, so the list of numbers shows a voided one and why (gaps explained)."""
import datetime

from liuhen.documents import selectors, services

from .footage import clock_at

ISSUED = 3  # decisions issued (each ~0.4 s: two renders and two seals — the demo stays fast)
VOID_REASON = "文书编号登记有误，未送达当事人，作废后另行编号"


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
    voided = 0
    if len(done) >= 2:
        with clock_at(start + datetime.timedelta(hours=2)):
            services.void_number(leader, done[1].number, VOID_REASON)
            voided = 1
    return {"documents_issued": len(done), "document_numbers_voided": voided}
