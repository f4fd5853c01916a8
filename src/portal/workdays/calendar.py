"""The working-day calendar (PRM-07), computed once per process and year.

Days off for a government office (docs/decisions.md, "Working days of government offices"):
Saturdays and Sundays; the `holidays` package's Thai PUBLIC category (the Holidays Act's days,
their substitute days "ชดเชย..." and the cabinet's extra days "วันหยุดพิเศษ (เพิ่มเติม)") and
its GOVERNMENT category (the Royal Ploughing Ceremony, a day off of government offices only),
less National Labour Day and its substitute (the package marks it as observed by the financial
and private sectors only: government offices are open). Then the officers' table: an extra
"holiday" is a day off, a "working_day" entry makes a listed holiday a working day.

Cache: the law's part of a year never changes within a process (functools.lru_cache). The
officers' table is read once and kept with a version token from the shared cache; a change
sets a new token when it commits (services) and clears this process's copy at once; other
processes see the new token within CHECK_SECONDS and reload. Arithmetic runs on per-year
arrays: a year's working days as ordinals, and for each day of the year how many working days
of the year fall on or before it, so that counting and finding the n-th working day are
lookups, not walks.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
import uuid
from dataclasses import dataclass, field

import holidays
from django.core.cache import cache

from portal.workdays.models import ExtraHoliday

VERSION_KEY = "workdays:calendar-version"
CHECK_SECONDS = 5.0
LAW = "law"
OFFICER = "officer"
HOLIDAY = "holiday"
WORKING_DAY = "working_day"
# The package's Thai name of National Labour Day; its substitute is "ชดเชย" + this.
LABOUR_DAY_TH = "วันแรงงานแห่งชาติ"
LABOUR_DAY_EN = "National Labor Day"  # and "National Labor Day (in lieu)"
CATEGORIES = ("public", "government")


@functools.lru_cache(maxsize=512)
def law_holidays(year: int) -> dict[dt.date, tuple[str, str]]:
    """The law's days off of government offices in `year`: date -> (Thai name, English name).
    Computed with the years either side, so that a substitute day falling in another year than
    its holiday (New Year's Eve on a weekend) is in the year of its date."""
    thai: dict[dt.date, list[str]] = {}
    english: dict[dt.date, list[str]] = {}
    for number in (year - 1, year, year + 1):
        try:
            for language, names in (("th", thai), ("en_US", english)):
                found = holidays.country_holidays(
                    "TH", years=number, language=language, categories=CATEGORIES
                )
                for day in found:
                    if day.year == year:
                        listed = names.setdefault(day, [])
                        listed.extend(n for n in found.get_list(day) if n not in listed)
        except (NotImplementedError, KeyError, ValueError, OverflowError):
            continue  # a year beyond the package's tables (the lunar calendar ends in 2157)
    result = {}
    for day in sorted(thai):
        # Each language's list is in its own order: Labour Day is left out of each by name.
        names_th = [name for name in thai[day] if not name.endswith(LABOUR_DAY_TH)]
        names_en = [name for name in english.get(day, []) if not name.startswith(LABOUR_DAY_EN)]
        if names_th:
            result[day] = (", ".join(names_th), ", ".join(names_en) or ", ".join(names_th))
    return result


@dataclass(frozen=True)
class Extra:
    id: int
    day: dt.date
    kind: str
    name_th: str
    name_en: str


@dataclass
class Year:
    year: int
    first: int  # ordinal of 1 January
    working: list[int]  # ordinals of the year's working days, ascending
    upto: list[int]  # upto[i]: working days among the year's first i + 1 days
    off: dict[dt.date, tuple[str, str, str]]  # day off -> (Thai name, English name, source)

    @property
    def total(self) -> int:
        return len(self.working)

    def count_upto(self, day: dt.date) -> int:
        """Working days of this year on or before `day` (a day of this year)."""
        return self.upto[day.toordinal() - self.first]

    def is_working(self, day: dt.date) -> bool:
        index = day.toordinal() - self.first
        return self.upto[index] != (self.upto[index - 1] if index else 0)


def build_year(year: int, extras: dict[dt.date, Extra]) -> Year:
    first = dt.date(year, 1, 1).toordinal()
    last = dt.date(year, 12, 31).toordinal()
    off: dict[dt.date, tuple[str, str, str]] = {
        day: (name_th, name_en, LAW) for day, (name_th, name_en) in law_holidays(year).items()
    }
    for day, extra in extras.items():
        if day.year != year:
            continue
        if extra.kind == HOLIDAY:
            off[day] = (extra.name_th, extra.name_en, OFFICER)
        else:
            off.pop(day, None)
    working, upto, count = [], [], 0
    for ordinal in range(first, last + 1):
        day = dt.date.fromordinal(ordinal)
        if day.weekday() < 5 and day not in off:
            working.append(ordinal)
            count += 1
        upto.append(count)
    return Year(year=year, first=first, working=working, upto=upto, off=off)


@dataclass
class State:
    version: str | None
    extras: dict[dt.date, Extra]
    checked_at: float
    years: dict[int, Year] = field(default_factory=dict)


_lock = threading.Lock()
_state: State | None = None


def _shared_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _load_extras() -> dict[dt.date, Extra]:
    return {
        row.day: Extra(row.id, row.day, row.kind, row.name_th, row.name_en)
        for row in ExtraHoliday.objects.all()
    }


def current() -> State:
    """This process's calendar, reloaded when another process changed the officers' table."""
    global _state
    state = _state
    now = time.monotonic()
    if state is not None and now - state.checked_at < CHECK_SECONDS:
        return state
    with _lock:
        state = _state
        version = _shared_version()
        if state is not None and state.version == version:
            state.checked_at = now
            return state
        # Read the version before the table: a change committing in between leaves a newer
        # token behind, and the next check reloads.
        _state = State(version=version, extras=_load_extras(), checked_at=now)
        return _state


def year(number: int) -> Year:
    state = current()
    found = state.years.get(number)
    if found is None:
        found = build_year(number, state.extras)
        state.years[number] = found
    return found


def forget() -> None:
    """Drop this process's copy (the next read reloads the officers' table)."""
    global _state
    with _lock:
        _state = None


def changed() -> None:
    """The officers' table changed (called when the change commits): a new shared token for
    the other processes, and this process's copy dropped at once."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    forget()
