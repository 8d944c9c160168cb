"""`{% load oversight %}{% oversight_notice_badge %}` — the count of the user's unseen notices (新
问题 and approaching deadlines, liuhen.oversight.notices) as a link to the list; nothing when there
are none or the user has no to-do list (the three administrators). `{% oversight_notice_count as n %}`
gives the number alone."""
from django import template

register = template.Library()


def _user(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@register.simple_tag(takes_context=True)
def oversight_notice_count(context) -> int:
    from liuhen.oversight import notices, selectors

    user = _user(context)
    if user is None or not selectors.works_cases(user):
        return 0
    return notices.count_for(user)


@register.inclusion_tag("oversight/_notice_badge.html", takes_context=True)
def oversight_notice_badge(context):
    return {"notice_count": oversight_notice_count(context)}
