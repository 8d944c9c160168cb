"""Agency, units, people and their enforcement certificates."""
import datetime

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from liuhen.common import crypto, memo
from liuhen.common.append_only import AppendOnlyModel
from liuhen.common.fields import EncryptedTextField
from liuhen.ledger.subjects import LedgerState

from .roles import Role


class Agency(LedgerState, models.Model):
    """执法机关 — the enforcement agency that runs this Liuhen."""

    # Its name and short name go on every case number and document: `liuhen verify` checks them.
    ledger_object_type = "agency"
    ledger_state_fields = ("name", "short_name", "credit_code", "address", "phone")

    name = models.CharField("机关名称", max_length=100, unique=True)
    short_name = models.CharField("文号简称", max_length=10, help_text="用于案件编号，如“本水”")
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("电话", max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法机关"

    def __str__(self):
        return self.name


class Unit(LedgerState, models.Model):
    """执法机构/科室 — a unit of the agency that handles cases."""

    # A unit's agency decides whose cases its people see.
    ledger_object_type = "unit"
    ledger_state_fields = ("agency_id", "name")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units", verbose_name="执法机关")
    name = models.CharField("名称", max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "执法机构"
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_unique_name")]

    def __str__(self):
        return self.name


class UserManager(DjangoUserManager):
    """Django's manager, with each user it creates in the ledger: `liuhen createsuperuser` and
    `User.objects.create_user` are write paths as well, and a user without an event is reported as
    inserted by `liuhen verify`. (accounts.services.create_user is the application's own path.)"""

    def _create_user(self, username, email, password, **extra_fields):
        from liuhen.ledger import services as ledger

        from .vocabulary import USER_CREATE

        with transaction.atomic(using=self.db):
            user = super()._create_user(username, email, password, **extra_fields)
            ledger.append(USER_CREATE, object_type=user.ledger_object_type, object_id=user.pk,
                          content_sha256=user.ledger_digest(),
                          detail={"username": user.username, "agency": user.agency_id, "unit": user.unit_id})
        return user

    async def _acreate_user(self, username, email, password, **extra_fields):
        # The ledger is synchronous: the same path, in a thread.
        return await sync_to_async(self._create_user)(username, email, password, **extra_fields)


class User(LedgerState, AbstractUser):
    """A person who logs in: officer, leader, reviewer, archivist, administrator…"""

    # What decides what someone may see and do: their login, agency and unit (which cases they
    # see) and whether they may log in, open the admin or bypass every permission. Not the
    # password or last_login, which change on every login or rehash; not the name or phone,
    # which are personal data and decide nothing. Roles are checked apart (ledger_checks.check).
    # must_change_password decides what the person may do next (nothing but change the password an
    # administrator set): cleared by SQL, it would let whoever set the password go on using it.
    # password_reset_pending decides whether they may log in at all (a reset awaiting the security
    # administrator's release): cleared by SQL, the system administrator alone would take the account.
    ledger_object_type = "user"
    ledger_state_fields = ("username", "agency_id", "unit_id", "is_active", "is_staff", "is_superuser",
                           "must_change_password", "password_reset_pending")

    # Django's own columns, with Chinese names and help texts (the configuration admin shows them).
    username = models.CharField(
        "用户名", max_length=150, unique=True, validators=[UnicodeUsernameValidator()],
        help_text="登录用的名称，最多150个字符，只能包含字母、数字和 @ . + - _。",
        error_messages={"unique": "已有人使用该用户名。"})
    email = models.EmailField("电子邮箱", blank=True)
    is_active = models.BooleanField("启用", default=True,
                                    help_text="取消勾选即停用该账号：不能登录，账号和记录保留（不删除）。")
    is_staff = models.BooleanField("可登录配置后台", default=False,
                                   help_text="由角色决定：系统管理员、安全管理员可以登录配置后台，其他人不能。")
    is_superuser = models.BooleanField("超级用户", default=False,
                                       help_text="只在系统初始化时由命令行创建，用于创建三员管理员；不能在此设置。")
    date_joined = models.DateTimeField("创建时间", default=timezone.now)

    full_name = models.CharField("姓名", max_length=50)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="people",
                               verbose_name="执法机关")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="people",
                             verbose_name="执法机构")
    # Personal information of staff is encrypted at rest as well (SPEC §9).
    phone = EncryptedTextField("手机号", blank=True, default="")
    # 等保 2.0 身份鉴别: a password set by an administrator (a new account, a reset) is known to
    # them; its owner must replace it at the next login before doing anything else.
    must_change_password = models.BooleanField(
        "下次登录须修改密码", default=False, help_text="由管理员设置或重置的密码，本人下次登录时必须修改。")
    # 三员分立 for a reset: the system administrator who set the password knows it, so the account
    # cannot log in until the security administrator (another person) releases it.
    password_reset_pending = models.BooleanField(
        "密码重置待确认", default=False,
        help_text="系统管理员重置密码后，须经安全管理员确认，该账号才能登录。")

    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = "人员"

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def clean(self):
        super().clean()
        # A unit's agency decides whose cases its people see: a person's unit is of their agency.
        if self.unit_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": ValidationError("所属执法机构不属于该执法机关。", code="unit_agency")})

    def get_short_name(self) -> str:
        # Django's admin greets by the short name (欢迎，…): the person's name, not the login name.
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name

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
        return memo.remember(("certificate_on", self.pk, day), lambda: (
            self.certificates.filter(valid_from__lte=day, valid_until__gte=day, revoked=False)
            .order_by("-valid_until")
            .first()
        ))

    @property
    def masked_phone(self) -> str:
        return crypto.mask(self.phone, 3, 4)


class Certificate(LedgerState, models.Model):
    """执法证 — an officer's enforcement certificate with its validity dates."""

    # An expired or revoked certificate bars its holder from every enforcement act: each of these
    # columns, changed behind the log's back, would let the wrong person act.
    ledger_object_type = "certificate"
    ledger_state_fields = ("holder_id", "number", "issued_by", "valid_from", "valid_until", "revoked")

    holder = models.ForeignKey(User, on_delete=models.PROTECT, related_name="certificates", verbose_name="持证人")
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


class PasswordHistory(AppendOnlyModel):
    """历史密码 — the hash of each password a person was given or chose, kept append-only: a new
    password may not be one of the last LIUHEN_PASSWORD_HISTORY (等保 2.0 身份鉴别), and the newest
    row says when the password was set (its expiry, LIUHEN_PASSWORD_MAX_AGE_DAYS)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="password_history", verbose_name="人员")
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-pk"]


class Supervision(LedgerState, AppendOnlyModel):
    """上级监督 — agency `supervisor` oversees agency `supervised` (a county 司法局 over the county's
    enforcement agencies, a department over its subordinate agencies; 行政执法监督): the supervising
    agency's 监督人员 read the supervised agency's cases — never work on them (cases.access). Declared
    by the platform's system administrator; ended by a SupervisionEnd row, never by a change."""

    # Each column decides who reads whose cases: a row slipped in by SQL would open an agency's cases
    # to another, so each row's state is in the log (`liuhen verify`).
    ledger_object_type = "supervision"
    ledger_state_fields = ("supervisor_id", "supervised_id", "basis", "granted_by_id")

    supervisor = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="supervisions",
                                   verbose_name="监督机关")
    supervised = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="supervised_by",
                                   verbose_name="被监督机关")
    basis = models.CharField("监督依据", max_length=200)
    granted_by = models.ForeignKey("User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="登记人")
    granted_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "上级监督"
        ordering = ["id"]

    def __str__(self):
        return f"{self.supervisor} 监督 {self.supervised}"


class SupervisionEnd(LedgerState, AppendOnlyModel):
    """The end of a supervision (终止监督): appended, the supervision row stays."""

    ledger_object_type = "supervision_end"
    ledger_state_fields = ("supervision_id", "reason", "ended_by_id")

    supervision = models.OneToOneField(Supervision, on_delete=models.PROTECT, related_name="end",
                                       verbose_name="上级监督")
    reason = models.CharField("终止理由", max_length=200)
    ended_by = models.ForeignKey("User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="登记人")
    ended_at = models.DateTimeField("终止时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "终止上级监督"
