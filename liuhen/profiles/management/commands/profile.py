"""`liuhen profile …`: an agency's profile (机关执法规则配置) for scripts.

    liuhen profile check FILE                                  validate, print a summary (exit 0) or each error
    liuhen profile load FILE --agency 简称 [--reason 原因] [--as USERNAME]
    liuhen profile show [--agency 简称] [--version N]           the active profile (or a version), readable
    liuhen profile list [--agency 简称]                         the versions loaded, per agency

A bad file: each error with its line and reason on stderr, exit code 2, nothing loaded (a refused
load is in the ledger); the agency's active profile stays."""
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.accounts.models import Agency
from liuhen.accounts.selectors import agency_named, person_named
from liuhen.common.cli import ChineseCommand, fail, looked_up
from liuhen.profiles import describe, loader, selectors, services
from liuhen.profiles.models import ProfileVersion


class Command(ChineseCommand):
    help = "机关执法规则配置：检查、载入、查看、版本列表。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{check,load,show,list}")
        ck = sub.add_parser("check", help="检查配置文件（不载入）")
        ck.add_argument("file", help="YAML 配置文件")
        ld = sub.add_parser("load", help="载入配置文件，成为该机关的新版本")
        ld.add_argument("file", help="YAML 配置文件")
        ld.add_argument("--agency", help="执法机关名称或文号简称（只有一个机关时可省略）")
        ld.add_argument("--reason", default="", help="载入原因")
        ld.add_argument("--as", dest="as_user", metavar="USERNAME", help="以该人员身份载入（默认：系统）")
        sh = sub.add_parser("show", help="显示机关现行的配置（记录事项清单）")
        sh.add_argument("--agency", help="执法机关名称或文号简称")
        sh.add_argument("--version", type=int, help="版本号（默认现行版本）")
        sh.add_argument("--packaged", help="显示内置配置（如 base、BX）")
        ls = sub.add_parser("list", help="各机关载入的配置版本")
        ls.add_argument("--agency", help="执法机关名称或文号简称")

    def handle(self, *args, action=None, **opts):
        if not action:
            raise fail("请给出操作：check、load、show 或 list。")
        getattr(self, "_" + action)(**opts)

    def _read(self, file):
        path = Path(file)
        if not path.is_file():
            raise fail(f"文件“{file}”不存在。")
        return path

    def _check(self, *, file, **_):
        path = self._read(file)
        try:
            profile = loader.build_file(path)
        except loader.ProfileError as exc:
            raise fail("配置文件无效：\n" + "\n".join(exc.lines())) from None
        self.stdout.write(f"配置有效：{profile.name}（{profile.code}）；立卷要求 {len(profile.stages)} 组，"
                          f"签字要求 {len(profile.signatures)} 条，音像记录环节 {len(profile.av_acts)} 个，"
                          f"期限 {len(profile.deadlines)} 个，执法用语 {len(profile.phrases)} 条")

    def _load(self, *, file, agency=None, reason="", as_user=None, **_):
        path = self._read(file)
        actor = looked_up(person_named, as_user, "操作人") if as_user else None
        agency_obj = looked_up(agency_named, agency or "", actor)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise fail("配置文件不是 UTF-8 编码的文字。") from None
        try:
            pv = services.load_profile(actor, agency_obj, text, reason=reason, label=path.name)
        except services.ProfileRefused as exc:
            raise fail(f"配置文件被拒绝，{agency_obj.name}现行的配置不变：\n" + "\n".join(exc.messages)) from None
        except ValidationError as exc:
            raise fail("；".join(exc.messages)) from None
        except PermissionDenied as exc:
            raise fail(str(exc) or "无权载入执法规则配置。") from None
        self.stdout.write(f"已载入：{agency_obj.name} 第{pv.number}版 {pv.name}（{pv.code}），SHA-256 {pv.sha256}")

    def _show(self, *, agency=None, version=None, packaged=None, **_):
        if packaged:
            try:
                profile = loader.packaged(packaged)
            except loader.ProfileError as exc:
                raise fail(str(exc)) from None
        else:
            agency_obj = looked_up(agency_named, agency or "")
            if version is not None:
                pv = ProfileVersion.objects.filter(agency=agency_obj, number=version).first()
                if pv is None:
                    raise fail(f"{agency_obj.name}没有第{version}版配置。")
                profile = selectors.version_profile(pv)
            else:
                profile = selectors.active_profile(agency_obj)
            self.stdout.write(f"{agency_obj.name}：")
        self.stdout.write(describe.text(profile))

    def _list(self, *, agency=None, **_):
        agencies = [looked_up(agency_named, agency)] if agency else list(Agency.objects.order_by("pk"))
        for a in agencies:
            versions = selectors.versions(a)
            if not versions:
                self.stdout.write(f"{a.name}（{a.short_name}）：未载入配置，适用内置配置 {selectors.default_code()}")
                continue
            self.stdout.write(f"{a.name}（{a.short_name}）：")
            for i, pv in enumerate(versions):
                who = pv.loaded_by.username if pv.loaded_by else "系统"
                self.stdout.write(f"  第{pv.number}版 {pv.code} {pv.name} {pv.loaded_at:%Y-%m-%d %H:%M} {who}"
                                  f"{'（现行）' if i == 0 else ''}{'：' + pv.reason if pv.reason else ''}")
