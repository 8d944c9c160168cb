"""Template tags of the profiles app: the 执法用语 to say before recording an act (LW-D 6, LQ 20,
LQ 25), for a page about to record a record of a given type (e.g. the record form)."""
from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def phrases_for_record(case, code: str) -> list:
    """[(act label, [Phrase])] for the acts a record of type `code` documents in `case`'s profile."""
    if case is None or not code:
        return []
    profile = selectors.profile_for_case(case)
    out = []
    for act in profile.av_acts:
        if any(rec == code for rec, _method in act.records):
            phrases = profile.phrases_for(act.id)
            if phrases:
                out.append((act.label, phrases))
    return out
