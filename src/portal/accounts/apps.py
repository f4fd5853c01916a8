from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_consent_documents(sender, using, **kwargs):
    # Like Django's own permissions, the documents every installation needs are (re)created
    # after migrate and after a test flush empties the tables.
    from portal.accounts.consent_defaults import install_default_consent_documents
    from portal.accounts.models import ConsentDocument

    install_default_consent_documents(ConsentDocument, using=using)


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"

    def ready(self):
        post_migrate.connect(_install_consent_documents, sender=self)
