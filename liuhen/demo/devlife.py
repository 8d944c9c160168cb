"""The demo's devices have a life (LW-D 4, LW-D 8, LQ 24, LQ 26), built through the real services
(liuhen/devices/life.py) with the clock set back (demo.footage.clock_at):

- periodic checks (定期检查保养) of the recorders in stock, each the day before it was first signed
  out (or a month ago): battery health, free storage, the clock — the body cameras still out today
  (JL-001, JL-002) and the photo camera were never checked: the registry shows them 定期检查逾期
  (the profile's devices: check_every_days, 90 in base);
- SX-01 is at the supplier (维修中: the builder reports its fault and sends it, build_devices);
- JL-006 had a flat battery: reported, sent to the manufacturer's service, back with a new battery,
  checked, in use again;
- JL-007 was dropped: reported, sent, came back not repairable, and was scrapped (报废).

The equipment ratio per unit is the agency's rule, in its profile (devices: equipment_ratio): the
demo agency loads it three days ago (liuhen/demo/agency_rules.py), and the registry page shows it."""
import datetime
import functools

from django.db.models import Min
from django.utils import timezone

from liuhen.devices import life
from liuhen.devices import services as devices
from liuhen.devices.models import Kind, SignOut

from . import footage as demo_footage

CHECKED = ("JL-003", "JL-004", "JL-005", "LY-01")
SUPPLIER = "沈阳中天安防科技有限公司（厂家授权维修站）"


def _at(today, days_ago: int, hm: str) -> datetime.datetime:
    return demo_footage._local(today - datetime.timedelta(days=days_ago), hm)


def _check(keeper, device, when, *, health, free_gb, drift_s=1):
    with demo_footage.clock_at(when):
        return life.record_check(keeper, device, result="ok", battery_health_percent=health, storage_free_gb=free_gb,
                                 device_time=timezone.now() + datetime.timedelta(seconds=drift_s),
                                 note="外观完好，录像、录音、拍照正常")


def build(builder) -> dict:
    """Called once by the demo builder (after the footage): returns what it made, for the counts."""
    keeper = builder.people["majun"]
    today = builder.today
    agency = builder.agency
    made = {d.number: d for d in agency.devices.all()}
    story = getattr(builder, "story", None)
    if story is not None:  # played in time order with the story (demo/timeline.py): its plan, not yet its rows
        first_out = story.first_signouts()
    else:
        first_out = dict(SignOut.objects.filter(device__agency=agency).values("device__number")
                         .annotate(first=Min("server_time")).values_list("device__number", "first"))
    # Each step a (time, act); played in time order (the demo's parts interleave by time, demo/timeline.py).
    steps = []
    for number in CHECKED:
        device = made.get(number)
        if device is None:
            continue
        first = first_out.get(number)
        when = (timezone.localtime(first) - datetime.timedelta(days=1)).replace(hour=10, minute=0) if first else None
        when = when if when is not None and when < (getattr(builder, "now", None) or timezone.now()) \
            else _at(today, 30, "10:00")
        when = max(when, device.created_at + datetime.timedelta(hours=1))  # never before its registration
        steps.append((when, functools.partial(_check, keeper, device, when, health=96 - 3 * len(steps), free_gb=58)))
    checks = len(steps)
    new = {}

    def add():
        with demo_footage.clock_at(_at(today, 120, "09:30")):
            for number, unit in (("JL-006", "zhidui"), ("JL-007", "hehu")):
                new[number] = devices.add_device(keeper, agency=agency, number=number, model_name="DSJ-Z8 执法记录仪",
                                                 kind=Kind.BODY_CAMERA, unit=builder.units[unit], custodian=keeper)

    def step(days_ago, hm, fn, number, **kw):
        def run():
            with demo_footage.clock_at(_at(today, days_ago, hm)):
                fn(keeper, new[number], **kw)
        return (_at(today, days_ago, hm), run)

    steps += [
        (_at(today, 120, "09:30"), add),
        # JL-006: a battery that no longer charges — reported, repaired by the supplier, checked, back in use.
        step(40, "09:10", life.report_fault, "JL-006", note="电池无法充电，开机数分钟即关机"),
        step(39, "14:00", life.send_to_repair, "JL-006", supplier=SUPPLIER, note="保修期内，厂家授权维修"),
        step(25, "10:30", life.repair_back, "JL-006", result="repaired", work_done="更换电池组，恢复出厂时钟设置后校时"),
        (_at(today, 25, "11:00"), lambda: _check(keeper, new["JL-006"], _at(today, 25, "11:00"), health=100,
                                                  free_gb=60, drift_s=0)),
        # JL-007: dropped on a river bank — sent to the supplier, not repairable, scrapped.
        step(20, "17:20", life.report_fault, "JL-007", note="巡查时摔落，镜头破裂，无法开机"),
        step(19, "09:00", life.send_to_repair, "JL-007", supplier=SUPPLIER),
        step(10, "15:00", life.repair_back, "JL-007", result="not_repaired", work_done="主板损坏，已停产无备件，建议报废"),
        step(9, "10:00", life.scrap, "JL-007", reason="主板损坏无法修复（维修单位意见），报废"),
    ]
    for _when, run in sorted(steps, key=lambda s: s[0]):
        run()
    return {"devices": 2, "device_events": checks + 9}
