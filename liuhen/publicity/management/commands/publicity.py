"""`liuhen publicity` — 公示 from scripts and timers:

- `export --format csv|xlsx|json [--year Y] [--agency NAME] [--include-ended] OUT`: the 双公示 record set of
  the agency's published decisions (liuhen.publicity.export) written to OUT, for the credit platform;
  logged as a read (publicity.export: the count, the file's SHA-256; actor none, channel cli);
- `expire`: 到期撤下 — a remove step for each entry whose public period ended (services.expire; run it
  daily from a timer, like `liuhen purge`); prints how many;
- `statistics YEAR [--agency NAME] [--json]`: the year's enforcement figures (liuhen.publicity.statistics).

Exit code 2 for bad input (an unknown format, a year out of range, an agency that does not exist, an
OUT that cannot be written): a Chinese message, nothing written, nothing logged."""
import hashlib
import json
import os
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from liuhen.accounts.selectors import agency_named
from liuhen.common.cli import ChineseCommand, ChineseParser, fail, looked_up
from liuhen.publicity import export, services, statistics

FIRST_YEAR = 2000


class Command(ChineseCommand):
    help = "行政执法公示：导出双公示数据、到期撤下、年度执法数据。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{export,expire,statistics}", parser_class=ChineseParser)
        out = sub.add_parser("export", help="导出已公示的行政处罚决定（双公示数据）")
        out.add_argument("--format", dest="fmt", required=True, choices=export.FORMATS, help="csv、xlsx 或 json")
        out.add_argument("--year", help="只导出该年度作出的决定")
        out.add_argument("--agency", default="", help="执法机关名称或简称（只有一个机关时可省略）")
        out.add_argument("--include-ended", action="store_true", help="同时导出已撤回、已到期或已提前撤下的（加“状态”列）")
        out.add_argument("out", metavar="OUT", help="输出文件")
        sub.add_parser("expire", help="撤下公示期满的公示（每日运行）")
        stats = sub.add_parser("statistics", help="显示年度行政执法数据")
        stats.add_argument("year", metavar="YEAR", help="统计年度")
        stats.add_argument("--agency", default="", help="执法机关名称或简称（只有一个机关时可省略）")
        stats.add_argument("--json", dest="as_json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, action=None, **opts):
        if action == "export":
            return self.export(**opts)
        if action == "expire":
            n = services.expire()
            self.stdout.write(f"已撤下 {n} 条公示期满的公示。")
            return None
        if action == "statistics":
            return self.statistics(**opts)
        raise fail("请指定操作：export、expire 或 statistics。")

    def export(self, *, fmt, year, agency, include_ended, out, **opts):
        year = _year(year) if year is not None else None
        agency_obj = looked_up(agency_named, agency)
        target = _writable(out)
        rows = export.rows(agency_obj, year=year, include_ended=include_ended)
        data = export.render(fmt, rows, agency=agency_obj)
        _write(target, data, lambda: export.log_export(
            None, agency_obj, fmt=fmt, count=len(rows), year=year, sha256=hashlib.sha256(data).hexdigest(),
            channel="cli"))
        self.stdout.write(f"已导出 {len(rows)} 条行政处罚决定公示数据：{target}（{fmt}，{len(data)} 字节）。")

    def statistics(self, *, year, agency, as_json=False, **opts):
        year = _year(year)
        agency_obj = looked_up(agency_named, agency)
        figures = statistics.annual(agency_obj, year)
        if as_json:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=1))
        else:
            self.stdout.write(statistics.table(figures).rstrip("\n"))


def _year(text) -> int:
    """A year from FIRST_YEAR to this one, or the command's `fail`."""
    this = timezone.localdate().year
    if not str(text).strip().isdigit() or not FIRST_YEAR <= int(text) <= this:
        raise fail(f"年度“{text}”不正确：应为 {FIRST_YEAR} 至 {this} 年之间的年份。")
    return int(text)


def _writable(out: str) -> Path:
    """OUT as a path whose directory exists and can be written, and that is not a directory itself."""
    path = Path(out).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise fail(f"输出文件“{out}”是一个目录。")
    if not folder.is_dir():
        raise fail(f"输出文件“{out}”所在的目录不存在。")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise fail(f"输出文件“{out}”不能写入（没有写入权限）。")
    return path


def _write(path: Path, data: bytes, log) -> None:
    """Write `data` beside `path`, log, then move it into place: all or nothing — a failed write leaves
    neither the file nor the ledger's read."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise fail(f"输出文件“{path}”不能写入：{exc.strerror}。") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        with transaction.atomic():  # the read is logged only if the file is in place
            log()
            os.replace(tmp, path)
    except OSError as exc:
        raise fail(f"输出文件“{path}”不能写入：{exc.strerror}。") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
