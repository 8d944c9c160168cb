"""Helpers for the execution tests (issue 18, 执行): a case whose 决定书 imposes a fine, served some days
ago, in 送达执行; a voucher file; a payment recorded."""
from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def voucher(name="缴款书.png", data=PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def voucher_file(data=PNG) -> io.BytesIO:
    return io.BytesIO(data)


def fined_case(world, *, fine=5000, served_days_ago=3, served=True, confiscation=None):
    """A case in 送达执行 whose complete 决定书 imposes a fine of `fine` yuan (and confiscates
    `confiscation` yuan of illegal gains), served by a 送达回证 `served_days_ago` days ago (with `served`)."""
    from liuhen.cases import services as cases
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType
    from liuhen.testing.cases import complete, fill, notify, sign_all, to_decision

    penalty = {"penalty_kind": "罚款", "fine_amount": str(fine) if fine else "",
               "confiscation_amount": str(confiscation) if confiscation else ""}
    case = to_decision(world)
    for code in ("handling_opinion", "decision"):
        rt = RecordType.objects.get(code=code)
        sign_all(world, rec.create_record(world.officer, case, rt, {**fill(rt), **penalty}))
        if code == "handling_opinion":
            notify(world, case, penalty)
            complete(world, case, "leader_approval")
    case = cases.advance(world.officer, case)
    if served:
        serve(world, case, days_ago=served_days_ago)
    return case


def serve(world, case, *, days_ago=3):
    """A complete 送达回证 of the decision, served `days_ago` days ago."""
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType
    from liuhen.testing.cases import fill, sign_all

    rt = RecordType.objects.get(code="service_receipt")
    at = timezone.localtime(timezone.now() - datetime.timedelta(days=days_ago))
    content = {**fill(rt), "document": "行政处罚决定书", "served_at": at.strftime("%Y-%m-%dT%H:%M")}
    return sign_all(world, rec.create_record(world.officer, case, rt, content))


def pay(world, case, amount, *, days_ago=0, towards="fine", by=None):
    from liuhen.execution import services

    return services.record_payment(by or world.officer, case, amount=amount,
                                   paid_on=timezone.localdate() - datetime.timedelta(days=days_ago),
                                   channel="银行缴款", towards=towards, voucher=voucher_file(), filename="缴款书.png")
