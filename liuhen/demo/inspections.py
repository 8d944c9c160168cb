"""Demo sample inspections (演示抽检, LW-D 14), through the real services:

- a closed round of the agency's footage: the 监督人员 何志远 (hezhiyuan) drew three recordings of the
  last thirty days yesterday, watched them and recorded a finding for each — the first sampled one
  without the opening words LW-D 6 asks for (不合格: 开场用语完整) — and closed the round;
- an open round of the 水政监察支队's recorders drawn this morning by the 机关负责人 刘建国
  (liujianguo): one device checked so far, one waiting.

The seeds are drawn by the server as always, so which items are sampled differs from one `liuhen
demo` to the next; the re-draw check (重新抽取核对) matches for both rounds. Without ffmpeg the demo
has no footage and only the device round is drawn."""
import datetime

from django.utils import timezone

from liuhen.demo.footage import clock_at
from liuhen.inspections import services
from liuhen.inspections.models import Kind

OPENING_WORDS_MISSING = "到场开启记录后未按规定报明日期、执法人员姓名和检查事项（开场用语缺失）。"


def _results(round_, item=None, fail: dict | None = None) -> dict:
    results = {c["code"]: "pass" for c in round_.checklist}
    if item is not None and item.kind == "photo":
        # A photo shows neither the opening words nor a continuous recording.
        results.update({code: "na" for code in ("switched_on", "opening_words", "continuous") if code in results})
    if item is not None and item.kind == "audio":
        results.update({code: "na" for code in ("worn", "certificates") if code in results})
    results.update(fail or {})
    return results


def build(builder) -> dict:
    from liuhen.footage.models import FootageItem

    now = getattr(builder, "now", None) or timezone.now()  # when the demo is loaded (timezone.now() moves in it)
    today = builder.today
    supervisor, head = builder.people["hezhiyuan"], builder.people["liujianguo"]
    made = {}
    if FootageItem.objects.filter(agency=builder.agency).exists():
        drawn = now - datetime.timedelta(hours=26)
        with clock_at(drawn):
            footage_round = services.draw_round(
                supervisor, kind=Kind.FOOTAGE, period_from=today - datetime.timedelta(days=30),
                period_to=timezone.localdate(drawn) - datetime.timedelta(days=1), size=3)
        items = FootageItem.objects.in_bulk(footage_round.sample)
        for i, key in enumerate(footage_round.sample):
            fail = {"opening_words": ("fail", OPENING_WORDS_MISSING)} if i == 0 else None
            with clock_at(drawn + datetime.timedelta(hours=1, minutes=20 * i)):
                services.record_finding(supervisor, footage_round, key, _results(footage_round, items[key], fail),
                                        "已在监督检查例会上通报。" if fail else "")
        with clock_at(drawn + datetime.timedelta(hours=3)):
            services.close_round(supervisor, footage_round)
        made["footage_round"] = footage_round.pk
    with clock_at(now - datetime.timedelta(hours=2)):
        device_round = services.draw_round(head, kind=Kind.DEVICE, unit=builder.units["zhidui"],
                                           period_from=today - datetime.timedelta(days=30), period_to=today, size=2)
    with clock_at(now - datetime.timedelta(hours=1)):
        services.record_finding(head, device_round, device_round.sample[0], _results(device_round))
    made["device_round"] = device_round.pk
    return {"inspection_rounds": len(made)}
