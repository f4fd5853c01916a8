import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.core.forms import (
    MobileField,
    NationalIdField,
    PortalFileInput,
    PortalForm,
    PortalModelForm,
    ThaiDateField,
    clean_mobile,
)
from portal.core.thaiid import is_valid_thirteen_digit_id
from portal.core.uploads import validate_document_upload
from portal.operators.models import Business, BusinessDocument
from portal.operators.services import (
    CONTACT_SECTIONS,
    OperatorError,
    refuse_expired_document,
)

LASER_RE = re.compile(r"[A-Z]{2}\d{10}")


class KindForm(PortalForm):
    kind = forms.ChoiceField(
        label=_("What kind of business is it?"),
        choices=Business.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of business.")},
    )


class DirectorsForm(PortalForm):
    """BIZ-04 or BIZ-05: a company is added by a Thai director's national ID, or by a foreign
    director's passport or Thai work permit, whether or not it also has Thai directors (the
    member need not know a Thai director's ID). Asked on its own page (one question a page),
    before the form of the path chosen."""

    CHOICES = [
        ("thai", _("With the national ID of a Thai director")),
        ("foreign", _("With the passport or Thai work permit of a foreign director")),
    ]
    HINTS = {
        "thai": _("Any director listed at the Department of Business Development, signing or not."),
        "foreign": _(
            "Also when the company has Thai directors whose IDs you do not know. You upload the "
            "document, still valid; an officer checks it."
        ),
    }
    directors = forms.ChoiceField(
        label=_("How will you verify the company?"),
        choices=CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you will verify the company")},
    )

    def options(self):
        return [(radio, self.HINTS[radio.data["value"]]) for radio in self["directors"]]


class DocumentMixin(PortalForm):
    document = forms.FileField(
        label=_("Document (PDF, JPEG or PNG, at most 15 MB)"),
        widget=PortalFileInput(),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        self.document_extension = validate_document_upload(upload)
        return upload


class NaturalPersonForm(PortalForm):
    """BIZ-02: myself (nothing to type) or another person (ID and the card's laser code)."""

    who = forms.ChoiceField(
        label=_("Who owns the business?"),
        choices=[("myself", _("Myself")), ("other", _("Another person"))],
        widget=forms.RadioSelect,
        initial="myself",
        error_messages={"required": _("Choose who owns the business")},
    )
    pid = NationalIdField(label=_("National ID of the owner"), required=False)
    laser_code = forms.CharField(
        label=_("Laser code (back of the ID card)"),
        help_text=_("Two letters and ten digits, for example JT0-1234567-89"),
        max_length=20,
        required=False,
    )

    def clean_laser_code(self):
        code = re.sub(r"[\s\-]", "", self.cleaned_data["laser_code"]).upper()
        if code and not LASER_RE.fullmatch(code):
            raise ValidationError(_("Type the 2 letters and 10 digits of the laser code."))
        return code

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("who") == "other":
            if not cleaned.get("pid") and "pid" not in self.errors:
                self.add_error("pid", _("Enter the owner's national ID."))
            if not cleaned.get("laser_code") and "laser_code" not in self.errors:
                self.add_error("laser_code", _("Enter the laser code of the owner's ID card."))
        return cleaned


class TradeNameForm(PortalForm):
    """BIZ-03: the person's name or the trade name of a commercial registration."""

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"] = forms.ChoiceField(
            label=_("Which name should the business carry?"),
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose the name the business should carry")},
        )


class JuristicPersonForm(PortalForm):
    juristic_id = forms.CharField(
        label=_("Juristic person registration number (13 digits)"),
        max_length=17,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    director_pid = NationalIdField(
        label=_("National ID of one Thai director"),
        help_text=_("Any director listed at the Department of Business Development."),
    )

    def clean_juristic_id(self):
        return clean_thirteen_digits(self.cleaned_data["juristic_id"])


class ForeignDirectedCompanyForm(DocumentMixin, PortalForm):
    juristic_id = forms.CharField(
        label=_("Juristic person registration number (13 digits)"),
        max_length=17,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    document_kind = forms.ChoiceField(
        label=_("Document"),
        choices=[
            (BusinessDocument.Kind.PASSPORT, _("Passport of a director")),
            (BusinessDocument.Kind.WORK_PERMIT, _("Thai work permit of a director")),
        ],
    )
    expires_on = ThaiDateField(
        label=_("Valid until"),
        error_messages={"required": _("Enter the date the document is valid until")},
    )

    def clean_juristic_id(self):
        return clean_thirteen_digits(self.cleaned_data["juristic_id"])

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        try:
            refuse_expired_document(value)
        except OperatorError as error:
            raise ValidationError(error.message) from error
        return value


class BusinessLookupForm(PortalForm):
    """BIZ-06, BIZ-07, SSO-02: the number is looked up first (the Revenue Department's register
    for a tax ID, DOAE for a community enterprise's representative); the member types the
    details only when the lookup finds nothing."""

    number = forms.CharField(
        label=_("Tax ID (13 digits)"),
        max_length=17,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["number"]
        if kind == Business.Kind.COMMUNITY_ENTERPRISE:
            field.label = _("National ID of the representative (13 digits)")
            field.help_text = _(
                "The person authorized to act for the community enterprise, as registered with "
                "the Department of Agricultural Extension: this ID is the enterprise's "
                "registration number."
            )
        elif kind == Business.Kind.OTHER_LAW:
            field.help_text = _(
                "The tax ID begins with 0994. For a community enterprise not registered as a "
                "juristic person, type the national ID of its representative registered with "
                "the Department of Agricultural Extension."
            )

    def clean_number(self):
        return clean_thirteen_digits(self.cleaned_data["number"])


TAX_ID_DOCUMENT_CHOICES = [
    (
        BusinessDocument.Kind.RD_DOCUMENT,
        _(
            "A Revenue Department document showing the tax ID, for example ภ.พ.20 or the "
            "taxpayer card"
        ),
    ),
    (
        BusinessDocument.Kind.GOVERNMENT_DOCUMENT,
        _("Another document issued by a government agency that shows the 13-digit tax ID"),
    ),
]
COMMUNITY_ENTERPRISE_DOCUMENT_CHOICES = [
    (
        BusinessDocument.Kind.COMMUNITY_ENTERPRISE_CERTIFICATE,
        _("The registration certificate of the community enterprise"),
    ),
    (
        BusinessDocument.Kind.REPRESENTATIVE_ID_CARD,
        _("A copy of the representative's national ID card"),
    ),
]


def _document_kind_field(choices):
    return forms.ChoiceField(
        label=_("Which document do you upload?"),
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which document you upload.")},
    )


class TaxpayerFoundForm(DocumentMixin, PortalForm):
    """BIZ-06, SSO-02: the Revenue Department's register knows the tax ID: its names are
    shown, not typed; the member picks the branch among those it lists and uploads the
    document."""

    branch = forms.ChoiceField(
        label=_("Branch"),
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the branch.")},
    )
    document_kind = _document_kind_field(TAX_ID_DOCUMENT_CHOICES)
    field_order = ["branch", "document_kind", "document"]

    def __init__(self, *args, branches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = list(branches)
        if len(branches) == 1:
            self.fields["branch"].initial = branches[0][0]


class TaxIdKeyInForm(DocumentMixin, PortalForm):
    """BIZ-06, SSO-02: the register found nothing: the member types the names and the branch."""

    name_th = forms.CharField(label=_("Name in Thai"), max_length=300)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    branch = forms.CharField(
        label=_("Branch number"),
        help_text=_("5 digits; 00000 for the head office"),
        max_length=5,
        required=False,
    )
    document_kind = _document_kind_field(TAX_ID_DOCUMENT_CHOICES)
    field_order = ["name_th", "name_en", "branch", "document_kind", "document"]

    def clean_branch(self):
        branch = self.cleaned_data["branch"].strip()
        if branch and not re.fullmatch(r"\d{5}", branch):
            raise ValidationError(_("The branch number has 5 digits."))
        return branch


class EnterpriseChoiceForm(PortalForm):
    """BIZ-07: DOAE lists the community enterprises this person represents: pick one."""

    registration_no = forms.ChoiceField(
        label=_("Which community enterprise?"),
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the community enterprise.")},
    )

    def __init__(self, *args, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration_no"].choices = list(enterprises)
        if len(enterprises) == 1:
            self.fields["registration_no"].initial = enterprises[0][0]


class CommunityEnterpriseKeyInForm(DocumentMixin, PortalForm):
    """BIZ-07, the manual's route under other laws: DOAE does not list the representative: the
    member types the name and uploads the registration certificate or the representative's ID
    card."""

    name_th = forms.CharField(label=_("Name in Thai"), max_length=300)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    document_kind = _document_kind_field(COMMUNITY_ENTERPRISE_DOCUMENT_CHOICES)
    field_order = ["name_th", "name_en", "document_kind", "document"]


def clean_thirteen_digits(raw: str) -> str:
    number = re.sub(r"[\s\-]", "", raw or "")
    if not is_valid_thirteen_digit_id(number):
        raise ValidationError(_("Enter the 13 digits; the last digit does not check."))
    return number


class BusinessContactsForm(PortalModelForm):
    """BIZ-08 and SSO-02: the details a member may edit come in parts, each its own form saved
    on its own (changing a phone number needs nothing else); registry data stays read-only.
    `section` names the part in the page and in the service (CONTACT_SECTIONS)."""

    section = "contacts"

    class Meta:
        model = Business
        fields = list(CONTACT_SECTIONS["contacts"])
        labels = {
            "phone": _("Phone"),
            "fax": _("Fax"),
            "website": _("Website"),
            "email": _("Email"),
        }

    other_contacts = forms.CharField(
        label=_("Other contacts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class ContactAddressForm(PortalModelForm):
    section = "address"

    class Meta:
        model = Business
        fields = ["contact_address_same"]
        labels = {"contact_address_same": _("The contact address is the registered address")}

    contact_address = forms.CharField(
        label=_("Contact address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.contact_address:
            self.fields["contact_address"].initial = self.instance.contact_address.get("text", "")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("contact_address_same") and not cleaned.get("contact_address"):
            self.add_error("contact_address", _("Enter the contact address."))
        return cleaned


class MapPositionForm(PortalModelForm):
    section = "position"

    class Meta:
        model = Business
        fields = list(CONTACT_SECTIONS["position"])
        labels = {"latitude": _("Latitude"), "longitude": _("Longitude")}

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        if latitude is not None and not 5 <= latitude <= 21:
            self.add_error("latitude", _("The position must be in Thailand (latitude 5 to 21)."))
        if longitude is not None and not 97 <= longitude <= 106:
            self.add_error(
                "longitude", _("The position must be in Thailand (longitude 97 to 106).")
            )
        return cleaned


class ContactPersonForm(PortalModelForm):
    section = "person"

    class Meta:
        model = Business
        fields = list(CONTACT_SECTIONS["person"])
        labels = {
            "contact_person_name": _("Contact person"),
            "contact_person_position": _("Position"),
            "contact_person_phone": _("Phone"),
            "contact_person_mobile": _("Mobile phone"),
            "contact_person_email": _("Email"),
        }

    # Longer than the 10 digits it stores: "+66 (0)81 234 5678" is typed, then normalised.
    contact_person_mobile = MobileField(
        label=_("Mobile phone"),
        error_messages={"required": _("Enter the contact person's mobile number")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # SSO-02: the contact person's mobile and email are required (in this part only).
        self.fields["contact_person_mobile"].required = True
        self.fields["contact_person_email"].required = True
        self.fields["contact_person_email"].error_messages["required"] = _(
            "Enter the contact person's email address"
        )

    def clean_contact_person_mobile(self):
        mobile = clean_mobile(self.cleaned_data["contact_person_mobile"])
        if not mobile:
            raise ValidationError(_("Enter the contact person's mobile number"))
        return mobile


CONTACT_FORMS = (BusinessContactsForm, ContactAddressForm, MapPositionForm, ContactPersonForm)


class HolderRemovalForm(PortalForm):
    reason = forms.CharField(
        label=_("Why should this member no longer act for the business?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Enter why this member should no longer act for it")},
    )
    letter = forms.FileField(
        label=_("Letter signed by a director (PDF, JPEG or PNG, at most 15 MB)"),
        widget=PortalFileInput(),
    )

    def clean_letter(self):
        upload = self.cleaned_data["letter"]
        self.letter_extension = validate_document_upload(upload)
        return upload
