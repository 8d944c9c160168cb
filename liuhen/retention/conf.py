"""LIUHEN_RETENTION read with its defaults (settings.py; per agency later, issue 15). Values are
checked at start (checks.py): a bad one stops the system instead of keeping footage too briefly."""
from django.conf import settings

DEFAULTS = {
    "raw_months": 6,            # LW-D 11: 不少于6个月
    "case_file_years": 30,      # LW-D 11: 与案卷保存期限相同 (the agency's case-file retention)
    "long_term_years": None,    # LW-D 12: 长期保存; None = permanent
    "notice_days": 30,
    "recovery_days": 7,
    "hold_roles": ["agency_head", "legal_reviewer"],
    "decide_roles": ["agency_head"],
    "restore_roles": ["device_admin", "agency_head"],
}


def value(name: str):
    configured = getattr(settings, "LIUHEN_RETENTION", None) or {}
    if isinstance(configured, dict) and name in configured:
        return configured[name]
    return DEFAULTS[name]


def raw_months() -> int:
    return int(value("raw_months"))


def case_file_years() -> int:
    return int(value("case_file_years"))


def long_term_years() -> int | None:
    years = value("long_term_years")
    return None if years is None else int(years)


def notice_days() -> int:
    return int(value("notice_days"))


def recovery_days() -> int:
    return int(value("recovery_days"))


def roles(name: str) -> list[str]:
    return list(value(name))
