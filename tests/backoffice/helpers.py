from django.test import Client

from tests.accounts.helpers import login


def signed_in(robot, member) -> Client:
    """A client of its own, signed in as this member or officer."""
    client = Client()
    login(client, robot, member.national_id)
    return client
