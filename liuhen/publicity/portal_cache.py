"""The portal's pages kept once rendered (公示页面缓存): the public reads the same decision list again and
again; each worker process renders a page once per state of what it shows.

A page is kept under its path and query, today's date (what is live depends on the day: a public period
ends, a year begins) and a watermark of the publicity tables it is made of. Entries, versions and steps
are append-only (publish, withdraw and remove are steps), so the newest row of each — its id and its time,
which a reused id after a rolled-back transaction or a restore does not share — changes with anything a
page could show; the agency's row (name and phone in every page's header and footer) is in the key as it
is. A visitor therefore never gets a page older than the last write it reflects: a withdrawn decision
leaves the list at the next request. Only 200 answers are kept: a refusal is answered and recorded each
time. Kept in the `portal` cache (settings.CACHES: memory of each process, bounded)."""
from __future__ import annotations

import functools
import hashlib

from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse

from . import portal_selectors as ps
from . import selectors as s
from .models import Entry, Step, Version

CACHE = "portal"
KEPT_SECONDS = 600  # a page nobody asked for in ten minutes is dropped; correctness never depends on it
_TABLES = (Entry, Version, Step)
_TIME = {Entry: "created_at", Version: "made_at", Step: "at"}


def watermark() -> tuple:
    """The newest row of each publicity table: (id, time) × 3, in one query."""
    q = connection.ops.quote_name
    parts = []
    for model in _TABLES:
        table, pk, at = q(model._meta.db_table), q(model._meta.pk.column), q(model._meta.get_field(_TIME[model]).column)
        parts.append(f"(SELECT {pk} FROM {table} ORDER BY {pk} DESC LIMIT 1)")
        parts.append(f"(SELECT {at} FROM {table} ORDER BY {pk} DESC LIMIT 1)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(str(v) for v in cursor.fetchone())


def _key(request) -> str:
    agency = ps.agency()
    agency_state = tuple(str(getattr(agency, f.attname)) for f in agency._meta.concrete_fields) if agency else ()
    query = tuple(sorted(request.GET.lists()))
    raw = repr((request.path, query, s.today().isoformat(), watermark(), agency_state))
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def kept(view):
    """The view's 200 answer kept and served again while nothing it shows has changed."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _key(request)
        store = caches[CACHE]
        hit = store.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            store.set(key, (response.content, response["Content-Type"]), KEPT_SECONDS)
        return response
    return wrapper
