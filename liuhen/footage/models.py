"""音像记录 — footage taken into custody from a recorder, and what became of it.

Every row is append-only and logged with the digest of its stored state (LedgerState): an ingest
run (导入, with the device clock measured against the server's), each file taken in (the blob's
SHA-256, its name and path as the camera wrote them, the ffprobe facts, the officer who held the
device at the recording time, the flags), its links to a case (关联) and their ends (取消关联), and
the 重点文件 marks. Nothing is updated in place: the current state is the latest row."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from liuhen.common.append_only import AppendOnlyModel
from liuhen.ledger.subjects import LedgerState


class Ingest(LedgerState, AppendOnlyModel):
    """一次导入 — one run of `liuhen ingest` (or a dock's upload) for one device."""

    ledger_object_type = "footage_ingest"
    ledger_state_fields = ("agency_id", "device_id", "ingested_by_id", "source", "server_time", "device_time",
                           "clock_drift_ms", "drift_limit_ms", "clock_flag")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="ingests",
                               verbose_name="设备")
    ingested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="导入人")
    source = models.CharField("来源", max_length=20, default="cli")
    server_time = models.DateTimeField("服务器时间", default=timezone.now)
    # What the dock or camera reported as its time at the ingest (SPEC §3: the drift is measured at
    # each ingest and kept); None: not reported.
    device_time = models.DateTimeField("设备时间", null=True, blank=True)
    clock_drift_ms = models.BigIntegerField("时间误差（毫秒）", null=True, blank=True)
    drift_limit_ms = models.PositiveIntegerField("允许误差（毫秒）")
    clock_flag = models.CharField("时间核对", max_length=20)

    class Meta:
        verbose_name = verbose_name_plural = "音像记录导入"


class FootageItem(LedgerState, AppendOnlyModel):
    """音像记录 — one file from a recorder, stored by its SHA-256, under custody from ingest on."""

    ledger_object_type = "footage"
    ledger_state_fields = (
        "agency_id", "ingest_id", "device_id", "blob_id", "name", "relative_path", "size", "kind", "duration",
        "facts", "creation_time", "recorded_utc", "recorded_local", "utc_offset_minutes", "time_source", "officer_id",
        "ingested_by_id", "ingested_at", "video_id", "discrepancies", "flags")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    ingest = models.ForeignKey(Ingest, on_delete=models.PROTECT, related_name="items")
    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="footage",
                               verbose_name="设备")
    blob = models.ForeignKey("media.Blob", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("文件名", max_length=255)
    relative_path = models.CharField("原始路径", max_length=1000)
    size = models.BigIntegerField("大小（字节）")
    kind = models.CharField("类别", max_length=20)  # video / audio / photo / sidecar
    duration = models.FloatField("时长（秒）", null=True, blank=True)
    facts = models.JSONField("元数据", default=dict)  # MediaFacts.as_dict()
    # The creation time the file itself states (ffprobe), None when absent: kept apart from the
    # recording time used for attribution, which may come from the name instead.
    creation_time = models.DateTimeField("文件创建时间", null=True, blank=True)
    # The recording time three ways (issue 13 §4): the instant in UTC, the wall-clock time the
    # camera meant (the agency's zone) and the offset between them, each kept as stated.
    recorded_utc = models.DateTimeField("录制时间（UTC）", null=True, blank=True)
    recorded_local = models.CharField("录制时间（当地）", max_length=19, blank=True)
    utc_offset_minutes = models.SmallIntegerField("UTC 偏移（分钟）", null=True, blank=True)
    time_source = models.CharField("时间来源", max_length=20, blank=True)  # metadata / name / ""
    # LQ 27: footage is attributed to the officer who held the device then; None when nobody did.
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="footage", verbose_name="执法人员")
    ingested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="导入人")
    ingested_at = models.DateTimeField("导入时间", default=timezone.now)
    # A sidecar (.NMEA, .gps, .txt, Info.dat) points at the video it was beside.
    video = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="sidecars")
    discrepancies = models.JSONField("不一致之处", default=list)  # [{"code", "message", "seconds"}]
    flags = models.JSONField("标记", default=list)  # vocabulary.FLAG_*

    class Meta:
        verbose_name = verbose_name_plural = "音像记录"
        # Idempotent ingest: the same bytes from the same device are one item.
        constraints = [models.UniqueConstraint(fields=["device", "blob"], name="footage_unique_device_blob")]
        indexes = [models.Index(fields=["agency", "recorded_utc"]), models.Index(fields=["officer", "recorded_utc"]),
                   models.Index(fields=["device", "recorded_utc"])]

    def __str__(self):
        return self.name

    @property
    def sha256(self):
        return self.blob_id

    @property
    def kind_label(self):
        return {"video": "视频", "audio": "录音", "photo": "照片", "sidecar": "附属文件"}.get(self.kind, self.kind)

    @property
    def flag_labels(self):
        from .vocabulary import FLAG_LABELS
        return [FLAG_LABELS.get(f, f) for f in self.flags]


class FootageLink(LedgerState, AppendOnlyModel):
    """关联 — footage linked to a case, a stage and optionally a record it accompanies (e.g. the
    现场检查笔录). The record is kept by id: records sit above footage in the layers."""

    ledger_object_type = "footage_link"
    ledger_state_fields = ("item_id", "case_id", "stage", "record_id", "linked_by_id", "linked_at")

    item = models.ForeignKey(FootageItem, on_delete=models.PROTECT, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="footage_links")
    stage = models.CharField("阶段", max_length=20)
    record_id = models.BigIntegerField("笔录", null=True, blank=True)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField("关联时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "音像记录关联"


class FootageUnlink(LedgerState, AppendOnlyModel):
    """取消关联 — the end of one link; the link row stays (unlinking never deletes)."""

    ledger_object_type = "footage_unlink"
    ledger_state_fields = ("link_id", "reason", "unlinked_by_id", "unlinked_at")

    link = models.OneToOneField(FootageLink, on_delete=models.PROTECT, related_name="unlink")
    reason = models.CharField("原因", max_length=500)
    unlinked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unlinked_at = models.DateTimeField("取消时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "取消音像记录关联"


class FootageMark(LedgerState, AppendOnlyModel):
    """重点文件 — the officer marks footage important (or clears it); the latest mark holds."""

    ledger_object_type = "footage_mark"
    ledger_state_fields = ("item_id", "important", "marked_by_id", "marked_at")

    item = models.ForeignKey(FootageItem, on_delete=models.PROTECT, related_name="marks")
    important = models.BooleanField("重点文件")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField("标记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "重点文件标记"


def _upload_key() -> str:
    return uuid.uuid4().hex


class Upload(LedgerState, AppendOnlyModel):
    """上传（断点续传）— one file a docking station (采集站) or a browser sends in pieces, declared
    before its first byte: name and path as on the camera, size, SHA-256, device. The bytes wait in
    a staging folder (never footage) until all have come and hash to the declared SHA-256; then the
    ingest pipeline takes the file into custody as it does for `liuhen ingest`. The row itself never
    changes: how far the upload got is the staging file's length, and its end is an UploadEnd."""

    ledger_object_type = "footage_upload"
    ledger_state_fields = ("key", "agency_id", "ingest_id", "device_id", "station_id", "uploaded_by_id", "name",
                           "relative_path", "size", "sha256", "created_at")

    # Its address in the API: random, not the row's counter, so that one upload's address says
    # nothing of another's.
    key = models.CharField("上传标识", max_length=32, unique=True, default=_upload_key, editable=False)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    ingest = models.ForeignKey(Ingest, on_delete=models.PROTECT, related_name="uploads")
    device = models.ForeignKey("devices.Device", on_delete=models.PROTECT, related_name="+", verbose_name="设备")
    # Who sends it: a docking station by its token, or a person in the browser (one of the two).
    station = models.ForeignKey("devices.DockStation", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="uploads", verbose_name="采集站")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="上传人")
    name = models.CharField("文件名", max_length=255)
    relative_path = models.CharField("原始路径", max_length=1000)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("声明的 SHA-256", max_length=64)
    created_at = models.DateTimeField("开始时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "音像记录上传"
        indexes = [models.Index(fields=["agency", "created_at"])]


class UploadEnd(LedgerState, AppendOnlyModel):
    """上传结束 — what became of an upload: the file taken in (new / duplicate), refused by the
    ingest (rejected, with the reason), its bytes not hashing to the declared SHA-256 (mismatch:
    discarded, nothing stored), or left unfinished too long (expired). A storage failure is no end:
    the bytes stay staged and the upload can be completed later."""

    ledger_object_type = "footage_upload_end"
    ledger_state_fields = ("upload_id", "status", "sha256", "reason", "item_id", "confirmed", "ended_at")

    upload = models.OneToOneField(Upload, on_delete=models.PROTECT, related_name="end")
    status = models.CharField("结果", max_length=20)  # new / duplicate / rejected / mismatch / expired
    sha256 = models.CharField("收到内容的 SHA-256", max_length=64, blank=True)
    reason = models.CharField("原因", max_length=500, blank=True)
    item = models.ForeignKey(FootageItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The stored copy was read back and re-hashed when the upload ended (a dock wipes only then).
    confirmed = models.BooleanField("已核验", default=False)
    ended_at = models.DateTimeField("结束时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "音像记录上传结果"
