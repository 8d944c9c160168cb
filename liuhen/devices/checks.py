"""System checks of LIUHEN_DEVICES (`liuhen check`, every management command, wsgi.py): the period of
the periodic check (LW-D 4: 定期进行保养维护) and the equipment ratio per unit are read by the
registry page; a mistyped value would be a rule the agency believes it set and which does not apply.
Refused at start, with what is wrong."""
from django.conf import settings
from django.core import checks

from . import vocabulary as v

KEYS = ("check_every_days", "equipment_ratio")
HINT = ('例如 LIUHEN_DEVICES=\'{"check_every_days": 90, "equipment_ratio": {"cameras": 1, "officers": 2}}\''
        '（liuhen/settings.py）')


def _positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def devices_setting(app_configs=None, **kwargs):
    value = getattr(settings, "LIUHEN_DEVICES", None)
    if value is None:
        return []
    if not isinstance(value, dict):
        return [checks.Error(f"LIUHEN_DEVICES 无效：{value if isinstance(value, str) else '应为 JSON 对象'}",
                             hint=HINT, id=v.CHECK_SETTING)]
    errors = []
    unknown = sorted(set(value) - set(KEYS))
    if unknown:
        errors.append(checks.Error(f"LIUHEN_DEVICES 含未知的键：{'、'.join(map(str, unknown))}（可用：{'、'.join(KEYS)}）",
                                   hint=HINT, id=v.CHECK_SETTING))
    every = value.get("check_every_days")
    if every is not None and not (_positive_int(every) and every <= 3660):
        errors.append(checks.Error(f"LIUHEN_DEVICES 的 check_every_days 无效：{every!r}，应为 1 到 3660 的整数（天）或 null",
                                   hint=HINT, id=v.CHECK_EVERY_DAYS))
    ratio = value.get("equipment_ratio")
    if ratio is not None and not (isinstance(ratio, dict) and set(ratio) == {"cameras", "officers"}
                                  and _positive_int(ratio["cameras"]) and _positive_int(ratio["officers"])):
        errors.append(checks.Error(f"LIUHEN_DEVICES 的 equipment_ratio 无效：{ratio!r}，应为 "
                                   '{"cameras": 正整数, "officers": 正整数}（每若干名持证执法人员配备若干台执法记录仪）或 null',
                                   hint=HINT, id=v.CHECK_RATIO))
    return errors
