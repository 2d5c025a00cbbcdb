from shared.testing import OutboxCapture


def test_a_structure_written_over_http_reaches_a_queue_bound_to_registry(api, runtime, capture):
    cap = capture("registry.#")
    client = api("registry").as_user("apmsl", ["admin"])
    outbox = OutboxCapture(runtime("registry"))
    r = client.post("/registry/v1/structures", json={"kind": "MSP", "name": "MSP de Clisson", "city": "Clisson", "department": "44"})
    assert r.status_code == 201, r.json
    assert outbox.types == ["registry.structure.registered.v1"]
    from shared.bus.relay import OutboxRelay
    OutboxRelay(runtime("registry").db, "registry", runtime("registry").settings).publish_pending()
    env = cap.wait_for("registry.structure.registered.v1")
    assert env["subject"] == r.json["id"]


def test_registered_event_matches_the_asyncapi_contract(api, runtime):
    from shared.testing.contract import assert_matches_asyncapi
    outbox = OutboxCapture(runtime("registry"))
    api("registry").as_user().post("/registry/v1/structures", json={"kind": "CPTS", "name": "CPTS Loire", "city": "Nantes", "department": "44"})
    assert_matches_asyncapi(outbox.events[0])
