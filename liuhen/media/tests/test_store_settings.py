"""The S3 client's attempts and waits are settings (LIUHEN_S3_ATTEMPTS, LIUHEN_S3_CONNECT_TIMEOUT,
LIUHEN_S3_READ_TIMEOUT): production's 4 attempts (botocore's max_attempts=3 retries), 5 s and 60 s by default, each read by the client
the store makes, and a bad value refused at start by its system check (liuhen.media.E001-E003)."""
import pytest
from django.core.checks.registry import registry

from liuhen.media import checks, store
from liuhen.media import vocabulary as v

URL = "s3://k:s@liuhen-test?endpoint=http://127.0.0.1:9&region=us-east-1"


def test_production_defaults(settings):
    from liuhen import settings as project

    assert (project.LIUHEN_S3_ATTEMPTS, project.LIUHEN_S3_CONNECT_TIMEOUT, project.LIUHEN_S3_READ_TIMEOUT) == (4, 5, 60)
    assert checks.store_settings_check() == []


def test_the_client_uses_the_settings(settings):
    settings.LIUHEN_STORAGE_URL = URL
    config = store.backend().client.meta.config
    assert (config.retries["total_max_attempts"], config.connect_timeout, config.read_timeout) == (4, 5, 60)
    settings.LIUHEN_S3_ATTEMPTS, settings.LIUHEN_S3_CONNECT_TIMEOUT, settings.LIUHEN_S3_READ_TIMEOUT = 1, 0.5, 7
    config = store.backend().client.meta.config  # another client: the settings are part of its identity
    assert (config.retries["total_max_attempts"], config.connect_timeout, config.read_timeout) == (1, 0.5, 7)


@pytest.mark.parametrize(("name", "value", "code"), [
    ("LIUHEN_S3_ATTEMPTS", 0, v.CHECK_S3_ATTEMPTS),
    ("LIUHEN_S3_ATTEMPTS", 11, v.CHECK_S3_ATTEMPTS),
    ("LIUHEN_S3_ATTEMPTS", 2.5, v.CHECK_S3_ATTEMPTS),
    ("LIUHEN_S3_ATTEMPTS", True, v.CHECK_S3_ATTEMPTS),
    ("LIUHEN_S3_ATTEMPTS", "三", v.CHECK_S3_ATTEMPTS),  # the environment's text, not a number
    ("LIUHEN_S3_CONNECT_TIMEOUT", 0, v.CHECK_S3_CONNECT_TIMEOUT),
    ("LIUHEN_S3_CONNECT_TIMEOUT", -1, v.CHECK_S3_CONNECT_TIMEOUT),
    ("LIUHEN_S3_CONNECT_TIMEOUT", 301, v.CHECK_S3_CONNECT_TIMEOUT),
    ("LIUHEN_S3_CONNECT_TIMEOUT", float("nan"), v.CHECK_S3_CONNECT_TIMEOUT),
    ("LIUHEN_S3_CONNECT_TIMEOUT", "5s", v.CHECK_S3_CONNECT_TIMEOUT),
    ("LIUHEN_S3_READ_TIMEOUT", 0, v.CHECK_S3_READ_TIMEOUT),
    ("LIUHEN_S3_READ_TIMEOUT", 3601, v.CHECK_S3_READ_TIMEOUT),
    ("LIUHEN_S3_READ_TIMEOUT", None, v.CHECK_S3_READ_TIMEOUT),
])
def test_a_bad_value_is_refused_at_start(settings, name, value, code):
    setattr(settings, name, value)
    errors = checks.store_settings_check()
    assert [e.id for e in errors] == [code] and name in errors[0].msg and "应为" in errors[0].msg
    assert checks.store_settings_check in registry.get_checks()  # `liuhen check` and every start run it


@pytest.mark.parametrize(("name", "value"), [("LIUHEN_S3_ATTEMPTS", 1), ("LIUHEN_S3_ATTEMPTS", 10),
                                             ("LIUHEN_S3_CONNECT_TIMEOUT", 0.5), ("LIUHEN_S3_CONNECT_TIMEOUT", 300),
                                             ("LIUHEN_S3_READ_TIMEOUT", 3600)])
def test_the_edges_are_allowed(settings, name, value):
    setattr(settings, name, value)
    assert checks.store_settings_check() == []


def test_the_environment_sets_them(monkeypatch):
    from liuhen.settings import _media_store_number as read

    monkeypatch.setenv("LIUHEN_S3_ATTEMPTS", "1")
    monkeypatch.setenv("LIUHEN_S3_CONNECT_TIMEOUT", "1.5")
    monkeypatch.setenv("LIUHEN_S3_READ_TIMEOUT", "abc")
    monkeypatch.setenv("LIUHEN_S3_UNSET", "")
    assert read("LIUHEN_S3_ATTEMPTS", 4, int) == 1
    assert read("LIUHEN_S3_CONNECT_TIMEOUT", 5, float) == 1.5
    assert read("LIUHEN_S3_READ_TIMEOUT", 60, float) == "abc"  # kept as text, for the check to name
    assert read("LIUHEN_S3_UNSET", 60, float) == 60
