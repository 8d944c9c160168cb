"""A small agency with one person per role (the `world` fixture of every test). Cases are taken
through their stages by liuhen.testing.cases."""
import datetime

from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.cases import services as cases



class World:
    """An agency, two units and one person per role; officers hold valid certificates."""

    PASSWORD = "Liuhen-test-2026"

    def __init__(self):
        self.agency = acc.create_agency(None, name="测试市水务局", short_name="测水")
        self.unit = acc.create_unit(None, self.agency, name="水政监察大队")
        self.other_unit = acc.create_unit(None, self.agency, name="水资源科")
        today = timezone.localdate()
        n = 0

        def person(username, full_name, roles, unit=None, cert=True, cert_until=None):
            nonlocal n
            user = acc.create_user(None, username=username, full_name=full_name, password=self.PASSWORD,
                                   agency=self.agency, unit=unit, roles=roles)
            if cert:
                n += 1
                acc.issue_certificate(None, user, number=f"1401{n:06d}", valid_from=today - datetime.timedelta(days=365),
                                      valid_until=cert_until or today + datetime.timedelta(days=365))
            return user

        self.officer = person("zhang", "张明", [Role.OFFICER], self.unit)
        self.officer2 = person("li", "李强", [Role.OFFICER], self.unit)
        self.officer3 = person("wang", "王芳", [Role.OFFICER], self.unit)
        self.expired = person("zhao", "赵刚", [Role.OFFICER], self.unit, cert_until=today - datetime.timedelta(days=1))
        self.outsider = person("sun", "孙丽", [Role.OFFICER], self.other_unit)
        self.unit_head = person("chen", "陈队长", [Role.UNIT_HEAD], self.unit, cert=False)
        self.agency_head = person("liu", "刘局长", [Role.AGENCY_HEAD], None, cert=False)
        self.reviewer = person("fa", "法制审核员", [Role.LEGAL_REVIEWER], None, cert=False)
        self.sysadmin = person("sys", "系统管理员", [Role.SYSTEM_ADMIN], None, cert=False)

    def open_case(self, officer=None, **kw):
        officer = officer or self.officer
        args = dict(title="未经许可取水", kind="penalty", procedure="general", start_mode="ex_officio",
                    on_site=True, officers=[self.officer2])
        args.update(kw)
        return cases.open_case(officer, **args)

    def to_investigation(self, case, officer=None):
        """Take a case from 程序启动 to 调查取证 the real way: a party (unless it is an inspection or
        already has one), a 程序启动审批表 signed by the lead officer and approved by the unit head,
        then advance. Returns the case as it is now."""
        from liuhen.records import services as records
        from liuhen.records.models import RecordType

        officer = officer or case.officers.get(is_lead=True).officer
        if case.kind != "inspection" and not case.parties.exists():
            cases.add_party(officer, case, kind="person", name="王建国", id_number="11010519491231002X")
        approval = records.create_record(officer, case, RecordType.objects.get(code="start_approval"), {
            "reason": "日常巡查发现违法嫌疑。", "party": "王建国", "handler_opinion": "建议立案调查。"})
        records.sign_as_officer(officer, approval)
        records.sign_as_leader(self.unit_head, approval)
        return cases.advance(officer, case, "审批完成")


def world_scene(where):
    """The scene snapshot's builder (liuhen.testing.demo.scene_snapshot): one World."""
    return World()


# Settings a World's rows do not depend on: the test's own directories and store.
_PER_TEST = {"LIUHEN_HOME", "LIUHEN_BLOB_DIR", "LIUHEN_UPLOAD_DIR", "LIUHEN_POSTER_DIR", "LIUHEN_STORAGE_URL"}


def _settings_variant() -> str:
    """What a World's rows may depend on among the settings (the log's hash, the crypto suite, the
    password hasher, the time zone…): a test that changed one gets a snapshot of its own."""
    import hashlib

    from django.conf import settings

    names = sorted(n for n in dir(settings) if n.startswith("LIUHEN_") and n not in _PER_TEST)
    names += ["PASSWORD_HASHERS", "TIME_ZONE", "USE_TZ", "LANGUAGE_CODE"]
    return hashlib.sha256(repr([(n, getattr(settings, n, None)) for n in names]).encode()).hexdigest()[:12]


def restored_world(settings, tmp_path_factory, django_db_blocker) -> World:
    """The `world` fixture's World: built once per run and settings (liuhen.testing.demo.scene_snapshot)
    and copied into the test's database — the same rows a World() built here writes, ids, hashes and
    the log's queued entries included. Built here instead when the database is not as set up (the
    test's fixtures wrote to it before: an emptied log), when the snapshot was built on another seed,
    or when its build wrote keys (its rows would then be ciphertexts or hashes under keys this test's
    home does not hold)."""
    from liuhen.testing import demo

    global last_world_restored
    last_world_restored = False
    if not demo.seed_untouched():  # the test's fixtures wrote (an emptied log): built on what they left
        return World()
    snapshot = demo.scene_snapshot("liuhen.testing.world:world_scene", tmp_path_factory, django_db_blocker,
                                   variant=_settings_variant())
    if (snapshot.home.exists() and any(snapshot.home.iterdir())) or not demo.built_on_seed(snapshot):
        return World()
    world = demo.restore_scene(snapshot, settings.LIUHEN_HOME, settings.LIUHEN_BLOB_DIR, forget=False,
                               seed_checked=True)
    last_world_restored = demo.last_restore_fitted
    return world


last_world_restored: bool | None = None  # whether the last `world` fixture copied its snapshot in (tests)
