"""执法规则配置版本 — each profile an agency loads, kept whole and never changed.

A version is the YAML text as loaded (source), its SHA-256, who loaded it, when and why. Numbers run
1, 2, … per agency; the agency's active profile is its latest version. A case pins the version it
started under (cases.Case.profile_version), so a later load never reaches back into it."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel


class ProfileVersion(AppendOnlyModel):
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="profile_versions",
                               verbose_name="执法机关")
    code = models.CharField("配置代码", max_length=32)
    name = models.CharField("名称", max_length=200)
    number = models.PositiveIntegerField("版本号")
    source = models.TextField("配置文本（YAML）")
    sha256 = models.CharField("SHA-256", max_length=64)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="载入人")
    loaded_at = models.DateTimeField("载入时间", default=timezone.now)
    reason = models.CharField("载入原因", max_length=500, blank=True)

    ledger_object_type = "profile_version"

    class Meta:
        verbose_name = verbose_name_plural = "执法规则配置版本"
        ordering = ["agency_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="profile_version_unique_number")]

    def __str__(self):
        return f"{self.code} 第{self.number}版（{self.name}）"
