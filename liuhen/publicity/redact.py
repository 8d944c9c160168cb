"""TEMPORARY stand-in (the redaction module is being written in wt-redact; this keeps main runnable)."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

CATEGORIES = {"id_number": "身份证号码", "phone": "电话号码", "address": "住址", "bank_account": "银行账号",
              "health": "健康信息", "person_name": "自然人姓名", "other": "其他"}
_ID = re.compile(r"\d{17}[\dXx]")
_MOBILE = re.compile(r"1[3-9]\d-?\d{4}-?\d{4}")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    category: str
    replacement: str
    auto: bool = True

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Span":
        return cls(**d)


def mark(category: str, original: str) -> str:
    if category == "person_name":
        return original[:1] + "某某"
    return f"[{CATEGORIES[category]}已隐去]"


def _spans(text, pattern, category, auto=True):
    return [Span(m.start(), m.end(), category, mark(category, m.group()), auto) for m in pattern.finditer(text)]


def manual(text: str, fragment: str, category: str) -> list[Span]:
    return _spans(text, re.compile(re.escape(fragment)), category, auto=False)


def merge(spans, more=()) -> list[Span]:
    out = []
    for sp in sorted([*spans, *more], key=lambda x: (x.start, -x.end)):
        if out and sp.start < out[-1].end:
            continue
        out.append(sp)
    return out


def find(text, *, names=(), addresses=(), accounts=(), keep=()) -> list[Span]:
    spans = _spans(text, _ID, "id_number") + _spans(text, _MOBILE, "phone")
    for a in addresses:
        spans += _spans(text, re.compile(re.escape(a)), "address")
    for n in sorted(set(names) - set(keep), key=len, reverse=True):
        spans += _spans(text, re.compile(re.escape(n)), "person_name")
    return merge(spans)


def apply(source: str, spans) -> str:
    out, at = [], 0
    for sp in sorted(spans, key=lambda x: x.start):
        out += [source[at:sp.start], sp.replacement]
        at = sp.end
    return "".join(out) + source[at:]


def check(source: str, published: str, spans) -> list[str]:
    return [] if apply(source, spans) == published else ["公示内容与送达文书去除隐去内容后不一致"]


def leaks(text: str) -> list[str]:
    return [f"疑似{CATEGORIES[c]}" for c, p in (("id_number", _ID), ("phone", _MOBILE)) if p.search(text or "")]
