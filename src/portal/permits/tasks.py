"""Permits' scheduled work (issue 11), run by the task workers' schedule (settings.PERIODIC_JOBS,
registries.schedule): each job is idempotent, so a second run the same day does nothing.

- deficiency deadlines passed: the applications returned (PRM-08);
- applicants told every 7 days while their application is past due (PRM-12);
- officers told each morning of the steps due next (one message per officer);
- each procedure's statistics computed for the day (PRM-11)."""

from portal.permits.review_selectors import procedure_statistics_refresh
from portal.permits.review_services import (
    deficiencies_expire,
    late_notices_send,
    officers_morning_notice_daily,
)

__all__ = [
    "deficiencies_expire_job",
    "late_notices_job",
    "morning_notice_job",
    "statistics_job",
]


def deficiencies_expire_job() -> int:
    return deficiencies_expire()


def late_notices_job() -> int:
    return late_notices_send()


def morning_notice_job() -> int:
    return officers_morning_notice_daily()


def statistics_job() -> int:
    return procedure_statistics_refresh()
