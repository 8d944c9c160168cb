"""音像记录设备 — the agency's recorders (执法记录仪 and others) and who held each when.

LQ 24 asks for a named person keeping the registry of recorders (登记) and a check of battery and
storage before each use; LW-D 4 says "谁使用、谁保管、谁负责". Footage is attributed to the officer
who held the camera at the recording time, so the sign-outs (领用) and returns (归还) are append-only
rows, each logged with the digest of its content, and the registry row is held to the last state
the log recorded for it (LedgerState)."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class Kind(models.TextChoices):
    BODY_CAMERA = "body_camera", "执法记录仪"
    CAMERA = "camera", "照相机"
    AUDIO_RECORDER = "audio_recorder", "录音笔"
    VIDEO_CAMERA = "video_camera", "摄像机"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    IN_USE = "in_use", "在用"
    DISABLED = "disabled", "停用"
    REPAIR = "repair", "维修中"
    SCRAPPED = "scrapped", "报废"


class ClockFlag(models.TextChoices):
    """The device clock against the server's at a check (SPEC §3: ≤ 3 s is the police practice)."""
    OK = "ok", "时间准确"
    DRIFT = "drift", "时间误差超限"
    NEVER_SET = "never_set", "时钟未设置"
    NOT_CHECKED = "not_checked", "未核对时间"


class Registered(models.Model):
    """Who registered a row of the registry (登记) and who last changed it, and when: the registry's
    rows change in place (a device's status, a station's token), each change with its ledger event."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="修改人")
    changed_at = models.DateTimeField("修改时间", null=True, blank=True)

    class Meta:
        abstract = True


class Device(LedgerState, Registered):
    """音像记录设备 — one recorder of the agency, by its number (设备编号)."""

    # Who keeps it, whether it may be used and which number footage names: all decide attribution.
    ledger_object_type = "device"
    ledger_state_fields = ("agency_id", "number", "model_name", "kind", "unit_id", "custodian_id", "status",
                           "created_by_id", "created_at", "changed_by_id", "changed_at")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="devices",
                               verbose_name="执法机关")
    number = models.CharField("设备编号", max_length=40)
    model_name = models.CharField("型号", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.BODY_CAMERA)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="devices", verbose_name="使用科室")
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="kept_devices", verbose_name="保管人")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.IN_USE)

    class Meta:
        verbose_name = verbose_name_plural = "音像记录设备"
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="device_unique_number")]
        ordering = ["number"]

    def __str__(self):
        return self.number


class Check(models.Model):
    """The check before use and at return (LQ 24, LW-D 4): battery, free storage, and the date and
    time the device shows against the server clock at that moment."""

    battery_percent = models.PositiveSmallIntegerField("电量（%）", null=True, blank=True)
    storage_free_mb = models.PositiveIntegerField("剩余存储（MB）", null=True, blank=True)
    device_time = models.DateTimeField("设备显示时间", null=True, blank=True)
    server_time = models.DateTimeField("服务器时间")
    # device − server, in milliseconds (None: no device time given).
    clock_drift_ms = models.BigIntegerField("时间误差（毫秒）", null=True, blank=True)
    # The limit in force at the check, kept so that the flag can be re-derived from the row.
    drift_limit_ms = models.PositiveIntegerField("允许误差（毫秒）")
    clock_flag = models.CharField("时间核对", max_length=20, choices=ClockFlag.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="登记人")

    CHECK_FIELDS = ("battery_percent", "storage_free_mb", "device_time", "server_time", "clock_drift_ms",
                    "drift_limit_ms", "clock_flag", "recorded_by_id")

    class Meta:
        abstract = True

    @property
    def clock_drift_seconds(self):
        return None if self.clock_drift_ms is None else self.clock_drift_ms / 1000

    @property
    def storage_free_gb(self):
        return None if self.storage_free_mb is None else round(self.storage_free_mb / 1024, 1)

    @property
    def clock_flagged(self) -> bool:
        return self.clock_flag in (ClockFlag.DRIFT, ClockFlag.NEVER_SET)


class SignOut(LedgerState, AppendOnlyModel, Check):
    """领用 — a device handed to one officer, from `server_time` until its return."""

    ledger_object_type = "device_signout"
    ledger_state_fields = ("device_id", "officer_id") + Check.CHECK_FIELDS

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="signouts", verbose_name="设备")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="device_signouts",
                                verbose_name="领用人")

    class Meta:
        verbose_name = verbose_name_plural = "设备领用"
        indexes = [models.Index(fields=["device", "server_time"]), models.Index(fields=["officer", "server_time"])]

    @property
    def signed_out_at(self):
        return self.server_time


class Return(LedgerState, AppendOnlyModel, Check):
    """归还 — the end of a sign-out (one at most: the key is unique), with its own check."""

    ledger_object_type = "device_return"
    ledger_state_fields = ("signout_id",) + Check.CHECK_FIELDS

    signout = models.OneToOneField(SignOut, on_delete=models.PROTECT, related_name="returned", verbose_name="领用")

    class Meta:
        verbose_name = verbose_name_plural = "设备归还"

    @property
    def returned_at(self):
        return self.server_time


class DockStation(LedgerState, Registered):
    """采集站（工作站）— a docking station that takes a body camera's files into custody over the
    API (SPEC §3: 采集站自动上传). It authenticates with a bearer token of its own; only the token's
    SHA-256 is kept (a stolen database does not give a working token). One token per station: a new
    one (rotate) replaces the old, and a revoked station's token is refused."""

    # Which agency a station uploads for, whether it may, and which token is its: all decide what
    # the API accepts, so they are the logged state.
    ledger_object_type = "dock_station"
    ledger_state_fields = ("agency_id", "number", "name", "unit_id", "active", "token_sha256", "created_by_id",
                           "created_at", "changed_by_id", "changed_at")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="dock_stations",
                               verbose_name="执法机关")
    number = models.CharField("采集站编号", max_length=40)
    name = models.CharField("名称", max_length=100, blank=True)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="dock_stations", verbose_name="所在科室")
    active = models.BooleanField("启用", default=True)
    token_sha256 = models.CharField("令牌摘要", max_length=64, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "采集站"
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="dock_station_unique_number")]
        ordering = ["number"]

    def __str__(self):
        return self.number


class LifeKind(models.TextChoices):
    """The events of a device's life after registration (LW-D 4: 定期进行保养维护; LQ 24: 维护、保养、
    登记; LQ 26: a fault is reported, the device taken out of use and repaired by a professional)."""
    CHECK = "check", "定期检查保养"
    FAULT = "fault", "故障报告"
    REPAIR_OUT = "repair_out", "送修"
    REPAIR_BACK = "repair_back", "修复返回"
    SCRAP = "scrap", "报废"


class LifeResult(models.TextChoices):
    OK = "ok", "正常"
    PROBLEM = "problem", "发现问题"
    REPAIRED = "repaired", "已修复"
    NOT_REPAIRED = "not_repaired", "未能修复"


class LifeEvent(LedgerState, AppendOnlyModel):
    """设备维护保养记录 — one event of a device's life: a periodic check (定期检查保养), a fault report
    (故障报告), sending it to the supplier for repair (送修), its return (修复返回) or scrapping
    (报废). Append-only; the device's status changes only through these rows, each with the status
    before and after it, so the registry's status can be re-derived from them."""

    ledger_object_type = "device_event"
    ledger_state_fields = ("device_id", "kind", "at", "done_on", "result", "battery_health_percent",
                           "storage_free_mb", "device_time", "clock_drift_ms", "drift_limit_ms", "clock_flag",
                           "supplier", "note", "repair_out_id", "status_before", "status_after", "recorded_by_id")

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="life_events", verbose_name="设备")
    kind = models.CharField("类别", max_length=20, choices=LifeKind.choices)
    at = models.DateTimeField("登记时间", default=timezone.now)
    # The day the check or repair was done, as the 设备管理员 states it (a check done yesterday may be
    # entered today); the registry counts the next periodic check from it.
    done_on = models.DateField("日期", null=True, blank=True)
    result = models.CharField("结果", max_length=20, choices=LifeResult.choices, blank=True)
    battery_health_percent = models.PositiveSmallIntegerField("电池健康度（%）", null=True, blank=True)
    storage_free_mb = models.PositiveIntegerField("剩余存储（MB）", null=True, blank=True)
    device_time = models.DateTimeField("设备显示时间", null=True, blank=True)
    clock_drift_ms = models.BigIntegerField("时间误差（毫秒）", null=True, blank=True)
    drift_limit_ms = models.PositiveIntegerField("允许误差（毫秒）", null=True, blank=True)
    clock_flag = models.CharField("时间核对", max_length=20, choices=ClockFlag.choices, blank=True)
    # LQ 26: 不得私自将设备进行拆装和更换处理 — who repairs it is named (送修: the supplier or repairer;
    # 修复返回: who did the work).
    supplier = models.CharField("供应商/维修单位", max_length=200, blank=True)
    # The fault, the check's findings, the work done, the reason for scrapping.
    note = models.CharField("说明", max_length=1000, blank=True)
    repair_out = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="送修记录")
    status_before = models.CharField("原状态", max_length=20, choices=Status.choices)
    status_after = models.CharField("新状态", max_length=20, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="登记人")

    class Meta:
        verbose_name = verbose_name_plural = "设备维护保养记录"
        indexes = [models.Index(fields=["device", "at"])]
        constraints = [models.UniqueConstraint(fields=["repair_out"], condition=models.Q(repair_out__isnull=False),
                                               name="device_event_one_back_per_repair")]

    @property
    def storage_free_gb(self):
        return None if self.storage_free_mb is None else round(self.storage_free_mb / 1024, 1)

    @property
    def clock_drift_seconds(self):
        return None if self.clock_drift_ms is None else self.clock_drift_ms / 1000
