"""The retention tests' helpers: footage ingested at a time in the past (the real ingest, under
`clock_at`), purge runs at chosen moments, and the CLI run in-process."""
import datetime
import itertools

from django.utils import timezone

from liuhen.demo.footage import clock_at
from liuhen.devices import services as dev
from liuhen.footage import services as footage
from liuhen.footage.models import FootageItem
from liuhen.testing.commands import Run, run_command
from liuhen.testing.devices import camera, device_admin
from liuhen.testing.footage import video
from liuhen.testing.ingest import iso_utc

_names = itertools.count(1)


def ago(**kw) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**kw)


class Shelf:
    """A camera signed out to the world's officer since `since` (default 300 days ago: the officer's 执法证 is a year old), and clips
    ingested from it at chosen times."""

    def __init__(self, world, tmp_path, since=None, number="JL00001"):
        self.world, self.tmp = world, tmp_path
        with clock_at(since or ago(days=300)):
            self.admin = device_admin(world)
            self.device = camera(world, number=number, custodian=self.admin)
            dev.sign_out(self.admin, self.device, world.officer)

    def clip(self, when: datetime.datetime, *, sidecar: bool = False, ingested: datetime.datetime | None = None
             ) -> FootageItem:
        """One video recorded at `when` and ingested then (or at `ingested`, a late ingest)."""
        n = next(_names)
        root = self.tmp / f"dump{n}"
        folder = root / "DCIM" / "100MEDIA"
        folder.mkdir(parents=True)
        video(folder / f"V{n:04d}.MP4", 0.4 + 0.01 * (n % 20), creation_time=iso_utc(when))
        if sidecar:
            (folder / f"V{n:04d}.NMEA").write_text(f"$GPRMC,{n},A*00\n")
        with clock_at(ingested or when + datetime.timedelta(minutes=5)):
            ingest = footage.start_ingest(self.admin, self.device)
            results = footage.ingest_files(ingest, root, footage.walk(root))
        assert all(r.status == "new" for r in results), [(r.name, r.status, r.reason) for r in results]
        return FootageItem.objects.get(ingest=ingest, video__isnull=True)


def run_at(when: datetime.datetime, **kw):
    """services.run_purge as if it were `when` (notices and removals dated then)."""
    from liuhen.retention import services

    with clock_at(when):
        return services.run_purge(**kw)


def purge(*args) -> Run:
    """`liuhen purge …` in this process: its exit code, stdout and stderr."""
    return run_command("purge", *args)


def tamper_scene(where):
    """A world verifying clean with three clips on a shelf: a ground withdrawn, an obstruction
    ground, a hold placed and released, two clips removed by the purge (one restored), integrated
    and verifying clean: what the retention tamper tests start from (built once per run,
    liuhen.testing.demo.scene_snapshot; `where` holds the clips). Returns the rows by name."""
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log
    from liuhen.retention import services
    from liuhen.retention.models import PurgeNotice, Removal
    from liuhen.testing.world import World

    def verifies():
        integrate_all()
        report = verify_log()
        assert report.ok, [str(f) for f in report.findings]

    world = World()
    verifies()  # as the verified_world fixture had it
    shelf = Shelf(world, where)
    a, b, c = (shelf.clip(ago(days=250 - i)) for i in range(3))
    case = world.open_case()
    ground = services.add_ground(world.officer, kind="objection", case=case, reason="当事人申请行政复议")
    withdrawal = services.withdraw_ground(world.agency_head, ground, "复议申请已撤回")
    obstruction = services.add_ground(world.officer, kind="obstruction", item=c, reason="执法人员被推搡")
    hold = services.place_hold(world.reviewer, item=a, reason="法院调取")
    release = services.release_hold(world.agency_head, hold, "已移交法院")
    run_at(ago(days=45))
    run_at(ago(days=3))  # removed 3 days ago: within the 7 days of recovery
    removal = Removal.objects.get(item=a)
    Removal.objects.get(item=b)
    restoration = services.restore(shelf.admin, Removal.objects.get(item=b), "误删")
    verifies()
    return dict(ground=ground, withdrawal=withdrawal, obstruction=obstruction, hold=hold, release=release,
                notice=PurgeNotice.objects.get(item=a), removal=removal, restoration=restoration, a=a)
