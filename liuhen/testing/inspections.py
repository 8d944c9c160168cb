"""The inspections tests' helpers: a 监督人员, recorded footage of an officer, a finished round."""
import datetime
import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.devices import services as dev
from liuhen.testing.devices import camera
from liuhen.testing.footage import video
from liuhen.testing.ingest import ingest, iso_utc


def supervisor(world, username="jiandu"):
    return acc.create_user(None, username=username, full_name="何监督", password=world.PASSWORD,
                           agency=world.agency, roles=[Role.SUPERVISOR])


def recorded_footage(world, tmp_path, admin, *, officer=None, number="JL-INSP", n=4, unit=None):
    """`n` short videos recorded (a few seconds from now, ten seconds apart) on a camera signed out
    to `officer` (default: the world's officer), taken in with `liuhen ingest`: their items."""
    from liuhen.footage.models import FootageItem

    device = camera(world, number=number, unit=unit)
    dev.sign_out(admin, device, officer or world.officer)
    root = tmp_path / f"dump-{number}"
    folder = root / "DCIM" / "100MEDIA"
    folder.mkdir(parents=True)
    base = timezone.now() + datetime.timedelta(seconds=5)
    for i in range(n):
        video(folder / f"V{i:03d}.MP4", 0.3 + 0.1 * i, creation_time=iso_utc(base + datetime.timedelta(seconds=10 * i)))
    run = ingest(str(root), "--device", number)
    assert run.code == 0, run.err
    return list(FootageItem.objects.filter(device=device, video__isnull=True).order_by("pk"))


def all_pass(round_) -> dict:
    return {c["code"]: "pass" for c in round_.checklist}


def finish(round_, inspector, *, fail: dict | None = None):
    """A finding for every sampled item (the first with the failures `fail` {code: note}), then close."""
    from liuhen.inspections import services

    for i, key in enumerate(round_.sample):
        results = all_pass(round_)
        if i == 0 and fail:
            results.update({code: ("fail", note) for code, note in fail.items()})
        services.record_finding(inspector, round_, key, results)
    return services.close_round(inspector, round_)


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err


def command(*args) -> Run:
    """`liuhen inspections …` in this process: its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("inspections", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    return Run(code, out.getvalue(), err.getvalue())


def footage_scene(where):
    """The 抽检 round tests' scene, built once per run (liuhen.testing.demo.scene_snapshot): a world,
    a 设备管理员, four videos of the world's officer and two of an officer of the other unit taken in
    from two cameras, a supervisor. Returns (world, supervisor, mine, theirs)."""
    from liuhen.testing.devices import device_admin
    from liuhen.testing.world import World

    world = World()
    admin = device_admin(world)
    mine = recorded_footage(world, where, admin, n=4)
    theirs = recorded_footage(world, where, admin, officer=world.outsider, number="JL-OUT", n=2)
    return world, supervisor(world), mine, theirs


def three_videos_scene(where):
    """The 抽检 pages' scene: a world, a supervisor and three videos of the world's officer.
    Returns (world, supervisor, items)."""
    from liuhen.testing.devices import device_admin
    from liuhen.testing.world import World

    world = World()
    insp = supervisor(world)
    return world, insp, recorded_footage(world, where, device_admin(world), n=3)


def restored(builder: str, home, blob_dir, tmp_path_factory, django_db_blocker):
    """The scene `builder` of this module in the current test's database (keys copied to `home`)."""
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot(f"liuhen.testing.inspections:{builder}", tmp_path_factory, django_db_blocker,
                              replay_changes=True)
    return restore_scene(snapshot, home, blob_dir)
