"""The legal clock of an application (PRM-07, PRM-08): steps start, pause, resume and finish,
and their due dates are stored when they change. Used by the applicant's services (submission
starts the document check) and the officer's (acceptance starts the clock, a deficiency record
pauses it). Callers hold the application's row lock (select_for_update) and an open transaction.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.permits.definitions import Procedure
from portal.permits.models import Application, ApplicationStep, ClockPause
from portal.workdays import selectors as workdays

__all__ = [
    "clock_pause",
    "clock_resume",
    "clock_start",
    "step_finish",
    "step_start",
    "steps_create",
    "today",
]


def today() -> dt.date:
    return timezone.localdate()


def steps_create(application: Application, procedure: Procedure) -> list[ApplicationStep]:
    """One row per step of the definition, all waiting (at submission)."""
    return ApplicationStep.objects.bulk_create(
        [
            ApplicationStep(application=application, key=step.key, position=index)
            for index, step in enumerate(procedure.steps)
        ]
    )


def _pauses(application: Application, since: dt.date) -> list[tuple[dt.date, dt.date | None]]:
    return [
        (pause.started_on, pause.ended_on)
        for pause in application.pauses.all()
        if pause.ended_on is None or pause.ended_on > since
    ]


def _due(application: Application, procedure: Procedure, key: str, started_on: dt.date):
    step = procedure.step(key)
    pauses = [(a, b) for a, b in _pauses(application, started_on) if b is not None]
    return workdays.due_date(started_on, step.duration, step.unit, pauses)


def step_start(
    application: Application, procedure: Procedure, key: str, on: dt.date | None = None
) -> ApplicationStep:
    """Start a step: its due date counts its time from `on` (PRM-07)."""
    on = on or today()
    step = application.steps.get(key=key)
    step.state = ApplicationStep.State.RUNNING
    step.started_on = on
    step.due_on = _due(application, procedure, key, on)
    step.save(update_fields=["state", "started_on", "due_on"])
    application.current_step = key
    application.current_due_on = step.due_on
    application.clock_paused = False
    application.updated_at = timezone.now()
    application.save(update_fields=["current_step", "current_due_on", "clock_paused", "updated_at"])
    return step


def step_finish(
    application: Application, key: str, *, by=None, skipped: bool = False
) -> ApplicationStep:
    step = application.steps.get(key=key)
    step.state = ApplicationStep.State.SKIPPED if skipped else ApplicationStep.State.DONE
    step.finished_at = timezone.now()
    step.finished_by = by
    step.save(update_fields=["state", "finished_at", "finished_by"])
    if application.current_step == key:
        application.current_step = ""
        application.current_due_on = None
        application.save(update_fields=["current_step", "current_due_on"])
    return step


def clock_start(application: Application, procedure: Procedure, on: dt.date | None = None):
    """The documents are complete (PRM-08): the procedure's whole due date counts from here."""
    on = on or today()
    application.clock_started_on = on
    application.due_on = workdays.due_date(on, procedure.total, procedure.unit)
    application.save(update_fields=["clock_started_on", "due_on"])


def clock_pause(application: Application, reason: str, on: dt.date | None = None) -> ClockPause:
    """Stop the clock (a deficiency record, corrections ordered): the running step pauses."""
    on = on or today()
    pause = ClockPause.objects.create(
        application=application, step_key=application.current_step, reason=reason, started_on=on
    )
    application.steps.filter(key=application.current_step).update(
        state=ApplicationStep.State.PAUSED
    )
    application.clock_paused = True
    application.save(update_fields=["clock_paused"])
    return pause


def clock_resume(application: Application, procedure: Procedure, on: dt.date | None = None):
    """Restart the clock: the paused stretch does not count; the running step's and the whole
    procedure's due dates move by it (issue 11: "the due dates after it move by the pause")."""
    on = on or today()
    pause = application.pauses.get(ended_on__isnull=True)
    pause.ended_on = on
    pause.save(update_fields=["ended_on"])
    step = application.steps.get(key=pause.step_key)
    step.state = ApplicationStep.State.RUNNING
    if step.started_on is not None:
        step.due_on = _due(application, procedure, step.key, step.started_on)
    step.save(update_fields=["state", "due_on"])
    if application.clock_started_on is not None:
        pauses = [
            (a, b) for a, b in _pauses(application, application.clock_started_on) if b is not None
        ]
        application.due_on = workdays.due_date(
            application.clock_started_on, procedure.total, procedure.unit, pauses
        )
    application.current_step = step.key
    application.current_due_on = step.due_on
    application.clock_paused = False
    application.save(update_fields=["due_on", "current_step", "current_due_on", "clock_paused"])
    return step
