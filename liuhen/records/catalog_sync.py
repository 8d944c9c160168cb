from .catalog import CATALOG


def sync_catalog(using: str = "default") -> int:
    """Bring the RecordType table in line with the built-in catalog (idempotent).

    Types an agency added itself (codes not in the catalog) are left alone.
    """
    from .models import RecordType

    for position, entry in enumerate(CATALOG):
        RecordType.objects.using(using).update_or_create(
            code=entry["code"],
            defaults={"name": entry["name"], "stage": entry["stage"], "fields": entry["fields"],
                      "signature_rule": entry["sign"], "position": position},
        )
    return len(CATALOG)
