"""The case page's retention card (音像资料保存): the case's long-term grounds and legal holds, and
the way to its retention page. Registered through the cases app's registry (cases/pages.py)."""
TEMPLATE = "retention/case_part.html"


def case_page(user, case, *, can_work) -> dict:
    from . import selectors

    return {"retention_grounds": selectors.grounds_of(case=case), "retention_held": bool(selectors.holds_of(case=case))}


def register() -> None:
    from liuhen.cases import pages

    pages.register_case_page(case_page)
    pages.register_case_part(TEMPLATE)
