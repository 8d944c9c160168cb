"""Demo 案卷评查 (case-file evaluation), through the real services:

- at the round's moment (its task's start on the demo's timeline; else two weeks ago, or now while
  the demo's files are all archived today) the 监督人员 何志远 (hezhiyuan) opened 「2026年度行政执法案卷评查」 (the year of its end; any kind of case, not only 行政处罚) over the files archived so far and drew up to four
  of them, the seed drawn by the server and pinned with each file's score card;
- he and the 法制审核人员 郑慧 (zhenghui) scored all but one of the drawn files over the next days:
  the first clean (优秀), the second with two deductions (卷内目录、送达) and the rest clean; the last
  file waits to be scored, so the round is still open;
- the 承办机构负责人 of the second file's unit objected to one deduction and said what was corrected,
  and 何志远 answered.

Which files are drawn differs from one `liuhen demo` to the next (the seed is new each time); the
re-draw check (重新抽取核对) matches."""
import contextlib
import datetime

from django.utils import timezone

from liuhen.demo.footage import clock_at
from liuhen.evaluation import scoring, services


def _clean(card) -> dict:
    return {item["id"]: ({"failed": False} if not section else {"deduction": 0})
            for section, item in scoring.items(card)}


def _timeline_running() -> bool:
    """Whether this runs as a task of the demo's timeline (liuhen/demo/timeline.py, where the demo
    has one): then every clock_at waits its turn, and the task starts at the round's moment."""
    try:
        from liuhen.demo import timeline
    except ImportError:
        return False
    return timeline.active() is not None


def build(builder, built=None) -> dict:
    """Called by _Builder.build(): as a timeline task starting at the round's moment (e.g. ten days
    ago) where the demo has a timeline, else once the cases are built (the round two weeks ago, or
    now while the demo's files are all archived today). `built` is not needed: the archived files
    are read at the round's moment."""
    from liuhen.cases.models import Case

    now = timezone.now()
    if _timeline_running():
        target, past = now, True
    else:
        target = timezone.make_aware(datetime.datetime.combine(builder.today - datetime.timedelta(days=14),
                                                               datetime.time(9, 30)))
        past = Case.objects.filter(agency=builder.agency, archived_at__lte=target).count() >= 2
        if not past:
            target = now  # the files were archived today: everything happens now, in order

    def at(delta: datetime.timedelta):
        return clock_at(target + delta) if past else contextlib.nullcontext()

    supervisor, reviewer = builder.people["hezhiyuan"], builder.people["zhenghui"]
    with at(datetime.timedelta(0)):
        archived = list(Case.objects.filter(agency=builder.agency, archived_at__isnull=False,
                                            archived_at__lte=timezone.now()).order_by("archived_at"))
        if not archived:
            return {"evaluation_rounds": 0}
        # Named by its year, not a quarter: the files archived so far span whichever months the demo's
        # three months fall in, and are of every kind (许可, 征收, 处罚), not only 行政处罚.
        round_ = services.open_round(
            supervisor, title=f"{timezone.localdate().year}年度行政执法案卷评查",
            period_from=timezone.localdate(archived[0].archived_at), period_to=timezone.localdate(),
            size=min(4, len(archived)))
    scored = round_.sample[:-1] if len(round_.sample) > 1 else round_.sample
    for i, case_id in enumerate(scored):
        card = round_.card_for(case_id)
        results = _clean(card)
        note = "案卷材料齐全，程序规范。"
        if i == 1:
            first = card["sections"][0]["items"][0]
            last = card["sections"][-1]["items"][-1]  # the card's last item: 送达与执行记录 (BX 10)
            results[first["id"]] = {"deduction": min(2, first["points"]), "note": "卷内目录未逐页编号。"}
            results[last["id"]] = {"deduction": min(5, last["points"]), "note": "送达回证未注明送达时间。"}
            note = "卷面和送达环节存在瑕疵，请承办机构整改。"
        evaluator = supervisor if i % 2 == 0 else reviewer
        with at(datetime.timedelta(days=1 + i, hours=i)):
            services.score_file(evaluator, round_, case_id, results, note)
    made = {"evaluation_rounds": 1, "evaluation_scores": len(scored)}
    if len(scored) > 1:
        case = Case.objects.get(pk=scored[1])
        head = next((p for p in builder.people.values()
                     if p.unit_id == case.unit_id and services.is_unit_head(p)), None)
        if head is not None:
            with at(datetime.timedelta(days=5, hours=2)):
                answer = services.answer_score(
                    head, round_, case.pk, "object", reason="送达回证已由受送达人签署日期，见卷第 14 页。",
                    corrected="已对卷内目录逐页编号，并在科室例会上通报。")
            with at(datetime.timedelta(days=6, hours=1)):
                services.respond(supervisor, answer, "经核对，送达回证日期为受送达人手写，字迹不清；维持扣分，请今后注明。")
            made["evaluation_answers"] = 1
    return made
