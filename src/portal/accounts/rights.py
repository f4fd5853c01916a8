"""Officers' rights (Django's model permissions, held directly or through groups) read by SQL of
fixed text: every back-office page asks for them, and the ORM's union and nested subqueries cost
more to compile (1 to 1.5 ms a request) than the database took to answer (bench/permits).
Table and column names come from the models, so that the statements run on PostgreSQL and
SQLite alike; values are always parameters."""

from functools import cache

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from portal.accounts.models import Member


@cache
def _names() -> dict[str, str]:
    qn = connection.ops.quote_name
    own = Member.user_permissions.through._meta
    in_group = Member.groups.through._meta
    granted = Group.permissions.through._meta
    return {
        "permission": qn(Permission._meta.db_table),
        "content_type": qn(ContentType._meta.db_table),
        "own": qn(own.db_table),
        "own_member": qn(own.get_field("member").column),
        "own_right": qn(own.get_field("permission").column),
        "in_group": qn(in_group.db_table),
        "group_member": qn(in_group.get_field("member").column),
        "group_of_member": qn(in_group.get_field("group").column),
        "granted": qn(granted.db_table),
        "group_right": qn(granted.get_field("permission").column),
        "group_of_right": qn(granted.get_field("group").column),
        "id": qn("id"),
        "app_label": qn("app_label"),
        "codename": qn("codename"),
        "content_type_id": qn("content_type_id"),
    }


def rights_of_member(member_id: int) -> list[tuple[str, str]]:
    """(app label, codename) of every right the member holds, their own and their groups'."""
    with connection.cursor() as cursor:
        cursor.execute(_rights_of_member_sql(), [member_id, member_id])
        return cursor.fetchall()


@cache
def _rights_of_member_sql() -> str:
    n = _names()
    return (
        f"SELECT ct.{n['app_label']}, p.{n['codename']} FROM {n['permission']} p "  # noqa: S608
        f"JOIN {n['content_type']} ct ON ct.{n['id']} = p.{n['content_type_id']} "
        f"WHERE p.{n['id']} IN (SELECT {n['own_right']} FROM {n['own']} "
        f"WHERE {n['own_member']} = %s) "
        f"OR p.{n['id']} IN (SELECT g.{n['group_right']} FROM {n['granted']} g "
        f"JOIN {n['in_group']} m ON m.{n['group_of_member']} = g.{n['group_of_right']} "
        f"WHERE m.{n['group_member']} = %s)"
    )


@cache
def _holders_sql() -> str:
    """The ids of the members holding one right, directly or through a group; parameters: the
    app label and the codename, twice."""
    n = _names()
    right = (
        f"SELECT p.{n['id']} FROM {n['permission']} p "  # noqa: S608
        f"JOIN {n['content_type']} ct ON ct.{n['id']} = p.{n['content_type_id']} "
        f"WHERE ct.{n['app_label']} = %s AND p.{n['codename']} = %s"
    )
    return (
        f"SELECT {n['own_member']} FROM {n['own']} "  # noqa: S608
        f"WHERE {n['own_right']} IN ({right}) "
        f"UNION SELECT m.{n['group_member']} FROM {n['in_group']} m "
        f"JOIN {n['granted']} g ON g.{n['group_of_right']} = m.{n['group_of_member']} "
        f"WHERE g.{n['group_right']} IN ({right})"
    )


def right_holders(permission: str) -> Q:
    """A condition on members: they hold `permission` ("app_label.codename"), directly or
    through a group."""
    app_label, codename = permission.split(".", 1)
    # Fixed text; the right is a parameter.
    return Q(pk__in=RawSQL(_holders_sql(), [app_label, codename, app_label, codename]))  # noqa: S611
