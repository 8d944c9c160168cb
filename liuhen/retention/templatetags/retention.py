"""`{% load retention %}{% retention_notices %}` — the in-app notice (待清理公告) for the home page:
how many files the user is a custodian of were announced for purge, and a link to the list."""
from django import template

register = template.Library()


@register.inclusion_tag("retention/_notices.html", takes_context=True)
def retention_notices(context):
    from liuhen.retention import selectors

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"retention_notices": []}
    return {"retention_notices": selectors.notices_for(user), "retention_notices_all": selectors.sees_all(user)}
