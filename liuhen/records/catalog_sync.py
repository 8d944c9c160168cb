from django.db import transaction

from .catalog import CATALOG


def new_type_version(rt, using: str = "default", actor=None):
    """Append the record type's current fields and rule as its next RecordTypeVersion, logged, when
    they differ from its latest version (or it has none). Records made from now on pin it; records
    made before keep the rule they were made under. Returns the version now in force."""
    from liuhen.ledger import services as ledger

    from . import vocabulary as V
    from .ledger_checks import type_version_digest
    from .models import RecordTypeVersion

    latest = RecordTypeVersion.objects.using(using).filter(record_type=rt).order_by("-number").first()
    if latest is not None and latest.fields == rt.fields and latest.signature_rule == rt.signature_rule:
        return latest
    tv = RecordTypeVersion.objects.using(using).create(
        record_type=rt, number=(latest.number if latest else 0) + 1, fields=rt.fields,
        signature_rule=rt.signature_rule)
    tv = RecordTypeVersion.objects.using(using).select_related("record_type").get(pk=tv.pk)  # as stored
    ledger.append(V.TYPE_VERSION, actor=actor, object_type=V.TYPE_VERSION_OBJECT, object_id=tv.pk,
                  content_sha256=type_version_digest(tv), detail={"type": rt.code, "number": tv.number})
    return tv


def sync_catalog(using: str = "default") -> int:
    """Bring the RecordType table in line with the built-in catalog (idempotent).

    Types an agency added itself (codes not in the catalog) are left alone. Each type created or
    changed gets a `records.type_sync` event with the digest of its new state, in the same
    transaction (a type's schema decides what its records must contain: `liuhen verify` holds each
    row to the last state logged), and — when its fields or rule changed — a new RecordTypeVersion
    (new_type_version); a type already in line is not written and logs nothing, so a repeated
    migrate adds no events. The ledger lives in the same database as the catalog.
    """
    from liuhen.ledger import services as ledger

    from . import vocabulary as V
    from .models import RecordType

    # Every type's events (its sync and its new version), written together at the end (appending).
    with transaction.atomic(using=using), ledger.appending():
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
            ledger.append(V.TYPE_SYNC, object_type=RecordType.ledger_object_type, object_id=rt.pk,
                          content_sha256=rt.ledger_digest(), detail={"code": rt.code, "created": created})
            new_type_version(rt, using)
    return len(CATALOG)
