"""What each stage must hold before the case may leave it, as data with its legal basis.

The tables live in the agency profile (liuhen/profiles/data/*.yaml, `stages:`): for each stage ×
kind × procedure × start mode a list of requirements; each names the record-type codes of which at
least one must be complete (not voided, signatures satisfied), its id and the articles it rests on
(shown on the case page next to it). A case is held to the profile version it was opened under.
A Requirement is a tuple of its codes, so that `set(req)` is the codes; `req.id` and `req.basis`
say what it is and why.

The module-level tables (REQUIREMENTS, KIND_OVERRIDES, EMERGENCY_START, CLOSURE,
ARCHIVE_AFTER_CLOSURE) are those of the packaged base profile, in the shape they had before
profiles, for readers that list them.
"""
from liuhen.profiles import loader
from liuhen.profiles import selectors as profiles

from .models import Kind, Procedure, Stage, StartMode


class Requirement(tuple):
    """立卷要求: one of `codes` complete. `drafted_suffices`: to LEAVE the stage a drafted (not
    voided) record is enough, its signatures may follow (the emergency approval, LC 8); archiving
    re-checks it complete."""

    def __new__(cls, id, codes=None, basis: str = "", *, drafted_suffices: bool = False):
        if codes is None:  # rebuilt from its codes alone (as Django's lookups do with a tuple)
            id, codes = "", id
        self = super().__new__(cls, codes)
        self.id, self.basis, self.drafted_suffices = id, basis, drafted_suffices
        return self

    def __reduce__(self):  # copy and pickle rebuild it with its id and basis
        return (Requirement, (self.id, tuple(self), self.basis), {"drafted_suffices": self.drafted_suffices})

    def __repr__(self):
        return f"Requirement({self.id!r}, {tuple(self)!r}, {self.basis!r})"


R = Requirement

_CACHE: dict[int, dict] = {}


def _of(profile, stage: str, kind: str = "", procedure: str = "", start_mode: str = "", *,
        closed: bool = False) -> list[Requirement]:
    """The requirements of the profile's most specific entry, as Requirement tuples (memoised per
    profile object: a profile is immutable)."""
    memo = _CACHE.setdefault(id(profile), {"__profile__": profile})
    key = (stage, kind, procedure, start_mode, closed)
    if key not in memo:
        memo[key] = [R(r.id, r.codes, r.article, drafted_suffices=r.drafted_suffices)
                     for r in profile.requirements_for(stage, kind, procedure, start_mode, closed=closed)]
    return memo[key]


_BASE = loader.packaged("base")

REQUIREMENTS: dict[str, dict[str, list[Requirement]]] = {
    p: {s: _of(_BASE, s, "", p, StartMode.EX_OFFICIO) for s in Stage} for p in Procedure}

# Kinds whose general procedure differs: an inspection (行政检查) may have no party to notify of
# rights, and ends with findings and follow-up rather than a penalty decision.
KIND_OVERRIDES: dict[str, dict[str, list[Requirement]]] = {
    Kind.INSPECTION: {s: _of(_BASE, s, Kind.INSPECTION, Procedure.GENERAL, StartMode.EX_OFFICIO)
                      for s in (Stage.INVESTIGATION, Stage.DECISION, Stage.SERVICE)},
}

# LC 8, LQ 8(二): an emergency start may leave 程序启动 once the 紧急先行启动补批表 is drafted; the
# leader signs it within 24 h (rules.EMERGENCY_APPROVAL_HOURS), and archiving re-checks it signed.
EMERGENCY_START = _of(_BASE, Stage.START, "", Procedure.GENERAL, StartMode.EMERGENCY)[0]

# A case closed at its start (rules.CLOSE_AT_START): the signed written answer, by start mode.
# BX 5(1), LC 7, LQ 8(一): 不予受理决定书; LC 9, LQ 8(三): the written reply to a real-name complainant.
CLOSURE: dict[str, Requirement] = {
    m: _of(_BASE, Stage.START, "", "", m, closed=True)[0]
    for m in (StartMode.APPLICATION, StartMode.COMPLAINT)}

# The archive of a case closed at its start holds the 归档登记表 only (no 结案报告: nothing was
# investigated, decided or executed; BX 11, LC 31, LQ 28).
ARCHIVE_AFTER_CLOSURE: list[Requirement] = _of(_BASE, Stage.ARCHIVE, closed=True)


# Stages whose records are made anew when the case comes back to them (send_back, LW-L 15): the
# proposal, approval and decision of a sent-back case rested on an investigation found wanting.
# The investigation's own records stay evidence and are added to, so 调查取证 does not reset.
REDONE_ON_REENTRY: frozenset[str] = frozenset({Stage.DECISION})

# The stages a case closed at its start does not go through (shown as 未进行, not as done).
SKIPPED_ON_CLOSURE: tuple[str, ...] = (Stage.INVESTIGATION, Stage.DECISION, Stage.SERVICE)


def requirements_for(procedure: str, stage: str, kind: str = "", profile=None) -> list[Requirement]:
    """The requirements of `stage` under `procedure` and `kind` (not an emergency start), by
    `profile` (default: the packaged default profile)."""
    Procedure(procedure), Stage(stage)  # an unknown one is a programming error, as before
    return _of(profile or profiles.default_profile(), stage, kind, procedure, StartMode.EX_OFFICIO)


def is_emergency(case) -> bool:
    """An emergency start under the general procedure (LC 8: 依职权启动一般程序…情况紧急的)."""
    return case.start_mode == StartMode.EMERGENCY and case.procedure == Procedure.GENERAL


def stage_requirements(case, stage: str, *, closed: bool = False) -> list[Requirement]:
    """The requirements of `stage` for this case, as the profile version it was opened under says:
    by procedure and kind, with the start mode's own (emergency approval) and, for a case closed at
    its start, the closure's."""
    profile = profiles.profile_for_case(case)
    return _of(profile, stage, case.kind, case.procedure, case.start_mode, closed=closed)
