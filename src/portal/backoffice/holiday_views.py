"""The officers' holiday table (issue 11, PRM-07): a year's days off of government offices, from
the law and from the table, with their source; an officer with workdays.change_extraholiday
adds a day off the cabinet declared or makes a listed holiday a working day, and removes an
entry of the table after confirming. Holidays are national: no queue or area.

The rights are the workdays services' (which refuse whoever may not, and audit); the guard
here only spares a request that could not succeed."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from portal.backoffice.views import officer_required
from portal.core.acting import acting_of
from portal.core.forms import PortalForm, ThaiDateField, form_add_service_error
from portal.core.thaidate import ce_to_be
from portal.core.views import posted_data
from portal.workdays import selectors as workdays_selectors
from portal.workdays.services import (
    CHANGE_PERMISSION,
    FIRST_YEAR,
    LAST_YEAR,
    WorkdaysError,
    extra_holiday_add,
    extra_holiday_remove,
)


def _year_of(request) -> int:
    """The year asked for (?year=, Buddhist or Common era), else this year."""
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else timezone.localdate().year
    if year >= 2400:
        year -= 543
    return min(max(year, FIRST_YEAR), LAST_YEAR)


def _list_url(year: int) -> str:
    return f"{reverse('backoffice:holidays')}?year={year}"


@officer_required()
@require_GET
def holidays(request):
    """PRM-07: the days off of a year besides weekends, with where each comes from."""
    year = _year_of(request)
    return render(
        request,
        "backoffice/holidays/list.html",
        {
            "year": year,
            "year_be": ce_to_be(year),
            "previous": year - 1 if year > FIRST_YEAR else None,
            "next": year + 1 if year < LAST_YEAR else None,
            "rows": workdays_selectors.calendar_of_year(year),
            "may_change": request.user.has_perm(CHANGE_PERMISSION),
        },
    )


class ExtraHolidayForm(PortalForm):
    day = ThaiDateField(label=gettext_lazy("Date"))
    kind = forms.ChoiceField(
        label=gettext_lazy("What the day becomes"),
        widget=forms.RadioSelect,
        choices=(),
    )
    name_th = forms.CharField(
        label=gettext_lazy("Name in Thai"),
        max_length=200,
        help_text=gettext_lazy(
            "For a day off, its name, for example วันหยุดพิเศษ (เพิ่มเติม); for a moved holiday, "
            "why, for example the cabinet resolution"
        ),
    )
    name_en = forms.CharField(label=gettext_lazy("Name in English"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = workdays_selectors.extra_holiday_kind_choices()


@officer_required(CHANGE_PERMISSION)
@require_http_methods(["GET", "POST"])
def holiday_add(request):
    """PRM-07: an entry of the table, through the service (permission, checks, audit)."""
    form = ExtraHolidayForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = extra_holiday_add(
                officer=acting_of(request),
                day=data["day"],
                name_th=data["name_th"],
                name_en=data["name_en"],
                kind=data["kind"],
            )
        except WorkdaysError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("The holiday table was changed."))
            return redirect(_list_url(entry.day.year))
    return render(request, "backoffice/holidays/add.html", {"form": form})


@officer_required(CHANGE_PERMISSION)
@require_http_methods(["GET", "POST"])
def holiday_remove(request, holiday_id):
    """PRM-07: the officer sees the entry and confirms; the day is again what the law says."""
    entry = workdays_selectors.extra_holiday_by_id(holiday_id)
    if entry is None:
        raise Http404
    if request.method == "POST":
        try:
            extra_holiday_remove(officer=acting_of(request), holiday_id=entry.pk)
        except WorkdaysError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The entry was removed from the holiday table."))
        return redirect(_list_url(entry.day.year))
    return render(
        request,
        "backoffice/holidays/remove.html",
        {
            "entry": entry,
            "law_name": workdays_selectors.law_holiday_name(entry.day),
            "list_url": _list_url(entry.day.year),
        },
    )
