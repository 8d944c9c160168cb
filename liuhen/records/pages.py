"""What apps above records put on a record's page (e.g. the documents app's 执法文书 panel: print,
draft, 签发, the issued 文号), registered in their `AppConfig.ready()`: the records app shows them
without importing those apps (the same pattern as cases/pages.py).

- `register_record_page(fn)`: `fn(user, record, state) -> dict`, merged into the record page's context
  (`state` is the record's `selectors.RecordState`, already read for the page);
- `register_record_part(template)`: a template of its own shown in the page's side column, above the
  versions (its data comes from a `register_record_page` function);
- `register_trail_labels(labels)`: Chinese names of the app's ledger actions about a record (e.g.
  documents.export 导出文书), for the page's 留痕 list.
"""
from collections.abc import Callable

_RECORD_PAGE: list[Callable] = []
_RECORD_PARTS: list[str] = []
TRAIL_LABELS: dict[str, str] = {}


def register_record_page(fn: Callable) -> None:
    if fn not in _RECORD_PAGE:
        _RECORD_PAGE.append(fn)


def register_record_part(template: str) -> None:
    if template not in _RECORD_PARTS:
        _RECORD_PARTS.append(template)


def register_trail_labels(labels: dict[str, str]) -> None:
    TRAIL_LABELS.update(labels)


def record_page_context(user, record, state) -> dict:
    ctx = {"record_parts": list(_RECORD_PARTS)}
    for fn in _RECORD_PAGE:
        ctx.update(fn(user, record, state))
    return ctx
