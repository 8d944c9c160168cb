from django.db import transaction

from .catalog import CATALOG


def new_type_version(rt, using: str = "default", actor=None):
    """Append the record type's current fields and rule as its next RecordTypeVersion, logged, when
    they differ from its latest version (or it has none). Records made from now on pin it; records
    made before keep the rule they were made under. Returns the version now in force."""
    return new_type_versions([rt], using, actor)[rt.pk]


def new_type_versions(types, using: str = "default", actor=None) -> dict:
    """new_type_version for several types at once: {type pk: the version now in force}, the new
    versions written in one INSERT and read back in one query (the catalog sync after a migrate or
    a test's flush: 57 types), each logged in the order of `types`."""
    from liuhen.ledger import services as ledger

    from . import vocabulary as V
    from .ledger_checks import type_version_digest
    from .models import RecordTypeVersion

    versions = RecordTypeVersion.objects.using(using)
    in_force = {}
    for tv in versions.filter(record_type__in=[rt.pk for rt in types]).order_by("record_type_id", "-number"):
        in_force.setdefault(tv.record_type_id, tv)
    fresh = []
    for rt in types:
        latest = in_force.get(rt.pk)
        if latest is None or latest.fields != rt.fields or latest.signature_rule != rt.signature_rule:
            fresh.append(RecordTypeVersion(record_type=rt, number=(latest.number if latest else 0) + 1,
                                           fields=rt.fields, signature_rule=rt.signature_rule))
    if not fresh:
        return in_force
    made = [tv.pk for tv in versions.bulk_create(fresh)]
    stored = versions.select_related("record_type").in_bulk(made)  # as stored: what verify reads
    for pk in made:
        tv = stored[pk]
        ledger.append(V.TYPE_VERSION, actor=actor, object_type=V.TYPE_VERSION_OBJECT, object_id=tv.pk,
                      content_sha256=type_version_digest(tv), detail={"type": tv.record_type.code, "number": tv.number})
        in_force[tv.record_type_id] = tv
    return in_force


def sync_catalog(using: str = "default") -> int:
    """Bring the RecordType table in line with the built-in catalog (idempotent).

    Types an agency added itself (codes not in the catalog) are left alone. Each type created or
    changed gets a `records.type_sync` event with the digest of its new state, in the same
    transaction (a type's schema decides what its records must contain: `liuhen verify` holds each
    row to the last state logged), and — when its fields or rule changed — a new RecordTypeVersion
    (new_type_versions); a type already in line is not written and logs nothing, so a repeated
    migrate adds no events. The ledger lives in the same database as the catalog. New types are
    written in one INSERT and their states read back in one query: every migrate of an empty
    database, and every PostgreSQL test that empties the tables, syncs the whole catalog.
    """
    from liuhen.ledger import services as ledger
    from liuhen.ledger.subjects import Unreadable, model_states, state_digest

    from . import vocabulary as V
    from .models import RecordType

    # Every type's events (its sync and its new version), written together at the end (appending).
    with transaction.atomic(using=using), ledger.appending():
        existing = {rt.code: rt for rt in RecordType.objects.using(using).filter(
            code__in=[entry["code"] for entry in CATALOG])}
        written, new = [], []  # (type, created), in the catalog's order
        for position, entry in enumerate(CATALOG):
            wanted = {"name": entry["name"], "stage": entry["stage"], "fields": entry["fields"],
                      "signature_rule": entry["sign"], "position": position}
            rt = existing.get(entry["code"])
            created = rt is None
            if created:
                rt = RecordType(code=entry["code"], **wanted)
                new.append(rt)
            elif all(getattr(rt, name) == value for name, value in wanted.items()):
                continue
            else:
                for name, value in wanted.items():
                    setattr(rt, name, value)
                rt.save(using=using)
            written.append((rt, created))
        RecordType.objects.using(using).bulk_create(new)
        states = dict(model_states(RecordType, pks=[rt.pk for rt, _ in written], using=using))
        for rt, created in written:
            if isinstance(states[str(rt.pk)], Unreadable):  # as ledger_digest() would: never log a guess
                raise ValueError(f"record type {rt.code} cannot be read back: {states[str(rt.pk)].error}")
            ledger.append(V.TYPE_SYNC, object_type=RecordType.ledger_object_type, object_id=rt.pk,
                          content_sha256=state_digest(states[str(rt.pk)]), detail={"code": rt.code, "created": created})
        new_type_versions([rt for rt, _ in written], using)
    return len(CATALOG)
