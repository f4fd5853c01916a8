import pytest

from portal.workdays import calendar


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test reads the officers' table of its own database state: a table a rolled-back
    test changed must not stay in this process's calendar."""
    calendar.forget()
    yield
    calendar.forget()
