"""A schedule file (放假安排文件): one year of the State Council's holiday notice
(国务院办公厅关于X年部分节假日安排的通知) as data, and its strict reader.

The format is documented in docs/workdays.md:

    year: 2026
    notice: 国务院办公厅关于2026年部分节假日安排的通知
    number: 国办发明电〔2025〕7号
    published: 2025-11-04            # optional
    holidays:                        # 放假 (each range inclusive, weekends inside it included)
      - {name: 元旦, from: 2026-01-01, to: 2026-01-03}
    workdays: [2026-01-04]           # 调休上班: weekend days that are working days

Nothing here touches the database. `parse(text)` returns a `Schedule` or raises `ScheduleError`
with every problem found, each with its line number (PyYAML's node marks, from `yaml.compose`,
which keeps the line of every key and value) and a Chinese reason. A file with any problem yields
nothing: the caller loads all of it or none.
"""
from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass

import yaml

from liuhen.common.text import bad_character

MAX_BYTES = 64 * 1024  # a year's notice is a few hundred bytes; anything near this is not one
YEAR_MIN, YEAR_MAX = 1949, 2100
KEYS = ("year", "notice", "number", "published", "holidays", "workdays")
REQUIRED = ("year", "notice", "number", "holidays", "workdays")
HOLIDAY_KEYS = ("name", "from", "to")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT_TAG = "tag:yaml.org,2002:int"
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Holiday:
    """One 放假 range of a notice, inclusive (e.g. 春节 2026-02-15 … 2026-02-23)."""

    name: str
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_json(self) -> dict:
        return {"name": self.name, "from": self.start.isoformat(), "to": self.end.isoformat()}


@dataclass(frozen=True)
class Schedule:
    """One year's 放假调休安排 as read from a file."""

    year: int
    notice: str
    number: str
    published: datetime.date | None
    holidays: tuple[Holiday, ...]
    workdays: tuple[datetime.date, ...]  # 调休上班
    text: str
    sha256: str

    def holidays_json(self) -> list[dict]:
        return [h.as_json() for h in self.holidays]

    def workdays_json(self) -> list[str]:
        return [d.isoformat() for d in self.workdays]


class ScheduleError(ValueError):
    """A refused schedule file: `problems` is [(line or None, Chinese reason)], in file order."""

    def __init__(self, problems: list[tuple[int | None, str]]):
        self.problems = sorted(problems, key=lambda p: (p[0] or 0))
        super().__init__("；".join(self.lines()))

    def lines(self) -> list[str]:
        return [f"第 {line} 行：{reason}" if line else reason for line, reason in self.problems]


def _line(node) -> int:
    return node.start_mark.line + 1


def _weekday(d: datetime.date) -> str:
    return f"周{WEEKDAYS[d.weekday()]}"


class _Reader:
    def __init__(self):
        self.problems: list[tuple[int | None, str]] = []

    def bad(self, node, reason: str) -> None:
        self.problems.append((_line(node) if node is not None else None, reason))

    def text(self, node, label: str, *, max_length: int = 200) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR_TAG or not node.value.strip():
            self.bad(node, f"{label}应为一段非空的文字")
            return None
        value = node.value.strip()
        if len(value) > max_length:
            self.bad(node, f"{label}最多 {max_length} 个字符")
            return None
        found = bad_character(value, multiline=False)
        if found:
            self.bad(node, f"{label}的第 {found[0]} 个字符是不可见的控制字符（U+{ord(found[1]):04X}）")
            return None
        return value

    def date(self, node, label: str, year: int | None) -> datetime.date | None:
        if not isinstance(node, yaml.ScalarNode) or not _DATE.match(node.value or ""):
            shown = node.value if isinstance(node, yaml.ScalarNode) else "（列表或映射）"
            self.bad(node, f"{label}“{shown}”不是 YYYY-MM-DD 格式的日期")
            return None
        try:
            value = datetime.date.fromisoformat(node.value)
        except ValueError:
            self.bad(node, f"{label}“{node.value}”不是存在的日期")
            return None
        if year is not None and value.year != year:
            self.bad(node, f"{label} {value} 不在本文件的年度 {year} 年内")
            return None
        return value

    def mapping(self, node, label: str, keys: tuple[str, ...]) -> dict | None:
        """{key: (key node, value node)}; unknown and repeated keys are problems."""
        if not isinstance(node, yaml.MappingNode):
            self.bad(node, f"{label}应为“键: 值”的映射")
            return None
        out = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name not in keys:
                self.bad(key, f"未知的键“{name if name is not None else '（非文字）'}”（{label}可用的键："
                              f"{'、'.join(keys)}）")
                continue
            if name in out:
                self.bad(key, f"键“{name}”重复出现（第一次在第 {_line(out[name][0])} 行）")
                continue
            out[name] = (key, value)
        return out


def parse(text: str | bytes) -> Schedule:
    """The schedule a file says, or ScheduleError with every problem and its line."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise ScheduleError([(None, f"文件过大（{len(text)} 字节，上限 {MAX_BYTES} 字节），不是放假安排文件")])
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = text[:exc.start].count(b"\n") + 1
            raise ScheduleError([(line, "文件不是 UTF-8 编码的文字")]) from None
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ScheduleError([(None, f"文件过大（上限 {MAX_BYTES} 字节），不是放假安排文件")])
    text = text.lstrip("\ufeff")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ScheduleError([(line, f"YAML 格式错误：{exc.problem or exc.context}")]) from None
    except yaml.YAMLError as exc:
        raise ScheduleError([(None, f"YAML 格式错误：{exc}")]) from None
    if root is None:
        raise ScheduleError([(None, "文件是空的")])
    r = _Reader()
    top = r.mapping(root, "放假安排文件", KEYS)
    if top is None:
        raise ScheduleError(r.problems)
    for name in REQUIRED:
        if name not in top:
            r.bad(root, f"缺少必填的键“{name}”")

    year = None
    if "year" in top:
        node = top["year"][1]
        if (isinstance(node, yaml.ScalarNode) and node.tag == _INT_TAG and node.value.isdigit()
                and YEAR_MIN <= int(node.value) <= YEAR_MAX):
            year = int(node.value)
        else:
            r.bad(node, f"year 应为 {YEAR_MIN}–{YEAR_MAX} 之间的年份，如 2026")
    notice = r.text(top["notice"][1], "notice（通知标题）") if "notice" in top else None
    if notice is not None and year is not None and str(year) not in notice:
        r.bad(top["notice"][1], f"通知标题没有提到 {year} 年，不像是本年度的放假安排通知")
    number = r.text(top["number"][1], "number（文号）", max_length=60) if "number" in top else None
    published = None
    if "published" in top:
        published = r.date(top["published"][1], "published（发布日期）", None)

    holidays: list[Holiday] = []
    taken: dict[datetime.date, tuple[str, int]] = {}  # each day off: its holiday and line
    if "holidays" in top:
        node = top["holidays"][1]
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
            r.bad(node, "holidays 应为放假安排的列表（每项含 name、from、to）")
        elif not isinstance(node, yaml.SequenceNode):
            r.bad(node, "holidays 应为放假安排的列表（每项含 name、from、to）")
        else:
            for item in node.value:
                fields = r.mapping(item, "放假安排", HOLIDAY_KEYS)
                if fields is None:
                    continue
                missing = [k for k in HOLIDAY_KEYS if k not in fields]
                if missing:
                    r.bad(item, f"放假安排缺少“{'、'.join(missing)}”")
                    continue
                name = r.text(fields["name"][1], "节日名称 name", max_length=40)
                start = r.date(fields["from"][1], "放假起始日 from", year)
                end = r.date(fields["to"][1], "放假结束日 to", year)
                if name is None or start is None or end is None:
                    continue
                if start > end:
                    r.bad(fields["to"][1], f"{name}的结束日 {end} 早于起始日 {start}")
                    continue
                line = _line(item)
                day, clash = start, None
                while day <= end:
                    if day in taken:
                        clash = day
                        break
                    day += datetime.timedelta(days=1)
                if clash is not None:
                    other, other_line = taken[clash]
                    r.bad(item, f"{name}的放假日期 {clash} 与第 {other_line} 行的{other}重叠")
                    continue
                day = start
                while day <= end:
                    taken[day] = (name, line)
                    day += datetime.timedelta(days=1)
                holidays.append(Holiday(name, start, end))

    workdays: list[datetime.date] = []
    if "workdays" in top:
        node = top["workdays"][1]
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
            pass  # `workdays:` with nothing: a year without 调休上班 (2025 had some; a year may have none)
        elif not isinstance(node, yaml.SequenceNode):
            r.bad(node, "workdays 应为调休上班日期的列表，如 [2026-01-04]")
        else:
            seen: dict[datetime.date, int] = {}
            for item in node.value:
                day = r.date(item, "调休上班日", year)
                if day is None:
                    continue
                if day in seen:
                    r.bad(item, f"调休上班日 {day} 重复（第一次在第 {seen[day]} 行）")
                    continue
                seen[day] = _line(item)
                if day.weekday() < 5:
                    r.bad(item, f"调休上班日 {day} 是{_weekday(day)}，不是周末：本来就是工作日，不需要调休上班")
                    continue
                if day in taken:
                    name, line = taken[day]
                    r.bad(item, f"调休上班日 {day} 在第 {line} 行的{name}放假期间内，不能既放假又上班")
                    continue
                workdays.append(day)

    if r.problems:
        raise ScheduleError(r.problems)
    return Schedule(year=year, notice=notice, number=number, published=published,
                    holidays=tuple(sorted(holidays, key=lambda h: h.start)), workdays=tuple(sorted(workdays)),
                    text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
