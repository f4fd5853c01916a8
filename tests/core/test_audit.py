"""ADM-03: an audit row exists only with the change it records, in the same transaction."""

import pytest
from django.db import transaction

from portal.core.models import AuditEntry
from portal.core.services import audit_record
from tests.factories import MemberFactory


@pytest.mark.django_db(transaction=True)
def test_adm_03_audit_outside_a_transaction_is_refused_and_writes_nothing():
    """ADM-03: audit_record outside the use case's transaction raises and writes no row."""
    member = MemberFactory()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=member, action="test.outside", target=member)
    assert not AuditEntry.objects.filter(action="test.outside").exists()


@pytest.mark.django_db
def test_adm_03_the_test_runners_own_transaction_does_not_count():
    """ADM-03: the guard holds in ordinary tests too: the test's wrapping transaction is not
    the use case's, so a service without @transaction.atomic fails its own tests."""
    member = MemberFactory()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=member, action="test.outside", target=member)
    assert not AuditEntry.objects.filter(action="test.outside").exists()


@pytest.mark.django_db(transaction=True)
def test_adm_03_audit_rolls_back_with_the_change():
    """ADM-03: a change that rolls back takes its audit row with it."""
    member = MemberFactory()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        member.position = "changed"
        member.save(update_fields=["position"])
        audit_record(actor=member, action="test.rolled_back", target=member)
        raise Boom
    member.refresh_from_db()
    assert member.position == ""
    assert not AuditEntry.objects.filter(action="test.rolled_back").exists()


@pytest.mark.django_db
def test_adm_03_audit_inside_a_transaction_names_the_actor():
    """ADM-03: Audit inside a transaction names the actor."""
    member = MemberFactory()
    with transaction.atomic():
        entry = audit_record(actor=member, action="test.inside", target=member)
    assert entry.actor_id == member.pk
    assert entry.actor_role == "member"
    assert entry.target_type == "accounts.member"
    assert entry.target_id == str(member.pk)
