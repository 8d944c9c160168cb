"""What the archive app shows on the case page (through cases/pages.py, registered in
ArchiveConfig.ready()): for a case in 归档管理 or archived, the 案卷 card — its counts, its 保管期限 and
the 案卷（PDF） download (volume_views.volume, a read event). Counted with two queries, whatever the
size of the file: the case page's queries stay constant."""
from liuhen.cases.models import Stage

TEMPLATE = "archive/case_part.html"


def shows_volume(case) -> bool:
    """The 案卷 is assembled in 归档管理 (BX 11, LC 31, LQ 28) and kept once archived."""
    return case.is_archived or case.stage == Stage.ARCHIVE


def case_page(user, case, *, can_work) -> dict:
    if not shows_volume(case):
        return {"archive_volume": None}
    from liuhen.footage.models import FootageLink
    from liuhen.records.selectors import states_for_case

    from .contents import retention_label

    documents = sum(1 for st in states_for_case(case) if st.complete and not st.voided)
    media = (FootageLink.objects.filter(case=case, unlink__isnull=True).values("item_id").distinct().count())
    return {"archive_volume": {"documents": documents, "media": media, "retention": retention_label(case),
                               "archived": case.is_archived}}


def register() -> None:
    from liuhen.cases import pages as case_pages

    case_pages.register_case_page(case_page)
    case_pages.register_case_part(TEMPLATE)
