"""The reminder that a year's holiday notice is not loaded (工作日历): on each person's first page,
and on the configuration admin's index, the 系统管理员's first page."""
from django import template

register = template.Library()


def _missing(context) -> dict:
    from liuhen.workdays import selectors, services

    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return {"missing_year": None}
    return {"missing_year": selectors.missing_notice(), "may_load": services.may_load(user)}


@register.inclusion_tag("workdays/missing_notice.html", takes_context=True)
def workdays_missing_notice(context):
    return _missing(context)


@register.inclusion_tag("workdays/missing_notice_admin.html", takes_context=True)
def workdays_missing_notice_admin(context):
    return _missing(context)
