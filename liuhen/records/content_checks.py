"""Content checks that apps above records add to a record's content (a registry, filled in their
`AppConfig.ready()`: records knows no app above it).

A check is `fn(case, record_type, content, *, record=None) -> None`, called after the schema has
validated `content` — when a record is made (`record` None) and when an unsigned record is revised
(`record` the record revised) — inside the write's transaction. It raises a Chinese
django.core.exceptions.ValidationError to refuse the content (the caller's refusal path records it
like every other refusal of a record). E.g. avrules: a 不适宜音像记录说明 must name an act record
that exists (AS 8).
"""
from collections.abc import Callable

_CHECKS: list[Callable] = []


def register_content_check(fn: Callable) -> None:
    if fn not in _CHECKS:
        _CHECKS.append(fn)


def registered_content_checks() -> list[Callable]:
    return list(_CHECKS)


def check_content(case, record_type, content: dict, *, record=None) -> None:
    for fn in list(_CHECKS):
        fn(case, record_type, content, record=record)
