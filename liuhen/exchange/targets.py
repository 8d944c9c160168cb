"""推送目标 per agency (issue 21 §4): on a platform serving several agencies, each may report to its own
provincial line platform. LIUHEN_PUSH_TARGETS names a JSON file (unset: LIUHEN_HOME/push-targets.json
when it exists) mapping an agency's code — its 统一社会信用代码, or its 文号简称 — to where its batches
go and the NAME of the environment variable holding the bearer token:

    {"测水": {"url": "https://zfjd.example.gov.cn/api/push", "token_env": "LIUHEN_PUSH_TOKEN_CESHUI"}}

An agency not listed goes to LIUHEN_PUSH_URL with LIUHEN_PUSH_TOKEN (none set: it is not pushed). A token
is never written in the file, the database or the ledger: the file names a variable, the process reads
it when it sends (each PushAttempt keeps only the URL, which may carry no user name or password).

What is wrong with the configuration is a list of Problems: the system check (`liuhen check`, ids
liuhen.exchange.E001-E003, W001) reports them, and `liuhen api push` refuses to send while there is one.
An unknown agency code is a warning, not an error, so that the file can be written before
`liuhen agency add` (an error would stop every command, that one too)."""
import dataclasses
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connection

from . import selectors
from . import vocabulary as v

KEYS = frozenset({"url", "token_env"})
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
FILE_NAME = "push-targets.json"


@dataclasses.dataclass(frozen=True)
class Target:
    """Where one agency's batches go: the URL and the environment variable of its bearer token."""

    url: str
    token_env: str = ""

    def token(self) -> str:
        return os.environ.get(self.token_env, "") if self.token_env else ""


@dataclasses.dataclass(frozen=True)
class Problem:
    check_id: str
    message: str

    @property
    def is_error(self) -> bool:
        return ".E" in self.check_id


@dataclasses.dataclass
class Targets:
    """The configured targets by agency id, and what is wrong with the configuration."""

    by_agency: dict[int, Target] = dataclasses.field(default_factory=dict)
    problems: list[Problem] = dataclasses.field(default_factory=list)

    def for_agency(self, agency) -> tuple[str, str] | None:
        """(url, token) of `agency`: its own target, else LIUHEN_PUSH_URL — None when neither is set."""
        target = self.by_agency.get(agency.pk)
        if target is not None:
            return target.url, target.token()
        if settings.LIUHEN_PUSH_URL:
            return settings.LIUHEN_PUSH_URL, settings.LIUHEN_PUSH_TOKEN
        return None


def url_problem(url) -> str:
    """Why `url` cannot be a push address ("" when it can): an http(s) URL with a host, no user name or
    password (they would be kept with each attempt), no fragment."""
    if not isinstance(url, str) or not url.strip():
        return "推送地址为空"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a port that is not a number
    except ValueError:
        return f"推送地址“{url[:200]}”格式不正确"
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment:
        return f"推送地址“{url[:200]}”不是 http(s) 网址"
    if parts.username is not None or parts.password is not None:
        return "推送地址不得含用户名或密码（令牌用 token_env 指定的环境变量）"
    return ""


def _path() -> tuple[Path | None, bool]:
    """The file to read and whether it was named (a named file that is missing is a problem; the
    default one may be absent)."""
    named = str(getattr(settings, "LIUHEN_PUSH_TARGETS", "") or "")
    if named:
        return Path(named), True
    default = Path(settings.LIUHEN_HOME) / FILE_NAME
    return (default, False) if default.exists() else (None, False)


def _read(path: Path, named: bool) -> tuple[dict, list[Problem]]:
    where = f"LIUHEN_PUSH_TARGETS（{path}）"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, [Problem(v.CHECK_TARGETS, f"{where}：文件不存在")] if named else []
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Problem(v.CHECK_TARGETS, f"{where}：无法读取（{exc.__class__.__name__}）")]
    except ValueError as exc:
        return {}, [Problem(v.CHECK_TARGETS, f"{where}：不是有效的 JSON（{exc}）")]
    if not isinstance(data, dict):
        return {}, [Problem(v.CHECK_TARGETS, f"{where}：应为对象，键为执法机关的统一社会信用代码或文号简称")]
    return data, []


def _entry(code: str, entry) -> tuple[Target | None, list[Problem]]:
    """One agency's entry checked: its keys, its URL, its token variable."""
    if not isinstance(entry, dict):
        return None, [Problem(v.CHECK_TARGETS, f"推送目标“{code}”应为对象：{{\"url\": …, \"token_env\": …}}")]
    unknown = sorted(set(entry) - KEYS)
    if unknown:
        said = "令牌不得写在配置文件中，请写入环境变量并以 token_env 指定变量名；" if "token" in unknown else ""
        return None, [Problem(v.CHECK_TARGETS, f"推送目标“{code}”：{said}未知的键 {'、'.join(unknown)}")]
    problems = []
    bad_url = url_problem(entry.get("url"))
    if bad_url:
        problems.append(Problem(v.CHECK_TARGET_URL, f"推送目标“{code}”：{bad_url}"))
    token_env = entry.get("token_env", "")
    if not isinstance(token_env, str) or (token_env and not ENV_NAME.match(token_env)):
        problems.append(Problem(v.CHECK_TARGETS, f"推送目标“{code}”：token_env 应为环境变量名"))
    elif token_env and not os.environ.get(token_env):
        problems.append(Problem(v.CHECK_TARGET_TOKEN, f"推送目标“{code}”：环境变量 {token_env} 未设置（推送令牌）"))
    return (None if problems else Target(entry["url"], token_env)), problems


def _agencies_readable() -> bool:
    """The agencies' table is there to ask (not before the first migrate, not without a database)."""
    from liuhen.accounts.models import Agency

    try:
        return Agency._meta.db_table in connection.introspection.table_names()
    except DatabaseError:
        return False


def load(*, with_agencies: bool = True) -> Targets:
    """The configured targets and the configuration's problems (with_agencies: each code looked up —
    needs the database)."""
    out = Targets()
    bad_url = url_problem(settings.LIUHEN_PUSH_URL) if settings.LIUHEN_PUSH_URL else ""
    if bad_url:
        out.problems.append(Problem(v.CHECK_TARGET_URL, f"LIUHEN_PUSH_URL：{bad_url}"))
    path, named = _path()
    if path is None:
        return out
    data, problems = _read(path, named)
    out.problems += problems
    seen = set()
    for code, entry in data.items():
        target, problems = _entry(code, entry)
        out.problems += problems
        if not with_agencies:
            continue
        found = selectors.agencies_coded(code)
        if len(found) != 1:
            why = "没有以此为统一社会信用代码或文号简称的执法机关" if not found else "对应多个执法机关，请用统一社会信用代码"
            out.problems.append(Problem(v.CHECK_TARGET_AGENCY, f"推送目标“{code}”：{why}"))
        elif found[0].pk in seen:
            out.problems.append(Problem(v.CHECK_TARGETS, f"推送目标“{code}”：{found[0].name}已有推送目标"))
        else:
            seen.add(found[0].pk)
            if target is not None:
                out.by_agency[found[0].pk] = target
    return out


def check(app_configs=None, **kwargs):
    """System check: LIUHEN_PUSH_URL and LIUHEN_PUSH_TARGETS as `liuhen api push` would use them."""
    from django.core import checks

    made = {True: checks.Error, False: checks.Warning}
    hint = "见 README“数据交换”：LIUHEN_PUSH_TARGETS 文件的格式。"
    # The agencies' table is introspected only when there is a file to look codes up for: the check
    # runs before every `liuhen` command.
    with_agencies = _path()[0] is not None and _agencies_readable()
    return [made[p.is_error](p.message, hint=hint, id=p.check_id) for p in load(with_agencies=with_agencies).problems]
