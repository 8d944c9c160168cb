"""`liuhen ingest DIR --device NUMBER`: a camera's dump folder into custody (音像记录导入).

    liuhen ingest DIR --device NUMBER [--as USERNAME] [--agency A] [--device-time T]
                      [--manifest PATH] [--json]

Each file under DIR is streamed into the store, probed and attributed; a progress line per file on
stderr; a report line per file on stdout (new / duplicate / rejected with the reason); with --json
the last line is one JSON object {"files": [{"name", "status", "sha256", "reason"}, …]}. Re-running
on the same folder stores nothing twice (duplicate). The confirmation manifest (--manifest, default
DIR/../<DIR name>.liuhen-manifest.json) names each file whose stored copy was read back and
re-hashed: a docking station wipes the camera only on that confirmation.

Exit code: 0 when every file is new or duplicate, 1 when some were rejected, 2 for bad arguments
(an unknown device, a missing folder: nothing written)."""
import datetime
import json
import os
import sys
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.accounts.selectors import agency_named, person_named
from liuhen.common.cli import ChineseCommand, fail, looked_up
from liuhen.footage import services




STATUS_LABELS = {"new": "新增", "duplicate": "重复（已存储）", "rejected": "拒收"}


def write_manifest(path: Path, ingest, results) -> None:
    """The confirmation manifest, written whole or not at all (a temporary file renamed)."""
    data = {
        "device": ingest.device.number, "ingest": ingest.pk,
        "server_time": ingest.server_time.astimezone(datetime.timezone.utc).isoformat(),
        "clock_drift_ms": ingest.clock_drift_ms,
        "files": [{"name": r.name, "status": r.status, "sha256": r.sha256, "size": r.size,
                   "confirmed": r.confirmed} for r in results],
        # Only these may be wiped from the camera: stored, read back and re-hashed.
        "confirmed": [r.name for r in results if r.confirmed],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".manifest-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class Command(ChineseCommand):
    help = "导入执法记录仪的音像记录（逐个文件存储、核验并生成确认清单）。"

    def add_arguments(self, parser):
        parser.add_argument("dir", metavar="DIR", help="记录仪导出的目录（如 DCIM）")
        parser.add_argument("--device", required=True, metavar="NUMBER", help="设备编号（须已登记）")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="以该人员身份导入（默认：系统）")
        parser.add_argument("--agency", help="执法机关名称或简称（只有一个机关时可省略）")
        parser.add_argument("--device-time", dest="device_time",
                            help="记录仪或采集站报告的当前时间，ISO 8601（用于测量设备时钟误差）")
        parser.add_argument("--manifest", metavar="PATH", help="确认清单的路径（默认：DIR 旁的 <目录名>.liuhen-manifest.json）")
        parser.add_argument("--json", action="store_true", help="最后一行输出一个 JSON 对象")

    def handle(self, *args, dir, device, as_user=None, agency=None, device_time=None, manifest=None,
               json=False, **opts):
        root = Path(dir)
        if not root.is_dir():
            raise fail(f"目录“{dir}”不存在或不是目录。")
        actor = looked_up(person_named, as_user, "操作人") if as_user else None
        agency_obj = looked_up(agency_named, agency, actor)
        when = None
        if device_time:
            try:
                when = datetime.datetime.fromisoformat(device_time)
            except ValueError:
                raise fail(f"设备时间“{device_time}”不是 ISO 8601 日期时间，如 2026-12-01T09:00:00+08:00。") from None
        manifest_path = Path(manifest) if manifest else root.resolve().parent / f"{root.resolve().name}.liuhen-manifest.json"
        if manifest_path.resolve().is_relative_to(root.resolve()):
            raise fail("确认清单不能写在导入目录之内。")
        try:
            dev = services.resolve_device(actor, agency_obj, device)
            ingest = services.start_ingest(actor, dev, device_time=when)
        except ValidationError as exc:
            raise fail("；".join(exc.messages)) from None
        except PermissionDenied as exc:
            raise fail(str(exc) or "无权导入。") from None
        rels = services.walk(root)

        def progress(i, n, r):
            sys.stderr.write(f"[{i}/{n}] {r.name}：{STATUS_LABELS[r.status]}"
                             f"{'，' + r.reason if r.reason else ''}\n")
            sys.stderr.flush()

        results = services.ingest_files(ingest, root, rels, progress=progress)
        write_manifest(manifest_path, ingest, results)
        for r in results:
            line = f"{STATUS_LABELS[r.status]}\t{r.name}"
            if r.sha256:
                line += f"\t{r.sha256}"
            if r.reason:
                line += f"\t{r.reason}"
            if r.item is not None and r.item.flags and r.status == "new":
                line += "\t标记：" + "、".join(r.item.flag_labels)
            self.stdout.write(line)
        counts = {s: sum(1 for r in results if r.status == s) for s in STATUS_LABELS}
        confirmed = sum(1 for r in results if r.confirmed)
        self.stdout.write(f"共 {len(results)} 个文件：新增 {counts['new']}，重复 {counts['duplicate']}，"
                          f"拒收 {counts['rejected']}；已核验确认 {confirmed}。确认清单：{manifest_path}")
        if json:
            import json as json_mod
            self.stdout.write(json_mod.dumps({"files": [r.as_dict() for r in results]}, ensure_ascii=False))
        if counts["rejected"]:
            sys.exit(1)
