"""The audit app's own ledger actions (all reads) and the Chinese names of every action and object
type it shows. Each app may list its actions' names in `<app>.vocabulary.ACTION_LABELS`; those are
read first, this table fills in the rest, and an action nobody names is shown by its code."""
import importlib

from django.apps import apps

VIEW = "audit.view"  # the search screen or one event opened
EXPORT = "audit.export"  # the current search exported (CSV or Excel)
DENIED = "audit.denied"  # an export refused (too many rows)
READ_ACTIONS = frozenset({VIEW, EXPORT, DENIED})  # all of them: the audit screen changes nothing

ACTION_LABELS = {
    VIEW: "查看审计日志",
    EXPORT: "导出审计日志",
    DENIED: "拒绝审计操作",
    # Actions of apps that keep no vocabulary of their own (yet).
    "access.denied": "拒绝访问",
    "case.create": "创建案件",
    "case.officer_assign": "指派执法人员",
    "case.party_add": "添加当事人",
    "case.transition": "阶段流转",
    "case.view": "查看案件",
    "record.create": "创建记录",
    "record.version": "修改记录（新版本）",
    "record.attach": "上传附件",
    "record.sign": "签字",
    "record.refuse": "记录拒签",
    "record.refusal_confirm": "确认拒签",
    "record.void": "作废记录",
    "record.view": "查看记录",
    "record.download": "下载附件",
    "records.type_sync": "记录类型同步",
    "records.state_baseline": "状态基线（升级迁移）",
    "ledger.export": "导出日志包",
}

OBJECT_TYPE_LABELS = {
    "user": "人员",
    "login": "登录名",
    "agency": "执法机关",
    "unit": "执法机构",
    "certificate": "执法证",
    "case": "案件",
    "record": "记录",
    "recordtype": "记录类型",
    "device": "音像记录设备",
    "device_signout": "设备领用",
    "device_return": "设备归还",
    "device_registry": "设备台账",
    "path": "页面",
    "ledger": "日志",
    "entry": "日志条目",
}

_labels: dict[str, str] | None = None


def action_labels() -> dict[str, str]:
    """Every known action's Chinese name: this table, then each Liuhen app's vocabulary."""
    global _labels
    if _labels is None:
        labels = dict(ACTION_LABELS)
        for config in apps.get_app_configs():
            if not config.name.startswith("liuhen.") or config.name == __package__:
                continue
            try:
                module = importlib.import_module(f"{config.name}.vocabulary")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.vocabulary":
                    raise  # the module is there but broken: say so
                continue
            labels.update(getattr(module, "ACTION_LABELS", {}))
        _labels = labels
    return _labels


def action_label(action: str) -> str:
    return action_labels().get(action, action)


def object_type_label(object_type: str) -> str:
    return OBJECT_TYPE_LABELS.get(object_type, object_type)
