"""The officer's reads of permit applications (ADM-01, ADM-02, PRM-11): the queue of the
agency and area that answer for an application, one application with its timeline, what the
running step lets the officer do now, the colleagues an application may be assigned to, and
the statistics of a procedure.

Scope (ADM-01, issue 11): an application is answered for by the agency and area fixed at
submission (Application.agency/province): DIW for factories in Bangkok, the provincial industry
office (PIO) of the factory's province elsewhere. An officer sees the applications of their own
agency, and a PIO officer only those of their province. Seeing needs the right
"permits.review_application"; deciding "permits.decide_application". Every function takes
`acting` and returns nothing (an empty queryset, None) outside that scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import (
    Avg,
    BooleanField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate, TruncMonth

from portal.accounts.selectors import right_holders
from portal.core.acting import Acting
from portal.core.thaidate import format_date
from portal.operators.selectors import (
    holds_factory_or_business,
    holds_factory_or_business_condition,
)
from portal.permits.clock import today
from portal.permits.definitions import Procedure, procedure, procedures
from portal.permits.models import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    ApplicationStep,
    DeficiencyRecord,
)
from portal.workdays import selectors as workdays

__all__ = [
    "DECIDE_PERMISSION",
    "REVIEW_PERMISSION",
    "SOON_LATE_WORKING_DAYS",
    "actions_now",
    "answers_for_permits",
    "application_for_officer",
    "colleague_choices",
    "colleagues",
    "is_own_case",
    "officer_may",
    "procedure_statistics",
    "queue",
    "queue_counts",
    "soon_late_limit",
    "statistics_chart",
    "steps_due_between",
    "today",
]

REVIEW_PERMISSION = "permits.review_application"
DECIDE_PERMISSION = "permits.decide_application"
# "Soon late" in the queue: due within this many working days (issue 11).
SOON_LATE_WORKING_DAYS = 2
DECISIONS = ("approve", "acknowledge", "refuse")
# The agencies a "factory_area" routing gives applications to (the only routing there is).
PERMIT_AGENCIES = ("DIW", "PIO")


def answers_for_permits(acting: Acting) -> bool:
    """The officer's agency and area answer for some applications, and they may review."""
    return scope_q(acting) is not None and officer_may(acting)


def officer_may(acting: Acting, permission: str = REVIEW_PERMISSION) -> bool:
    """An active officer with the right, who passed a second factor on the web."""
    if acting.officer is None or acting.actor is None:
        return False
    if acting.channel == "web" and not acting.two_factor:
        return False
    return acting.actor.has_perm(permission)


def scope_q(acting: Acting) -> Q | None:
    """The applications this officer's agency and area answer for; None: none at all."""
    officer = acting.officer
    if officer is None or officer.agency not in PERMIT_AGENCIES:
        return None
    if officer.agency == "PIO":
        if not officer.province:
            return None  # a provincial office without a province answers for nowhere
        return Q(agency="PIO", province=officer.province)
    # DIW's applications carry no province (services.routing_of): naming it lets the queue's
    # index give the page in due-date order (bench/permits: 46 ms sorted in memory, 0.5 ms).
    return Q(agency=officer.agency, province="")


def _scoped(acting: Acting, permission: str = REVIEW_PERMISSION) -> QuerySet[Application]:
    where = scope_q(acting)
    if where is None or not officer_may(acting, permission):
        return Application.objects.none()
    return Application.objects.filter(where).exclude(state=Application.State.DRAFT)


def soon_late_limit(on: dt.date | None = None) -> dt.date:
    """The last due date counted as "soon late" today: SOON_LATE_WORKING_DAYS working days on."""
    return workdays.due_date(on or today(), SOON_LATE_WORKING_DAYS, "working_days")


def queue(
    *,
    acting: Acting,
    step: str = "",
    procedure_code: str = "",
    mine: bool = False,
) -> QuerySet[Application]:
    """ADM-02: the open applications of the officer's agency and area, by due date (paused
    ones, which have none running, last), with what the rows show joined: a page costs the same
    queries whatever the queue's length."""
    rows = _scoped(acting).filter(state__in=Application.OPEN_STATES)
    if step:
        rows = rows.filter(current_step=step)
    if procedure_code:
        rows = rows.filter(procedure_code=procedure_code)
    if mine:
        rows = rows.filter(assigned_to_id=acting.actor_id)
    # Only what a row shows: an application, its factory and its officer are wide rows, and
    # 50 of each cost more to build than to read.
    return (
        rows.select_related("factory", "assigned_to")
        .only(*QUEUE_ROW_FIELDS)
        .order_by(F("current_due_on").asc(nulls_last=True), "submitted_at", "pk")
    )


QUEUE_ROW_FIELDS = (
    "number",
    "state",
    "procedure_code",
    "current_step",
    "current_due_on",
    "clock_paused",
    "submitted_at",
    "answers",  # a new factory's name and province (PRM-05)
    "factory__name_th",
    "factory__factory_no",
    "assigned_to__first_name",
    "assigned_to__last_name",
)


def application_state_choices() -> list[tuple[str, str]]:
    return list(Application.State.choices)


def queue_counts(*, acting: Acting) -> dict[str, int]:
    """The queue's figures in one query: open, late, soon late, paused, assigned to me."""
    on = today()
    # Every figure is of open applications, and each reads only columns of the partial index
    # of open applications (permit_app_open_queue), which then answers alone, without reading
    # the table: 1 ms for DIW's 4,500 open applications where reading their rows took 6-12.
    return (
        _scoped(acting)
        .filter(state__in=Application.OPEN_STATES)
        .aggregate(
            open=Count("pk"),
            late=Count("pk", filter=Q(clock_paused=False, current_due_on__lt=on)),
            soon_late=Count(
                "pk",
                filter=Q(
                    clock_paused=False,
                    current_due_on__gte=on,
                    current_due_on__lte=soon_late_limit(on),
                ),
            ),
            paused=Count("pk", filter=Q(clock_paused=True)),
            mine=Count("pk", filter=Q(assigned_to_id=acting.actor_id)),
        )
    )


# Where is_own_case keeps its answers on the application, by officer, for the request.
OWN_CASE_KEY = "_own_case_of"
APPLICATION_FIELDS = tuple(field.name for field in Application._meta.concrete_fields)
EVENT_FIELDS = tuple(field.name for field in ApplicationEvent._meta.concrete_fields)
CASE_RELATED_FIELDS = (
    "factory__factory_no",
    "factory__name_th",
    "factory__province",
    "business__name_th",
    "business__trade_name_th",
    "applicant__first_name",
    "applicant__last_name",
    "assigned_to__first_name",
    "assigned_to__last_name",
)


def application_for_officer(*, acting: Acting, application_id: int) -> Application | None:
    """One application of the officer's scope with everything its page shows, or None; with
    whether it is the officer's own case (is_own_case), read in the same query."""
    application = (
        _scoped(acting)
        # Not the letter nor the extended application: a null one costs nothing, a set one a
        # query, and each join to the application's table (18 indexes) cost milliseconds of
        # planning (7.8 ms for seven joins, bench/permits).
        .select_related("factory", "business", "applicant", "assigned_to")
        # The application whole; of its factory, business and officers what the page shows:
        # their wide rows (a business's registry record, a member's 40 columns) cost a quarter
        # of the query's time to build (bench/permits).
        .only(*APPLICATION_FIELDS, *CASE_RELATED_FIELDS)
        .annotate(
            officer_holds_it=ExpressionWrapper(
                holds_factory_or_business_condition(
                    member_id=acting.actor_id,
                    factory_id=OuterRef("factory_id"),
                    business_id=OuterRef("business_id"),
                ),
                output_field=BooleanField(),
            )
        )
        # Each a query: only what the page shows (the clock's pauses are the services' own).
        .prefetch_related(
            Prefetch("steps", queryset=ApplicationStep.objects.order_by("position")),
            Prefetch(
                "files",
                queryset=ApplicationFile.objects.order_by("document_key", "uploaded_at"),
            ),
            "declarations",
            Prefetch("deficiencies", queryset=DeficiencyRecord.objects.order_by("-written_at")),
            "inspections",
            Prefetch(
                "events",
                queryset=ApplicationEvent.objects.select_related("actor")
                .only(*EVENT_FIELDS, "actor__first_name", "actor__last_name")
                .order_by("at"),
            ),
        )
        .filter(pk=application_id)
        .first()
    )
    if application is not None and acting.actor_id is not None:
        application.__dict__.setdefault(OWN_CASE_KEY, {})[acting.actor_id] = (
            application.officer_holds_it
        )
    return application


def file_for_officer(*, acting: Acting, application_id: int, file_id: int):
    """An uploaded document of an application in the officer's scope, or None."""
    if not _scoped(acting).filter(pk=application_id).exists():
        return None
    return ApplicationFile.objects.filter(application_id=application_id, pk=file_id).first()


def is_own_case(acting: Acting, application: Application) -> bool:
    """The officer applied for it, or holds the factory or the business it is for (ADM-02).
    Asked by the page and by the acts it lists: kept on the instance for the request."""
    member_id = acting.actor_id
    if member_id is None:
        return False
    if application.applicant_id == member_id:
        return True
    known = application.__dict__.setdefault(OWN_CASE_KEY, {})
    if member_id not in known:
        known[member_id] = holds_factory_or_business(
            member_id=member_id,
            factory_id=application.factory_id,
            business_id=application.business_id,
        )
    return known[member_id]


def actions_now(
    *, acting: Acting, application: Application, definition: Procedure | None = None
) -> list[str]:
    """What this officer may do to this application now, as its running step allows: "assign",
    the step's actions that fit the application's state, and "advance" (finish the step and
    start the next) for a running step after the document check that is not the last."""
    if not officer_may(acting) or application.state not in Application.OPEN_STATES:
        return []
    if is_own_case(acting, application):
        return []
    definition = definition or procedure(application.procedure_code)
    if definition is None or not application.current_step:
        return []
    step = definition.step(application.current_step)
    state = application.state
    State = Application.State
    may_decide = officer_may(acting, DECIDE_PERMISSION)
    allowed = ["assign"]
    open_deficiency = state == State.DEFICIENT
    fits = {
        "accept": state == State.SUBMITTED and step.kind == "document_check",
        "deficiency": state in (State.SUBMITTED, State.IN_REVIEW),
        "inspect": state == State.IN_REVIEW,
        **{decision: state == State.IN_REVIEW and may_decide for decision in DECISIONS},
    }
    allowed += [action for action in step.actions if fits.get(action)]
    keys = [s.key for s in definition.steps]
    last = keys.index(step.key) == len(keys) - 1
    if (
        step.kind != "document_check"
        and not last
        and state == State.IN_REVIEW
        and not application.clock_paused
        and not open_deficiency
    ):
        allowed.append("advance")
    return allowed


def colleagues(*, acting: Acting) -> QuerySet:
    """The active officers of the same agency and area with the right to review: whom an
    application may be assigned to (the officer included)."""
    officer = acting.officer
    if officer is None or scope_q(acting) is None:
        return get_user_model().objects.none()
    area = Q(officer_profile__province=officer.province) if officer.agency == "PIO" else Q()
    # The right, directly or through a group, as a list of its holders the officers of the
    # area are checked against (accounts.selectors.right_holders, SQL of fixed text): a join of
    # every member with their permissions and groups scanned all members, an EXISTS of each
    # took PostgreSQL 1 to 4.8 ms to plan, and the same lists built by the ORM 1.5 ms to
    # compile (bench/permits).
    return (
        get_user_model()
        .objects.filter(
            area,
            right_holders(REVIEW_PERMISSION),
            officer_profile__agency=officer.agency,
            officer_profile__active=True,
            status="active",
        )
        .order_by("first_name", "last_name", "pk")
    )


def colleague_choices(*, acting: Acting) -> list[tuple[str, str]]:
    """(member id, name) of the colleagues: the choices of the assignment form."""
    rows = colleagues(acting=acting).only("first_name", "last_name")
    return [(str(member.pk), member.display_name) for member in rows]


def steps_due_between(first: dt.date, last: dt.date) -> QuerySet[Application]:
    """Open applications whose running step is due in [first, last], clock running (the
    officers' morning notice: steps due tomorrow). A system read: no officer acts."""
    return (
        Application.objects.filter(
            state__in=Application.OPEN_STATES,
            clock_paused=False,
            current_due_on__gte=first,
            current_due_on__lte=last,
        )
        .select_related("assigned_to")
        .order_by("current_due_on", "pk")
    )


# --- statistics (PRM-11) -------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCount:
    month: dt.date
    count: int


@dataclass(frozen=True)
class StepFigure:
    key: str
    name: object  # definitions.Text
    duration: int
    unit: str
    finished: int
    on_time: int
    average_days: float | None  # calendar days from the step's start to its end, on average


@dataclass(frozen=True)
class Statistics:
    procedure: Procedure
    months: list[MonthCount]
    average: float
    highest: int
    lowest: int
    steps: list[StepFigure]

    @property
    def total(self) -> int:
        return sum(m.count for m in self.months)

    @property
    def max_count(self) -> int:
        return max((m.count for m in self.months), default=0)


def _month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


STATISTICS_CACHE_SECONDS = 26 * 3600


def _statistics_key(code: str, on: dt.date) -> str:
    return f"permits:statistics:{code}:{on.isoformat()}"


def procedure_statistics(code: str, *, until: dt.date | None = None) -> Statistics | None:
    """PRM-11's figures of a procedure up to today, as computed once a day (the scheduler's
    statistics job, or the first page of the day): they aggregate every application of the
    procedure, half a second or more at national scale (bench/permits), and the manuals publish
    monthly figures, so a day's staleness is in their nature. `until` computes afresh."""
    if until is not None:
        return procedure_statistics_compute(code, until=until)
    on = today()
    return cache.get_or_set(
        _statistics_key(code, on),
        lambda: procedure_statistics_compute(code, until=on),
        STATISTICS_CACHE_SECONDS,
    )


def procedure_statistics_refresh() -> int:
    """Compute today's figures of every procedure into the cache (the scheduler's job)."""
    on = today()
    for code in procedures():
        cache.set(
            _statistics_key(code, on),
            procedure_statistics_compute(code, until=on),
            STATISTICS_CACHE_SECONDS,
        )
    return len(procedures())


def procedure_statistics_compute(code: str, *, until: dt.date | None = None) -> Statistics | None:
    """PRM-11: applications submitted per month (every month from the first application's to
    `until`'s, the months without any counting as 0), their average, highest and lowest, and
    for each step how many finished, how many on time (by their due date, which counts working
    days and pauses) and the average calendar days taken. Public figures: no person, no
    factory. Two grouped queries, whatever the number of applications."""
    definition = procedure(code)
    if definition is None:
        return None
    until = until or today()
    per_month = dict(
        Application.objects.filter(procedure_code=code, submitted_at__isnull=False)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    counted = {
        (m.date() if isinstance(m, dt.datetime) else m).replace(day=1): n
        for m, n in per_month.items()
    }
    months = _month_range(min(counted), until) if counted else []
    rows = [MonthCount(month=m, count=counted.get(m, 0)) for m in months]
    counts = [r.count for r in rows]
    step_rows = {
        row["key"]: row
        for row in ApplicationStep.objects.filter(
            application__procedure_code=code,
            state=ApplicationStep.State.DONE,
            started_on__isnull=False,
            finished_at__isnull=False,
        )
        .values("key")
        .annotate(
            finished=Count("pk"),
            on_time=Count("pk", filter=Q(finished_at__date__lte=F("due_on"))),
            taken=Avg(
                ExpressionWrapper(
                    TruncDate("finished_at") - F("started_on"), output_field=DurationField()
                )
            ),
        )
    }
    steps = []
    for step in definition.steps:
        row = step_rows.get(step.key, {})
        taken = row.get("taken")
        steps.append(
            StepFigure(
                key=step.key,
                name=step.name,
                duration=step.duration,
                unit=step.unit,
                finished=row.get("finished", 0),
                on_time=row.get("on_time", 0),
                average_days=round(taken.total_seconds() / 86400, 1) if taken else None,
            )
        )
    return Statistics(
        procedure=definition,
        months=rows,
        average=round(sum(counts) / len(counts), 1) if counts else 0,
        highest=max(counts, default=0),
        lowest=min(counts, default=0),
        steps=steps,
    )


def published_procedures() -> list[Procedure]:
    return sorted(procedures().values(), key=lambda p: p.code)


# The bar chart of applications per month, drawn server-side as inline SVG (no script).
CHART_HEIGHT = 160
CHART_BAR = 28
CHART_GAP = 8
CHART_LEFT = 36


def statistics_chart(figures: Statistics) -> dict:
    """Bars of the months (the last 24 at most): their place and height in the SVG."""
    months = figures.months[-24:]
    top = max((m.count for m in months), default=0) or 1
    bars = []
    for index, month in enumerate(months):
        height = round(month.count / top * CHART_HEIGHT)
        bars.append(
            {
                "x": CHART_LEFT + index * (CHART_BAR + CHART_GAP),
                "y": 10 + CHART_HEIGHT - height,
                "height": height,
                "count": month.count,
                "month": month.month,
                "label": format_date(month.month, short=True).split(" ", 1)[1],
                "label_x": CHART_LEFT + index * (CHART_BAR + CHART_GAP) + CHART_BAR // 2,
            }
        )
    return {
        "bars": bars,
        "bar_width": CHART_BAR,
        "width": CHART_LEFT + max(len(bars), 1) * (CHART_BAR + CHART_GAP),
        "height": CHART_HEIGHT + 40,
        "baseline": 10 + CHART_HEIGHT,
        "top": top,
        "average_y": 10 + CHART_HEIGHT - round(figures.average / top * CHART_HEIGHT),
    }
