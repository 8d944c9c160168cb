"""The ledger entries a package carries (entries.jsonl: one JSON a line, {"seq": leaf index, "leaf": base64
of the canonical event, "proof": [hex hashes of its RFC 9162 inclusion proof]}), read and each proven
against a signed checkpoint — one reading for every offline checker (the evidence copy package, the
archival package). No Django."""
from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass

from . import tree
from .hashing import leaf_hash
from .replay import malformed, parse_event

# What became of one line: FORMAT not an entry, EVENT not a canonical event, UNPROVEN no trusted
# checkpoint to prove it against, BAD_PROOF its inclusion proof fails, PROVEN included in the tree.
FORMAT, EVENT, UNPROVEN, BAD_PROOF, PROVEN = "format", "event", "unproven", "bad_proof", "proven"


@dataclass(frozen=True)
class EntryResult:
    outcome: str
    line: int
    seq: int | None = None
    event: dict | None = None
    reason: str = ""  # BAD_PROOF: why the proof fails

    @property
    def action(self) -> str:
        return (self.event or {}).get("action", "")

    def said(self, where: str) -> str:
        """What became of the line, in Chinese, as a checker reports it (`where`: the file's name)."""
        return {
            FORMAT: f"{where} 第 {self.line} 行：不是有效的日志条目",
            EVENT: f"日志条目 {self.seq}：不是规范的日志事件",
            UNPROVEN: f"日志条目 {self.seq}（{self.action}）：没有可信的检查点，无法验证包含证明",
            BAD_PROOF: f"日志条目 {self.seq}（{self.action}）：包含证明不成立（{self.reason}）",
            PROVEN: f"日志条目 {self.seq}（{self.action}）：包含证明成立",
        }[self.outcome]


def read(lines, body, algo: str) -> Iterator[EntryResult]:
    """Each line of entries.jsonl judged; `body` the checkpoint opened with a trusted key (None: none)."""
    for n, line in enumerate(lines, 1):
        try:
            item = json.loads(line)
            seq = item["seq"]
            leaf = base64.b64decode(item["leaf"], validate=True)
            proof = [bytes.fromhex(h) for h in item["proof"]]
            if type(seq) is not int:
                raise TypeError("seq")
        except (ValueError, KeyError, TypeError, binascii.Error):
            yield EntryResult(FORMAT, n)
            continue
        event = parse_event(leaf)
        if event is None or malformed(event):
            yield EntryResult(EVENT, n, seq)
            continue
        if body is None:
            yield EntryResult(UNPROVEN, n, seq, event)
            continue
        try:
            tree.verify_inclusion(leaf_hash(leaf, algo), seq, body.size, proof, body.root_hash, algo=algo)
        except ValueError as exc:
            yield EntryResult(BAD_PROOF, n, seq, event, str(exc))
            continue
        yield EntryResult(PROVEN, n, seq, event)
