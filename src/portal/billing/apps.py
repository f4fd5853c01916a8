from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_shipped_fee_tables(sender, using, **kwargs):
    # Like accounts' consent documents: the tables shipped in billing/fee_tables are (re)loaded
    # after migrate and after a test flush empties the tables. Loading is idempotent.
    from portal.billing.services import fee_tables_load_shipped

    fee_tables_load_shipped(using=using)


class BillingConfig(AppConfig):
    name = "portal.billing"
    label = "billing"

    def ready(self):
        post_migrate.connect(_load_shipped_fee_tables, sender=self)
