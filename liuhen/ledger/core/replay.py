"""Replaying a log: its leaves, in order, against its signed roots. Pure Python, no Django.

The one replay both checkers run — `liuhen verify` on the server (verify.py) and the offline bundle
verifier (core/bundle.py): each leaf's RFC 6962 hash, the tree they build (a compact range, so
memory stays O(log n)), the root at every size a checkpoint signs, contiguous leaf indexes, and
whether each leaf is a well-formed event. The callers turn the issues into their own findings.

    replay = Replay("sha256", {size: root, …})
    for seq, leaf in leaves:
        leaf_hash, event = replay.add(seq, leaf)   # event: the parsed dict, or None if not an event
    replay.finish()
    replay.issues                                   # [Issue(kind, seq, …)], in the order found
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from . import tree
from .hashing import leaf_hash

# Issue kinds
GAP = "gap"  # leaf indexes first..last are missing (the leaf at `seq` came next)
ROOT = "root"  # the leaves up to `size` do not give the root signed for that size
NOT_EVENT = "not_event"  # the leaf at `seq` is not a well-formed canonical event
TRUNCATED = "truncated"  # a checkpoint signs `size` leaves, fewer are there
UNCOVERED = "uncovered"  # leaves first..last are under no signed checkpoint


@dataclass(frozen=True)
class Issue:
    kind: str
    seq: int | None = None  # the leaf it is about
    first: int | None = None  # a range of leaf indexes (GAP, UNCOVERED)
    last: int | None = None
    size: int | None = None  # a tree size (ROOT, TRUNCATED: the signed size)


def parse_event(leaf: bytes) -> dict | None:
    """The event a leaf holds, or None when it is not UTF-8 JSON of an object."""
    try:
        event = json.loads(leaf.decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested beyond reason
        return None
    return event if isinstance(event, dict) else None


def malformed(event: dict) -> bool:
    """Does the event lack the shape append() gives every event? (A forged leaf may hold anything;
    checks read only well-formed events, and the replay reports the others.)"""
    obj, actor = event.get("object"), event.get("actor")
    blobs = event.get("blobs", [])

    def int_or_none(v):
        return v is None or (type(v) is int)

    return not (
        isinstance(event.get("action"), str) and isinstance(obj, dict)
        and isinstance(obj.get("type"), str) and isinstance(obj.get("id"), str) and int_or_none(obj.get("version"))
        and (actor is None or (isinstance(actor, dict) and int_or_none(actor.get("id"))))
        and isinstance(event.get("content_sha256", ""), str)
        and isinstance(blobs, list) and all(isinstance(b, str) for b in blobs)
        and isinstance(event.get("detail", {}), dict))


class Replay:
    def __init__(self, algo: str, signed: Mapping[int, bytes]):
        self.algo = algo
        self.signed = dict(signed)
        self._sizes = sorted(self.signed)
        self._next = 0  # index into _sizes of the next signed size to reach
        self.edge = tree.CompactRange(algo)
        self.expected = 0  # the next leaf index
        self.issues: list[Issue] = []

    @property
    def size(self) -> int:
        return self.edge.size

    def root(self) -> bytes:
        return self.edge.root()

    def add(self, seq: int, leaf: bytes) -> tuple[bytes, dict | None]:
        """Take the next leaf (stored at index `seq`): its hash and its event (None if malformed)."""
        if seq != self.expected:
            self.issues.append(Issue(GAP, seq=seq, first=self.expected, last=seq - 1))
            self.expected = seq
        h = leaf_hash(leaf, self.algo)
        self.edge.append(h)
        self.expected += 1
        sizes = self._sizes
        while self._next < len(sizes) and sizes[self._next] <= self.edge.size:
            if sizes[self._next] == self.edge.size and self.edge.root() != self.signed[self.edge.size]:
                self.issues.append(Issue(ROOT, seq=self.edge.size - 1, size=self.edge.size))
            self._next += 1
        event = parse_event(leaf)
        if event is None or malformed(event):
            self.issues.append(Issue(NOT_EVENT, seq=seq))
            event = None
        return h, event

    def finish(self) -> None:
        """After the last leaf: fewer leaves than signed (truncated), or leaves no checkpoint covers."""
        largest = self._sizes[-1] if self._sizes else 0
        if largest > self.edge.size:
            self.issues.append(Issue(TRUNCATED, size=largest))
        elif self.edge.size > largest:
            self.issues.append(Issue(UNCOVERED, first=largest, last=self.edge.size - 1))
