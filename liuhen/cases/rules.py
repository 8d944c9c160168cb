"""Rules as data (规则即数据): each rule the cases app enforces, with its value and the articles it
rests on, so that code, pages and an auditor read the same thing.

The values live in the agency profile (liuhen/profiles/data/*.yaml, `rules:`). The constants here
are those of the packaged base profile — the system's rules before an agency loads its own — and
`rule_of(subject, RULE)` gives the rule as a case's profile (or an agency's active one) says it.
The article keys are those of docs/regulations/README.md.
"""
from dataclasses import dataclass

from liuhen.profiles import loader
from liuhen.profiles import selectors as profiles


@dataclass(frozen=True)
class Rule:
    """One rule: a stable id, its value, its legal basis (依据) and what it says in Chinese."""

    id: str
    value: object
    basis: str
    text: str = ""


def _rule(profile, rule_id: str) -> Rule:
    r = profile.rules[rule_id]
    return Rule(r.id, r.value, r.article, r.text)


_BASE = loader.packaged("base")

# LC 10, LQ 17: on-site acts (inspection, inquiry, refusal to sign) by two or more certified officers.
ON_SITE_OFFICERS = _rule(_BASE, "on_site_officers")

# LC 8, LQ 8(二): an emergency start is reported for approval within 24 hours of the start.
EMERGENCY_APPROVAL_HOURS = _rule(_BASE, "emergency_approval_hours")

# BX 5(1), LC 7, LQ 8(一) and LC 9, LQ 8(三): a case that ends at its start (不予受理, or a
# real-name complaint not pursued and answered in writing) skips investigation, decision and
# service, but its file is still archived (BX 11, LC 31, LQ 28).
CLOSE_AT_START = _rule(_BASE, "close_at_start")

RULES = {r.id: r for r in (ON_SITE_OFFICERS, EMERGENCY_APPROVAL_HOURS, CLOSE_AT_START)}


def profile_of(subject):
    """The profile `subject` is held to: a case's pinned one, an agency's active one, else the default."""
    if subject is None:
        return profiles.default_profile()
    if hasattr(subject, "profile_version_id"):
        return profiles.profile_for_case(subject)
    return profiles.active_profile(subject)


def rule_of(subject, rule: Rule) -> Rule:
    """`rule` as the profile of `subject` (a case, or an agency) says it; the base rule where the
    profile does not set it."""
    r = profile_of(subject).rules.get(rule.id)
    return rule if r is None else Rule(r.id, r.value, r.article, r.text)
