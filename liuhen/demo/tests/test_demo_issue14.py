"""The demo's parts of issue 14, on one demo built once for the module (each build takes seconds):
retention (liuhen/demo/retention.py: each class, a legal hold, a pending purge, a removal in its
recovery period; `liuhen verify` clean after it), the devices' life (demo/devlife.py), the court
copy that verifies offline and the request awaiting approval (demo/copies.py), and the inspection
rounds that re-draw to the same sample (demo/inspections.py)."""
import datetime

import pytest
from django.utils import timezone

from liuhen.copies import selectors as copies_selectors
from liuhen.copies.models import CopyRequest
from liuhen.copies.package import package_dir
from liuhen.devices.models import Device, LifeEvent, LifeKind, Status
from liuhen.devices.selectors import device_history, devices_of
from liuhen.footage.models import FootageItem
from liuhen.inspections import services
from liuhen.inspections.models import Kind, Round, RoundClose
from liuhen.inspections.selectors import items_of
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.retention import policy, selectors
from liuhen.retention.models import GroundKind, LegalHold, LongTermGround, Removal
from liuhen.testing.copies import check_offline, vkey_file



def test_each_class_a_hold_a_pending_purge_and_a_removal(demo):
    from liuhen.demo.footage import ffmpeg_available

    if not ffmpeg_available():
        pytest.skip("no ffmpeg: the demo has no footage")
    items = list(FootageItem.objects.filter(video__isnull=True))
    vds = policy.verdicts(items, timezone.now())
    classes = {(vd.retention_class, vd.open_case) for vd in vds}
    assert {("raw", False), ("evidence", True), ("evidence", False), ("long_term", False)} <= classes
    kinds = set(LongTermGround.objects.filter(withdraws__isnull=True).values_list("kind", flat=True))
    assert kinds == set(GroundKind.values)
    assert LegalHold.objects.filter(releases__isnull=True).exists() and any(vd.held for vd in vds)
    pending = [vd for vd in vds if vd.stage == policy.ANNOUNCED and vd.retention_until
               and vd.retention_until - timezone.localdate() <= datetime.timedelta(days=7)]
    assert len(pending) == 1
    removal = Removal.objects.get()
    assert removal.recoverable_until > timezone.now()
    keeper = removal.item.device.custodian
    assert [it.pk for it in selectors.notices_for(keeper)] == [pending[0].item_id]
    assert selectors.unavailable_reasons([removal.item])[removal.item_id].startswith("已移除")
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


def kinds(number):
    return [e.kind for e in LifeEvent.objects.filter(device__number=number).order_by("at", "pk")]


def test_the_devices_lives(demo):
    assert Device.objects.get(number="SX-01").status == Status.REPAIR
    assert kinds("SX-01") == [LifeKind.FAULT, LifeKind.REPAIR_OUT]
    assert LifeEvent.objects.get(device__number="SX-01", kind=LifeKind.REPAIR_OUT).supplier
    assert Device.objects.get(number="JL-006").status == Status.IN_USE
    assert kinds("JL-006") == [LifeKind.FAULT, LifeKind.REPAIR_OUT, LifeKind.REPAIR_BACK, LifeKind.CHECK]
    assert Device.objects.get(number="JL-007").status == Status.SCRAPPED
    assert kinds("JL-007")[-1] == LifeKind.SCRAP
    assert kinds("JL-004") == [LifeKind.CHECK]
    listed = {d.number: d for d in devices_of(Device.objects.first().agency_id)}
    assert not listed["JL-004"].check_overdue and listed["JL-001"].check_overdue  # out since; never checked
    assert not listed["JL-007"].check_overdue  # scrapped: no check due
    assert listed["SX-01"].check_due is None  # at the supplier: none either
    titles = [h.title for h in device_history(listed["JL-004"])]
    assert titles[0] == "登记设备" and "定期检查保养" in titles and "领用" in titles and "导入音像记录" in titles
    history = device_history(listed["JL-004"])
    assert [h.at for h in history] == sorted(h.at for h in history)


def test_demo_rounds(demo):
    summary = demo
    assert summary["inspection_rounds"] == 2
    footage_round = Round.objects.get(kind=Kind.FOOTAGE)
    device_round = Round.objects.get(kind=Kind.DEVICE)
    assert footage_round.drawn_by.username == "hezhiyuan" and RoundClose.objects.filter(round=footage_round).exists()
    items = items_of(footage_round)
    assert len(items) == 3 and all(i.finding is not None for i in items)
    failed = [c for i in items for c in i.finding.results if c["result"] == "fail"]
    assert [c["code"] for c in failed] == ["opening_words"] and "开场用语" in failed[0]["note"]
    assert not RoundClose.objects.filter(round=device_round).exists()
    assert [i.finding is not None for i in items_of(device_round)] == [True, False]
    assert services.redraw(footage_round).match and services.redraw(device_round).match


def test_the_demo_copies(demo, settings, tmp_path):
    summary = demo
    assert summary["copies"] == 1 and summary["copy_requests_pending"] == 1
    done, pending = CopyRequest.objects.order_by("pk")
    assert done.case.is_archived and copies_selectors.status(done) == "handed_over" and done.receiver_kind == "court"
    assert copies_selectors.status(pending) == "pending" and pending.receiver_kind == "procuratorate"
    root = package_dir(done.package)
    assert root.is_relative_to(settings.LIUHEN_HOME / "copies")
    assert done.requested_at < done.approval.decided_at < done.package.made_at < done.package.handover.recorded_at
    run = check_offline(root, vkey_file(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
