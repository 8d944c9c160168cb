"""Reads of the archive room (档案室): 待归档 with the profile's 30-day deadline, 待接收 (the 归档登记表 an
archivist has still to sign), the shelves of archived cases by year and kind, the supplements of a case
and the imported packages. Each list is a bounded number of queries, whatever the number of cases."""
import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.cases.models import Case, Kind, Stage, StageTransition
from liuhen.profiles.selectors import profile_for_case
from liuhen.profiles.spec import FILE_RETENTIONS
from liuhen.records.models import Outcome, Record, SignerRole, Signature
from liuhen.workdays import calendar

from .models import AssembledDocument, AssembledFile, ImportedFile, ImportedPackage, Supplement

ROOM_ROLES = (Role.ARCHIVIST, Role.AGENCY_HEAD, Role.SUPERVISOR)  # who opens /archive/
SUPPLEMENT_ROLES = (Role.ARCHIVIST, Role.AGENCY_HEAD)  # who adds a supplement to an archived case
IMPORT_ROLES = (Role.ARCHIVIST, Role.AGENCY_HEAD)  # who takes in another instance's package
ARCHIVE_DEADLINE = "archive"  # the profile's DeadlineSpec: 立卷归档, from entering 归档管理 to case.archived
REGISTER_CODE = "archive_register"  # 归档登记表, signed by the archivist when the file is received
SHELF_LIMIT = 200  # the cases listed on one shelf (the counts are of all)


def may_use_room(user) -> bool:
    return bool(user.is_authenticated and user.agency_id and user.has_role(*ROOM_ROLES))


def may_add_supplement(user, case) -> bool:
    return bool(user.is_authenticated and user.agency_id == case.agency_id and user.has_role(*SUPPLEMENT_ROLES))


def may_import(user) -> bool:
    return bool(user is not None and user.agency_id and user.has_role(*IMPORT_ROLES))


@dataclass(frozen=True)
class Pending:
    """待归档: a case in 归档管理 not yet archived, with when it entered the stage and its due time."""

    case: Case
    entered_at: datetime.datetime | None
    due_at: datetime.datetime | None  # None: the profile names no deadline, or the calendar lacks the year
    days_left: int | None  # whole days to the due date (negative: overdue)

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def late_days(self) -> int:
        return -self.days_left if self.overdue else 0


def _due(case, entered_at):
    spec = profile_for_case(case).deadline(ARCHIVE_DEADLINE)
    if spec is None or entered_at is None:
        return None
    return calendar.due(entered_at, spec.period.amount, spec.period.unit)


def pending(user, now=None) -> list[Pending]:
    """待归档: the agency's cases in 归档管理 not yet archived, the oldest entry first."""
    now = now or timezone.now()
    cases = list(Case.objects.filter(agency_id=user.agency_id, stage=Stage.ARCHIVE, archived_at__isnull=True)
                 .select_related("unit"))
    entered = dict(StageTransition.objects.filter(case__in=cases, to_stage=Stage.ARCHIVE)
                   .values("case_id").annotate(at=Max("at")).values_list("case_id", "at"))
    today = timezone.localdate(now)
    out = []
    for case in cases:
        at = entered.get(case.pk)
        due_at = _due(case, at)
        left = None if due_at is None else (timezone.localdate(due_at) - today).days
        out.append(Pending(case, at, due_at, left))
    far = datetime.datetime.max.replace(tzinfo=datetime.timezone.utc)
    return sorted(out, key=lambda p: (p.due_at or far, p.case.pk))


@dataclass(frozen=True)
class ToReceive:
    """待接收: a 归档登记表 drafted and not yet signed by an archivist on its latest version."""

    record: Record
    case: Case
    drafted_at: datetime.datetime


def to_receive(user) -> list[ToReceive]:
    records = list(Record.objects.filter(case__agency_id=user.agency_id, case__stage=Stage.ARCHIVE,
                                         case__archived_at__isnull=True, record_type__code=REGISTER_CODE,
                                         void__isnull=True)
                   .select_related("case").annotate(latest=Max("versions__number")).order_by("created_at", "id"))
    signed = set(Signature.objects.filter(record__in=records, role=SignerRole.ARCHIVIST, outcome=Outcome.SIGNED)
                 .values_list("record_id", "version__number"))
    return [ToReceive(r, r.case, r.created_at) for r in records if (r.pk, r.latest) not in signed]


@dataclass(frozen=True)
class Shelf:
    """档案架: the archived cases of one year of archiving and one kind."""

    year: int
    kind: str
    kind_label: str
    count: int


def shelves(user) -> list[Shelf]:
    """The agency's archived cases counted by year of archiving and kind, the newest year first."""
    rows = (Case.objects.filter(agency_id=user.agency_id, archived_at__isnull=False)
            .annotate(y=ExtractYear("archived_at")).values("y", "kind").annotate(n=Count("id")))
    counts = {(r["y"], r["kind"]): r["n"] for r in rows}
    labels = dict(Kind.choices)
    return [Shelf(y, k, labels.get(k, k), n) for (y, k), n in sorted(counts.items(), key=lambda x: (-x[0][0], x[0][1]))]


@dataclass(frozen=True)
class Shelved:
    case: Case
    retention: str  # 保管期限, from the profile's archive.file_retention


def shelf(user, year: int, kind: str | None = None) -> list[Shelved]:
    """The agency's cases archived in `year` (local time), of `kind` if given; the newest first."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    qs = Case.objects.filter(agency_id=user.agency_id, archived_at__gte=start, archived_at__lt=end)
    if kind:
        qs = qs.filter(kind=kind)
    out = []
    for case in qs.order_by("-archived_at", "-id")[:SHELF_LIMIT]:
        code = profile_for_case(case).archive.file_retention
        out.append(Shelved(case, FILE_RETENTIONS.get(code, code)))
    return out


# ---- supplements ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupplementRow:
    """One supplement as the case page, the volume's 备考表 and the package read it."""

    supplement: Supplement
    title: str
    kind: str
    note: str
    added_at: datetime.datetime
    added_by: str
    sha256: str
    filename: str


def supplements(case) -> list[SupplementRow]:
    return [SupplementRow(s, s.title, s.kind, s.note, s.added_at, s.added_by.display_name, s.file_id, s.filename)
            for s in Supplement.objects.filter(case=case).select_related("added_by").order_by("id")]


# ---- imported packages --------------------------------------------------------------------------------


def imported_visible(user):
    """The packages the user's agency imported, and those the system imported (no agency)."""
    return ImportedPackage.objects.filter(Q(agency_id=user.agency_id) | Q(agency__isnull=True))


def imported(user) -> list[ImportedPackage]:
    return list(imported_visible(user).select_related("imported_by").order_by("-imported_at", "-id"))


def imported_files(package) -> list[ImportedFile]:
    return list(ImportedFile.objects.filter(package=package).order_by("path"))


def stored_blobs(shas: set[str]) -> set[str]:
    """Of `shas`, those a supplement, an imported file or an assembled file stores (media.purge asks before deleting):
    the archive keeps them as long as the archive is kept."""
    return (set(Supplement.objects.filter(file_id__in=shas).values_list("file_id", flat=True))
            | set(ImportedFile.objects.filter(blob_id__in=shas).values_list("blob_id", flat=True))
            | set(AssembledFile.objects.filter(volume_id__in=shas).values_list("volume_id", flat=True))
            | set(AssembledDocument.objects.filter(blob_id__in=shas).values_list("blob_id", flat=True)))
