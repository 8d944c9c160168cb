"""Helpers for the 送达 tests (liuhen.delivery): a case in 送达执行 with a complete decision (and, if
asked, the party's 送达地址确认书), and service records made the real way."""
import datetime
import io

from django.utils import timezone


def in_service(world, *, confirmation: dict | None = None):
    """A case in 送达执行 whose decision is complete; with `confirmation`, a complete 送达地址确认书 of
    that content made during the investigation."""
    from liuhen.cases import services as cases
    from liuhen.testing.cases import complete, to_investigation

    case = to_investigation(world)
    if confirmation is not None:
        made(world, case, "address_confirmation", **confirmation)
    complete(world, case, "rights_notice")
    complete(world, case, "inquiry_record")
    case = cases.advance(world.officer, case, note="调查终结")
    for code in ("handling_opinion", "leader_approval", "decision"):
        complete(world, case, code)
    return cases.advance(world.officer, case)


def make(world, case, code, *, files=(), **content):
    """A record of `code` with fill()'s content and `content` over it, with `files` [(name, bytes)] attached."""
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType
    from liuhen.testing.cases import fill

    rt = RecordType.objects.get(code=code)
    record = rec.create_record(world.officer, case, rt, {**fill(rt), **content})
    for name, data in files:
        rec.attach(world.officer, record, io.BytesIO(data), name, "image/png")
    return record


def made(world, case, code, *, files=(), party="王五", **content):
    """make(), then every signature its rule asks for."""
    from liuhen.testing.cases import sign_all

    return sign_all(world, make(world, case, code, files=files, **content), party=party)


def day(days_ago: int = 0) -> str:
    """The ISO date `days_ago` days before today."""
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat()
