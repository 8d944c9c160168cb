"""Which profile an act is held to (reads).

- `active_profile(agency)`: the agency's latest loaded version, else the packaged profile named by
  the setting LIUHEN_DEFAULT_PROFILE ("base": the rules the system shipped with before profiles).
- `profile_for_case(case)`: the version the case was opened under (Case.profile_version); a case
  with none (opened before profiles, or while its agency had none loaded) is held to the packaged
  default.

Parsed profiles are cached by version id: a version never changes (append-only), so the findings
scan over 100 000 cases parses each version once. The service that loads a version puts its parsed
profile in the cache (a test database may reuse an id after a rollback).
"""
from django.conf import settings

from liuhen.common import memo

from . import loader
from .models import ProfileVersion
from .spec import Profile

_BY_VERSION: dict[int, tuple[str, Profile]] = {}


def default_code() -> str:
    return getattr(settings, "LIUHEN_DEFAULT_PROFILE", "base") or "base"


def default_profile() -> Profile:
    """The packaged profile in force where no version is loaded (version 0)."""
    return loader.packaged(default_code())


def remember(pv: ProfileVersion, profile: Profile) -> Profile:
    from dataclasses import replace

    profile = replace(profile, version=pv.number, sha256=pv.sha256)
    _BY_VERSION[pv.pk] = (pv.sha256, profile)
    return profile


def _parse(pv: ProfileVersion) -> Profile:
    # A stored version was valid when loaded: names are not checked again (a record type retired
    # later must not make old cases unreadable).
    return remember(pv, loader.build(pv.source, label=f"{pv.code} 第{pv.number}版", check_names=False))


def version_profile(pv: ProfileVersion) -> Profile:
    hit = _BY_VERSION.get(pv.pk)
    if hit is not None and hit[0] == pv.sha256:
        return hit[1]
    return _parse(pv)


def profile_of_version_id(pk: int | None) -> Profile:
    if pk is None:
        return default_profile()
    hit = _BY_VERSION.get(pk)
    if hit is not None:
        return hit[1]
    return _parse(ProfileVersion.objects.get(pk=pk))


def latest_version(agency) -> ProfileVersion | None:
    if agency is None or getattr(agency, "pk", None) is None:
        return None
    return ProfileVersion.objects.filter(agency_id=agency.pk).order_by("-number").first()


def latest_version_id(agency) -> int | None:
    if agency is None or getattr(agency, "pk", None) is None:
        return None
    return ProfileVersion.objects.filter(agency_id=agency.pk).order_by("-number").values_list("pk", flat=True).first()


def active_profile(agency) -> Profile:
    """The profile in force for `agency` now (its latest loaded version, else the packaged default).
    The version's digest comes with its id in the one query, and a cached profile is used only if it
    was parsed from that digest: an id reused after a rolled-back load is parsed again."""
    if agency is None or getattr(agency, "pk", None) is None:
        return default_profile()
    return memo.remember(("active_profile", agency.pk), lambda: _active_profile(agency.pk))


def _active_profile(agency_id: int) -> Profile:
    row = ProfileVersion.objects.filter(agency_id=agency_id).order_by("-number").values_list("pk", "sha256").first()
    if row is None:
        return default_profile()
    hit = _BY_VERSION.get(row[0])
    if hit is not None and hit[0] == row[1]:
        return hit[1]
    return _parse(ProfileVersion.objects.get(pk=row[0]))


def agency_section(agency_id, name: str):
    """The section `name` (retention, copies, inspections, devices) of the profile in force for the
    agency with this id — its active profile; the packaged default for None."""
    if not agency_id:
        return getattr(default_profile(), name)
    from liuhen.accounts.models import Agency

    return getattr(active_profile(Agency(pk=agency_id)), name)  # an unsaved stand-in: no query for the row


def profile_for_case(case) -> Profile:
    """The profile version `case` started under (pinned when it was opened)."""
    return profile_of_version_id(getattr(case, "profile_version_id", None))


def versions(agency) -> list[ProfileVersion]:
    return list(ProfileVersion.objects.filter(agency=agency).select_related("loaded_by").order_by("-number"))
