"""Agency, units, people and their enforcement certificates."""
import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from liuhen.common import crypto
from liuhen.common.fields import EncryptedTextField

from .roles import Role


class Agency(models.Model):
    """执法机关 — the enforcement agency that runs this Liuhen."""

    name = models.CharField("机关名称", max_length=100, unique=True)
    short_name = models.CharField("文号简称", max_length=10, help_text="用于案件编号，如“本水”")
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("电话", max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法机关"

    def __str__(self):
        return self.name


class Unit(models.Model):
    """执法机构/科室 — a unit of the agency that handles cases."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    name = models.CharField("名称", max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "执法机构"
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_unique_name")]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who logs in: officer, leader, reviewer, archivist, administrator…"""

    full_name = models.CharField("姓名", max_length=50)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="people")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="people")
    # Personal information of staff is encrypted at rest as well (SPEC §9).
    phone = EncryptedTextField("手机号", blank=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = "人员"

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def role_codes(self) -> set[str]:
        if not hasattr(self, "_role_codes"):
            self._role_codes = set(self.groups.values_list("name", flat=True)) & set(Role.values)
        return self._role_codes

    def has_role(self, *roles) -> bool:
        return bool(self.role_codes() & {str(r) for r in roles})

    def role_labels(self) -> list[str]:
        return [Role(c).label for c in sorted(self.role_codes())]

    def certificate_on(self, day: datetime.date | None = None):
        """The 执法证 valid on `day` (today by default), or None."""
        day = day or timezone.localdate()
        return (
            self.certificates.filter(valid_from__lte=day, valid_until__gte=day, revoked=False)
            .order_by("-valid_until")
            .first()
        )

    @property
    def masked_phone(self) -> str:
        return crypto.mask(self.phone, 3, 4)


class Certificate(models.Model):
    """执法证 — an officer's enforcement certificate with its validity dates."""

    holder = models.ForeignKey(User, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField("执法证号", max_length=40, unique=True)
    issued_by = models.CharField("发证机关", max_length=100, blank=True)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期止")
    revoked = models.BooleanField("已注销", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "执法证"

    def __str__(self):
        return self.number

    def is_valid_on(self, day: datetime.date) -> bool:
        return not self.revoked and self.valid_from <= day <= self.valid_until
