"""`GET /<service>/v1/me` on every service: who the caller is, found in the
service's own copy of the registry by the token's person id or verified e-mail, and what they may do.
Tokens come from the embedded OpenID Connect provider (signed with its key, verified over its JWKS)."""
from __future__ import annotations

import pytest

from shared.dev_identity import DevProvider
from shared.http.auth import issue_token
from shared.runtime import ServiceRuntime

CAMILLE = {"first_name": "Camille", "last_name": "Guérin", "email": "camille.guerin@example.org"}


@pytest.fixture(scope="module")
def provider():
    with DevProvider([]) as p:
        yield p


@pytest.fixture
def service(settings, provider):
    """`service("training")`: (app, db) of a service trusting the provider."""
    trusting = settings.replace(oidc_issuer=provider.issuer)

    def make(name):
        runtime = ServiceRuntime(name, trusting)
        runtime.ensure_indexes()
        return runtime.create_app(), runtime.db
    return make


def me(app, name, token):
    return app.test_client().get(f"/{name}/v1/me", headers={"Authorization": f"Bearer {token}"})


def token(provider, **claims):
    return provider.sign(provider.claims(**{"federation": "apmsl", "roles": ["coordinator"], **claims}))


def project(db, person_id="demo-person-001", **fields):
    """What the service's projection holds once the registry's person events are applied."""
    db["people"].insert_one({"_id": person_id, "federation": "apmsl", **CAMILLE, "sequence": 1,
                             "roles": [{"role": "coordinator", "structure_id": "s1", "start_on": "2020-01-01",
                                        "end_on": None}], **fields})


@pytest.mark.parametrize("name", ["registry", "events", "training", "notifications"])
def test_the_caller_is_their_registry_person_by_the_person_id_claim(service, provider, name):
    app, db = service(name)
    project(db)

    answer = me(app, name, token(provider, person_id="demo-person-001", sub="idp-42"))

    assert answer.status_code == 200, answer.json
    body = answer.json
    assert (body["sub"], body["person"]["id"], body["federation"]) == ("demo-person-001", "demo-person-001", "apmsl")
    assert body["signed_in_with"] == "openid-connect" and body["issuer"] == provider.issuer
    assert body["person"]["roles"][0]["role"] == "coordinator"
    assert body["may"]["read_federations"] == ["apmsl"] and body["may"]["manage_federation"] is None


def test_without_a_person_id_the_verified_email_finds_the_person(service, provider):
    app, db = service("training")
    project(db)

    verified = me(app, "training", token(provider, email=CAMILLE["email"], email_verified=True)).json
    unverified = me(app, "training", token(provider, email=CAMILLE["email"], email_verified=False)).json

    assert verified["person"]["id"] == "demo-person-001" and verified["may"]["service"]["apply_to_cohorts"]
    assert unverified["person"] is None and not unverified["may"]["service"]["apply_to_cohorts"]


def test_a_person_of_another_federation_is_not_the_callers(service, provider):
    app, db = service("notifications")
    project(db, federation="femage")

    answer = me(app, "notifications", token(provider, person_id="demo-person-001"))

    assert answer.status_code == 200 and answer.json["person"] is None


@pytest.mark.parametrize("name", ["registry", "training", "notifications"])
def test_a_token_whose_person_was_erased_is_refused(service, provider, name):
    app, db = service(name)
    db["people"].insert_one({"_id": "demo-person-001", "sequence": 3, "erased": True, "deleted": True})

    answer = me(app, name, token(provider, person_id="demo-person-001"))

    assert answer.status_code == 401 and "effacée" in answer.json["detail"]


def test_a_token_whose_registry_roles_have_all_ended_is_refused(service, provider):
    app, db = service("training")
    project(db, roles=[{"role": "coordinator", "structure_id": "s1", "start_on": "2020-01-01", "end_on": "2024-06-30"}])

    answer = me(app, "training", token(provider, person_id="demo-person-001"))

    assert answer.status_code == 403 and "ont pris fin" in answer.json["detail"]


def test_the_registry_answers_from_its_own_people(service, provider, settings):
    app, db = service("registry")
    staff = issue_token(settings, sub="staff-1", federation="apmsl", roles=["staff"])
    created = app.test_client().post("/registry/v1/people", json=CAMILLE, headers={"Authorization": f"Bearer {staff}"})
    assert created.status_code == 201, created.json

    answer = me(app, "registry", token(provider, email=CAMILLE["email"], email_verified=True, roles=["staff"]))

    assert answer.json["person"]["id"] == created.json["id"]
    assert answer.json["may"]["manage_federation"] == "apmsl" and answer.json["may"]["service"]["manage_registry"]


def test_a_shared_secret_token_answers_too_without_a_person(service, settings):
    app, _ = service("notifications")
    dev = issue_token(settings, sub="dev-user", federation=None, roles=["national"])

    body = me(app, "notifications", dev).json

    assert body["signed_in_with"] == "shared-secret" and body["person"] is None
    assert body["may"]["read_federations"] == ["*"]


def test_me_needs_a_token(service):
    app, _ = service("registry")

    assert app.test_client().get("/registry/v1/me").status_code == 401


@pytest.mark.parametrize("name, path", [("registry", "/registry/v1/structures"), ("training", "/training/v1/cohorts"),
                                        ("notifications", "/notifications/v1/preferences")])
def test_every_route_refuses_the_token_of_an_erased_person_or_one_whose_roles_ended(service, provider, name, path):
    app, db = service(name)
    project(db, "p-ended", roles=[{"role": "coordinator", "structure_id": "s1", "start_on": "2020-01-01",
                                   "end_on": "2024-06-30"}])
    db["people"].insert_one({"_id": "p-erased", "sequence": 2, "erased": True, "deleted": True})
    client = app.test_client()

    def call(person_id):
        return client.get(path, headers={"Authorization": f"Bearer {token(provider, person_id=person_id)}"})

    assert call("p-erased").status_code == 401
    assert call("p-ended").status_code == 403
    assert call("p-not-projected-yet").status_code not in (401, 403)


def test_a_token_with_only_a_verified_email_acts_as_its_person_on_every_route(service, provider):
    """Keycloak without a person_id attribute: "my preferences" work from the token alone."""
    app, db = service("notifications")
    project(db)
    bearer = {"Authorization": f"Bearer {token(provider, sub='kc-uuid-1', email=CAMILLE['email'], email_verified=True)}"}

    mine = app.test_client().get("/notifications/v1/preferences/demo-person-001", headers=bearer)

    assert mine.status_code == 200, mine.json
    assert me(app, "notifications", bearer["Authorization"].split()[1]).json["sub"] == "demo-person-001"


def test_a_signed_in_coordinator_registers_for_a_meeting_with_the_token_alone(service, provider, settings):
    """The issue's journey: a token of the provider, `/events/v1/me`, then a registration and 'my registrations'."""
    app, db = service("events")
    project(db)
    db["local_groups"].insert_one({"_id": "g1", "federation": "apmsl", "name": "Groupe 44", "structure_ids": ["s1"],
                                   "sequence": 1})
    db["structures"].insert_one({"_id": "s1", "federation": "apmsl", "kind": "MSP", "name": "MSP de Clisson",
                                 "department": "44", "sequence": 1})
    client = app.test_client()
    staff = {"Authorization": f"Bearer {issue_token(settings, sub='staff', federation='apmsl', roles=['staff'])}"}
    event = client.post("/events/v1/events", headers=staff, json={
        "kind": "regional_day", "title": "Journée régionale 2031", "format": "in_person", "capacity": 100,
        "starts_at": "2031-03-12T09:30:00+01:00", "ends_at": "2031-03-12T17:00:00+01:00", "department": "44",
        "venue": {"name": "Maison des sports", "address": "44 rue Romain Rolland", "postal_code": "44100",
                  "city": "Nantes", "department": "44"}})
    assert event.status_code == 201, event.json
    assert client.post(f"/events/v1/events/{event.json['id']}/publish", headers=staff, json={}).status_code == 200
    camille = {"Authorization": f"Bearer {token(provider, person_id='demo-person-001')}"}

    assert client.get("/events/v1/me", headers=camille).json["may"]["service"]["register_themself"] is True
    registration = client.post(f"/events/v1/events/{event.json['id']}/registrations", headers=camille, json={})
    assert registration.status_code == 201, registration.json
    assert registration.json["person_id"] == "demo-person-001" and registration.json["status"] == "registered"
    mine = client.get("/events/v1/me/registrations", headers=camille).json["items"]
    assert [r["event_id"] for r in mine] == [event.json["id"]]
