"""Builders for registry tests: they go through the HTTP API like a client would."""
from shared.bus.relay import OutboxRelay

STRUCTURE = {"kind": "MSP", "name": "MSP de Clisson", "city": "Clisson", "department": "44"}
PERSON = {"first_name": "Camille", "last_name": "Guérin", "email": "camille.guerin@example.org"}


def make_structure(client, **overrides):
    r = client.post("/registry/v1/structures", json={**STRUCTURE, **overrides})
    assert r.status_code == 201, r.json
    return r.json


def make_person(client, **overrides):
    r = client.post("/registry/v1/people", json={**PERSON, **overrides})
    assert r.status_code == 201, r.json
    return r.json


def make_group(client, **overrides):
    r = client.post("/registry/v1/local-groups", json={"name": "Groupe local 44 est", "department": "44", **overrides})
    assert r.status_code == 201, r.json
    return r.json


def publish(runtime):
    """Run the registry's outbox relay once (what the worker does right after a commit)."""
    rt = runtime("registry")
    OutboxRelay(rt.db, "registry", rt.settings).publish_pending()


def field_errors(response) -> dict:
    assert response.mimetype == "application/problem+json", response.data
    return response.json.get("errors") or {}
