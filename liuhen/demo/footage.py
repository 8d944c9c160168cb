"""Demo footage (演示音像记录): recorders signed out and returned over the last days, what they
recorded — small files made by ffmpeg when the demo loads — and its ingest into custody.

Everything goes through the real services (devices.sign_out / return_device, footage.start_ingest /
ingest_files / link), so attribution (LQ 27: the officer who held the device at the recording
time), the clock checks and the flags are the system's own findings, not written by hand:

- 张明 (zhangming) has this morning's body-camera videos (one with its `.NMEA` GPS track, marked
  重点文件) and a photo in his holding area (暂存区): names by the Axis pattern of `liuhen.media.names`;
- 李强 (liqiang) yesterday's audio recording;
- 高峰 (gaofeng) a video three days old uploaded only now: a late upload (LQ 23: within 24 hours);
- a video from the camera 王芳 took out with its clock never set (2000-01-01): kept, flagged, and
  attributed to nobody — only the 设备管理员 马骏 (majun) and the 机关负责人 see it;
- 黄海 (huanghai) linked his video of the 现场检查 of 赵长海's case to its 现场检查笔录;
- every 现场检查 and 查封扣押 of the cases taken through 调查取证 was filmed (LQ 19), and their
  询问 recorded: on the act's day the case's second officer took a free recorder of the unit (the
  支队's Axis cameras or LY-01, the 河湖管理科's JL-004, the 水资源管理科's JL-005), returned it
  in the afternoon and it was docked at once (LQ 23); the builder links each video to its act's
  record as it makes the record. The footage shows the time the record states (LW-D 7) — but at
  鑫源洗浴, where the camera shows 10:04 for a 笔录 that says 09:20: the one time mismatch the demo
  flags. 龙泉酒业's 现场检查 went without (a trade secret: an approved 不适宜音像记录说明, AS 8).

The device history lies in the past (a sign-out nine days ago…), but the services take the time
from the clock, as they must: nobody may backdate a sign-out. The demo therefore runs those calls
under `clock_at(when)`, which moves Django's clock (django.utils.timezone.now) to `when` for the
block — the rows and their ledger entries then carry that time, as if the demo had been loaded
over those days. Only the demo loader does this, in its own process.
"""
import calendar
import contextlib
import dataclasses
import datetime
import functools
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import django.utils.timezone as django_timezone
from django.utils import timezone

from liuhen.cases.models import Stage
from liuhen.devices import services as devices
from liuhen.footage import services as footage

from . import days as demo_days

# Where 本溪 lies (the GPS track of the one video with a .NMEA sidecar): 平山区桥北街道.
LATITUDE, LONGITUDE = 41.3032, 123.7652

VIDEO_SIZE = "480x270"  # low resolution: a few hundred kB a clip
FPS = 15
PAN = 160  # pixels the camera pans over a clip

# ---- a clock the demo can set ---------------------------------------------------------------------

_RealDatetime = datetime.datetime


class _DatetimeType(type):
    # Code reading django.utils.timezone.datetime for isinstance() keeps seeing real datetimes.
    def __instancecheck__(cls, obj):
        return isinstance(obj, _RealDatetime)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, _RealDatetime)


def _shifted_datetime(offset: datetime.timedelta):
    class ShiftedDatetime(_RealDatetime, metaclass=_DatetimeType):
        @classmethod
        def now(cls, tz=None):
            return _RealDatetime.now(tz) + offset

    return ShiftedDatetime


def set_clock(when: datetime.datetime | None) -> None:
    """Set Django's clock to `when` from now on (None: the real clock again). For liuhen/demo/timeline.py."""
    django_timezone.datetime = (_RealDatetime if when is None
                                else _shifted_datetime(when - _RealDatetime.now(datetime.timezone.utc)))


@contextlib.contextmanager
def clock_at(when: datetime.datetime):
    """Run the block as if it were `when`: django.utils.timezone.now() (and so every service, model
    default and ledger entry) starts at `when` and goes on with the real clock.

    Inside a task of a running demo Timeline (liuhen/demo/timeline.py) the block waits until the
    other tasks have played what comes before `when`, and the clock goes on from there after it."""
    from . import timeline

    line = timeline.active()
    if line is not None:
        line.wait_until(when)
        yield
        return
    saved = django_timezone.datetime
    django_timezone.datetime = _shifted_datetime(when - _RealDatetime.now(datetime.timezone.utc))
    try:
        yield
    finally:
        django_timezone.datetime = saved


# ---- media made by ffmpeg -------------------------------------------------------------------------

@dataclass
class Clip:
    """One file a recorder wrote: what it is, its name and folder on the device, and what its clock
    showed when it began (`shows`, naive: the camera's wall clock, burned into the picture and in
    its name; the metadata's creation_time is that wall clock read in the agency's zone)."""

    path: str  # relative to the device's dump folder, as the camera names it
    kind: str  # video / audio / photo
    shows: datetime.datetime
    seconds: float = 5.0
    overlay: str = ""  # the second line burned in (device number, unit…)
    scene: dict = field(default_factory=dict)  # river scene knobs: horizon, bank, phase, hut
    nmea: bool = False  # a .NMEA GPS track beside it

    def creation_time(self) -> str:
        utc = timezone.make_aware(self.shows).astimezone(datetime.timezone.utc)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.000000Z")


@functools.cache
def _fonts() -> tuple[str, bool]:
    """(font file, has CJK): Noto Sans CJK (fonts-noto-cjk, installed by bootstrap) when present,
    else any font fontconfig offers (the overlay is then ASCII only), else ("", False)."""
    candidates = []
    if shutil.which("fc-match"):
        for query in ("Noto Sans CJK SC:lang=zh-cn", "sans"):
            try:
                out = subprocess.run(["fc-match", "-f", "%{file}", query], capture_output=True, text=True,
                                     timeout=10).stdout.strip()
            except (OSError, subprocess.SubprocessError):
                out = ""
            if out:
                candidates.append(out)
    candidates.append("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    existing = [c for c in candidates if os.path.isfile(c)]
    for c in existing:
        if "CJK" in os.path.basename(c):
            return c, True
    return (existing[0], False) if existing else ("", False)


def ffmpeg_available() -> bool:
    return shutil.which("ffmpeg") is not None


def _scene(clip: Clip) -> str:
    """A river bank under the sky (and a shed on the bank if the scene has one), the camera panning
    slowly along it: a lavfi source of `clip.seconds`. The picture is computed once (geq is slow per
    pixel) and panned by cropping, so a clip takes a fraction of a second to make."""
    s = clip.scene
    horizon, bank, phase = s.get("horizon", 0.38), s.get("bank", 0.52), s.get("phase", 0)
    lum = (f"if(lt(Y,H*{horizon}),170+Y*0.2,if(lt(Y,H*{bank}),95+15*sin(X/9+{phase}),"
           f"90+25*sin(X/14+Y/5+{phase})))")
    cb = f"if(lt(Y,H*{horizon}),150,if(lt(Y,H*{bank}),110,150))"
    cr = f"if(lt(Y,H*{horizon}),115,if(lt(Y,H*{bank}),120,110))"
    width, height = (int(v) for v in VIDEO_SIZE.split("x"))
    chain = [f"color=c=0x5a8fb8:size={width + PAN}x{height}:rate=1:duration=1", "format=yuv420p",
             f"geq=lum='{lum}':cb='{cb}':cr='{cr}'"]
    hut = s.get("hut")
    if hut:  # 彩钢房: a grey box with a blue roof, on the bank
        x, w = hut
        chain += [f"drawbox=x=iw*{x}:y=ih*{horizon - 0.08}:w=iw*{w}:h=ih*{bank - horizon + 0.06}:color=0xb8bcc2:t=fill",
                  f"drawbox=x=iw*{x}-4:y=ih*{horizon - 0.11}:w=iw*{w}+8:h=ih*0.04:color=0x2f5fa8:t=fill"]
    if clip.kind == "photo":
        chain.append(f"crop=w={width}:h={height}:x={PAN // 2}:y=0")
    else:
        speed = PAN / max(clip.seconds, 1)
        chain += ["loop=loop=-1:size=1", f"fps={FPS}", f"trim=duration={clip.seconds}",
                  f"crop=w={width}:h={height}:x='t*{speed:.1f}':y=0"]
    return ",".join(chain)


def _drawings(clip: Clip, workdir: Path, overlay: bool) -> list[str]:
    """The camera's clock and the overlay line burned into the picture."""
    font, cjk = _fonts()
    if not overlay or not font:
        return []
    out = []
    stem = Path(clip.path).name
    epoch = calendar.timegm(clip.shows.timetuple())  # the camera's wall clock, printed as is
    clock = workdir / f"{stem}.clock.txt"
    if clip.kind == "photo":
        clock.write_text(clip.shows.strftime("%Y-%m-%d %H:%M:%S"), encoding="utf-8")
    else:  # advancing with the picture
        clock.write_text(f"%{{pts:gmtime:{epoch}:%Y-%m-%d %H\\:%M\\:%S}}", encoding="utf-8")
    style = f"fontfile={font}:fontsize=16:fontcolor=white:box=1:boxcolor=black@0.45:boxborderw=3"
    out.append(f"drawtext={style}:textfile={clock}:expansion={'none' if clip.kind == 'photo' else 'normal'}:x=8:y=8")
    line = clip.overlay if cjk else clip.overlay.encode("ascii", "ignore").decode().strip()
    if line:
        label = workdir / f"{stem}.label.txt"
        label.write_text(line, encoding="utf-8")
        out.append(f"drawtext={style}:textfile={label}:expansion=none:x=8:y=h-th-10")
    return out


def _command(clip: Clip, target: Path, workdir: Path, overlay: bool) -> list[str]:
    meta = ["-metadata", f"creation_time={clip.creation_time()}"]
    base = ["ffmpeg", "-v", "error", "-y", "-nostdin"]
    if clip.kind == "audio":
        return [*base, "-f", "lavfi", "-i", f"anoisesrc=d={clip.seconds}:c=pink:a=0.04",
                "-f", "lavfi", "-i", f"sine=frequency=220:duration={clip.seconds}",
                "-filter_complex", "amix=inputs=2:duration=shortest", "-ac", "1", "-ar", "22050",
                "-c:a", "libmp3lame", "-b:a", "48k", *meta, str(target)]
    filters = ",".join(_drawings(clip, workdir, overlay)) or "null"
    if clip.kind == "photo":  # JPEG carries no creation_time ffprobe reads: the name gives the time
        return [*base, "-f", "lavfi", "-i", _scene(clip), "-vf", filters, "-frames:v", "1", "-q:v", "4",
                str(target)]
    return [*base, "-f", "lavfi", "-i", _scene(clip), "-f", "lavfi", "-i",
            f"anoisesrc=d={clip.seconds}:c=brown:a=0.05", "-vf", filters,
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "30", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "48k", "-shortest", "-movflags", "+faststart", *meta, str(target)]


def nmea_track(start_utc: datetime.datetime, seconds: int) -> str:
    """A GPS track as a body camera writes it beside a video: $GPRMC and $GPGGA each second."""
    def sentence(body: str) -> str:
        check = 0
        for ch in body.encode("ascii"):
            check ^= ch
        return f"${body}*{check:02X}\r\n"

    def coord(value: float, width: int) -> str:
        degrees = int(value)
        return f"{degrees:0{width}d}{(value - degrees) * 60:07.4f}"

    lines = []
    for i in range(seconds + 1):
        t = start_utc + datetime.timedelta(seconds=i)
        lat, lon = LATITUDE + i * 0.00001, LONGITUDE + i * 0.000013  # walking along the bank
        hms = t.strftime("%H%M%S") + ".00"
        lines.append(sentence(f"GPRMC,{hms},A,{coord(lat, 2)},N,{coord(lon, 3)},E,0.8,54.0,{t:%d%m%y},,,A"))
        lines.append(sentence(f"GPGGA,{hms},{coord(lat, 2)},N,{coord(lon, 3)},E,1,09,0.9,168.0,M,8.1,M,,"))
    return "".join(lines)


def start_files(root: Path, clips: list[Clip]) -> list:
    """Start ffmpeg for each clip under `root` at its path (all at once: they run while the caller
    goes on, e.g. hashing the demo's passwords); `finish_files` waits for them."""
    work = root / ".work"
    work.mkdir(parents=True, exist_ok=True)
    running = []
    for clip in clips:
        target = root / clip.path
        target.parent.mkdir(parents=True, exist_ok=True)
        cmd = _command(clip, target, work, overlay=True)
        running.append((clip, target, subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))
        if clip.nmea:
            start = timezone.make_aware(clip.shows).astimezone(datetime.timezone.utc)
            target.with_suffix(".NMEA").write_text(nmea_track(start, int(clip.seconds)), encoding="ascii")
    return running


def finish_files(root: Path, running: list) -> None:
    """Wait for the clips `start_files` started. If a text overlay cannot be drawn (no drawtext
    filter, no font) the clip is made again without it."""
    work = root / ".work"
    for clip, target, proc in running:
        proc.communicate(timeout=120)
        if proc.returncode != 0:
            subprocess.run(_command(clip, target, work, overlay=False), check=True, capture_output=True, timeout=120)
    shutil.rmtree(work, ignore_errors=True)


def stop_files(running: list) -> None:
    """Kill the ffmpeg processes still running (a demo build that failed half-way)."""
    for _clip, _target, proc in running:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def make_files(root: Path, clips: list[Clip]) -> None:
    """Each clip under `root` at its path, made by ffmpeg (all at once, a fraction of a second
    each)."""
    running = start_files(root, clips)
    try:
        finish_files(root, running)
    finally:
        stop_files(running)


# ---- the story ------------------------------------------------------------------------------------

def _local(day: datetime.date, hm: str, second: int = 0) -> datetime.datetime:
    """An aware time in the agency's zone: `hm` ("HH:MM") on `day`."""
    naive = datetime.datetime.combine(day, datetime.time.fromisoformat(hm)).replace(second=second)
    return timezone.make_aware(naive)


def _shows(when: datetime.datetime, drift_seconds: float = 0) -> datetime.datetime:
    """What a device clock `drift_seconds` off shows at `when`, as a naive local wall-clock time."""
    return timezone.localtime(when + datetime.timedelta(seconds=drift_seconds)).replace(tzinfo=None, microsecond=0)


def _axis_name(shows: datetime.datetime, seq: int, ext: str) -> str:
    """An Axis body camera's name (media.names "axis"): date_time_sequence."""
    return f"DCIM/100AXIS/{shows:%Y%m%d_%H%M%S}_{seq:04d}.{ext}"


def _dsj_name(seq: int) -> str:
    """A DSJ body camera's name: a running number, nothing else."""
    return f"DCIM/100MEDIA/DSJ_{seq:04d}.MP4"


@dataclass(frozen=True)
class Act:
    """An act of a demo case the AV rules ask footage for (avrules.rules: 现场检查, 查封扣押…), as
    the demo's builder writes its record: `key` (case title, record type code) finds its footage
    again when the record is made; `at` is the time the record states (aware); `holder` the
    officer of the case who films it (username), `holder_name` as the overlay prints it, `unit`
    the unit key (whose cameras are used first). `camera_offset`: when the camera starts, from
    `at` (a minute or two before the time the officers write down)."""

    key: tuple[str, str]
    at: datetime.datetime
    holder: str
    holder_name: str
    unit: str
    camera_offset: datetime.timedelta = datetime.timedelta(minutes=-1, seconds=-35)
    seconds: float = 6.0
    kind: str = "video"  # or "audio": an inquiry in the 询问室, on the unit's recorder


@dataclass
class Outing:
    """One device signed out for a day's acts: to whom, when out and back, docked when, the
    device's clock drift, and the acts it filmed (one dump folder)."""

    number: str
    holder: str
    out: datetime.datetime
    back: datetime.datetime
    docked: datetime.datetime
    drift: float
    dump: str
    acts: list


# Which recorder an officer of each unit takes first (then any other free body camera): the
# 水政监察支队's Axis cameras, the 河湖管理科's JL-004, the 水资源管理科's JL-005; for an inquiry
# recorded on audio, the 水政监察支队's recorder LY-01.
CAMERAS_OF = {"zhidui": ("JL-002", "JL-001"), "hehu": ("JL-004",), "shuiziyuan": ("JL-005",)}
BODY_CAMERAS = ("JL-002", "JL-001", "JL-004", "JL-005", "JL-003")
AUDIO_RECORDERS = ("LY-01",)
AXIS_CAMERAS = {"JL-001", "JL-002"}
# A DSJ camera numbers its files on: JL-004 wrote DSJ_0211 nine days ago and DSJ_0214 three days
# ago, about one file every two days; (number on `days` ago) for each DSJ camera the acts use.
DSJ_COUNTER = {"JL-004": (214, 3), "JL-005": (96, 0), "JL-003": (7, 6)}


class Story:
    """The recorders' last days, told through the services. `acts`: the demo cases' acts to film
    (Act), each by a camera signed out to the officer who films it that day. All files are made
    first, at once (`start` runs ffmpeg in parallel while the builder goes on), then the days —
    the story's own and the acts' — are played in the order they happened (`tell`)."""

    def __init__(self, acts: list[Act] = ()):
        self.now = timezone.localtime()
        self.today = self.now.date()
        self.acts = list(acts)
        self.items: dict = {}  # role in the story, or an Act's key -> FootageItem
        self.timings: dict[str, float] = {}
        self.root: Path | None = None
        self.running: list = []
        self.people: dict = {}
        self.d: dict = {}
        # This morning, three hours ago at the latest (the demo may be loaded at 06:00).
        self.morning = min(_local(self.today, "08:30"), self.now - datetime.timedelta(hours=3)).replace(
            second=0, microsecond=0)
        self.outings = self.plan_outings()
        self.dsj_last: dict[str, int] = {}
        self.dumps = self.plan()

    def day(self, n: int) -> datetime.date:
        """n days ago, moved back to a working day (liuhen/demo/days.py): the story's days are work days."""
        return demo_days.back(self.today, n)

    def busy(self) -> list[tuple[str, datetime.datetime, datetime.datetime]]:
        """The story's own sign-outs (the methods below): (device, out, back); None: not back."""
        return [("JL-004", _local(self.day(9), "08:10"), _local(self.day(9), "16:50")),
                ("JL-003", _local(self.day(6), "08:20"), _local(self.day(6), "17:40")),
                ("JL-004", _local(self.day(3), "08:30"), _local(self.day(3), "17:20")),
                ("LY-01", _local(self.day(1), "13:30"), _local(self.day(1), "16:40")),
                ("JL-001", self.morning, None), ("XJ-01", self.morning, None), ("JL-002", self.morning, None)]

    def plan_outings(self) -> list[Outing]:
        """The acts' days: the officer who films takes a camera of the unit that is free all day
        (signed out an hour and more before the first act, returned in the afternoon and docked at
        once: stored the same day, LQ 23) — no device is ever signed out twice at once."""
        taken = [(n, a, b or datetime.datetime.max.replace(tzinfo=datetime.timezone.utc)) for n, a, b in self.busy()]
        by_day = {}
        for act in sorted(self.acts, key=lambda a: a.at):
            by_day.setdefault((timezone.localtime(act.at).date(), act.holder, act.kind), []).append(act)
        out = []
        for i, ((day, holder, kind), acts) in enumerate(sorted(by_day.items(), key=lambda kv: kv[1][0].at)):
            first, last = acts[0].at + acts[0].camera_offset, acts[-1].at
            start = first - datetime.timedelta(minutes=70)
            start = start.replace(minute=start.minute // 5 * 5, second=0, microsecond=0)
            back = max(last + datetime.timedelta(hours=4, minutes=10 + 7 * (i % 5)), _local(day, "15:20"))
            back = min(back.replace(second=0, microsecond=0), self.now - datetime.timedelta(minutes=20))
            candidates = AUDIO_RECORDERS if kind == "audio" else CAMERAS_OF.get(acts[0].unit, ()) + BODY_CAMERAS
            number = next((n for n in candidates
                           if not any(t == n and a < back and start < b for t, a, b in taken)), None)
            if number is None:
                raise RuntimeError(f"演示：{day} 没有空闲的执法记录仪")
            taken.append((number, start, back))
            out.append(Outing(number, holder, start, back, back + datetime.timedelta(minutes=6),
                              drift=(1, -1, 2, 1, -2)[i % 5], dump=f"act-{i:02d}", acts=acts))
        return out

    def _act_clips(self, outing: Outing) -> list[Clip]:
        clips = []
        for k, act in enumerate(outing.acts):
            shows = _shows(act.at + act.camera_offset + datetime.timedelta(seconds=7 * k), outing.drift)
            if act.kind == "audio":
                clips.append(Clip(f"REC_FILE/FOLDER01/{shows:%y%m%d_%H%M}.MP3", "audio", shows, seconds=act.seconds))
                continue
            if outing.number in AXIS_CAMERAS:
                path = _axis_name(shows, k + 1, "MP4")
            else:  # numbered on from the device's last file (outings are planned in time order)
                base, ref = DSJ_COUNTER.get(outing.number, (100, 0))
                seq = max(1, base - round(((self.today - shows.date()).days - ref) / 2),
                          self.dsj_last.get(outing.number, 0) + 1)
                self.dsj_last[outing.number] = seq
                path = _dsj_name(seq)
            seed = act.at.day + 3 * act.at.month + k
            scene = {"horizon": 0.3 + (seed % 4) * 0.04, "bank": 0.48 + (seed % 3) * 0.04, "phase": seed % 9}
            if seed % 2:
                scene["hut"] = (0.25 + (seed % 5) * 0.1, 0.12 + (seed % 3) * 0.02)
            clips.append(Clip(path, "video", shows, seconds=act.seconds, scene=scene,
                              overlay=f"{outing.number}  本溪市水务局  {act.holder_name}"))
        return clips

    def plan(self) -> dict[str, list[Clip]]:
        """What each device will hold when it is docked: {dump folder: clips}."""
        zhao = _local(self.day(9), "09:18", 30)  # the 现场检查笔录 of 赵长海's case says 09:20
        patrol = _local(self.day(3), "14:10", 5)
        interview = _shows(_local(self.day(1), "14:05", 12), 2)
        first = self.morning + datetime.timedelta(minutes=47, seconds=12)
        second = self.morning + datetime.timedelta(minutes=95, seconds=40)
        photo = second + datetime.timedelta(minutes=6, seconds=3)
        zm = "JL-001  本溪市水务局  张明"
        dumps = {
            "zhaochanghai": [Clip("DCIM/100MEDIA/DSJ_0211.MP4", "video", _shows(zhao, 1), seconds=6,
                                  overlay="JL-004  本溪市水务局  黄海",
                                  scene={"horizon": 0.34, "bank": 0.55, "phase": 2, "hut": (0.5, 0.14)})],
            # The camera's clock after a flat battery: 2000-01-01, two hours after it was switched on.
            "never_set": [Clip("DCIM/100MEDIA/DSJ_0007.MP4", "video", datetime.datetime(2000, 1, 1, 2, 15, 40),
                               seconds=5, overlay="JL-003  本溪市水务局", scene={"horizon": 0.42, "bank": 0.5,
                                                                               "phase": 5})],
            "patrol": [Clip("DCIM/100MEDIA/DSJ_0214.MP4", "video", _shows(patrol, -1), seconds=5,
                            overlay="JL-004  本溪市水务局  高峰", scene={"horizon": 0.30, "bank": 0.47, "phase": 7})],
            "interview": [Clip(f"REC_FILE/FOLDER01/{interview:%y%m%d_%H%M}.MP3", "audio", interview, seconds=8)],
            "morning": [
                Clip(_axis_name(_shows(first, 1), 1, "MP4"), "video", _shows(first, 1), seconds=6, nmea=True,
                     overlay=zm, scene={"horizon": 0.36, "bank": 0.5, "phase": 1}),
                Clip(_axis_name(_shows(second, 1), 2, "MP4"), "video", _shows(second, 1), seconds=4,
                     overlay=zm, scene={"horizon": 0.4, "bank": 0.56, "phase": 4}),
                Clip(_axis_name(_shows(photo, 1), 3, "JPG"), "photo", _shows(photo, 1), overlay=zm,
                     scene={"horizon": 0.45, "bank": 0.58, "phase": 3}),
            ],
        }
        for outing in self.outings:
            dumps[outing.dump] = self._act_clips(outing)
        return dumps

    # -- steps, each at its time ----------------------------------------------------------------
    def sign_out(self, when, number, username, *, battery, storage, drift=0.0, device_time=None):
        with clock_at(when):
            shown = device_time if device_time is not None else timezone.now() + datetime.timedelta(seconds=drift)
            return devices.sign_out(self.keeper, self.d[number], self.people[username], battery_percent=battery,
                                    storage_free_gb=storage, device_time=shown)

    def return_(self, when, number, *, battery, storage, drift=0.0):
        with clock_at(when):
            return devices.return_device(self.keeper, self.d[number], battery_percent=battery,
                                         storage_free_gb=storage,
                                         device_time=timezone.now() + datetime.timedelta(seconds=drift))

    def ingest(self, when, number, dump: str, *, by=None, drift=0.0) -> list:
        """The dump folder of a device into custody at `when` (None: now), by the 设备管理员 at the
        dock or by the officer (`by`), the device's clock `drift` seconds off; its clips' items."""
        actor = self.people[by] if by else self.keeper
        folder = self.root / dump
        rels = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        with clock_at(when) if when is not None else contextlib.nullcontext():
            run = footage.start_ingest(actor, self.d[number], source="cli",
                                       device_time=timezone.now() + datetime.timedelta(seconds=drift))
            results = footage.ingest_files(run, folder, rels)
        refused = [r for r in results if r.status != "new"]
        if refused:
            raise RuntimeError(f"演示音像记录导入失败：{[(r.name, r.status, r.reason) for r in refused]}")
        by_name = {r.name: r.item for r in results}
        return [by_name[c.path] for c in self.dumps[dump]]

    # -- the days -------------------------------------------------------------------------------
    def start(self) -> None:
        """Start making the files (ffmpeg, in parallel, in the background)."""
        self.t0 = time.monotonic()
        self.root = Path(tempfile.mkdtemp(prefix="liuhen-demo-"))
        self.running = start_files(self.root, [dataclasses.replace(c, path=f"{dump}/{c.path}")
                                               for dump, clips in self.dumps.items() for c in clips])

    def close(self) -> None:
        """Stop what still runs and remove the files (after `tell`, or a build that failed)."""
        stop_files(self.running)
        self.running = []
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def tell(self, people: dict, devices_by_number: dict) -> dict:
        """Play the days in order with the demo's `people` and the devices it registered. Inside a
        demo Timeline (liuhen/demo/timeline.py) each day is a task of its own — the days of
        different devices overlap — and the files stay until the builder closes the story."""
        from . import timeline

        line = timeline.active()
        self.people, self.d = people, devices_by_number
        self.keeper = people["majun"]  # 设备管理员
        if self.root is None:
            self.start()
        t0 = time.monotonic()
        try:
            finish_files(self.root, self.running)
            self.running = []
            self.timings["ffmpeg_wait"] = time.monotonic() - t0
            days = [(_local(self.day(9), "08:10"), self.inspection_at_zhaochanghai),
                    (_local(self.day(6), "08:20"), self.clock_never_set),
                    (_local(self.day(3), "08:30"), self.late_upload),
                    (_local(self.day(1), "13:30"), self.yesterdays_interview),
                    (self.morning, self.this_morning)]
            days += [(o.out, functools.partial(self.film, o)) for o in self.outings]
            days.append((self.now, self.upload_late))
            for when, step in sorted(days, key=lambda d: d[0]):
                if line is None:
                    step()
                else:
                    line.task(when, step)
        finally:
            if line is None:
                self.close()
        self.timings["total"] = time.monotonic() - self.t0
        return self.items

    def upload_late(self):
        """高峰's patrol video (late_upload), uploaded only now: more than 24 hours late (LQ 23)."""
        (self.items["late"],) = self.ingest(None, "JL-004", "patrol", drift=-1)

    def film(self, o: Outing):
        """An act's day: the camera out to the officer who films, back in the afternoon, docked by
        马骏 at once; its videos wait for the act's record (link_act)."""
        self.sign_out(o.out, o.number, o.holder, battery=100 - o.out.day % 7, storage=50 + o.out.day % 9,
                      drift=o.drift)
        self.return_(o.back, o.number, battery=38 + o.back.day % 30, storage=48 + o.out.day % 9, drift=o.drift)
        for act, item in zip(o.acts, self.ingest(o.docked, o.number, o.dump, drift=o.drift)):
            self.items[act.key] = item

    def inspection_at_zhaochanghai(self):
        """Nine days ago: 黄海 takes JL-004 to the 现场检查 at 赵长海's shed; the camera is
        returned and docked the same afternoon."""
        d = self.day(9)
        self.sign_out(_local(d, "08:10"), "JL-004", "huanghai", battery=100, storage=57, drift=1)
        self.return_(_local(d, "16:50"), "JL-004", battery=35, storage=55, drift=1)
        (self.items["linked"],) = self.ingest(_local(d, "16:56"), "JL-004", "zhaochanghai", drift=1)

    def clock_never_set(self):
        """Six days ago: 王芳 takes JL-003 after its battery ran flat — its clock says 2000-01-01
        (flagged at the check) and so does its video. 马骏 sets the clock at the return and docks
        it: the video is kept, flagged, and attributed to nobody."""
        d = self.day(6)
        self.sign_out(_local(d, "08:20"), "JL-003", "wangfang", battery=95, storage=58,
                      device_time=timezone.make_aware(datetime.datetime(2000, 1, 1, 0, 3)))
        self.return_(_local(d, "17:40"), "JL-003", battery=41, storage=51)
        (self.items["flagged"],) = self.ingest(_local(d, "17:45"), "JL-003", "never_set")

    def late_upload(self):
        """Three days ago: 高峰 patrols the 细河 bank with JL-004 and returns it without docking; it
        is uploaded only now (tell), more than 24 hours after (LQ 23)."""
        d = self.day(3)
        self.sign_out(_local(d, "08:30"), "JL-004", "gaofeng", battery=100, storage=55, drift=-1)
        self.return_(_local(d, "17:20"), "JL-004", battery=48, storage=54, drift=-1)

    def yesterdays_interview(self):
        """Yesterday afternoon: 李强 records an interview with LY-01; docked when it comes back."""
        d = self.day(1)
        self.sign_out(_local(d, "13:30"), "LY-01", "liqiang", battery=90, storage=12, drift=2)
        self.return_(_local(d, "16:40"), "LY-01", battery=71, storage=12, drift=2)
        (self.items["audio"],) = self.ingest(_local(d, "16:45"), "LY-01", "interview", drift=2)

    def this_morning(self):
        """This morning: 张明 takes JL-001 and the camera XJ-01, 李强 JL-002 (its clock 8 s fast:
        flagged at the check). 张明 films the 桥北物业 garage inspection — a video with its GPS
        track, a second one, a photo — and uploads them now; they wait in his holding area, the
        first marked 重点文件."""
        self.sign_out(self.morning, "JL-001", "zhangming", battery=100, storage=60, drift=1)
        with clock_at(self.morning + datetime.timedelta(minutes=2)):
            devices.sign_out(self.keeper, self.d["XJ-01"], self.people["zhangming"], battery_percent=76,
                             storage_free_gb=12)
        self.sign_out(self.morning + datetime.timedelta(minutes=5), "JL-002", "liqiang", battery=87, storage=22,
                      drift=8)
        self.items["nmea_video"], self.items["video"], self.items["photo"] = self.ingest(
            None, "JL-001", "morning", by="zhangming", drift=1)
        # The one showing the water line in the garage: 重点文件 for the case file.
        footage.mark_important(self.people["zhangming"], self.items["nmea_video"])

    # -- what the builder plans around ----------------------------------------------------------
    def docked_at(self, key) -> datetime.datetime | None:
        """When the footage of the act `key` (an Act's key) is docked; None if no outing films it."""
        return next((o.docked for o in self.outings if any(a.key == key for a in o.acts)), None)

    @property
    def linked_docked(self) -> datetime.datetime:
        """When 黄海's video of the 现场检查 at 赵长海's shed is docked (inspection_at_zhaochanghai)."""
        return _local(self.day(9), "16:56")

    def first_signouts(self) -> dict[str, datetime.datetime]:
        """{device number: its first sign-out} in the story's plan (for the periodic checks before)."""
        firsts: dict[str, datetime.datetime] = {}
        for number, out, _back in self.busy() + [(o.number, o.out, o.back) for o in self.outings]:
            firsts[number] = min(out, firsts.get(number, out))
        return firsts

    # -- after the cases exist ------------------------------------------------------------------
    def link_inspection(self, case, record):
        """黄海 links the video of the 现场检查 to the case and its 现场检查笔录 (调查取证)."""
        return footage.link(self.people["huanghai"], self.items["linked"], case, Stage.INVESTIGATION, record=record)

    def link_act(self, case, record):
        """The video of the act `record` documents, linked to it by the officer who filmed it, as
        the record is made; None if the story filmed no such act."""
        item = self.items.get((case.title, record.record_type.code))
        if item is None:
            return None
        return footage.link(item.officer, item, case, record.stage, record=record)
