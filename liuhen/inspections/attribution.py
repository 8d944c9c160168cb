"""归属 — who and which unit answered for each sampled item of a round, as it was at the draw.

The 检查台账 of LW-D 14 counts failures per officer and per unit. A device's unit and custodian
(devices.change_device) and a person's unit change in place, so a round that read them at display
time would move a closed round's failures to whoever holds the device today. The draw records them
once (Round.attribution, in the row's logged state); the 台账, its export and its counts read that.

Written against the models it is given, so that migration 0002 can fill the rounds drawn before it
with its historical models (display names computed as accounts.User.display_name does)."""


def _person(user) -> tuple:
    if user is None:
        return None, ""
    return user.pk, user.full_name or user.username


def of(kind: str, keys, footage_model, device_model, using=None) -> dict:
    """{str(key): attribution} for the sampled `keys` of a `kind` ("footage" or "device") round, read
    now (two queries at most). A key whose row is gone gets an empty attribution."""
    keys = list(keys)
    out = {}
    if kind == "footage":
        rows = (footage_model._default_manager.using(using).select_related("device", "officer", "officer__unit")
                .in_bulk(keys))
        for key in keys:
            row = rows.get(key)
            if row is None:
                out[str(key)] = {}
                continue
            officer_id, officer = _person(row.officer)
            unit = row.officer.unit if row.officer is not None else None
            out[str(key)] = {"officer_id": officer_id, "officer": officer,
                             "unit_id": unit.pk if unit is not None else None,
                             "unit": unit.name if unit is not None else "",
                             "device": row.device.number if row.device is not None else ""}
    else:
        rows = device_model._default_manager.using(using).select_related("unit", "custodian").in_bulk(keys)
        for key in keys:
            row = rows.get(key)
            if row is None:
                out[str(key)] = {}
                continue
            custodian_id, custodian = _person(row.custodian)
            out[str(key)] = {"unit_id": row.unit_id, "unit": row.unit.name if row.unit is not None else "",
                             "custodian_id": custodian_id, "custodian": custodian}
    return out
