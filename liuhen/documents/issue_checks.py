"""Issuing checks that apps above documents add (a registry, filled in their `AppConfig.ready()`).

A check is `fn(actor, record) -> None`, called by services.issue_document once the record is known
complete and before a number is taken or anything sealed. It raises a Chinese ValidationError to
refuse the issue (recorded like every other refusal). E.g. the legal review: a decision of a major
case is not issued or sealed until its review has passed (LW-L 9, 18) — the same rule that keeps it
from being signed (records.sign_checks), checked again where the seal is applied.
"""
from collections.abc import Callable

_CHECKS: list[Callable] = []


def register_issue_check(fn: Callable) -> None:
    if fn not in _CHECKS:
        _CHECKS.append(fn)


def registered_issue_checks() -> list[Callable]:
    return list(_CHECKS)


def check_issue(actor, record) -> None:
    for fn in list(_CHECKS):
        fn(actor, record)
