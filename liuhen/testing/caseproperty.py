"""Helpers for the caseproperty tests (涉案财物): a case in 调查取证 with a complete 查封扣押现场笔录, taken on
to 送达执行 with a complete 决定书; an item registered; a handling requested, approved and done."""
from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(data=PNG) -> io.BytesIO:
    return io.BytesIO(data)


def upload(name="照片.png", data=PNG, content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def seized_case(world, *, code="seizure_record", content=None):
    """A case in 调查取证 with a complete record of `code` (查封扣押现场笔录 by default); (case, record)."""
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType
    from liuhen.testing.cases import fill, sign_all, to_investigation

    case = to_investigation(world)
    rt = RecordType.objects.get(code=code)
    record = sign_all(world, rec.create_record(world.officer, case, rt, {**fill(rt), **(content or {})}))
    return case, record


def to_service(world, case):
    """The case taken from 调查取证 through a complete 决定书 (a fine and 没收) to 送达执行."""
    from liuhen.cases import services as cases
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType
    from liuhen.testing.avrules import cover_acts
    from liuhen.testing.cases import complete, fill, notify, sign_all

    cover_acts(world, case)  # the AV gate (LQ 19): an approved 不适宜音像记录说明 for the seizure
    complete(world, case, "rights_notice")
    complete(world, case, "inquiry_record")
    case = cases.advance(world.officer, case, note="调查终结")
    penalty = {"penalty_kind": "罚款", "fine_amount": "5000"}
    for code in ("handling_opinion", "decision"):
        rt = RecordType.objects.get(code=code)
        sign_all(world, rec.create_record(world.officer, case, rt, {**fill(rt), **penalty}))
        if code == "handling_opinion":
            notify(world, case, penalty)
            complete(world, case, "leader_approval")
    return cases.advance(world.officer, case)


def item(world, case, record, *, name="挖掘机", quantity="1", unit="台", source="扣押", **kw):
    from liuhen.caseproperty import services

    kw.setdefault("place", "局罚没物品仓库")
    kw.setdefault("custodian", "仓库管理员李四")
    return services.register_item(world.officer, case, name=name, quantity=quantity, unit=unit, source=source,
                                  source_record=record, **kw)


def approved(world, case, items, kind="退还", reason="经调查不属于违法物品，依法退还（行政强制法 28）。"):
    from liuhen.caseproperty import services

    req = services.request_handling(world.officer, case, item_ids=[i.pk for i in items], kind=kind, reason=reason)
    services.decide_handling(world.agency_head, req, approved=True, opinion="同意")
    return req


def handled(world, req, **kw):
    from liuhen.caseproperty import services

    if req.kind == "退还":
        kw.setdefault("recipient", "王五")
        kw.setdefault("relation", "本人")
    return services.record_handling(world.officer, req, done_on=timezone.localdate(), voucher=png(),
                                    filename="签收单.png", **kw)
