"""Demo 归档与利用 (issue 19; BX 11-12, LC 31-34, AS 14-15, LW-D 15), through the services, on two archived
demo cases:

- (a) a court's later judgement on the first: the 档案管理员 吴秀兰 adds the 行政判决书 as a supplement
  (归档后补充材料) — the file stays closed, the volume's 备考表 lists it — and marks its 询问笔录 个人隐私;
  the party's son asks to copy the file: she enters the request (当事人查阅、复制), the 机关负责人 刘建国
  approves it, she makes the watermarked copy (the 个人隐私 笔录 left out, LC 33);
- (b) the second's own lead officer asks to look at it again for a related case (本机关调阅): approved by
  刘建国 for 7 days — the grant open now; another officer's slip on the first case waits in 刘建国's 我的待办.

Played at its own times (clock_at), after the cases were archived."""
from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liuhen.archive.services import add_supplement
from liuhen.records.selectors import states_for_case
from liuhen.retrieval import services as retrieval
from liuhen.retrieval.models import Kind, Mode

from .copies import _after_last_move, _at, _at_or_now

ARCHIVIST, HEAD = "wuxiulan", "liujianguo"
PRIVATE = "inquiry_record"  # 询问笔录: what the party said of their own affairs (个人隐私)
SON_ID = "210502198306154324"  # a valid 18-digit number (GB 11643), made up


def _judgement(case) -> SimpleUploadedFile:
    """The court's 行政判决书 as the agency received it (a PDF, laid out here)."""
    from weasyprint import HTML

    from liuhen.documents.render import FONT_STACK

    html = (f'<html><body style="font-family: {FONT_STACK}; font-size: 14pt">'
            "<h1 style='text-align:center'>本溪市平山区人民法院<br>行政判决书</h1>"
            "<p style='text-align:right'>（2026）辽0502行初57号</p>"
            f"<p>原告不服被告本溪市水务局作出的行政处罚决定（案件编号 {case.number}），向本院提起行政诉讼。"
            "本院依法组成合议庭，公开开庭审理了本案。</p>"
            "<p>本院认为，被告作出的行政处罚决定认定事实清楚，证据确实充分，适用法律正确，程序合法。"
            "依照《中华人民共和国行政诉讼法》第六十九条之规定，判决如下：</p>"
            "<p>驳回原告的诉讼请求。</p><p style='text-align:right'>二〇二六年十一月二十日</p></body></html>")
    return SimpleUploadedFile("行政判决书.pdf", HTML(string=html).write_pdf(), content_type="application/pdf")


def build(builder, built) -> dict:
    people, today = builder.people, builder.today
    now = getattr(builder, "now", None) or timezone.now()
    archived = [c for c in built if c.case.is_archived]
    if len(archived) < 2:
        return {}
    first, second = archived[0], archived[1]
    archivist, head = people[ARCHIVIST], people[HEAD]
    step = _at_or_now(_after_last_move(first.case, _at(today - datetime.timedelta(days=2), "09:10")),
                      datetime.timedelta(hours=7), now)
    with step(datetime.timedelta(0)):
        add_supplement(archivist, first.case, title="本溪市平山区人民法院行政判决书（2026）辽0502行初57号",
                       kind="法院判决", note="当事人不服处罚决定提起行政诉讼，法院判决驳回诉讼请求。",
                       file=_judgement(first.case))
    private = [st.record for st in states_for_case(first.case)
               if st.record.record_type.code == PRIVATE and st.complete and not st.voided]
    with step(datetime.timedelta(minutes=20)):
        for record in private:
            retrieval.classify(archivist, first.case, record.pk, "privacy")
    shared = [st.record.pk for st in states_for_case(first.case)
              if st.complete and not st.voided and st.record.pk not in {r.pk for r in private}][:4]
    with step(datetime.timedelta(hours=1)):
        party = retrieval.register_request(
            archivist, first.case, kind=Kind.PARTY, person="王俊", id_number=SON_ID, mode=Mode.COPY, days=15,
            purpose="当事人之子受托办理行政赔偿申请，申请复制处罚决定及送达材料。", record_ids=shared)
    with step(datetime.timedelta(hours=3)):
        retrieval.decide(head, party, approved=True, reason="同意复制，个人隐私材料不予提供。")
    with step(datetime.timedelta(hours=4)):
        retrieval.make_copy(archivist, party)
    with step(datetime.timedelta(hours=5)):
        own = retrieval.request_retrieval(second.lead, second.case, days=7,
                                          purpose="办理同一当事人的关联案件，需查阅原案卷的现场笔录和处罚决定。")
    with step(datetime.timedelta(hours=6)):
        retrieval.decide(head, own, approved=True)
    other = next((p for p in first.team if p != first.lead), first.lead)
    with step(datetime.timedelta(hours=7)):
        retrieval.request_retrieval(other, first.case, days=3, purpose="年度案卷评查准备，查阅本案全部材料。")
    return {"supplements": 1, "retrievals": 3}
