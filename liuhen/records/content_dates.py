"""Dates and times in a record's content (ISO 8601 text, as the record forms store them), read one way
by every app that reasons about them (delivery, execution, rectification, enforcement, caseproperty):
a blank or unreadable value is None, never an error — the schema validated the content when it was
written; an older or tampered one is `liuhen verify`'s to report."""
from __future__ import annotations

import datetime

from django.utils import timezone


def moment(value) -> datetime.datetime | None:
    """A datetime (or date: its midnight) field, aware; a naive one is read in the agency's zone."""
    if not value:
        return None
    try:
        at = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return at if timezone.is_aware(at) else timezone.make_aware(at)


def day(value) -> datetime.date | None:
    """A date or datetime field as the agency's calendar day."""
    if not value:
        return None
    if "T" not in str(value) and " " not in str(value).strip():
        try:
            return datetime.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    at = moment(value)
    return timezone.localtime(at).date() if at is not None else None
