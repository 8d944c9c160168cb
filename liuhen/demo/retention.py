"""The demo's retention (保存与清理, LW-D 11-12): each class shown, a legal hold, a pending purge and
a removal in its recovery period — through the real services, history under `clock_at`.

- An older body camera, JL-010, registered eight months ago, filmed 王芳's patrols seven months
  ago: one clip (raw, six months) whose retention ends in five days — announced three days ago, on
  the 待清理公告; one whose retention ended 45 days ago — announced 50 days ago, removed three days
  ago, restorable for four more days; and one in which the party pushed the officers — long-term
  (LW-D 12（二）, flagged on the footage).
- The demo cases' footage: evidence of open cases (never purged) and of archived ones (kept as long
  as the case file); 赵长海's case gets a party's objection (long-term, LW-D 12（一）), another
  archived case a decision of the agency head (（三）), and one archived case's footage a legal hold
  by the 法制审核人员 (行政复议).
- The purge ran twice: 50 days ago and three days ago (`liuhen purge` would run daily).
"""
import datetime
import tempfile
from pathlib import Path

from dateutil.relativedelta import relativedelta

from liuhen.devices import services as devices
from liuhen.devices.models import Kind as DeviceKind
from liuhen.footage import services as footage
from liuhen.footage.models import FootageLink
from liuhen.retention import services as retention

from . import footage as demo_footage
from .footage import Clip, _dsj_name, _local, _shows, clock_at

NUMBER = "JL-010"


def _outing(b, device, officer, day: datetime.date, clips: list[tuple[str, float]], root: Path, seq: int) -> list:
    """`officer` signs JL-010 out on `day`, films `clips` ((HH:MM, seconds) each), returns it and
    the 设备管理员 docks it: the items, in the clips' order."""
    keeper = b.people["majun"]
    made, shows = [], []
    for k, (hm, seconds) in enumerate(clips):
        when = _local(day, hm, 10 + k)
        shows.append(_shows(when, 1))
        made.append(Clip(_dsj_name(seq + k), "video", shows[-1], seconds=seconds,
                         overlay=f"{NUMBER}  本溪市水务局  {officer.full_name}",
                         scene={"horizon": 0.33 + 0.04 * k, "bank": 0.5, "phase": 6 + k}))
    folder = root / f"{day:%Y%m%d}"
    demo_footage.make_files(folder, made)
    with clock_at(_local(day, "08:20")):
        devices.sign_out(keeper, device, officer, battery_percent=96, storage_free_gb=28,
                         device_time=_local(day, "08:20", 1))
    with clock_at(_local(day, "16:40")):
        devices.return_device(keeper, device, battery_percent=61, storage_free_gb=27,
                              device_time=_local(day, "16:40", 1))
    with clock_at(_local(day, "16:46")):
        run = footage.start_ingest(keeper, device, source="cli", device_time=_local(day, "16:46", 1))
        results = footage.ingest_files(run, folder, [c.path for c in made])
    by_name = {r.name: r.item for r in results}
    return [by_name[c.path] for c in made]


def _linked_case(built, *, archived: bool, skip=()):
    """A demo case (archived or not) with footage linked to it."""
    for c in built:
        if c.case.is_archived == archived and c.case.pk not in skip and \
                FootageLink.objects.filter(case=c.case, unlink__isnull=True).exists():
            return c.case
    return None


def build(b, built) -> dict:
    """Called by _Builder.build() after the footage links."""
    if b.story is None:  # no ffmpeg: no footage, nothing to keep
        return {}
    people, today = b.people, b.today
    keeper, officer = people["majun"], people["wangfang"]
    with clock_at(_local(today - datetime.timedelta(days=240), "09:00")):
        device = devices.add_device(keeper, agency=b.agency, number=NUMBER, model_name="DSJ-Z8 执法记录仪",
                                    kind=DeviceKind.BODY_CAMERA, unit=b.units["zhidui"], custodian=keeper)
    six_months_ago = today - relativedelta(months=6)
    due_soon = six_months_ago + datetime.timedelta(days=5)      # its six months end in five days
    expired = six_months_ago - datetime.timedelta(days=45)      # its six months ended 45 days ago
    # Each step in the order it happened (the demo plays its parts in time order, demo/timeline.py);
    # what a step looks up, it looks up at its time.
    with tempfile.TemporaryDirectory(prefix="liuhen-demo-retention-") as tmp:
        removed, pushed = _outing(b, device, officer, expired, [("10:12", 3.0), ("10:31", 4.0)], Path(tmp), 31)
        # (二) the party pushed the officers: flagged on the footage by the officer the same day.
        with clock_at(_local(expired, "17:05")):
            retention.add_ground(officer, kind="obstruction", item=pushed,
                                 reason="当事人拒不出示证件并推搡执法人员，见本段录像第 2 秒起")
        (pending,) = _outing(b, device, officer, due_soon, [("14:05", 3.0)], Path(tmp), 41)
    counts = {"retention_grounds": 1, "retention_holds": 0}
    # The purge ran 50 days ago (announcing the expired clip) and three days ago (removing it, and
    # announcing the one due in five days).
    with clock_at(_local(today - datetime.timedelta(days=50), "02:00")):
        retention.run_purge()
    # (三) by decision of the agency head, on an archived case; a hold on another archived one.
    with clock_at(_local(today - datetime.timedelta(days=6), "15:00")):
        decided = _linked_case(built, archived=True)
        if decided is not None:
            retention.add_ground(people["liujianguo"], kind="important", case=decided,
                                 reason="社会关注度高，经局长办公会决定相关音像资料长期保存")
            counts["retention_grounds"] += 1
    with clock_at(_local(today - datetime.timedelta(days=4), "09:40")):
        held = _linked_case(built, archived=True, skip={decided.pk} if decided else ())
        if held is not None:
            retention.place_hold(people["zhenghui"], case=held, reason="当事人已申请行政复议，复议期间冻结本案音像资料")
            counts["retention_holds"] += 1
    with clock_at(_local(today - datetime.timedelta(days=3), "02:00")):
        retention.run_purge()
    # (一) a party's objection on an open case with footage (赵长海's: the 现场检查 was filmed).
    with clock_at(_local(today - datetime.timedelta(days=2), "10:20")):
        open_case = next((c.case for c in built if c.case.title == "赵长海在太子河河道管理范围内搭建彩钢房"), None)
        if open_case is not None and FootageLink.objects.filter(case=open_case).exists():
            lead = open_case.officers.get(is_lead=True).officer
            retention.add_ground(lead, kind="objection", case=open_case,
                                 reason="当事人对现场检查认定的搭建面积提出异议，并向市政府信访")
            counts["retention_grounds"] += 1
    counts["retention_pending"] = 1 if pending else 0
    counts["retention_removed"] = 1 if removed else 0
    # The builder's own counts, with JL-010 and its three clips.
    counts["devices"] = b.counts.get("devices", 0) + 1
    counts["footage"] = b.counts.get("footage", 0) + 3
    return counts
