"""Ids in batches small enough for one SQL statement: SQLite allows 999 parameters by default, and
a set-based read (`… WHERE id IN (…)`) keeps a few for its other conditions."""

SQL_BATCH = 900


def in_batches(ids, n: int = SQL_BATCH):
    """`ids` (any iterable) as lists of at most `n`, in order."""
    ids = list(ids)
    for i in range(0, len(ids), n):
        yield ids[i:i + n]
