import datetime as dt

from altcha_django.forms import AltchaField, AltchaMixin
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Member
from portal.accounts.passwords import PortalPasswordValidator
from portal.accounts.services import PROFILE_FIELDS
from portal.core import thaidate

# Shared with the other apps' forms (core is the kernel every app may import).
from portal.core.forms import (  # noqa: F401
    MobileField,
    NationalIdField,
    PortalFileInput,
    PortalForm,
    PortalModelForm,
    clean_mobile,
    clean_national_id,
)
from portal.core.uploads import validate_document_upload, validate_image_upload

NONE_CHOICE = "0"  # "ไม่มี": the day or month of birth is unknown (ACC-02)


def robot_check_field():
    # Self-hosted proof of work (altcha): the visitor ticks "I am not a robot" and the
    # browser solves a small puzzle; no third-party service sees the visitor (ACC-09).
    return AltchaField(
        label=_("I am not a robot"),
        challenge_url="/altcha/challenge/",
        display="standard",
        error_messages=ROBOT_CHECK_MESSAGES,
    )


# The library's own messages name it ("Please complete the ALTCHA verification."): people
# know the box by its label.
_ROBOT_AGAIN = _("The check that you are not a robot did not work: tick “I am not a robot” again")
ROBOT_CHECK_MESSAGES = {
    "required": _("Tick “I am not a robot” to show you are not an automated program"),
    "malformed": _ROBOT_AGAIN,
    "invalid_signature": _ROBOT_AGAIN,
    "invalid_solution": _ROBOT_AGAIN,
    "replayed": _ROBOT_AGAIN,
    "unverified": _ROBOT_AGAIN,
    "misconfigured": _ROBOT_AGAIN,
    "expired": _("The check that you are not a robot expired: tick “I am not a robot” again"),
}


def clean_required_mobile(raw: str) -> str:
    mobile = clean_mobile(raw)
    if not mobile:  # e.g. only spaces and dashes were typed
        raise ValidationError(_("Enter a mobile number."))
    return mobile


# The person's own names (GOV.UK: "Enter your first name"); Thai says the same either way.
NAME_REQUIRED = {"required": _("Enter your first name")}
SURNAME_REQUIRED = {"required": _("Enter your last name")}


class PasswordField(forms.CharField):
    def __init__(self, *, autocomplete="current-password", **kwargs):
        kwargs.setdefault("strip", False)
        # Argon2 hashes whatever it is given: a megabyte-long password is a denial of service.
        kwargs.setdefault("max_length", 256)
        super().__init__(widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}), **kwargs)


class NewPasswordMixin(PortalForm):
    """ACC-03: the new password typed twice, checked against the portal's one policy."""

    password1 = PasswordField(
        label=_("Password"),
        autocomplete="new-password",
        help_text=_(
            "At least 8 characters with an upper-case and a lower-case letter, a digit and a "
            "special character, for example iindustrY@2024."
        ),
    )
    password2 = PasswordField(
        label=_("Password again"),
        autocomplete="new-password",
        error_messages={"required": _("Enter the password again")},
    )

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        PortalPasswordValidator().validate(password)  # the portal's one policy, one message
        return password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") != cleaned.get("password1"):
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned

    def add_error(self, field, error):
        super().add_error(field, error)
        # The two go together: when one is wrong both are typed again.
        if field in ("password1", "password2"):
            for name in ("password1", "password2"):
                self.fields[name].widget.render_value = False


def _day_choices():
    return [("", _("Day")), (NONE_CHOICE, _("None"))] + [(str(d), str(d)) for d in range(1, 32)]


def _month_choices():
    names = thaidate.MONTHS_TH if translation.get_language() == "th" else thaidate.MONTHS_EN
    return [("", _("Month")), (NONE_CHOICE, _("None"))] + [
        (str(i), name) for i, name in enumerate(names, start=1)
    ]


class BirthDateMixin(PortalForm):
    """ACC-02: day and month may be "none" (elderly people); then only the BE year counts."""

    birth_day = forms.ChoiceField(label=_("Day of birth"), choices=_day_choices)
    birth_month = forms.ChoiceField(label=_("Month of birth"), choices=_month_choices)
    birth_year_be = forms.IntegerField(
        label=_("Year of birth (Buddhist era)"),
        help_text=_("For example 2527"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def clean_birth_year_be(self):
        year = self.cleaned_data["birth_year_be"]
        this_year = thaidate.current_year_be()
        if year < this_year - 130 or year > this_year:
            raise ValidationError(
                _("Enter the year in the Buddhist era, for example 2527."), code="year"
            )
        return year

    def clean(self):
        cleaned = super().clean()
        day, month = cleaned.get("birth_day"), cleaned.get("birth_month")
        if day is None or month is None:
            return cleaned
        if (day == NONE_CHOICE) != (month == NONE_CHOICE):
            self.add_error(
                "birth_day" if day == NONE_CHOICE else "birth_month",
                _("Choose “None” for both day and month, or give both."),
            )
            return cleaned
        if day != NONE_CHOICE and cleaned.get("birth_year_be"):
            try:
                dt.date(thaidate.be_to_ce(cleaned["birth_year_be"]), int(month), int(day))
            except ValueError:
                self.add_error("birth_day", _("This day does not exist in that month."))
        return cleaned

    def birth_parts(self) -> tuple[int, int | None, int | None]:
        day, month = self.cleaned_data["birth_day"], self.cleaned_data["birth_month"]
        if day == NONE_CHOICE:
            return self.cleaned_data["birth_year_be"], None, None
        return self.cleaned_data["birth_year_be"], int(month), int(day)


class IdentityMixin(BirthDateMixin):
    """The person as on the ID card, then contacts, asked in the same order by registration
    and reopening (accounts/_identity_fields.html). Each form declares its own national_id,
    name, mobile and email fields: what is required and how names are cleaned differ."""

    IDENTITY_FIELDS = [
        "national_id",
        "first_name",
        "last_name",
        "birth_day",
        "birth_month",
        "birth_year_be",
        "mobile",
        "email",
    ]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def identity(self) -> dict:
        """The cleaned identity as services.member_register and member_request_reopen take it."""
        data = self.cleaned_data
        year, month, day = self.birth_parts()
        return {
            "pid": data["national_id"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "birth_year_be": year,
            "birth_month": month,
            "birth_day": day,
            "mobile": data["mobile"],
            "email": data["email"],
        }


class TermsForm(PortalForm):
    accept = forms.BooleanField(
        label=_("I have read and accept the terms, conditions and consent"),
        error_messages={"required": _("Tick the box to accept the terms before you continue.")},
    )


class ConsentForm(PortalForm):
    """ACC-04: each PDPA purpose is consented or declined on its own."""

    def __init__(self, *args, documents, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = list(documents)
        for document in self.documents:
            self.fields[f"consent_{document.pk}"] = forms.ChoiceField(
                label=document.title(language),
                help_text=document.body(language),
                choices=[("yes", _("I consent")), ("no", _("I do not consent"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose whether you consent to this purpose.")},
            )

    def answers(self) -> dict[int, bool]:
        return {d.pk: self.cleaned_data[f"consent_{d.pk}"] == "yes" for d in self.documents}

    def rows(self):
        return [(document, self[f"consent_{document.pk}"]) for document in self.documents]


class RegistrationForm(IdentityMixin, NewPasswordMixin, PortalForm):
    national_id = NationalIdField()
    # ACC-07: no middle name is asked; DOPA is checked on first and last name.
    first_name = forms.CharField(
        label=_("First name (Thai)"), max_length=100, error_messages=NAME_REQUIRED
    )
    last_name = forms.CharField(
        label=_("Last name (Thai)"), max_length=100, error_messages=SURNAME_REQUIRED
    )
    mobile = MobileField(required=False)
    email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    line_id = forms.CharField(label=_("LINE ID"), required=False, max_length=50)

    field_order = [*IdentityMixin.IDENTITY_FIELDS, "line_id", "password1", "password2"]

    def __init__(self, *args, proven: dict | None = None, **kwargs):
        """proven: the identity fields ThaID proved (ACC-10), shown filled in and read-only;
        disabled fields take these values whatever is posted."""
        super().__init__(*args, **kwargs)
        for name, value in (proven or {}).items():
            self.fields[name].initial = value
            self.fields[name].disabled = True

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_mobile(self):
        return clean_mobile(self.cleaned_data["mobile"])


class LoginForm(AltchaMixin, PortalForm):
    # Whatever went wrong, the password is typed again: a wrong national ID or password is one
    # refusal (which of the two is not said), and the page says why it is empty.
    keep_passwords = False

    national_id = NationalIdField()
    password = PasswordField(
        label=_("Password"), error_messages={"required": _("Enter your password")}
    )
    robot = robot_check_field()


class ResetStartForm(AltchaMixin, PortalForm):
    national_id = NationalIdField()
    robot = robot_check_field()


class ResetChannelForm(PortalForm):
    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"] = forms.ChoiceField(
            label=_("How do you want to confirm it is you?"),
            choices=channels,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose one way to confirm it is you.")},
        )


class OtpForm(PortalForm):
    code = forms.CharField(
        label=_("One-time password (6 digits)"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "otp-input"}
        ),
        error_messages={
            "min_length": _("The code has 6 digits."),
            "required": _("Enter the 6-digit code."),
        },
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise ValidationError(_("The code has 6 digits."), code="format")
        return code


class BirthDateCheckForm(PortalForm):
    """ACC-11: date of birth as DDMMYYYY in the Buddhist era; 00002483 when unknown."""

    birth_date = forms.CharField(
        label=_("Date of birth (DDMMYYYY, Buddhist era)"),
        help_text=_("For example 19062527; if you have no day and month of birth, 00002483."),
        max_length=8,
        min_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "bday"}),
        error_messages={"min_length": _("Type 8 digits: day, month and Buddhist-era year.")},
    )

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"].strip()
        if not value.isdigit():
            raise ValidationError(_("Type 8 digits: day, month and Buddhist-era year."))
        return value


class SetPasswordForm(NewPasswordMixin, PortalForm):
    pass


class ChangePasswordForm(NewPasswordMixin, PortalForm):
    """ACC-14: the current password and the new one twice."""

    current_password = PasswordField(label=_("Current password"))
    field_order = ["current_password", "password1", "password2"]


class ProfileForm(PortalModelForm):
    class Meta:
        model = Member
        fields = list(PROFILE_FIELDS)
        labels = {
            "position": _("Position"),
            "line_id": _("LINE ID"),
            "facebook": _("Facebook"),
            "instagram": _("Instagram"),
            "contact_channel": _("Preferred contact channel"),
            "share_mobile_with_co_members": _(
                "Show my mobile number to other members of my businesses"
            ),
            "share_email_with_co_members": _("Show my email to other members of my businesses"),
        }


class AvatarForm(PortalForm):
    avatar = forms.FileField(
        label=_("Profile picture"),
        help_text=_("A JPEG or PNG image of at most 5 MB."),
        widget=PortalFileInput(accept="image/jpeg,image/png"),
    )

    def clean_avatar(self):
        upload = self.cleaned_data["avatar"]
        validate_image_upload(upload)
        return upload


class MobileForm(PortalForm):
    mobile = MobileField()

    def clean_mobile(self):
        return clean_required_mobile(self.cleaned_data["mobile"])


class EmailForm(PortalForm):
    email = forms.EmailField(label=_("Email"))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


CLOSURE_REASONS = [
    ("", _("Choose a reason")),
    ("no_longer_needed", _("I no longer need the account")),
    ("left_business", _("I no longer act for any business")),
    ("other_channel", _("I use the services through another channel")),
    ("privacy", _("Privacy concerns")),
    ("other", _("Other")),
]


class CloseAccountForm(PortalForm):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=CLOSURE_REASONS)
    password = PasswordField(label=_("Password"))
    confirm = forms.BooleanField(
        label=_("I understand that the same national ID can never register again"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class EvidenceMixin(PortalForm):
    evidence = forms.FileField(
        label=_("Evidence (PDF, JPEG or PNG, at most 15 MB)"),
        widget=PortalFileInput(),
    )

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        self.evidence_extension = validate_document_upload(upload)
        return upload


class NameChangeRequestForm(EvidenceMixin, PortalForm):
    """ACC-16: a new name, proven by a document such as the name-change certificate."""

    first_name = forms.CharField(label=_("New first name (Thai)"), max_length=100)
    last_name = forms.CharField(label=_("New last name (Thai)"), max_length=100)
    field_order = ["first_name", "last_name", "evidence"]


class ReopenRequestForm(AltchaMixin, IdentityMixin, EvidenceMixin, PortalForm):
    """ACC-15: a closed account is reopened only by an officer, on a request with evidence."""

    national_id = NationalIdField()
    first_name = forms.CharField(
        label=_("First name (Thai)"), max_length=100, error_messages=NAME_REQUIRED
    )
    last_name = forms.CharField(
        label=_("Last name (Thai)"), max_length=100, error_messages=SURNAME_REQUIRED
    )
    mobile = MobileField()
    email = forms.EmailField(label=_("Email"), required=False)
    reason = forms.CharField(
        label=_("Why do you want the account back?"),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Enter why you want the account back")},
    )
    robot = robot_check_field()
    field_order = [*IdentityMixin.IDENTITY_FIELDS, "reason", "evidence", "robot"]

    def clean_mobile(self):
        return clean_required_mobile(self.cleaned_data["mobile"])
