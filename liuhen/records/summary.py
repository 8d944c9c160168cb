"""Each record's signatures summed up, kept beside them (`SignatureSummary`, derived data).

The findings scan judges two million records; summing up five million signatures at each scan was
half of its time. The summary is the same sum (`bulk._summary_columns`, one piece of SQL) written
once per signature, in the signature's own transaction (`Signature.save`), so the scan reads one
row per record. `liuhen verify` recomputes every summary from the signatures (`findings`): a summary
that differs is reported (records.E033), as the scan would judge that record from it.
"""
from __future__ import annotations

from django.core import checks
from django.db import connection

from liuhen.common.batches import in_batches

from . import vocabulary as V
from .models import Signature, SignatureSummary

# The summary's columns in `bulk._summary_columns`' order: officers, party, odd, then one column per
# (capacity, signer role) pair of `bulk._PIVOT`.
_FIXED = ("officer_rows", "officer_low", "officer_high", "officer_last", "party_first", "odd")


def pivot_column(capacity: str, role: str) -> str:
    return f"first_{capacity}_{role}"


def columns() -> tuple[str, ...]:
    from .bulk import _PIVOT

    return _FIXED + tuple(pivot_column(c, r) for c, r in _PIVOT)




def _sum_sql(marks: str) -> tuple[str, list]:
    """The summaries of the records in `marks` computed from their signatures: (record id, *COLUMNS)."""
    from .bulk import _summary_columns

    cols, params = _summary_columns()
    return (f"SELECT record_id, {', '.join(cols)} FROM {Signature._meta.db_table} "
            f"WHERE record_id IN ({marks}) GROUP BY record_id", params)


def refresh(record_ids) -> None:
    """Rewrite the summaries of `record_ids` from their signatures: removed, then summed up again
    (a record with no signature keeps no row)."""
    names = ", ".join(columns())
    table = SignatureSummary._meta.db_table
    with connection.cursor() as cur:
        for chunk in in_batches(record_ids):
            marks = ",".join(["%s"] * len(chunk))
            cur.execute(f"DELETE FROM {table} WHERE record_id IN ({marks})", chunk)
            sql, params = _sum_sql(marks)
            cur.execute(f"INSERT INTO {table} (record_id, {names}) {sql}", params + list(chunk))


def refresh_all(batch: int = 20_000) -> int:
    """Every record's summary rewritten (after a bulk load that bypassed `Signature.save`, or to
    repair what records.E033 reported). Returns the number of summaries."""
    from .models import Record

    last = 0
    while True:
        ids = list(Record.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return SignatureSummary.objects.count()
        refresh(ids)
        last = ids[-1]


def is_time(name: str) -> bool:
    """A summary column holding a time (the others are counts and user ids)."""
    return name not in ("officer_rows", "officer_low", "officer_high", "odd")


def findings() -> list[dict]:
    """The records whose stored summary differs from their signatures (records.E033), for `liuhen
    verify`: the findings scan judges a record from its summary."""
    from liuhen.ledger.subjects import finding

    from .bulk import sql_datetime
    from .models import Record

    table = SignatureSummary._meta.db_table
    # Times as the aggregate gives them: SQLite's MAX() returns the stored text (no declared type,
    # no converter), so the stored column is read as its text too.
    stored_cols = ", ".join(sql_datetime(n) if is_time(n) else n for n in columns())
    out = []
    ids = list(Record.objects.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cur:
        for chunk in in_batches(ids):
            marks = ",".join(["%s"] * len(chunk))
            sql, params = _sum_sql(marks)
            cur.execute(sql, params + list(chunk))
            computed = {row[0]: tuple(row[1:]) for row in cur.fetchall()}
            cur.execute(f"SELECT record_id, {stored_cols} FROM {table} WHERE record_id IN ({marks})", chunk)
            stored = {row[0]: tuple(row[1:]) for row in cur.fetchall()}
            for rid in chunk:
                if computed.get(rid) != stored.get(rid):
                    out.append(finding("altered", "记录的签字汇总与其签字不符（问题扫描据此判断签字是否齐全）",
                                       f"record:{rid}", code=V.E033))
    return out


def check_columns(app_configs=None, **kwargs) -> list:
    """records.E101: the summary has a column for each (capacity, signer role) pair the rules know."""
    have = {f.column for f in SignatureSummary._meta.concrete_fields}
    lacking = [n for n in columns() if n not in have]
    if lacking:
        return [checks.Error(f"签字汇总缺少列：{', '.join(lacking)}", id=V.CHECK_SUMMARY,
                             hint="为 records.SignatureSummary 增加这些字段并生成迁移")]
    return []
