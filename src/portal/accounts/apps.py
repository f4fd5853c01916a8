from django.apps import AppConfig
from django.db.models.signals import post_migrate

from portal.core.signals import language_chosen


def _install_consent_documents(sender, using, **kwargs):
    # Like Django's own permissions, the documents every installation needs are (re)created
    # after migrate and after a test flush empties the tables.
    from portal.accounts.consent_defaults import install_default_consent_documents
    from portal.accounts.models import ConsentDocument

    install_default_consent_documents(ConsentDocument, using=using)


def _keep_language(sender, *, member, language, request, **kwargs):
    # The English switch is core's view; the member's language is this app's to keep.
    from portal.accounts.services import member_set_language

    member_set_language(member=member, language=language, request=request)


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"

    def ready(self):
        post_migrate.connect(_install_consent_documents, sender=self)
        language_chosen.connect(_keep_language, dispatch_uid="accounts.keep_language")
