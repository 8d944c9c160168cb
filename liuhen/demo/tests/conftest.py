"""The demo tests' shared fixtures: each module builds the demo once (liuhen/testing/demo.py restores
one snapshot per run) and each test reads it in its own transaction."""
import pytest

from liuhen.testing.demo import in_the_demo, the_demo

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The run's one demo build, restored (liuhen/testing/demo.py)."""
    with the_demo(tmp_path_factory, django_db_blocker) as data:
        yield data


@pytest.fixture
def demo(demo_data, db, settings):
    settings.PASSWORD_HASHERS = FAST_HASHER
    return in_the_demo(settings, demo_data)
