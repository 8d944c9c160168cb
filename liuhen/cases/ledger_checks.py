"""What `liuhen verify` asks of the cases app: do cases and parties still say what the log says?"""
from liuhen.ledger.core.canonical import content_sha256
from liuhen.ledger.subjects import finding

from .models import Case


def check(events: dict[str, list]) -> list[dict]:
    from .services import case_snapshot, party_snapshot

    out = []
    cases = {str(c.pk): c for c in Case.objects.prefetch_related("parties")}
    for cid, evs in events.items():
        obj = f"case:{cid}"
        case = cases.get(cid)
        if case is None:
            out.append(finding("deleted", "案件已不存在，而日志记载了它", obj, evs[0]))
            continue
        # The latest state the log recorded (立案 or the last transition) must be the row's state now.
        states = [ev for ev in evs if ev[2]["action"] in ("case.create", "case.transition")]
        if states and content_sha256(case_snapshot(case)) != states[-1][2]["content_sha256"]:
            out.append(finding("altered", "案件信息（编号、案由、类别、阶段等）被修改，与日志最后记载的状态不符",
                                obj, states[-1]))
        parties = {p.pk: p for p in case.parties.all()}
        logged = {}
        for ev in evs:
            if ev[2]["action"] == "case.party_add":
                logged[ev[2]["detail"].get("party")] = ev
        for pk, ev in logged.items():
            party = parties.get(pk)
            if party is None:
                out.append(finding("deleted", "当事人已不存在", f"{obj} party:{pk}", ev))
            elif content_sha256(party_snapshot(party)) != ev[2]["content_sha256"]:
                out.append(finding("altered", f"当事人“{party.name}”的信息被修改", f"{obj} party:{pk}", ev))
        for pk in parties.keys() - logged.keys():
            out.append(finding("inserted", "当事人没有对应的日志条目", f"{obj} party:{pk}"))
    for cid in cases.keys() - events.keys():
        out.append(finding("inserted", "案件没有任何日志条目", f"case:{cid}"))
    return out
