"""An officer's rights (accounts.backends.NationalIdBackend): their own and their groups' read
in one query, once a request, and a right withdrawn holds from the next request on (ADM-01:
officers act only with the rights they hold).

Reading the rights inside the member's own query was tried and left: its two subqueries cost
every member's page about 2 ms (planning and building them) to save officers one query."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.accounts.backends import NationalIdBackend
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _right(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_adm_01_own_and_group_rights_are_read_in_one_query_a_request():
    """ADM-01: every right the member holds (their own and their groups') in one query, asked
    once however many rights the page checks; a right held by another group is not theirs."""
    member = MemberFactory()
    member.user_permissions.add(_right("permits.review_application"))
    desk = Group.objects.create(name="ผู้ตรวจใบแจ้งหนี้")
    desk.permissions.add(_right("billing.view_bill"), _right("billing.view_feetable"))
    member.groups.add(desk)
    Group.objects.create(name="อื่น").permissions.add(_right("permits.decide_application"))
    loaded = NationalIdBackend().get_user(member.pk)
    with CaptureQueriesContext(connection) as queries:
        rights = [
            loaded.has_perm(name)
            for name in (
                "permits.review_application",
                "billing.view_bill",
                "billing.view_feetable",
                "permits.decide_application",
            )
        ]
    assert rights == [True, True, True, False]
    assert len(queries) == 1


def test_adm_01_a_right_withdrawn_is_gone_on_the_next_request():
    """ADM-01: the rights are read afresh with the member on each request: a right taken away
    (directly or from the group) no longer holds."""
    member = MemberFactory()
    review = _right("permits.review_application")
    member.user_permissions.add(review)
    desk = Group.objects.create(name="ผู้อนุมัติ")
    desk.permissions.add(_right("permits.decide_application"))
    member.groups.add(desk)
    backend = NationalIdBackend()
    assert backend.get_user(member.pk).has_perms(
        ["permits.review_application", "permits.decide_application"]
    )
    member.user_permissions.remove(review)
    desk.permissions.clear()
    again = backend.get_user(member.pk)
    assert not again.has_perm("permits.review_application")
    assert not again.has_perm("permits.decide_application")
    assert again.get_all_permissions() == set()


def test_a_superuser_holds_every_right():
    """A superuser (the ministry's administrator) holds every right without rows of them."""
    admin = MemberFactory(is_superuser=True)
    loaded = NationalIdBackend().get_user(admin.pk)
    assert loaded.has_perm("permits.decide_application") and loaded.has_perm("billing.view_bill")


def test_adm_01_the_holders_of_a_right_directly_or_through_a_group():
    """ADM-01: whom a right belongs to (the officers an application may be assigned to): its
    holders directly and through a group, not a member of a group without it, nor a member
    holding another right."""
    from portal.accounts.models import Member
    from portal.accounts.selectors import right_holders

    direct, grouped, other_group, other_right = (MemberFactory() for _ in range(4))
    direct.user_permissions.add(_right("permits.review_application"))
    other_right.user_permissions.add(_right("permits.decide_application"))
    desk = Group.objects.create(name="ผู้ตรวจคำขอ")
    desk.permissions.add(_right("permits.review_application"))
    desk.user_set.add(grouped)
    Group.objects.create(name="อื่น").user_set.add(other_group)
    holders = set(Member.objects.filter(right_holders("permits.review_application")))
    assert holders == {direct, grouped}
