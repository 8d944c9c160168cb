"""What the archive shows on the case page (cases/pages.py, registered in ArchiveConfig.ready()): the
supplements of an archived case (案卷归档后补充材料), each file a download that is a read event, and the
form for the archivist or the agency head."""
from . import forms
from . import selectors as s

TEMPLATE = "archive/supplements_part.html"


def case_page(user, case, *, can_work) -> dict:
    rows = s.supplements(case) if case.is_archived else []
    may_add = case.is_archived and s.may_add_supplement(user, case)
    if not rows and not may_add:
        return {"archive_supplements": None}
    return {"archive_supplements": {"rows": rows, "form": forms.SupplementForm() if may_add else None}}


def register() -> None:
    from liuhen.cases import pages as case_pages

    case_pages.register_case_page(case_page)
    case_pages.register_case_part(TEMPLATE)
