"""The footage ingest tests' helpers: a camera signed out, a dump folder, the CLI run in-process."""
import datetime
from pathlib import Path

from django.utils import timezone

from liuhen.devices import services as dev
from liuhen.testing.commands import Run, run_command
from liuhen.testing.devices import camera, device_admin
from liuhen.testing.footage import video

NUMBER = "JL00001"


def iso_utc(when) -> str:
    return when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def signed_out_camera(world, officer=None, number=NUMBER):
    """A camera signed out now to `officer` (default: the world's officer), and the 设备管理员."""
    admin = device_admin(world)
    d = camera(world, number=number)
    dev.sign_out(admin, d, officer or world.officer)
    return d, admin


def dump(tmp_path: Path, *names: str, recorded=None) -> Path:
    """DIR/DCIM/100MEDIA with an ffmpeg-made video under each name, recorded at `recorded`."""
    root = tmp_path / "dump"
    folder = root / "DCIM" / "100MEDIA"
    folder.mkdir(parents=True, exist_ok=True)
    for i, n in enumerate(names):  # each a little longer: different bytes
        video(folder / n, 0.5 + 0.2 * i, creation_time=iso_utc(recorded or timezone.now()))
    return root


def ingest(*args) -> Run:
    """`liuhen ingest …` in this process: its exit code, stdout and stderr."""
    return run_command("ingest", *args)


def tamper_scene(where):
    """A world verifying clean, two clips ingested from a signed-out camera, one linked, unlinked
    and linked again, the other marked important, a view logged, integrated and verifying clean:
    what the footage tamper tests start from (built once per run, liuhen.testing.demo.scene_snapshot;
    `where` holds the card's dump). Returns (world, clip A, clip B, first link, second link)."""
    from liuhen.footage import services
    from liuhen.footage.models import FootageItem
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log
    from liuhen.testing.world import World

    def verifies():
        integrate_all()
        report = verify_log()
        assert report.ok, [str(f) for f in report.findings]

    world = World()
    verifies()  # as the verified_world fixture had it
    signed_out_camera(world)
    root = dump(where, "A.MP4", "B.MP4", recorded=timezone.now() + datetime.timedelta(seconds=5))
    assert ingest(str(root), "--device", NUMBER).code == 0
    a, b = FootageItem.objects.order_by("name")
    case = world.open_case()
    link = services.link(world.officer, a, case, case.stage)
    services.unlink(world.officer, link, "关联错了案件")
    link2 = services.link(world.officer, a, case, case.stage)
    services.mark_important(world.officer, b)
    services.log_view(world.officer)
    verifies()
    return world, a, b, link, link2
