"""In-app notices (提醒) and to-do marks (owned by the oversight-pages engineer).

Notices are not stored: they are derived from the findings engine's history (FindingEvent "opened"
on the user's cases) and from the deadline clocks (Clock) due soon. What is stored is what the user
has seen: each "mark as seen" (标记为已读) appends one NoticeMark — the highest FindingEvent id seen
and the deadlines (by case, clock key and due time) seen — with its ledger event. Nothing is
updated in place: the user's latest mark is the one in force; `liuhen verify` holds every mark to
the log (oversight.E501-E503)."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class NoticeMark(LedgerState, AppendOnlyModel):
    """提醒已读标记: up to which finding event, and which approaching deadlines, the user has seen."""

    ledger_object_type = "oversight_notice_mark"
    ledger_state_fields = ("user_id", "agency_id", "seen_event_id", "seen_deadlines", "marked_at")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name="人员")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    # The highest FindingEvent id shown to the user when they marked (0: none yet).
    seen_event_id = models.BigIntegerField("已读至问题记录", default=0)
    # The approaching or overdue deadlines shown then: ["<case id>:<clock key>:<due ISO or 'unknown'>", …]
    # (a deadline whose due time moves is a new notice).
    seen_deadlines = models.JSONField("已读期限", default=list, blank=True)
    marked_at = models.DateTimeField("标记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "提醒已读标记"
        indexes = [models.Index(fields=["user", "-id"], name="noticemark_user_latest")]
