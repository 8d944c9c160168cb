"""Test helpers of evidence copies (证据复制): a case with footage linked to it, an archivist, a
request asked and approved, a package made; the offline checker run as a receiver would."""
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from liuhen.accounts import services as acc
from liuhen.accounts.models import User
from liuhen.accounts.roles import Role
from liuhen.footage import services as footage
from liuhen.testing.playback import only_video


def archivist(world):
    user = User.objects.filter(username="dangan").first()
    if user is None:
        user = acc.create_user(None, username="dangan", full_name="档案管理员", password=world.PASSWORD,
                               agency=world.agency, roles=[Role.ARCHIVIST])
    world.archivist = user
    return user


@dataclass
class Copyable:
    world: object
    case: object
    items: list
    links: list


def case_with_footage(world, tmp_path, names=("A.MP4", "B.MP4")) -> Copyable:
    """A case of the world's officer with videos recorded on the officer's camera linked to it."""
    case = world.open_case()
    # Different lengths: two videos made in the same second would be the same bytes (one item).
    items = [only_video(world, tmp_path, name, seconds=1.0 + 0.5 * n) for n, name in enumerate(names)]
    links = [footage.link(world.officer, it, case, case.stage) for it in items]
    archivist(world)
    return Copyable(world, case, items, links)


def requested(c: Copyable, items=None, **kw):
    from liuhen.copies import services

    args = dict(receiver_kind="court", receiver_name="测试市平山区人民法院", purpose="行政非诉执行审查举证",
                court_case_number="（2026）辽0502行审12号")
    args.update(kw)
    return services.request_copy(c.world.officer, c.case, items if items is not None else c.items, **args)


def approved(c: Copyable, **kw):
    from liuhen.copies import services

    row = requested(c, **kw)
    services.decide(c.world.agency_head, row, True, "同意提供。")
    return row


def vkey_file(tmp_path) -> Path:
    """The log's verifier key as a receiver keeps it, apart from the package."""
    from liuhen.ledger.signing import vkeys

    path = tmp_path / "received-log.vkey"
    path.write_text("".join(k + "\n" for k in vkeys()), encoding="utf-8")
    return path


def check_offline(package_dir, vkey) -> subprocess.CompletedProcess:
    """`python -m liuhen.ledger.core.package DIR --vkey FILE` in a process of its own, with nothing of
    Django configured: what a receiver runs."""
    import os

    env = {k: val for k, val in os.environ.items() if not k.startswith(("DJANGO", "LIUHEN"))}
    return subprocess.run([sys.executable, "-m", "liuhen.ledger.core.package", str(package_dir), "--vkey", str(vkey)],
                          capture_output=True, text=True, env=env, cwd=str(Path(__file__).resolve().parents[2]),
                          timeout=120)


def copied_scene(where):
    """A world verifying clean, a case with two clips, one request approved, packaged and handed to
    a court, another awaiting approval, integrated and verifying clean: what the copies' tamper tests
    start from (built once per run, liuhen.testing.demo.scene_snapshot; `where` holds the clips).
    Returns (world, copyable, approved request, package, handover, pending request)."""
    from django.utils import timezone

    from liuhen.copies import services
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log
    from liuhen.testing.world import World

    def verifies():
        integrate_all()
        report = verify_log()
        assert report.ok, [str(f) for f in report.findings]

    world = World()
    verifies()  # as the verified_world fixture had it
    c = case_with_footage(world, where)
    row = approved(c, items=c.items[:1])
    package = services.make_package(world.archivist, row)
    handover = services.record_handover(world.archivist, package, receiver_person="王法官", receiver_org="某法院",
                                        handed_on=timezone.localdate(), method="in_person")
    pending = requested(c)  # awaiting approval
    verifies()
    return world, c, row, package, handover, pending


def packaged_scene(where):
    """A case with two clips, a request approved for both and its package made: what the offline
    checker's tests start from (built once per run, liuhen.testing.demo.scene_snapshot; `where` holds
    the clips). Returns the package."""
    from liuhen.copies import services
    from liuhen.testing.world import World

    world = World()
    row = approved(case_with_footage(world, where))  # the world's archivist too
    return services.make_package(world.archivist, row)
