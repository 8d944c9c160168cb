"""What a page asks several times while it is built, asked once: the profile in force, a person's
access to a case, an officer's 执法证 of today. A case page asked each of these three to five times
(bench/load.py: 61 queries a case page).

Only while a reading request is served (GET or HEAD: RequestContextMiddleware binds a memo around
it): such a request writes no row these answers come from (its read event goes to the ledger), so an
answer cannot change under it. Elsewhere — a service, a POST that writes and then checks, a
command, a test — `remember` computes every time."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Hashable, TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("liuhen_request_memo", default=None)


def remember(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once per key while a reading request is served."""
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def active() -> bool:
    """Whether a reading request is being served (its answers are remembered)."""
    return _memo.get() is not None


def remember_each(name: str, keys, compute: Callable[[list], dict]) -> dict:
    """{key: answer} for each of `keys`, `compute(missing keys)` giving the answers not yet remembered
    under `name` while a reading request is served (a key `compute` leaves out is answered None): parts
    of one page asking about overlapping sets — the footage of a case, of one of its acts — each
    asked once."""
    keys = list(dict.fromkeys(keys))
    store = _memo.get()
    if store is None:
        got = compute(keys)
        return {k: got.get(k) for k in keys}
    missing = [k for k in keys if (name, k) not in store]
    if missing:
        got = compute(missing)
        for k in missing:
            store[(name, k)] = got.get(k)
    return {k: store[(name, k)] for k in keys}


@contextmanager
def reading():
    """The memo for one reading request."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)
