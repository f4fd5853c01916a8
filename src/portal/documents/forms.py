from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.core.forms import PortalFileInput, PortalForm
from portal.core.uploads import MB, validate_document_upload


class CodeForm(PortalForm):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_(
            "The code printed under the QR code of the document, e.g. ABCD-EFGH-JKLM-NPQR-STUV."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class UploadForm(PortalForm):
    document = forms.FileField(
        label=_("The PDF file you received"),
        help_text=_("A PDF of at most 15 MB. It is checked and not kept."),
        widget=PortalFileInput(accept="application/pdf,.pdf"),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if validate_document_upload(upload, max_bytes=15 * MB) != "pdf":
            raise ValidationError(_("Choose the PDF file of the document."), code="bad_type")
        return upload
