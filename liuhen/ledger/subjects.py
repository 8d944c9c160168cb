"""Domain checks for `liuhen verify`, registered by the apps that own the rows.

The ledger imports no domain app: each app registers, for the object types it writes, a function
that receives every event about those objects — {object_id: [(seq, entry_id, event), …]} — and
returns findings (dicts with kind, message, object, entry_id, seq) for rows that no longer say
what the log says they said (altered), are gone (deleted), or exist with no event (inserted).

To keep verification of a large log in bounded memory, an event given to a checker is not the
whole leaf but only what checks read: a dict with "action", "object" ({"type", "id", "version"}),
"actor" ({"id"} or None), "content_sha256", "blobs" and "detail". Equal parts (and equal bare
events, such as repeated reads) are shared between events: a checker must not modify them.
"""
from collections.abc import Callable

Checker = Callable[[dict[str, list]], list[dict]]
_SUBJECTS: dict[str, Checker] = {}


def finding(kind: str, message: str, obj: str, event=None) -> dict:
    """A finding about `obj`, pointing at the (seq, entry_id, event) it contradicts, if any."""
    seq, entry_id = (event[0], event[1]) if event else (None, None)
    return {"kind": kind, "message": message, "object": obj, "entry_id": entry_id, "seq": seq}


def register_subject(object_type: str, checker: Checker) -> None:
    _SUBJECTS[object_type] = checker


def subject_types() -> frozenset[str]:
    """The object types some app checks: `liuhen verify` keeps events only for these."""
    return frozenset(_SUBJECTS)


def check_subjects(events: dict[str, dict[str, list]]) -> list[dict]:
    findings = []
    for object_type, checker in _SUBJECTS.items():
        findings.extend(checker(events.get(object_type, {})))
    return findings


# Apps also contribute the content an offline bundle needs: fn(content_dir, blob_dir) -> (files, blobs).
Exporter = Callable[..., tuple[int, int]]
_EXPORTERS: list[Exporter] = []


def register_exporter(exporter: Exporter) -> None:
    if exporter not in _EXPORTERS:
        _EXPORTERS.append(exporter)


def exporters() -> list[Exporter]:
    return list(_EXPORTERS)
