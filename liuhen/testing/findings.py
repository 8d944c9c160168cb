"""Helpers for the findings engine's tests (liuhen/oversight/tests)."""
import dataclasses


def found(case, *, now=None, profile=None) -> list:
    """The findings of `case` as the engine computes them now (nothing stored)."""
    from liuhen.oversight import engine

    pf = (lambda c: profile) if profile is not None else None
    return engine.evaluate([case.pk], now=now, profile_for=pf)[case.pk][0]


def codes(case, **kw) -> set[str]:
    return {f.code for f in found(case, **kw)}


def clocks(case, *, now=None, profile=None) -> dict:
    from liuhen.oversight import engine

    pf = (lambda c: profile) if profile is not None else None
    return {c.deadline: c for c in engine.evaluate([case.pk], now=now, profile_for=pf)[case.pk][1]}


def profile_with(case, **changes):
    """The profile `case` is held to (profiles.selectors.profile_for_case) with fields replaced."""
    from liuhen.profiles.selectors import profile_for_case

    return dataclasses.replace(profile_for_case(case), **changes)


def with_rule(profile, rule_id, value, article="LC 10"):
    from liuhen.profiles.spec import RuleValue

    return dataclasses.replace(profile, rules={**profile.rules, rule_id: RuleValue(rule_id, value, article)})
