"""The catalogue of connected systems, identity/data/connected_systems.json (SSO-01, SVC-01,
SVC-03), as installed into the ConnectedSystem table after migrate."""

import json

import pytest

from portal.identity.catalogue import (
    CATALOGUE_FILE,
    DESCRIPTIVE_FIELDS,
    catalogue_entries,
    install_connected_systems,
)
from portal.identity.models import ConnectedSystem
from portal.operators.models import Business

SCOPES = {"openid", "profile", "email", "phone", "pid", "business", "factories"}

# Every system SSO-01 names, by the slug the catalogue gives it.
SSO_01_SYSTEMS = {
    "tisi-e-license": "TISI e-License",
    "tisi-nsw": "NSW",
    "tisi-e-surveillance": "e-Surveillance",
    "tisi-e-accreditation": "e-Accreditation",
    "tisi-qr-code": "QR Code",
    "tisi-webboard": "Webboard",
    "isingleform": "iSingleForm",
    "diw-identity-verification": "DIW identity verification",
    "diw-waste-permit-ko1": "กอ.1",
    "diw-waste-notice-ko2": "กอ.2",
    "factory-licence-request": "factory licence requests",
    "diprom-e-service": "DIPROM e-Service",
    "eco-sticker-car": "ECO Sticker car",
    "eco-sticker-motorcycle": "ECO Sticker motorcycle",
    "eco-sticker-tyre": "ECO Sticker tyre",
}
# The 17 rows of the manual's profile-readiness table (SVC-03); ECO Sticker is three systems.
READINESS_TABLE_SYSTEMS = {
    "factory-fee-payment",
    "eco-sticker-car",
    "eco-sticker-motorcycle",
    "eco-sticker-tyre",
    "diw-identity-verification",
    "isingleform",
    "diw-waste-permit-ko1",
    "diw-waste-notice-ko2",
    "tisi-s-certification",
    "thailand-textiles-tag",
    "dpim-mineral-import-export",
    "diprom-e-service",
    "diprom-software-service",
    "sme-fund-loan",
    "factory-licence-request",
    "complaints",
    "diw-hazardous-substances",
    "diw-laboratory-registration",
    "diw-environmental-personnel",
}


@pytest.fixture
def systems(db):
    return {system.slug: system for system in ConnectedSystem.objects.all()}


def test_sso_01_every_named_system_is_installed(systems):
    """SSO-01: every connected system the rule names is in the catalogue, installed by
    post_migrate, with a Thai and an English name."""
    missing = set(SSO_01_SYSTEMS) - set(systems)
    assert not missing, missing
    for slug in SSO_01_SYSTEMS:
        assert systems[slug].name_th and systems[slug].name_en


def test_svc_03_every_readiness_table_system_is_installed(systems):
    """SVC-03: the 17 systems of the manual's profile-readiness table are all there."""
    assert set(systems) >= READINESS_TABLE_SYSTEMS


def test_catalogue_file_and_table_agree(systems):
    entries = catalogue_entries()
    slugs = [entry["slug"] for entry in entries]
    assert len(slugs) == len(set(slugs))
    assert set(slugs) == set(systems)
    for entry in entries:
        assert set(entry) == {"slug", *DESCRIPTIVE_FIELDS}, entry["slug"]
        assert entry["slug"] == entry["slug"].lower()
        assert " " not in entry["slug"] and "_" not in entry["slug"]
        assert entry["description_th"] and entry["description_en"], entry["slug"]
        assert entry["consent_version"] == 1


def test_svc_01_four_categories_are_present(systems):
    """SVC-01: Digital Survey, Digital Payment, Digital License and Digital Service each hold
    at least one system, and positions order the systems within a category."""
    by_category = {}
    for system in systems.values():
        assert system.category in ConnectedSystem.Category.values
        by_category.setdefault(system.category, []).append(system.position)
    assert set(by_category) == set(ConnectedSystem.Category.values)
    for positions in by_category.values():
        assert len(positions) == len(set(positions))
    assert systems["isingleform"].category == "survey"
    assert systems["factory-fee-payment"].category == "payment"
    assert systems["diw-identity-verification"].category == "license"
    assert systems["diprom-e-service"].category == "service"


def test_sso_06_scopes_are_known_and_include_openid(systems):
    """SSO-01/SSO-06: each client's scopes are known ones and always include openid; a system
    that needs a business or a factory may receive it."""
    for slug, system in systems.items():
        scopes = system.scopes.split()
        assert "openid" in scopes, slug
        assert set(scopes) <= SCOPES, slug
        assert len(scopes) == len(set(scopes)), slug
        if system.needs_business:
            assert "business" in scopes, slug
        if system.needs_factory:
            assert "factories" in scopes, slug
    # The national ID goes only to systems that legally need it.
    assert "pid" in systems["factory-licence-request"].scopes.split()
    assert "pid" not in systems["tisi-webboard"].scopes.split()


def test_svc_03_readiness_fields(systems):
    """SVC-03: business kinds are Business.Kind values, and the manual's notes are kept (DIW
    verification before กอ.1, juristic persons only for the SME fund, mining operators only,
    VPN for cars, provincial factories outside estates for fee bills)."""
    kinds = set(Business.Kind.values)
    for slug, system in systems.items():
        assert isinstance(system.business_kinds, list), slug
        assert set(system.business_kinds) <= kinds, slug
        assert not system.needs_factory or system.needs_business, slug
        assert bool(system.notes_th) == bool(system.notes_en), slug
    assert systems["sme-fund-loan"].business_kinds == ["juristic_person"]
    assert systems["isingleform"].needs_factory
    assert systems["diw-waste-permit-ko1"].needs_factory
    assert "identity verification" in systems["diw-waste-permit-ko1"].notes_en
    assert "VPN" in systems["eco-sticker-car"].notes_en
    assert "VPN" not in systems["eco-sticker-tyre"].notes_en
    assert "Mining" in systems["dpim-mineral-import-export"].notes_en
    assert "outside industrial estates" in systems["factory-fee-payment"].notes_en


def test_sso_01_reinstall_is_idempotent_and_keeps_client_fields(systems):
    """SSO-01: re-installing the catalogue changes no row that matches it, restores the
    descriptive fields, and never touches how a system connects (client and URLs)."""
    count = ConnectedSystem.objects.count()
    system = systems["isingleform"]
    system.initiate_login_uri = "https://isingleform.example.test/login"
    system.backchannel_logout_uri = "https://isingleform.example.test/logout"
    system.name_en = "changed by hand"
    system.save()

    install_connected_systems(ConnectedSystem)
    install_connected_systems(ConnectedSystem)

    assert ConnectedSystem.objects.count() == count
    system.refresh_from_db()
    assert system.initiate_login_uri == "https://isingleform.example.test/login"
    assert system.backchannel_logout_uri == "https://isingleform.example.test/logout"
    assert system.name_en == "iSingleForm central reporting"
    assert system.pk == systems["isingleform"].pk


def test_catalogue_rejects_unknown_fields(tmp_path):
    entry = dict(json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))[0], colour="blue")
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps([entry]), encoding="utf-8")
    with pytest.raises(ValueError, match="colour"):
        catalogue_entries(path)
