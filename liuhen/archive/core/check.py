"""四性检测 (DA/T 70-2018) of an archival package, offline: no server, no Django, no database.

    python -m liuhen.archive.core.check DIR [--vkey FILE]

Each item is printed on one line — OK, FAIL or WARN, its code, its 四性 (真实性 authenticity, 完整性
integrity, 可用性 usability, 安全性 security) and Chinese name, and what was found:

真实性  bag (the bag valid by bagit's own validate), metadata_hash (each metadata file's SHA-256 is its
        content file's, the 案卷's the catalog's), metadata_content (the metadata says what the content
        is: a document's 页数 its PDF's page count, a media file's 时长 its container's duration ±1 s —
        MP4 mvhd, WAV header —, 格式 the format its magic bytes say; the 案卷's page count the
        catalog's), signature (the checkpoint signed by the key passed; without --vkey the package's
        own key, with a WARN: a package's own key proves nothing), proof (every entry included in the
        signed tree), ledger_hash (each document's and media file's SHA-256 carried by a proven event,
        the 案卷's by the export event)
完整性  content (every catalog item has its file and its metadata, the 案卷 its PDF), numbering (1…n,
        no gap), elements (every metadata element present and non-empty), extra (no payload file
        outside the catalog)
可用性  opens (each file opens: PDF, JPEG, PNG, MP4, WAV, MP3 by their structure), format (an allowed
        long-term format: PDF only as PDF/A), encryption (no PDF /Encrypt)
安全性  active (no PDF /JavaScript, /JS, /Launch, /EmbeddedFile), executable (no .exe/.sh/.js/.html…, no
        executable bit, no program by its magic bytes, no symbolic link), trace (the export itself is in the log)

Exit status 0 when every item passes, 1 when any fails, 2 when the package cannot be read at all.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import re
import stat
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import bagit

from liuhen.ledger.core import checkpoint as cp
from liuhen.ledger.core import entries as entry_lines
from liuhen.ledger.core import note as notes

from . import layout as L

CHUNK = 1024 * 1024

AUTHENTICITY, INTEGRITY, USABILITY, SECURITY = "真实性", "完整性", "可用性", "安全性"
# code → (四性, the item's Chinese name)
ITEMS = {
    "authenticity.bag": (AUTHENTICITY, "信息包结构与固定性"),
    "authenticity.metadata_hash": (AUTHENTICITY, "元数据记载的哈希值与文件一致"),
    "authenticity.metadata_content": (AUTHENTICITY, "元数据与内容一致"),
    "authenticity.signature": (AUTHENTICITY, "检查点签名"),
    "authenticity.proof": (AUTHENTICITY, "日志包含证明"),
    "authenticity.ledger_hash": (AUTHENTICITY, "文件哈希见于日志"),
    "integrity.content": (INTEGRITY, "内容文件与元数据齐全"),
    "integrity.numbering": (INTEGRITY, "件号连续"),
    "integrity.elements": (INTEGRITY, "元数据项齐全"),
    "integrity.extra": (INTEGRITY, "无目录外文件"),
    "usability.opens": (USABILITY, "文件可以打开"),
    "usability.format": (USABILITY, "长期保存格式"),
    "usability.encryption": (USABILITY, "未加密"),
    "security.active": (SECURITY, "无活动内容"),
    "security.executable": (SECURITY, "无可执行文件"),
    "security.trace": (SECURITY, "归档过程留痕"),
}

EXECUTABLE_SUFFIXES = {".exe", ".dll", ".com", ".bat", ".cmd", ".ps1", ".vbs", ".sh", ".js", ".mjs", ".jar",
                       ".py", ".html", ".htm", ".xhtml", ".svg", ".hta", ".scr", ".msi", ".apk"}
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"PK\x03\x04")
ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|SubmitForm)(?![A-Za-z0-9])")
ENCRYPT = re.compile(rb"/Encrypt(?![A-Za-z0-9])")
STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
PDFA_ID = re.compile(rb"pdfaid:part\s*(=\s*[\"']|>\s*)[1-4]")


@dataclass
class Check:
    status: str  # OK / FAIL / WARN
    code: str  # English, stable: what tests and scripts match on
    message: str  # Chinese, for the archivist

    @property
    def ok(self) -> bool:
        return self.status != "FAIL"

    def line(self) -> str:
        kind, name = ITEMS[self.code]
        return f"{self.status:<4} {self.code} {kind}·{name}: {self.message}"


class Unreadable(Exception):
    """Not an archival package at all: exit 2."""


class _Checks(list):
    def add(self, good: bool, code: str, ok: str, bad: str) -> bool:
        self.append(Check("OK" if good else "FAIL", code, ok if good else bad))
        return bool(good)

    def fail(self, code: str, message: str) -> None:
        self.append(Check("FAIL", code, message))


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def read_catalog(bag: Path) -> dict:
    if not (bag / "bagit.txt").is_file():
        raise Unreadable(f"{bag} 不是 BagIt 信息包（没有 bagit.txt）")
    try:
        catalog = json.loads((bag / "data" / L.CATALOG).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Unreadable(f"data/{L.CATALOG} 无法读取（{exc}）") from None
    if not isinstance(catalog, dict) or catalog.get("format") != L.FORMAT or not isinstance(catalog.get("items"), list):
        raise Unreadable(f"data/{L.CATALOG} 不是归档信息包的目录（应为 {L.FORMAT}）")
    return catalog


def check_package(bag: Path, vkey: str | None = None) -> list[Check]:
    """Every 四性 item of the package at `bag`; `vkey` the log's verifier key(s) got apart (None: the
    package's own, with a WARN)."""
    bag = Path(bag)
    catalog = read_catalog(bag)
    data = bag / "data"
    out = _Checks()
    sha256 = _Hashes(bag, _bag_valid(out, bag))
    events = _ledger(out, data, catalog, vkey)
    items = [i for i in catalog["items"] if isinstance(i, dict)]
    for item in items:
        _item(out, data, item, events, sha256)
    _volume(out, data, catalog, events, sha256)
    added = [a for a in catalog.get("supplements") or [] if isinstance(a, dict)]
    for supplement in added:
        _supplement(out, data, supplement, events, sha256)
    _numbering(out, items)
    _extra(out, data, items, added)
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        _executable(out, data, path)
    case_id = (catalog.get("case") or {}).get("id")
    export = events.get(catalog.get("export_entry"))
    out.add(export is not None and export.get("action") == L.EXPORT and (export.get("detail") or {}).get("case") == case_id,
            "security.trace", f"本包的导出在日志中有记载（条目 {catalog.get('export_entry')}）",
            "本包的导出（archive.export）在包内日志条目中找不到，或它不是本案的导出")
    return out


def _bag_valid(out: _Checks, bag: Path) -> dict:
    """bagit's own validation; the payload manifest's entries when the bag is valid (each file's
    SHA-256 then proven by bagit's reading of it), else none."""
    logging.getLogger("bagit").setLevel(logging.ERROR)  # its progress lines are not the report
    try:
        parsed = bagit.Bag(str(bag))
        parsed.validate(processes=_processes(parsed))
    except bagit.BagValidationError as exc:
        details = "；".join(str(d) for d in exc.details[:5]) or str(exc)
        out.fail("authenticity.bag", f"BagIt 校验未通过：{details}")
    except bagit.BagError as exc:
        out.fail("authenticity.bag", f"BagIt 结构无效：{exc}")
    else:
        out.add(True, "authenticity.bag", "BagIt 结构有效，清单中每个文件的 SHA-256 一致", "")
        return parsed.entries
    return {}


PARALLEL_FROM = 64 * 1024 * 1024  # bytes of payload: below, one process hashes faster than a pool starts


def _processes(parsed) -> int:
    """bagit hashes a large payload in four processes (its pool hands each a run of files: with two, both
    runs of a 2 GB package's clips can fall to one of them; with four, two cores stay busy — measured by
    bench/archive.py), a small one in this process."""
    octets = str(parsed.info.get("Payload-Oxum", "0.0")).split(".")[0]
    return 4 if octets.isdigit() and int(octets) >= PARALLEL_FROM else 1


class _Hashes:
    """A payload file's SHA-256: the manifest's once bagit has validated the bag (it read every byte
    and found each as the manifest says — reading 2 GB again would prove nothing more), else the
    file's own, read now (an invalid bag: each item is still judged by its bytes)."""

    def __init__(self, bag: Path, entries: dict):
        self.bag, self.entries = bag, entries

    def __call__(self, path: Path) -> str:
        rel = path.relative_to(self.bag).as_posix()
        return (self.entries.get(rel) or {}).get("sha256") or file_sha256(path)


def _ledger(out: _Checks, data: Path, catalog: dict, vkey: str | None) -> dict[int, dict]:
    """The checkpoint's signature and each entry's proof; the events proven, by leaf index."""
    algo = catalog.get("hash", "sha256")
    own = vkey is None
    if own:
        try:
            vkey = (data / L.VKEY).read_text(encoding="utf-8")
        except OSError:
            vkey = ""
    verifiers = []
    for line in vkey.split():
        try:
            verifiers.append(notes.verifier_from_vkey(line))
        except ValueError:
            pass
    body = None
    try:
        if not verifiers:
            raise ValueError("没有可用的公钥")
        body, _ = cp.open_checkpoint((data / L.CHECKPOINT).read_text(encoding="utf-8"), verifiers)
    except (OSError, ValueError) as exc:
        out.fail("authenticity.signature", f"检查点签名无法验证（{exc}）")
    else:
        named = catalog.get("checkpoint") or {}
        good = (body.origin == catalog.get("origin") and named.get("size") == body.size
                and named.get("root") == body.root_hash.hex())
        out.add(good, "authenticity.signature", f"检查点签名有效（日志 {body.origin}，大小 {body.size}）",
                "检查点签名有效，但其日志名、树大小或根哈希与目录记载不符")
        if own:
            out.append(Check("WARN", "authenticity.signature",
                             "用的是包内自带的公钥：请用独立获得的日志公钥复核（--vkey）"))
    events: dict[int, dict] = {}
    try:
        lines = (data / L.ENTRIES).read_text(encoding="utf-8").splitlines()
    except OSError:
        out.fail("authenticity.proof", f"data/{L.ENTRIES}：缺失或无法读取")
        return events
    for r in entry_lines.read(lines, body, algo):
        said = r.said(f"data/{L.ENTRIES}")
        if out.add(r.outcome == entry_lines.PROVEN, "authenticity.proof", said, said):
            events[r.seq] = r.event
    return events


def _inside(data: Path, rel) -> Path | None:
    """`data/rel` when `rel` names a file below data/ (no absolute path, no ..)."""
    if not isinstance(rel, str) or not rel or rel.startswith("/") or ".." in rel.split("/"):
        return None
    return data / rel


def _item(out: _Checks, data: Path, item: dict, events: dict[int, dict], sha256) -> None:
    no, rel, meta_rel = item.get("number"), item.get("path"), item.get("metadata")
    label = f"第 {no} 件 {rel}"
    path, meta = _inside(data, rel), _inside(data, meta_rel)
    present = path is not None and path.is_file()
    has_meta = meta is not None and meta.is_file()
    missing = [what for what, there in (("内容文件", present), ("元数据文件", has_meta)) if not there]
    out.add(not missing, "integrity.content", f"{label}：内容文件和元数据文件齐全",
            f"{label}：缺少{'和'.join(missing)}（{rel if not present else meta_rel}）")
    sha = sha256(path) if present else None
    values = _metadata(out, label, meta, item, sha) if has_meta else None
    if present:
        _ledger_hash(out, label, item, sha, events)
        _usable(out, label, path, item.get("kind"))
        if values is not None:
            _content(out, label, path, item.get("kind"), values)


def _metadata(out: _Checks, label: str, meta: Path, item: dict, sha: str | None) -> dict | None:
    """The metadata file's elements (None when it is no XML), its elements and hash checked."""
    media = item.get("kind") == "media"
    roots = (L.MEDIA_ROOT, L.PHOTO_ROOT) if media else (L.DOCUMENT_ROOT,)
    wanted = L.MEDIA_ELEMENTS if media else L.DOCUMENT_ELEMENTS
    try:
        root = ElementTree.parse(meta).getroot()
    except (ElementTree.ParseError, OSError) as exc:
        out.fail("usability.opens", f"{label} 的元数据：不是有效的 XML（{exc}）")
        return None
    values = {el.tag: (el.text or "").strip() for el in root}
    empty = [e for e in wanted if not values.get(e)]
    out.add(root.tag in roots and not empty, "integrity.elements", f"{label}：元数据 {len(wanted)} 项齐全",
            f"{label}：元数据缺少或为空：{'、'.join(empty) or root.tag}")
    if sha is not None:
        recorded = values.get(L.HASH_ELEMENT, "")
        out.add(recorded == sha == item.get("sha256"), "authenticity.metadata_hash",
                f"{label}：元数据记载的 SHA-256 与文件一致",
                f"{label}：文件的 SHA-256 为 {sha}，元数据记载 {recorded or '（无）'}，目录记载 {item.get('sha256')}")
    return values


def _content(out: _Checks, label: str, path: Path, kind, values: dict) -> None:
    """真实性·元数据与内容一致: the metadata's 格式, 页数 (a document) and 时长 (a media file) are the file's."""
    with open(path, "rb") as f:
        fmt = sniff(f.read(16))
    said = values.get(L.FORMAT_ELEMENT, "")
    if kind == "document":
        named = "pdf" if said.upper().startswith("PDF") else None
    else:
        named = next((k for k, name in L.MEDIA_FORMAT_NAMES.items() if name == said), None)
    problems = [] if named is not None and named == fmt else [f"格式记载为“{said}”，文件实为 {(fmt or '无法识别').upper()}"]
    if kind == "document":
        pages = pdf_page_count(path) if fmt == "pdf" else None
        if str(pages) != values.get(L.PAGES_ELEMENT):
            problems.append(f"页数记载为 {values.get(L.PAGES_ELEMENT) or '（无）'}，PDF 实有 {pages if pages is not None else '（无法读取）'} 页")
    else:
        problems += _duration_problems(path, fmt, values.get(L.DURATION_ELEMENT, ""))
    out.add(not problems, "authenticity.metadata_content", f"{label}：元数据记载的格式、页数或时长与内容一致",
            f"{label}：元数据与内容不符：{'；'.join(problems)}")


DURATION = re.compile(r"^(\d+(?:\.\d+)?)秒$")
DURATION_TOLERANCE = 1.0  # seconds: the metadata rounds to 0.1 s, containers differ by a frame or two


def _duration_problems(path: Path, fmt: str | None, said: str) -> list[str]:
    actual = duration(path, fmt)
    if said == "不适用":  # a photo (DA/T 54) has no duration
        return [] if fmt in ("jpeg", "png") else [f"时长记载为“不适用”，文件却是 {(fmt or '无法识别').upper()}"]
    if said == "未知":  # the footage was not probed when it came in: nothing to compare
        return []
    m = DURATION.match(said)
    if m is None:
        return [f"时长记载“{said}”无法识别"]
    if fmt in ("mp3",):  # a stream of frames without a header that says its length
        return []
    if actual is None:
        return [f"时长记载为 {said}，文件中读不到时长"]
    if abs(actual - float(m.group(1))) > DURATION_TOLERANCE:
        return [f"时长记载为 {said}，文件实为 {actual:.1f}秒"]
    return []


def duration(path: Path, fmt: str | None) -> float | None:
    """A media file's duration in seconds as its container states it: an MP4's movie header (mvhd:
    duration / timescale, ISO/IEC 14496-12), a WAV's data size / byte rate; None otherwise."""
    try:
        if fmt == "mp4":
            return _mp4_duration(path)
        if fmt == "wav":
            return _wav_duration(path)
    except (OSError, ValueError, IndexError):
        return None
    return None


def _boxes(f, start: int, end: int):
    """(type, payload start, box end) of the ISO BMFF boxes between `start` and `end`."""
    pos = start
    while pos + 8 <= end:
        f.seek(pos)
        head = f.read(16)
        n, kind, body = int.from_bytes(head[:4], "big"), head[4:8], pos + 8
        if n == 1:
            n, body = int.from_bytes(head[8:16], "big"), pos + 16
        elif n == 0:
            n = end - pos
        if n < 8:
            return
        yield kind, body, pos + n
        pos += n


def _mp4_duration(path: Path) -> float | None:
    with open(path, "rb") as f:
        for kind, body, end in _boxes(f, 0, path.stat().st_size):
            if kind != b"moov":
                continue
            for inner, at, _ in _boxes(f, body, end):
                if inner != b"mvhd":
                    continue
                f.seek(at)
                head = f.read(32)
                if head[0] == 1:  # version 1: 64-bit times and duration
                    scale, length = int.from_bytes(head[20:24], "big"), int.from_bytes(head[24:32], "big")
                else:
                    scale, length = int.from_bytes(head[12:16], "big"), int.from_bytes(head[16:20], "big")
                return length / scale if scale else None
    return None


def _wav_duration(path: Path) -> float | None:
    byte_rate = data_size = None
    with open(path, "rb") as f:
        f.seek(12)
        while (head := f.read(8)) and len(head) == 8:
            kind, n = head[:4], int.from_bytes(head[4:8], "little")
            if kind == b"data":
                data_size = n
                break
            if kind == b"fmt ":  # format, channels, sample rate, then the byte rate
                byte_rate = int.from_bytes(f.read(n)[8:12], "little")
                f.seek(n % 2, 1)
            else:
                f.seek(n + n % 2, 1)
    return data_size / byte_rate if byte_rate and data_size is not None else None


def pdf_page_count(path: Path) -> int | None:
    """The PDF's page count as its page tree says it (/Root /Pages /Count), None when unreadable."""
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return int(PdfFileReader(BytesIO(path.read_bytes()), strict=False).root["/Pages"]["/Count"])
    except Exception:  # noqa: BLE001 — any PDF the reader cannot walk has no page count to trust
        return None


def _listed_file(out: _Checks, data: Path, listed: dict, label: str, sha256) -> tuple[Path, str] | None:
    """A file the catalog lists outside the numbered items (the volume, a supplement): present, its
    SHA-256 the catalog's. (path, SHA-256), or None when it is missing."""
    path = _inside(data, listed.get("path"))
    if not out.add(path is not None and path.is_file(), "integrity.content", f"{label}：文件齐全", f"{label}：缺失"):
        return None
    sha = sha256(path)
    out.add(sha == listed.get("sha256"), "authenticity.metadata_hash", f"{label}：SHA-256 与目录记载一致",
            f"{label}：文件的 SHA-256 为 {sha}，目录记载 {listed.get('sha256')}")
    return path, sha


def _volume(out: _Checks, data: Path, catalog: dict, events: dict[int, dict], sha256) -> None:
    """The 案卷 (data/volume.pdf): present, its SHA-256 the catalog's and the export event's, a PDF/A
    without active content, its page count the catalog's."""
    volume = catalog.get("volume")
    if not isinstance(volume, dict):
        out.fail("integrity.content", "目录没有记载案卷 PDF（volume）")
        return
    label = f"案卷 {volume.get('path')}"
    found = _listed_file(out, data, volume, label, sha256)
    if found is None:
        return
    path, sha = found
    export = events.get(catalog.get("export_entry")) or {}
    out.add(export.get("action") == L.EXPORT and sha in (export.get("blobs") or []), "authenticity.ledger_hash",
            f"{label}：SHA-256 见于导出日志条目 {catalog.get('export_entry')}",
            f"{label}：SHA-256 {sha} 不在已证明的导出日志条目（{L.EXPORT}）中")
    _usable(out, label, path, "document")
    pages = pdf_page_count(path)
    out.add(pages is not None and pages == volume.get("pages"), "authenticity.metadata_content",
            f"{label}：共 {pages} 页，与目录记载一致",
            f"{label}：目录记载 {volume.get('pages')} 页，PDF 实有 {pages if pages is not None else '（无法读取）'} 页")


def _supplement(out: _Checks, data: Path, supplement: dict, events: dict[int, dict], sha256) -> None:
    """A paper added after archiving (归档后补充材料): present, its SHA-256 the catalog's and carried by its
    proven archive.supplement event, it opens, no active content. It is kept as the court or the party
    gave it: a PDF that is not PDF/A is a WARN (to convert), not a failure of the file closed before it."""
    label = f"补充材料 {supplement.get('path')}"
    found = _listed_file(out, data, supplement, label, sha256)
    if found is None:
        return
    path, sha = found
    carried = [s for s in supplement.get("entries") or [] if s in events
               and events[s].get("action") == L.SUPPLEMENT and sha in (events[s].get("blobs") or [])]
    out.add(bool(carried), "authenticity.ledger_hash", f"{label}：SHA-256 见于日志条目 {carried[:1]}",
            f"{label}：SHA-256 {sha} 不在任何已证明的日志条目（{L.SUPPLEMENT}）中")
    with open(path, "rb") as f:
        fmt = sniff(f.read(16))
    if fmt not in ("pdf", "jpeg", "png"):
        out.fail("usability.format", f"{label}：格式 {fmt or '无法识别'} 不是允许的格式（pdf、jpeg、png）")
        return
    if fmt != "pdf":
        out.add(opens(path, fmt), "usability.opens", f"{label}：{fmt.upper()} 可以打开",
                f"{label}：{fmt.upper()} 文件不完整，无法打开")
        return
    before = len(out)
    _pdf(out, label, path)
    for i in range(before, len(out)):  # not PDF/A: kept as received, said
        if out[i].code == "usability.format" and out[i].status == "FAIL":
            out[i] = Check("WARN", "usability.format", f"{label}：不是 PDF/A（按收到的原样保存），宜转换为 PDF/A 另存")


def _ledger_hash(out: _Checks, label: str, item: dict, sha: str, events: dict[int, dict]) -> None:
    # A media file's hash is in its footage.add event; a document's in its documents.issue event (the
    # issued PDF/A) or in the export event (rendered at export).
    actions = (L.FOOTAGE_ADD,) if item.get("kind") == "media" else (L.DOCUMENT_ISSUE, L.EXPORT)
    carried = [s for s in item.get("entries") or [] if s in events and events[s].get("action") in actions
               and sha in (events[s].get("blobs") or [])]
    out.add(bool(carried), "authenticity.ledger_hash", f"{label}：SHA-256 见于日志条目 {carried[:1]}",
            f"{label}：SHA-256 {sha} 不在任何已证明的日志条目（{'/'.join(actions)}）中")


def _usable(out: _Checks, label: str, path: Path, kind) -> None:
    with open(path, "rb") as f:
        head = f.read(16)
    fmt = sniff(head)
    allowed = {"pdf"} if kind == "document" else {"jpeg", "png", "mp4", "wav", "mp3"}
    if fmt not in allowed:
        out.fail("usability.format", f"{label}：格式 {fmt or '无法识别'} 不是允许的长期保存格式（{'、'.join(sorted(allowed))}）")
        return
    if fmt == "pdf":
        _pdf(out, label, path)
        return
    opened = opens(path, fmt)
    out.add(opened, "usability.opens", f"{label}：{fmt.upper()} 可以打开", f"{label}：{fmt.upper()} 文件不完整，无法打开")
    out.add(True, "usability.format", f"{label}：{fmt.upper()} 是允许的长期保存格式", "")


def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def opens(path: Path, fmt: str) -> bool:
    """Is the file whole enough to open: an MP4 with its index, a JPEG with its end marker, a PNG with
    its IEND chunk, a WAV whose RIFF size is the file's (what a copy cut off half-way lacks)."""
    if fmt == "mp4":
        return mp4_has_moov(path)
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(12)
        f.seek(max(0, size - 12))
        tail = f.read()
    if fmt == "jpeg":
        return tail.rstrip(b"\0").endswith(b"\xff\xd9")
    if fmt == "png":
        return b"IEND" in tail
    if fmt == "wav":
        return int.from_bytes(head[4:8], "little") + 8 in (size, size - 1)
    return True  # MP3: a stream of frames, readable from any point


def mp4_has_moov(path: Path) -> bool:
    """Walk the top-level boxes: an MP4 opens when it has its index (moov) and its boxes fit the file."""
    size, pos, seen = path.stat().st_size, 0, set()
    with open(path, "rb") as f:
        while pos < size:
            f.seek(pos)
            head = f.read(16)
            if len(head) < 8:
                return False
            n, kind = int.from_bytes(head[:4], "big"), head[4:8]
            if n == 1:
                n = int.from_bytes(head[8:16], "big")
            elif n == 0:
                n = size - pos
            if n < 8 or pos + n > size:
                return False
            seen.add(kind)
            pos += n
    return b"moov" in seen


def pdf_parts(data: bytes) -> bytes:
    """What a PDF says outside its content streams, and inside the streams that hold its dictionaries
    or its XMP (object streams, cross-reference streams, /Metadata, deflated by most writers): the text
    to look for /Encrypt, /JavaScript, pdfaid… in, without matching the bytes of compressed pages."""
    outside = STREAM.sub(b"stream endstream", data)
    inner = []
    for m in STREAM.finditer(data):
        head = data[data.rfind(b" obj", 0, m.start()):m.start()]
        if not any(k in head for k in (b"/ObjStm", b"/XRef", b"/Metadata")):
            continue
        body = m.group(1)
        if b"/FlateDecode" in head:
            try:
                body = zlib.decompressobj().decompress(body)
            except zlib.error:
                continue
        inner.append(body)
    return outside + b"\n".join(inner)


def _pdf(out: _Checks, label: str, path: Path) -> None:
    data = path.read_bytes()
    opened = b"%%EOF" in data[-1024:] and b"/Root" in data
    out.add(opened, "usability.opens", f"{label}：PDF 可以打开", f"{label}：PDF 结构不完整（无 %%EOF 或 /Root），无法打开")
    said = pdf_parts(data)
    out.add(bool(PDFA_ID.search(said)), "usability.format", f"{label}：PDF/A（XMP 中有 pdfaid 标识）",
            f"{label}：PDF 的 XMP 元数据中没有 PDF/A 标识（pdfaid:part），不是长期保存格式")
    out.add(not ENCRYPT.search(said), "usability.encryption", f"{label}：未加密",
            f"{label}：PDF 已加密（/Encrypt），不能长期保存")
    found = sorted({m.group(1).decode() for m in ACTIVE.finditer(said)})
    out.add(not found, "security.active", f"{label}：无脚本、启动动作或嵌入文件",
            f"{label}：PDF 含活动内容：{'、'.join('/' + f for f in found)}")


def _numbering(out: _Checks, items: list[dict]) -> None:
    numbers = [i.get("number") for i in items]
    good = numbers == list(range(1, len(items) + 1))
    out.add(good, "integrity.numbering", f"件号 1–{len(items)} 连续，无缺号、重号",
            f"件号不连续或有重号：{numbers}")


def _extra(out: _Checks, data: Path, items: list[dict], added: list[dict]) -> None:
    listed = {i.get("path") for i in items} | {i.get("metadata") for i in items} | {a.get("path") for a in added}
    for sub in (L.DOCUMENTS, L.MEDIA, L.METADATA, L.SUPPLEMENTS):
        for p in sorted((data / sub).rglob("*")) if (data / sub).is_dir() else []:
            rel = p.relative_to(data).as_posix()
            if p.is_file() and rel not in listed:
                out.fail("integrity.extra", f"{rel}：卷内目录中没有这个文件")
    own = {L.CATALOG, L.VOLUME, L.ENTRIES, L.CHECKPOINT, L.VKEY}
    for p in sorted(data.rglob("*")):
        rel = p.relative_to(data).as_posix()
        if p.is_file() and rel not in own and rel.split("/")[0] not in (L.DOCUMENTS, L.MEDIA, L.METADATA, L.SUPPLEMENTS):
            out.fail("integrity.extra", f"{rel}：不属于归档信息包")


def _executable(out: _Checks, data: Path, path: Path) -> None:
    rel = path.relative_to(data).as_posix()
    with open(path, "rb") as f:
        head = f.read(4)
    reasons = ["符号链接（指向包外）"] if path.is_symlink() else []
    if path.suffix.lower() in EXECUTABLE_SUFFIXES:
        reasons.append(f"扩展名 {path.suffix}")
    if os.stat(path).st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH):
        reasons.append("可执行权限")
    if head.startswith(EXECUTABLE_MAGIC):
        reasons.append("程序文件头")
    if reasons:
        out.fail("security.executable", f"{rel}：可执行或活动内容（{'、'.join(reasons)}）")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="归档信息包四性检测（DA/T 70）/ Check an archival package offline.")
    parser.add_argument("package", help="信息包目录 / the bag directory")
    parser.add_argument("--vkey", help="日志公钥文件（应独立获得）/ the log's verifier key, obtained independently")
    args = parser.parse_args(argv)
    try:
        vkey = Path(args.vkey).read_text(encoding="utf-8") if args.vkey else None
        checks = check_package(Path(args.package), vkey)
    except (OSError, Unreadable) as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    except (AttributeError, KeyError, TypeError, ValueError) as exc:  # a catalog of the wrong shape
        print(f"ERROR data/{L.CATALOG} 的结构无效（{type(exc).__name__}: {exc}）", file=sys.stderr)
        return 2
    for c in checks:
        print(c.line())
    failed = [c for c in checks if not c.ok]
    failed_items = sorted({c.code for c in failed})
    if failed:
        print(f"FAIL 四性检测未通过：{len(failed)} 项不符（{'、'.join('·'.join(ITEMS[c]) for c in failed_items)}）")
        return 1
    print(f"OK   四性检测通过（{len(checks)} 项检查）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
