from portal.accounts.models import ConsentDocument
from tests.factories import DEFAULT_PASSWORD


def start_registration(client, *, consent="yes"):
    client.post("/accounts/register/", {"accept": "on"})
    documents = ConsentDocument.objects.filter(kind="pdpa")
    client.post(
        "/accounts/register/consent/",
        {f"consent_{d.pk}": consent for d in documents},
    )


def registration_data(citizen: dict, **overrides) -> dict:
    data = {
        "national_id": citizen["pid"],
        "first_name": citizen["first_name_th"],
        "last_name": citizen["last_name_th"],
        "birth_day": str(citizen["birth_day"] or 0),
        "birth_month": str(citizen["birth_month"] or 0),
        "birth_year_be": str(citizen["birth_year_be"]),
        "mobile": "",
        "email": "",
        "line_id": "",
        "password1": DEFAULT_PASSWORD,
        "password2": DEFAULT_PASSWORD,
    }
    data.update(overrides)
    return data


def register(client, citizen: dict, **overrides):
    start_registration(client)
    return client.post("/accounts/register/details/", registration_data(citizen, **overrides))


def login(client, robot, national_id, password=DEFAULT_PASSWORD, **extra):
    return client.post(
        "/accounts/login/",
        {"national_id": national_id, "password": password, "robot": robot(client), **extra},
        **({"REMOTE_ADDR": extra.pop("ip")} if "ip" in extra else {}),
    )
