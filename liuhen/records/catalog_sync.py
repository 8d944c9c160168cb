from django.db import transaction

from .catalog import CATALOG


def sync_catalog(using: str = "default") -> int:
    """Bring the RecordType table in line with the built-in catalog (idempotent).

    Types an agency added itself (codes not in the catalog) are left alone. Each type created or
    changed gets a `records.type_sync` event with the digest of its new state, in the same
    transaction (a type's schema decides what its records must contain: `liuhen verify` holds each
    row to the last state logged); a type already in line is not written and logs nothing, so a
    repeated migrate adds no events. The ledger lives in the same database as the catalog.
    """
    from liuhen.ledger import services as ledger

    from .models import RecordType

    with transaction.atomic(using=using):
        existing = {rt.code: rt for rt in RecordType.objects.using(using).filter(
            code__in=[entry["code"] for entry in CATALOG])}
        for position, entry in enumerate(CATALOG):
            wanted = {"name": entry["name"], "stage": entry["stage"], "fields": entry["fields"],
                      "signature_rule": entry["sign"], "position": position}
            rt = existing.get(entry["code"])
            created = rt is None
            if created:
                rt = RecordType(code=entry["code"], **wanted)
            elif all(getattr(rt, name) == value for name, value in wanted.items()):
                continue
            else:
                for name, value in wanted.items():
                    setattr(rt, name, value)
            rt.save(using=using)
            ledger.append("records.type_sync", object_type=RecordType.ledger_object_type, object_id=rt.pk,
                          content_sha256=rt.ledger_digest(), detail={"code": rt.code, "created": created})
    return len(CATALOG)
