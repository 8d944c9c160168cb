"""What a body camera's file name says: device, officer and start time (issue 13 §4, SPEC §3).

Cameras name their files by a pattern of their model; the patterns are configuration (a regular
expression with named parts `device`, `officer`, `start` and the `start` format), never code. A
name is evidence too, but weaker than the file's own metadata and the device register: where they
disagree the difference is recorded (`discrepancies`), not resolved by guessing.
"""
import datetime
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class NamePattern:
    """One camera model's naming: `regex` with named groups, `start_format` for strptime."""

    id: str
    label: str
    regex: str
    start_format: str
    basis: str = ""

    def match(self, stem: str) -> re.Match | None:
        return re.fullmatch(self.regex, stem)


# Seen in practice (SPEC §3): the USB-interface field lengths (7-character device serial,
# 6-character badge number) and Axis' date_time_sequence names. Agencies add their own models.
DEFAULT_PATTERNS: tuple[NamePattern, ...] = (
    NamePattern("device_badge_time", "记录仪编号_警号_开始时间",
                r"(?P<device>[A-Za-z0-9]{7})_(?P<officer>[A-Za-z0-9]{6})_(?P<start>\d{14})(?:_.*)?",
                "%Y%m%d%H%M%S", "SPEC §3 (GA/T 947 USB field lengths, a hypothesis)"),
    NamePattern("axis", "Axis 日期_时间_序号", r"(?P<start>\d{8}_\d{6})_(?P<seq>\d+)", "%Y%m%d_%H%M%S",
                "SPEC §3 (Axis body-worn cameras)"),
)


@dataclass(frozen=True)
class ParsedName:
    pattern: str  # NamePattern.id
    device: str = ""
    officer: str = ""
    start_local: datetime.datetime | None = None  # naive: the camera's own clock, no zone in a name


def parse_name(filename: str, patterns=DEFAULT_PATTERNS) -> ParsedName | None:
    """The parts of `filename` (its stem) by the first pattern that matches it, or None."""
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for pattern in patterns:
        m = pattern.match(stem)
        if m is None:
            continue
        parts = m.groupdict()
        try:
            start = datetime.datetime.strptime(parts["start"], pattern.start_format) if parts.get("start") else None
        except ValueError:  # 20261345… : a name that looks right but is no time
            start = None
        return ParsedName(pattern=pattern.id, device=parts.get("device") or "", officer=parts.get("officer") or "",
                          start_local=start)
    return None


@dataclass(frozen=True)
class Discrepancy:
    """A disagreement between a file's name, its metadata and what the register says."""

    code: str  # name_device | name_officer | name_time
    message: str  # Chinese, for the report and the page
    seconds: float | None = None


def discrepancies(parsed: ParsedName | None, *, device_number: str = "", officer_number: str = "",
                  creation_time: datetime.datetime | None = None, tz: datetime.tzinfo | None = None,
                  tolerance_seconds: float = 3.0) -> list[Discrepancy]:
    """What the name says against the device the footage came from, the officer who held it (their
    number on the device), and the creation time in the file's metadata read in the device's zone
    `tz`. Nothing is compared where either side is unknown."""
    if parsed is None:
        return []
    out = []
    if parsed.device and device_number and parsed.device != device_number:
        out.append(Discrepancy("name_device", f"文件名中的记录仪编号 {parsed.device} 与登记的设备 {device_number} 不符"))
    if parsed.officer and officer_number and parsed.officer != officer_number:
        out.append(Discrepancy("name_officer", f"文件名中的警号/执法证号 {parsed.officer} 与持有人 {officer_number} 不符"))
    if parsed.start_local is not None and creation_time is not None and tz is not None:
        named = parsed.start_local.replace(tzinfo=tz)
        diff = (creation_time - named).total_seconds()
        if abs(diff) > tolerance_seconds:
            out.append(Discrepancy("name_time", f"文件名中的开始时间与文件元数据相差 {diff:+.0f} 秒", diff))
    return out
