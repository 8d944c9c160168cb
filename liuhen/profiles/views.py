"""The agency's profile page (/profiles/): its active profile read as the 记录事项清单 (BX 4, LQ 20)
— per kind × procedure × stage the records required with who signs, the acts that need audio-video
recording with their 执法用语, the deadlines, the score card, each with its article — and its
version history with a diff between two versions. Every look is a ledger read."""
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from liuhen.ledger import services as ledger

from . import describe, selectors
from . import vocabulary as V


@login_required
def index(request):
    agency = request.user.agency
    if agency is None:
        raise Http404
    versions = selectors.versions(agency)
    profile = selectors.active_profile(agency)
    shown = None
    if request.GET.get("version", "").isdigit():
        shown = next((pv for pv in versions if pv.number == int(request.GET["version"])), None)
        if shown is None:
            raise Http404
        profile = selectors.version_profile(shown)
    diff = None
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if a.isdigit() and b.isdigit():
        by_number = {pv.number: pv for pv in versions}
        if int(a) not in by_number or int(b) not in by_number:
            raise Http404
        old, new = by_number[int(a)], by_number[int(b)]
        diff = {"a": old, "b": new,
                "lines": describe.source_diff(old.source, new.source, f"第{old.number}版", f"第{new.number}版")}
    ledger.append(V.VIEW, actor=request.user, object_type=V.AGENCY_OBJECT, object_id=agency.pk,
                  detail={"version": profile.version, "diff": [a, b] if diff else []})
    return render(request, "profiles/index.html", {
        "agency": agency, "profile": profile, "versions": versions, "shown": shown,
        "active_number": versions[0].number if versions else 0, "default_code": selectors.default_code(),
        "stage_rows": describe.stage_rows(profile), "av_rows": describe.av_rows(profile),
        "deadline_rows": describe.deadline_rows(profile),
        "signature_rows": [{"record": describe.record_name(s.record_type), "applies": describe.applies_label(s.applies),
                            "who": describe.signature_label(s.value), "article": s.article} for s in profile.signatures],
        "rules": [{"text": r.text or r.id, "value": describe.rule_value_label(r.value), "article": r.article}
                  for r in profile.rules.values()],
        "publicity": describe.publicity_label(profile) if profile.publicity else None, "diff": diff,
        "value_sections": describe.value_sections(profile),
    })
