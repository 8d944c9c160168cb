"""Looking at footage (issue 13 §7): the playback page (播放页), the byte stream behind its player,
poster frames (封面帧) and the footage list (音像记录查询).

Who may see an item (selectors.may_see): the officer it is attributed to or who ingested it, the
设备管理员 and the 机关负责人 of the agency, and anyone who may read a case it is linked to
(cases/access.py). Anyone else — another agency, an unrelated officer, the three administrators —
gets 404 exactly as for an id that does not exist, and the attempt is recorded (access.denied).

Every look is a read in the ledger, by ids only (never a name): the page (`footage.play`), the
bytes (`footage.stream`, see `stream`), a sidecar's download (`footage.download`), a search of the
list (`footage.search`). Poster frames are not logged one by one: the page that shows them is.

The stored file is never changed: the viewer's name and the time are drawn over the player by the
browser (footage/static/footage/player.js, CSS), not burnt into the bytes.
"""
import datetime
import mimetypes
import re
from urllib.parse import quote

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from liuhen.accounts.roles import Role
from liuhen.cases import access
from liuhen.cases import selectors as case_selectors
from liuhen.cases.models import Stage
from liuhen.devices.models import Device
from liuhen.ledger import refusals
from liuhen.media import poster as posters
from liuhen.media import store

from . import selectors, services
from . import vocabulary as v
from .models import FootageItem

PAGE_SIZE = 20
CHUNK = 256 * 1024
# What a session remembers of the items it has streamed (to log a client that never asks for byte 0
# once per session): the most recent ones.
SESSION_KEY = "footage_streamed"
SESSION_MAX = 200
PLACEHOLDER = "footage/no-poster.svg"
AUDIO_PLACEHOLDER = "footage/audio-poster.svg"  # a recording with no picture is not a broken video

KIND_LABELS = {"video": "视频", "audio": "录音", "photo": "照片"}

# ---- actions apps above footage offer beside each case an item is linked to (a registry) ----------
# `fn(user, item, case) -> [(label, url), …]`: e.g. the copies app's 申请证据复制 (BX 11: the
# original is only viewed here; a copy for a 检察院 or 法院 is asked for, approved and made centrally).
_CASE_ACTIONS: list = []


def register_case_action(fn) -> None:
    if fn not in _CASE_ACTIONS:
        _CASE_ACTIONS.append(fn)


def case_actions(user, item, case) -> list[tuple[str, str]]:
    return [action for fn in list(_CASE_ACTIONS) for action in fn(user, item, case)]


def _visible_item(request, pk) -> FootageItem:
    """The item, if the user may see it; otherwise 404 like a missing id, and the try recorded."""
    item = selectors.item_for(pk)
    if item is None or not selectors.may_see(request.user, item):
        if item is not None:
            refusals.record_denied(request, FootageItem.ledger_object_type, item.pk)
        raise Http404
    return item


def content_type(item: FootageItem) -> str:
    """The media type of the stored bytes: from the file's name when it agrees with what ffprobe
    found (a .MP4 that is a video), else from the kind; a sidecar is text."""
    if item.kind == "sidecar":
        return "text/plain; charset=utf-8"
    guessed, _ = mimetypes.guess_type(item.name.lower())
    major = {"video": "video/", "audio": "audio/", "photo": "image/"}.get(item.kind, "")
    if guessed and major and guessed.startswith(major):
        return guessed
    container = (item.facts or {}).get("container", "")
    if item.kind == "video":
        return "video/webm" if "webm" in container else "video/mp4"
    if item.kind == "audio":
        return "audio/wav" if "wav" in container else "audio/mpeg"
    if item.kind == "photo":
        return "image/png" if "png" in container else "image/jpeg"
    return "application/octet-stream"


# The pictures a recorder writes, shown inline. Anything else ffprobe calls an image (an SVG above
# all: an active document with scripts and links, served from our own origin) is of unknown type
# (application/octet-stream): never rendered in the officer's session, and not streamed at all
# (stream: 403 — BX 11, a copy of the original is asked for through the copies app).
RASTER_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/tiff"})


def served_type(item: FootageItem) -> str:
    """content_type, unless it is a picture type that is not a plain raster image."""
    kind = content_type(item)
    if kind.startswith("image/") and kind not in RASTER_TYPES:
        return "application/octet-stream"
    return kind


# ---- HTTP Range (RFC 9110 §14) --------------------------------------------------------------------

class Unsatisfiable(Exception):
    pass


# At most 18 digits (a byte position below 10**18): a longer number is not a range we serve —
# the header is ignored as RFC 9110 allows — instead of int() failing past Python's digit limit.
_RANGE = re.compile(r"^bytes=([0-9]{0,18})-([0-9]{0,18})$")


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The one byte range [first, last] (inclusive) `header` asks for, or None to send the whole
    file (no header, a syntax we do not serve — several ranges, another unit — as RFC 9110 allows
    a server to ignore Range). Unsatisfiable (416): a first byte at or past the end, or a suffix of 0."""
    m = _RANGE.match((header or "").strip().replace(" ", ""))
    if m is None:
        return None
    a, b = m.groups()
    if a == "" and b == "":
        return None
    if a == "":  # bytes=-n: the last n bytes
        n = int(b)
        if n == 0:
            raise Unsatisfiable
        return max(0, size - n), size - 1
    first = int(a)
    last = size - 1 if b == "" else min(int(b), size - 1)
    if b != "" and int(b) < first:
        return None  # invalid: ignored
    if first >= size:
        raise Unsatisfiable
    return first, last


def _chunks(sha: str, first: int, last: int):
    f = store.open_range(sha, first, last + 1)
    try:
        while True:
            data = f.read(CHUNK)
            if not data:
                break
            yield data
    finally:
        f.close()


def _should_log(request, item: FootageItem, first: int) -> str:
    """Which requests of a player are read events: the one that starts at byte 0 (a player always
    begins a playback there, with "bytes=0-"; a download asks for the whole file), and the first
    request of this session for the item whatever its range (a client that never asks for byte 0 is
    still logged once). The player's other range requests — seeking, reading the index at the end —
    are not, so a playback is one event, not one per chunk."""
    new = _first_in_session(request, item)
    return "start" if first == 0 else "session" if new else ""


def _first_in_session(request, item: FootageItem) -> bool:
    """Is this the session's first request for the item's bytes? (Remembers it.)"""
    seen = request.session.get(SESSION_KEY, [])
    if item.pk in seen:
        return False
    request.session[SESSION_KEY] = (seen + [item.pk])[-SESSION_MAX:]
    return True


@login_required
@require_safe
def stream(request, pk):
    """The stored bytes of an item, for its player: `Accept-Ranges: bytes`; `Range: bytes=a-b`,
    `bytes=a-` and `bytes=-n` answer 206 with `Content-Range`; an unsatisfiable range 416 with
    `Content-Range: bytes */size`; streamed from the store in chunks (never the whole file in memory).
    The strong ETag is the SHA-256 (the bytes never change), honoured in If-Range. A sidecar is a
    text download (`footage.download`); media is `inline`, and read events follow `_should_log`;
    media no browser plays inline (application/octet-stream) is not served at all (403, BX 11)."""
    item = _visible_item(request, pk)
    gone = _unavailable(request, item)
    if gone is not None:
        return gone
    if item.kind != "sidecar" and not inline_playable(item):
        return _not_playable(request, item)
    sha = item.blob_id
    try:
        size = store.size(sha)
    except (FileNotFoundError, OSError):
        return render(request, "web/error.html", {"title": "文件暂时无法读取", "back": "/footage/list/",
                                                  "lines": ["存储中读取不到该文件，请联系系统管理员（liuhen verify 可查明原因）。"]},
                      status=503)
    etag = f'"{sha}"'
    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != etag:
        header = ""  # the client's copy is not these bytes: the whole file
    try:
        wanted = parse_range(header, size)
    except Unsatisfiable:
        resp = HttpResponse(status=416)
        resp["Content-Range"] = f"bytes */{size}"
        resp["Accept-Ranges"] = "bytes"
        resp["Cache-Control"] = "no-store"
        return resp
    first, last = wanted if wanted is not None else (0, size - 1)
    if request.method == "HEAD":
        pass  # no bytes leave: nothing is read
    elif item.kind == "sidecar":
        services.log_download(request.user, item)
    else:
        reason = _should_log(request, item, first)
        if reason:
            services.log_stream(request.user, item, start=first, end=last, reason=reason)
    kind = served_type(item)
    resp = StreamingHttpResponse(_chunks(sha, first, last) if request.method == "GET" else iter(()),
                                 status=206 if wanted is not None else 200, content_type=kind)
    resp["Content-Length"] = str(last - first + 1)
    resp["Accept-Ranges"] = "bytes"
    resp["ETag"] = etag
    if wanted is not None:
        resp["Content-Range"] = f"bytes {first}-{last}/{size}"
    # BX 11: officers do not keep copies of the records — media is given inline, for the player,
    # whatever the query asks (?download, ?dl=1 …); a copy for a court goes through liuhen/copies.
    # Only a sidecar (the GPS text beside a video) is a download.
    disposition = "attachment" if item.kind == "sidecar" else "inline"
    resp["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{_quote(item.name)}"
    resp["Cache-Control"] = "no-store"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


NOT_PLAYABLE = "该文件无法在线播放；如需原件，请申请证据复制（LW-D 13）"


def inline_playable(item: FootageItem) -> bool:
    """Can a browser show the item's bytes inline: a video or audio type, or a plain raster picture?
    Anything else (application/octet-stream: an SVG, a file of unknown type) is not streamed at all."""
    kind = served_type(item)
    return kind.startswith(("video/", "audio/")) or kind in RASTER_TYPES


def _not_playable(request, item: FootageItem):
    """403 for footage no browser plays inline. BX 11: officers do not keep copies of the records;
    giving such a file out as an attachment would be a download of the original outside the copy
    request (LW-D 13: a copy is provided centrally, on approval). The refusal is in the ledger."""
    refusals.record_refusal(request, v.DENIED, [NOT_PLAYABLE], FootageItem.ledger_object_type, item.pk,
                            status=403, errors=[ValidationError(NOT_PLAYABLE, code="not_playable")])
    return render(request, "web/error.html", {"title": "无法在线播放", "back": f"/footage/{item.pk}/",
                                              "lines": [NOT_PLAYABLE + "。"]}, status=403)


def _quote(name: str) -> str:
    return quote(name, safe="")


def _unavailable(request, item: FootageItem):
    """410 with the reason when a registered source says the item is no longer played (removed by
    a purge, in its recovery period or purged: retention, LW-D 11); None otherwise. A sidecar
    follows its video."""
    reason = selectors.unavailable_reason(item.video if item.video_id else item)
    if not reason:
        return None
    return render(request, "web/error.html", {"title": "该音像记录已不可播放", "back": "/footage/list/",
                                              "lines": [reason]}, status=410)


# ---- poster frames ------------------------------------------------------------------------------

def _placeholder(name: str = PLACEHOLDER):
    path = finders.find(name)
    with open(path, "rb") as f:
        resp = HttpResponse(f.read(), content_type="image/svg+xml")
    resp["Cache-Control"] = "no-store"
    return resp


@login_required
@require_safe
def poster(request, pk):
    """The poster frame of a video (made by ffmpeg on first request, cached under
    LIUHEN_HOME/cache/posters), the photo itself for a photo (scaled by CSS), a placeholder for a
    recording with no picture or a video no frame can be taken from (broken, truncated, gone)."""
    item = _visible_item(request, pk)
    if selectors.unavailable_reason(item.video if item.video_id else item):
        return _placeholder()
    if item.kind == "photo" and served_type(item) in RASTER_TYPES:
        try:
            size = store.size(item.blob_id)
        except OSError:
            return _placeholder()
        # The photo itself leaves the server: a read of the original, once a session (a list of
        # thumbnails is not one event per page load).
        if _first_in_session(request, item):
            services.log_stream(request.user, item, start=0, end=size - 1, reason="poster")
        resp = StreamingHttpResponse(_chunks(item.blob_id, 0, size - 1), content_type=served_type(item))
        resp["Content-Length"] = str(size)
        resp["X-Content-Type-Options"] = "nosniff"
    elif item.kind == "video":
        data = posters.cached_poster(item.blob_id)
        if data is None:
            return _placeholder()
        resp = HttpResponse(data, content_type="image/jpeg")
    elif item.kind == "audio":
        return _placeholder(AUDIO_PLACEHOLDER)
    else:
        return _placeholder()
    resp["Cache-Control"] = "no-store"
    return resp


# ---- the playback page ----------------------------------------------------------------------------

def _offset_label(minutes) -> str:
    if minutes is None:
        return ""
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _fps(rate: str) -> str:
    """ffprobe's "30000/1001" as "29.97"."""
    try:
        num, _, den = str(rate).partition("/")
        value = float(num) / float(den or 1)
    except (ValueError, ZeroDivisionError):
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value > 0 else ""


@login_required
@require_safe
def play(request, pk):
    """播放页: the item's facts, its player (video, audio) or the photo, the viewer's name and the time
    drawn over it; its links to cases and its sidecars. Opening it is a read (`footage.play`)."""
    item = _visible_item(request, pk)
    if item.video_id is not None:  # a sidecar's page is its video's
        item = _visible_item(request, item.video_id)
    services.log_play(request.user, item)
    selectors.with_derived_flags([item])
    links = selectors.links_of(item)
    for link in links:
        link.readable = access.can_view(request.user, link.case)
        link.actions = case_actions(request.user, item, link.case) if getattr(link, "unlink_row", None) is None else []
        link.stage_label = Stage(link.stage).label if link.stage in Stage.values else link.stage
    facts = dict(item.facts or {})
    facts["fps"] = _fps(facts.get("frame_rate", ""))
    return render(request, "footage/play.html", {
        "item": item, "facts": facts, "kind_label": KIND_LABELS.get(item.kind, item.kind),
        "mime": served_type(item), "important": selectors.important(item),
        "offset": _offset_label(item.utc_offset_minutes),
        "links": links, "sidecars": selectors.sidecars_of(item),
        "viewer": request.user, "now": timezone.now(), "unavailable": selectors.unavailable_reason(item),
    })


# ---- the list (音像记录查询) ------------------------------------------------------------------------

class SearchForm(forms.Form):
    party = forms.CharField(label="当事人（被检查单位）", required=False, max_length=100,
                            help_text="名称的一部分，或完整的身份证号码、统一社会信用代码；只在您有权查看的案件中查找")
    cause = forms.CharField(label="案由", required=False, max_length=100)
    officer = forms.ModelChoiceField(label="执法人员", queryset=get_user_model().objects.none(), required=False,
                                     empty_label="全部", error_messages={"invalid_choice": "所选执法人员无效。"})
    device = forms.ModelChoiceField(label="设备", queryset=Device.objects.none(), required=False, empty_label="全部",
                                    error_messages={"invalid_choice": "所选设备无效。"})
    start = forms.DateField(label="录制日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": "请填写有效的日期。"})
    end = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"invalid": "请填写有效的日期。"})
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部"), ("video", "视频"), ("audio", "录音"),
                                                                 ("photo", "照片")],
                             error_messages={"invalid_choice": "所选类别无效。"})
    linked = forms.ChoiceField(label="关联", required=False, choices=[("", "全部"), ("yes", "已关联案件"),
                                                                   ("no", "未关联（暂存区）")],
                               error_messages={"invalid_choice": "所选关联状态无效。"})
    important = forms.BooleanField(label="只看重点文件", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (get_user_model().objects.filter(agency_id=user.agency_id,
                                                                            groups__name=Role.OFFICER)
                                           .order_by("username"))
        self.fields["officer"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"
        self.fields["device"].queryset = Device.objects.filter(agency_id=user.agency_id).order_by("number")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", forms.ValidationError("结束日期不能早于开始日期。", code="range"))
        return data


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _search_args(user, data) -> tuple[dict, dict]:
    """The selector's arguments and what the ledger keeps of them (codes and ids only)."""
    args, logged = {}, {}
    if data.get("officer"):
        args["officer"] = data["officer"]
        logged["officer"] = data["officer"].pk
    if data.get("device"):
        args["device"] = data["device"]
        logged["device"] = data["device"].pk
    if data.get("start"):
        args["start"] = _day_start(data["start"])
        logged["start"] = data["start"].isoformat()
    if data.get("end"):
        args["end"] = _day_start(data["end"] + datetime.timedelta(days=1))
        logged["end"] = data["end"].isoformat()
    if data.get("kind"):
        args["kind"] = logged["kind"] = data["kind"]
    if data.get("linked"):
        args["linked"] = data["linked"] == "yes"
        logged["linked"] = args["linked"]
    if data.get("important"):
        args["important"] = logged["important"] = True
    case_ids = None
    readable = access.visible_cases(user)
    for name, find in (("party", case_selectors.case_ids_with_party), ("cause", case_selectors.case_ids_with_cause)):
        if data.get(name):
            ids = set(find(readable, data[name]))
            case_ids = ids if case_ids is None else case_ids & ids
            # The typed text may name a person: the ledger keeps the cases it matched.
            logged[f"{name}_cases"] = sorted(ids)[:50]
    if case_ids is not None:
        args["case_ids"] = sorted(case_ids)
    return args, logged


def may_search(user) -> bool:
    return not selectors.sees_none(user)


@login_required
@require_safe
def footage_list(request):
    """音像记录查询: the footage the user may see, by party (through the linked cases), cause,
    officer, device, recording date, kind, linked or not, 重点文件; 20 a page, each with its poster,
    time, duration, device, officer, cases and flags. Each search is a read (`footage.search`)."""
    user = request.user
    if not may_search(user):
        raise PermissionDenied("您的角色不能查看音像记录。")  # the 403 handler records it
    form = SearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        refusals.record_refusal(request, v.DENIED, [e for errs in form.errors.values() for e in errs],
                                form=form)
        return render(request, "footage/list.html", {"form": form, "page": None, "all": selectors.sees_all(user)},
                      status=400)
    data = form.cleaned_data if form.is_bound else {}
    args, logged = _search_args(user, data)
    paginator = Paginator(selectors.search(user, **args), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    logged["page"] = page.number
    items = selectors.with_derived_flags(list(page.object_list))
    # The items this page shows (their posters, photos included, are not logged one by one).
    logged["items"] = [it.pk for it in items]
    services.log_search(user, logged, paginator.count)
    links = selectors.active_links_by_item(items)
    readable = set(access.visible_cases(user).filter(
        pk__in={lk.case_id for ls in links.values() for lk in ls}).values_list("pk", flat=True))
    for it in items:
        it.case_links = links.get(it.pk, [])
        for lk in it.case_links:
            lk.readable = lk.case_id in readable
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "footage/list.html", {
        "form": form, "page": page, "items": items, "all": selectors.sees_all(user),
        "query": query.urlencode(), "total": paginator.count,
    })
