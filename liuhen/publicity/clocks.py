"""TEMPORARY stand-in (the clocks are being written in wt-clocks; this keeps main runnable)."""
from liuhen.profiles.selectors import profile_for_case


def excluded_reason(case) -> str:
    from liuhen.publicity.models import Exemption

    spec = profile_for_case(case).publicity
    if spec is None:
        return "本机关未规定公示"
    if spec.applies.procedures and case.procedure not in spec.applies.procedures:
        return "该程序的决定不公示"
    if Exemption.objects.filter(case=case).exists():
        return "已决定不予公开"
    return ""
