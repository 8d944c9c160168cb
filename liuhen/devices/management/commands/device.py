"""`liuhen device …`: the device registry for scripts (设备台账、领用、归还).

    liuhen device add NUMBER --model M [--kind 执法记录仪] [--unit 科室] [--custodian USERNAME]
    liuhen device signout NUMBER --officer USERNAME [--battery 90] [--storage-free-gb 20]
                                 [--device-time 2026-12-01T09:00:00+08:00]
    liuhen device return NUMBER [--battery …] [--storage-free-gb …] [--device-time …]
    liuhen device check NUMBER [--result 正常|发现问题] [--date 2026-12-01] [--battery-health 95]
                               [--storage-free-gb 20] [--device-time …] [--note 说明]
    liuhen device fault NUMBER --note 故障情况
    liuhen device repair-out NUMBER --supplier 供应商 [--date …] [--note …]
    liuhen device repair-back NUMBER --work 维修情况 [--result 已修复|未能修复] [--supplier …] [--date …]
    liuhen device scrap NUMBER --reason 报废原因 [--date …]
    liuhen device list [--json]
    liuhen device station add NUMBER [--name N] [--unit 科室]   (prints the new token, once)
    liuhen device station rotate NUMBER                         (a new token; the old one stops)
    liuhen device station revoke NUMBER                         (the token is refused from now on)
    liuhen device station list [--json]

It acts as the system (actor None) or, with `--as USERNAME`, as that person, with their rights
(a refusal is then in the ledger). Bad input: a Chinese message on stderr, exit code 2, nothing
written."""
import datetime
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.accounts.models import Unit
from liuhen.accounts.selectors import agency_named, person_named
from liuhen.common.cli import ChineseCommand, fail, looked_up
from liuhen.devices import life, selectors
from liuhen.devices import services as dev
from liuhen.devices.models import ClockFlag, Kind, LifeResult, Status




def _choice(value: str, choices, what: str) -> str:
    for code, label in choices:
        if value in (code, label):
            return code
    raise fail(f"{what}“{value}”无效，可选：{'、'.join(label for _, label in choices)}。")


class Command(ChineseCommand):
    help = "音像记录设备：登记、领用、归还、状态、台账（LQ 24，LW-D 4）。"

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="以该人员身份操作（默认：系统）")
        parser.add_argument("--agency", help="执法机关名称或文号简称（只有一个机关时可省略）")
        sub = parser.add_subparsers(
            dest="action", metavar="{add,signout,return,check,fault,repair-out,repair-back,scrap,list,station}")
        add = sub.add_parser("add", help="登记设备")
        add.add_argument("number", help="设备编号")
        add.add_argument("--model", default=None, help="型号（必填）")
        add.add_argument("--kind", default=str(Kind.BODY_CAMERA.label),
                         help="类别：" + "、".join(Kind.labels) + "（默认执法记录仪）")
        add.add_argument("--unit", help="使用科室名称")
        add.add_argument("--custodian", metavar="USERNAME", help="保管人的用户名")
        for name, helptext in (("signout", "领用"), ("return", "归还")):
            p = sub.add_parser(name, help=helptext)
            p.add_argument("number", help="设备编号")
            if name == "signout":
                p.add_argument("--officer", metavar="USERNAME", help="领用人的用户名（必填）")
            p.add_argument("--battery", help="电量（%%，0–100）")
            p.add_argument("--storage-free-gb", dest="storage", help="剩余存储（GB）")
            p.add_argument("--device-time", dest="device_time",
                           help="设备上显示的日期时间，ISO 8601，如 2026-12-01T09:00:00+08:00（无时区按本地时间）")
        # The device's life (LW-D 4, LQ 26): the status changes only through these.
        ck = sub.add_parser("check", help="登记定期检查保养")
        ck.add_argument("number", help="设备编号")
        ck.add_argument("--result", default="正常", help="正常 或 发现问题（默认正常）")
        ck.add_argument("--date", help="检查日期 YYYY-MM-DD（默认今天）")
        ck.add_argument("--battery-health", dest="battery_health", help="电池健康度（%%，0–100）")
        ck.add_argument("--storage-free-gb", dest="storage", help="剩余存储（GB）")
        ck.add_argument("--device-time", dest="device_time", help="设备上显示的日期时间，ISO 8601")
        ck.add_argument("--note", default="", help="说明（发现问题的必填）")
        ft = sub.add_parser("fault", help="报告故障（设备停用）")
        ft.add_argument("number", help="设备编号")
        ft.add_argument("--note", default="", help="故障情况（必填）")
        ro = sub.add_parser("repair-out", help="登记送修（须写明供应商）")
        ro.add_argument("number", help="设备编号")
        ro.add_argument("--supplier", default="", help="供应商或专业维修单位（必填，LQ 26）")
        ro.add_argument("--date", help="送修日期 YYYY-MM-DD（默认今天）")
        ro.add_argument("--note", default="", help="说明")
        rb = sub.add_parser("repair-back", help="登记修复返回")
        rb.add_argument("number", help="设备编号")
        rb.add_argument("--work", default="", help="维修情况（必填）")
        rb.add_argument("--result", default="已修复", help="已修复 或 未能修复（默认已修复）")
        rb.add_argument("--supplier", default="", help="维修单位（默认送修时的单位）")
        rb.add_argument("--date", help="返回日期 YYYY-MM-DD（默认今天）")
        sc = sub.add_parser("scrap", help="登记报废（不可恢复）")
        sc.add_argument("number", help="设备编号")
        sc.add_argument("--reason", default="", help="报废原因（必填）")
        sc.add_argument("--date", help="报废日期 YYYY-MM-DD（默认今天）")
        ls = sub.add_parser("list", help="设备台账")
        ls.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
        station = sub.add_parser("station", help="采集站（工作站）：登记、更换令牌、停用、列表")
        ssub = station.add_subparsers(dest="station_action", metavar="{add,rotate,revoke,list}")
        sadd = ssub.add_parser("add", help="登记采集站并生成令牌（只显示一次）")
        sadd.add_argument("number", help="采集站编号")
        sadd.add_argument("--name", default="", help="名称")
        sadd.add_argument("--unit", help="所在科室名称")
        for name, helptext in (("rotate", "生成新令牌（旧令牌立即失效）"), ("revoke", "停用采集站令牌")):
            p = ssub.add_parser(name, help=helptext)
            p.add_argument("number", help="采集站编号")
        sls = ssub.add_parser("list", help="采集站列表")
        sls.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def handle(self, *args, action=None, as_user=None, agency=None, **opts):
        if not action:
            raise fail("请给出操作：add、signout、return、check、fault、repair-out、repair-back、scrap 或 list。")
        actor = self._user(as_user, "操作人") if as_user else None
        agency_obj = self._agency(agency, actor)
        try:
            getattr(self, "_" + action.replace("-", "_"))(actor, agency_obj, **opts)
        except ValidationError as exc:
            raise fail("；".join(exc.messages)) from None
        except PermissionDenied as exc:
            raise fail(str(exc) or "无权进行该操作。") from None

    # ---- lookups --------------------------------------------------------------------------------

    def _user(self, username, what):
        return looked_up(person_named, username, what)

    def _agency(self, name, actor):
        return looked_up(agency_named, name, actor)

    def _device(self, agency, number):
        device = selectors.device_by_number(agency.pk, number)
        if device is None:
            raise fail(f"设备编号“{number}”未登记。")
        return device

    def _check_values(self, battery, storage, device_time):
        out = {}
        if battery is not None:
            try:
                out["battery_percent"] = int(battery)
            except ValueError:
                raise fail(f"电量“{battery}”不是整数（0–100）。") from None
        if storage is not None:
            try:
                out["storage_free_gb"] = float(storage)
            except ValueError:
                raise fail(f"剩余存储“{storage}”不是数字（GB）。") from None
        if device_time is not None:
            try:
                out["device_time"] = datetime.datetime.fromisoformat(device_time)
            except ValueError:
                raise fail(f"设备时间“{device_time}”不是 ISO 8601 日期时间，如 2026-12-01T09:00:00+08:00。") from None
        return out

    def _report(self, what, device, row):
        line = f"{what}：{device.number}"
        if row.clock_flag == ClockFlag.DRIFT:
            line += f"；设备时间误差 {row.clock_drift_seconds:+.1f} 秒，超过允许的 {row.drift_limit_ms / 1000:g} 秒，请校准设备时钟"
        elif row.clock_flag == ClockFlag.NEVER_SET:
            line += "；设备时钟未设置，请校准后再用"
        elif row.clock_flag == ClockFlag.OK:
            line += f"；设备时间误差 {row.clock_drift_seconds:+.1f} 秒"
        self.stdout.write(line)

    # ---- actions --------------------------------------------------------------------------------

    def _add(self, actor, agency, *, number, model, kind, unit, custodian, **_):
        if not model:
            raise fail("请用 --model 给出型号。")
        unit_obj = None
        if unit:
            unit_obj = Unit.objects.filter(agency=agency, name=unit).first()
            if unit_obj is None:
                raise fail(f"科室“{unit}”不存在。")
        keeper = self._user(custodian, "保管人") if custodian else None
        device = dev.add_device(actor, agency=agency, number=number, model_name=model,
                                kind=_choice(kind, Kind.choices, "设备类别"), unit=unit_obj, custodian=keeper)
        self.stdout.write(f"已登记：{device.number}（{device.get_kind_display()}，{device.model_name}）")

    def _signout(self, actor, agency, *, number, officer, battery, storage, device_time, **_):
        if not officer:
            raise fail("请用 --officer 给出领用人的用户名。")
        device = self._device(agency, number)
        person = self._user(officer, "领用人")
        row = dev.sign_out(actor, device, person, **self._check_values(battery, storage, device_time))
        self._report(f"已领用（{person.display_name}）", device, row)

    def _return(self, actor, agency, *, number, battery, storage, device_time, **_):
        device = self._device(agency, number)
        row = dev.return_device(actor, device, **self._check_values(battery, storage, device_time))
        self._report("已归还", device, row)

    def _date(self, value):
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise fail(f"日期“{value}”无效，应为 YYYY-MM-DD。") from None

    def _life_done(self, event, device):
        self.stdout.write(f"已登记{event.get_kind_display()}：{device.number}，状态为{Status(event.status_after).label}")

    def _check(self, actor, agency, *, number, result, date, battery_health, storage, device_time, note, **_):
        device = self._device(agency, number)
        clock = self._check_values(None, storage, device_time)
        health = None
        if battery_health is not None:
            try:
                health = int(battery_health)
            except ValueError:
                raise fail(f"电池健康度“{battery_health}”不是整数（0–100）。") from None
        event = life.record_check(actor, device, result=_choice(result, [(LifeResult.OK, "正常"),
                                                                         (LifeResult.PROBLEM, "发现问题")], "检查结果"),
                                  done_on=self._date(date), battery_health_percent=health, note=note, **clock)
        self._life_done(event, device)

    def _fault(self, actor, agency, *, number, note, **_):
        device = self._device(agency, number)
        self._life_done(life.report_fault(actor, device, note=note), device)

    def _repair_out(self, actor, agency, *, number, supplier, date, note, **_):
        device = self._device(agency, number)
        self._life_done(life.send_to_repair(actor, device, supplier=supplier, note=note, done_on=self._date(date)),
                        device)

    def _repair_back(self, actor, agency, *, number, work, result, supplier, date, **_):
        device = self._device(agency, number)
        result = _choice(result, [(LifeResult.REPAIRED, "已修复"), (LifeResult.NOT_REPAIRED, "未能修复")], "维修结果")
        self._life_done(life.repair_back(actor, device, result=result, work_done=work, supplier=supplier,
                                         done_on=self._date(date)), device)

    def _scrap(self, actor, agency, *, number, reason, date, **_):
        device = self._device(agency, number)
        self._life_done(life.scrap(actor, device, reason=reason, done_on=self._date(date)), device)

    def _station(self, actor, agency, *, station_action=None, **opts):
        if not station_action:
            raise fail("请给出采集站操作：add、rotate、revoke 或 list。")
        if station_action == "list":
            return self._station_list(actor, agency, **opts)
        number = opts["number"]
        if station_action == "add":
            unit_obj = None
            if opts.get("unit"):
                unit_obj = Unit.objects.filter(agency=agency, name=opts["unit"]).first()
                if unit_obj is None:
                    raise fail(f"科室“{opts['unit']}”不存在。")
            station, token = dev.add_station(actor, agency=agency, number=number, name=opts.get("name") or "",
                                             unit=unit_obj)
            self.stdout.write(f"已登记采集站：{station.number}")
            self.stdout.write("令牌（只显示这一次，请配置到采集站，勿外传）：")
            self.stdout.write(token)
            return
        station = selectors.station_by_number(agency.pk, number)
        if station is None:
            raise fail(f"采集站编号“{number}”未登记。")
        if station_action == "rotate":
            token = dev.rotate_station_token(actor, station)
            self.stdout.write(f"已为采集站 {station.number} 生成新令牌，旧令牌已失效。新令牌（只显示这一次）：")
            self.stdout.write(token)
        else:
            dev.revoke_station(actor, station)
            self.stdout.write(f"已停用采集站 {station.number} 的令牌；如需恢复，请用 station rotate 生成新令牌。")

    def _station_list(self, actor, agency, *, json: bool = False, **_):
        if actor is not None and not dev.is_device_admin(actor):
            dev.refuse_view(actor)
            raise fail("只有设备管理员可以查看采集站。")
        dev.log_view(actor)
        rows = [{"number": s.number, "name": s.name, "unit": s.unit.name if s.unit else None, "active": s.active}
                for s in selectors.stations_of(agency.pk)]
        if json:
            self.stdout.write(_json.dumps({"stations": rows}, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("尚未登记采集站。")
        for r in rows:
            self.stdout.write(f"{r['number']}\t{r['name'] or '—'}\t{r['unit'] or '—'}\t{'启用' if r['active'] else '已停用'}")

    def _list(self, actor, agency, *, json: bool = False, **_):
        if actor is not None and not dev.is_device_admin(actor):
            dev.refuse_view(actor)
            raise fail("只有设备管理员可以查看设备台账。")
        dev.log_view(actor)
        rows = []
        for d in selectors.devices_of(agency.pk):
            held = d.holder_signout
            rows.append({
                "number": d.number, "model": d.model_name, "kind": d.kind, "kind_label": d.get_kind_display(),
                "unit": d.unit.name if d.unit else None,
                "custodian": d.custodian.username if d.custodian else None,
                "status": d.status, "status_label": d.get_status_display(),
                "holder": held.officer.username if held else None,
                "signed_out_at": timezone.localtime(held.server_time).isoformat() if held else None,
                # LW-D 4: the periodic check (None when the agency asks for none, or scrapped).
                "last_check": d.last_check.isoformat() if d.last_check else None,
                "check_due": d.check_due.isoformat() if d.check_due else None,
                "check_overdue": d.check_overdue,
            })
        if json:
            self.stdout.write(_json.dumps({"devices": rows}, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("尚未登记设备。")
        for r in rows:
            holder = f"领用人 {r['holder']}（{r['signed_out_at'][:16].replace('T', ' ')}起）" if r["holder"] else "在库"
            due = "\t定期检查逾期" if r["check_overdue"] else ""
            self.stdout.write(f"{r['number']}\t{r['kind_label']}\t{r['model']}\t{r['status_label']}\t{holder}{due}")


_json = json
