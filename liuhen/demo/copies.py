"""Demo data of evidence copies (证据复制, LW-D 13, LW-D 15), through the real services: the footage
of an archived demo case copied for a court — requested by its lead officer, approved by the 机关负责人
刘建国, made by the 档案管理员 吴秀兰 (the package written under $LIUHEN_HOME/copies/) and handed over
to a named judge of 本溪市平山区人民法院 — and, for a case in 审查决定, a request to the 检察院 that
awaits approval. Nothing without footage (a machine without ffmpeg): then no copy is made."""
import contextlib
import datetime
import secrets

from django.utils import timezone

from liuhen.cases.models import Stage
from liuhen.copies import services
from liuhen.copies.models import HandoverMethod, ReceiverKind
from liuhen.copies.package import copies_dir

from .footage import clock_at


def _at(day: datetime.date, hm: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.fromisoformat(hm)))


def _after_last_move(case, at: datetime.datetime) -> datetime.datetime:
    """`at`, or an hour after the case's last stage move if that came later (a copy follows the file)."""
    last = case.transitions.order_by("-at").values_list("at", flat=True).first()
    return max(at, last + datetime.timedelta(hours=1)) if last else at


def _at_or_now(when: datetime.datetime, last: datetime.timedelta, now: datetime.datetime):
    """A clock for a step at `when` — or, when the story's last step (`when` + `last`) would lie in
    the future (the case moved only as the demo loaded), no moved clock: the steps happen now, in
    order. A demo never shows an act dated after the moment it was loaded."""
    if when + last > now:
        return lambda offset: contextlib.nullcontext()
    return lambda offset: clock_at(when + offset)


def build(builder, built) -> dict:
    """The court copy and the pending request; returns counts for the summary."""
    people, today = builder.people, builder.today
    now = getattr(builder, "now", None) or timezone.now()  # when the demo is loaded (timezone.now() moves in it)
    archived = [c for c in built if c.case.is_archived and services.linked_items(c.case)]
    deciding = [c for c in built if c.case.stage == Stage.DECISION and services.linked_items(c.case)]
    made = 0
    if archived:
        c = archived[0]
        items = services.linked_items(c.case)
        step = _at_or_now(_after_last_move(c.case, _at(today - datetime.timedelta(days=3), "09:30")),
                          datetime.timedelta(days=1, minutes=20), now)
        with step(datetime.timedelta(0)):
            row = services.request_copy(c.lead, c.case, items, receiver_kind=ReceiverKind.COURT,
                                        receiver_name="本溪市平山区人民法院", court_case_number="（2026）辽0502行审31号",
                                        purpose="行政非诉执行审查：法院要求提供现场检查音像记录")
        with step(datetime.timedelta(hours=1, minutes=10)):
            services.decide(people["liujianguo"], row, True, "同意，由档案室统一复制并留存。")
        # A name of its own: a folder left by a discarded demo database (or a demo loaded at the
        # same time into another database under the same home) is never overwritten.
        dest = copies_dir() / f"demo-{row.pk}-{secrets.token_hex(4)}"
        with step(datetime.timedelta(hours=5)):
            package = services.make_package(people["wuxiulan"], row, dest)
        with step(datetime.timedelta(days=1, minutes=20)):
            services.record_handover(people["wuxiulan"], package, receiver_person="赵立群（审判员）",
                                     receiver_org="本溪市平山区人民法院", handed_on=timezone.localdate(),
                                     method=HandoverMethod.IN_PERSON, note="光盘一张及复制包清单，当面核对 SHA-256")
        made = 1
    pending = 0
    if deciding:
        c = deciding[0]
        items = services.linked_items(c.case)
        with _at_or_now(_after_last_move(c.case, _at(today - datetime.timedelta(days=1), "16:00")),
                        datetime.timedelta(0), now)(datetime.timedelta(0)):
            services.request_copy(c.lead, c.case, items[:1], receiver_kind=ReceiverKind.PROCURATORATE,
                                  receiver_name="本溪市平山区人民检察院", purpose="行政执法与刑事司法衔接：检察机关调取现场音像记录")
        pending = 1
    return {"copies": made, "copy_requests_pending": pending}
