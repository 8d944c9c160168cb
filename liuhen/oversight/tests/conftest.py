"""The oversight tests count deadlines from the real today: the working-day calendar must know the
coming year, or a run in late December would see every clock as unknown (which is right for the
product — never Monday to Friday — but not what these tests are about). A year nobody loaded gets a
fictional test schedule, rolled back with each test (liuhen.testing.workdays.calendar_ahead)."""
import pytest

from liuhen.testing.workdays import calendar_ahead, clean_calendar  # noqa: F401


@pytest.fixture(autouse=True)
def _calendar_known_ahead(calendar_ahead):  # noqa: F811
    yield
