"""Signing checks that apps above records add (a registry, filled in their `AppConfig.ready()`:
records knows no app above it), like content_checks for the content.

A check is `fn(actor, record, role) -> None`, called inside the signing transaction once the record is
known signable (not voided, case not archived) and before anything is written — for an officer's
signature, a 负责人's / 法制审核人员's / 档案管理员's, and a party's or witness's recorded by an officer
(`role`: records.models.SignerRole). It raises a Chinese ValidationError (or PermissionDenied) to
refuse the signature; the caller's refusal path records it like every other refusal. E.g. the legal
review (LW-L 9, 18: no decision of a major case before its review has passed) and the party's rights
(行政处罚法 44-45: no penalty decision before the notice and its waiting period).
"""
from collections.abc import Callable

_CHECKS: list[Callable] = []


def register_sign_check(fn: Callable) -> None:
    if fn not in _CHECKS:
        _CHECKS.append(fn)


def registered_sign_checks() -> list[Callable]:
    return list(_CHECKS)


def check_signing(actor, record, role: str) -> None:
    for fn in list(_CHECKS):
        fn(actor, record, role)
