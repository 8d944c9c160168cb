"""The AV-rules tests' helpers: footage of an act made by ffmpeg, ingested through `liuhen ingest`
and linked to the act's record; the clock moved back for acts that happened days ago; an approved
不适宜音像记录说明."""
import contextlib
import datetime
import itertools
from pathlib import Path

from liuhen.footage import services as footage
from liuhen.footage.models import FootageItem
from liuhen.testing.footage import video
from liuhen.testing.ingest import ingest, iso_utc

_n = itertools.count(1)


def camera(world, officer=None, number="JL00001"):
    """A camera signed out now to `officer` (default: the world's officer), by the world's 设备管理员."""
    from liuhen.accounts.models import User
    from liuhen.devices import services as dev
    from liuhen.testing.devices import camera as new_camera, device_admin

    admin = User.objects.filter(username="shebei").first() or device_admin(world)
    d = new_camera(world, number=number)
    dev.sign_out(admin, d, officer or world.officer)
    return d


def clip(tmp_path: Path, *, recorded, seconds: float = 1.0, number="JL00001", device_time=None,
         name: str | None = None) -> FootageItem:
    """A video of `seconds` recorded (as its metadata says) at `recorded`, ingested now from the
    device `number` (signed out already), the device reporting `device_time` at the ingest."""
    i = next(_n)
    folder = tmp_path / f"clip{i}" / "DCIM"
    folder.mkdir(parents=True)
    name = name or f"CLIP{i:04d}.MP4"
    video(folder / name, seconds, creation_time=iso_utc(recorded))
    args = [str(folder.parent), "--device", number]
    if device_time is not None:
        args += ["--device-time", device_time.isoformat()]
    run = ingest(*args)
    assert run.code == 0, (run.out, run.err)
    return FootageItem.objects.get(device__number=number, name=name)


def link(world, item, record, officer=None):
    return footage.link(officer or world.officer, item, record.case, record.stage, record)


@contextlib.contextmanager
def clock_at(monkeypatch, when: datetime.datetime):
    """Django's clock reads `when` (moving on as real time does) inside the block: for acts that
    happened days ago — a device signed out, a field trip declared — before footage is ingested now.
    Every write still goes through its service and its ledger entry."""
    import django.utils.timezone as tz

    real = tz.now
    offset = when - real()
    with monkeypatch.context() as m:
        m.setattr(tz, "now", lambda: real() + offset)
        yield


def record(world, case, code, data: dict, *, by=None):
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType
    from liuhen.testing.cases import fill

    rt = RecordType.objects.get(code=code)
    content = fill(rt)
    content.update(data)
    return rec.create_record(by or world.officer, case, rt, content)


def leader_for(world, case):
    """The unit head, unless they worked on the case (then the agency head)."""
    from liuhen.records.selectors import involved

    return world.agency_head if involved(world.unit_head, case) else world.unit_head


def not_suitable(world, act_record, *, approve=True, reason="现场涉及当事人个人隐私", officers=None):
    """A 不适宜音像记录说明 for `act_record`, signed by two officers and (if `approve`) by a 负责人."""
    from liuhen.records import services as rec

    officers = officers or [world.officer, world.officer2]
    code = "av_not_suitable" if act_record.stage == "investigation" else "av_not_suitable_service"
    note = record(world, act_record.case, code, {"act_serial": act_record.serial, "reason_kind": "涉及个人隐私",
                                                 "reason": reason}, by=officers[0])
    for officer in officers[:2]:
        rec.sign_as_officer(officer, note)
    if approve:
        rec.sign_as_leader(leader_for(world, act_record.case), note)
    return note


def cover_acts(world, case, officers=None) -> list:
    """For the walkers: an approved 不适宜音像记录说明 for each act of the case's current stage that
    needs audio-video recording and has none (the AV gate, liuhen/avrules) — so a walk through the
    stages is not stopped by it. Returns the notes."""
    from liuhen.avrules.selectors import case_av

    return [not_suitable(world, r.record, officers=officers) for r in case_av(case)
            if r.record.stage == case.stage and r.act.required and r.status == "missing"]
