"""The four OpenAPI documents say what the services really do: errors as problem+json, an operationId and
a summary everywhere, no token asked of public operations, and an interactive page that works offline."""
import re

import pytest

from shared.runtime import SERVICE_NAMES

METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture
def documents(api):
    return {name: api(name).anonymous().get(f"/{name}/openapi.json").json for name in SERVICE_NAMES}


def operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_errors_are_documented_as_problem_json_with_an_integer_status(documents):
    for name, document in documents.items():
        problem = document["components"]["schemas"]["Problem"]
        assert problem["properties"]["status"]["type"] == "integer"
        assert set(problem["required"]) == {"type", "title", "status"}
        assert {"detail", "errors", "instance"} <= set(problem["properties"])
        assert "Error" not in document["components"]["schemas"], name
        for response_name, response in document["components"]["responses"].items():
            assert set(response["content"]) == {"application/problem+json"}, (name, response_name)
        for path, method, operation in operations(document):
            for status, response in operation["responses"].items():
                if status[0] in "45" and "$ref" not in response:
                    assert set(response["content"]) == {"application/problem+json"}, (path, method, status)


def test_every_operation_has_a_unique_operation_id_and_a_summary(documents):
    for name, document in documents.items():
        ids = [op["operationId"] for _, _, op in operations(document)]
        assert len(ids) == len(set(ids)), name
        assert all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids)
        for path, method, operation in operations(document):
            assert operation.get("summary"), (path, method)


def test_public_operations_need_no_token_and_the_others_say_which(documents):
    public = {(path, method) for name, document in documents.items()
              for path, method, op in operations(document) if op["security"] == []}
    assert {("/events/v1/agenda", "get"), ("/events/v1/agenda/federations/{federation}.ics", "get"),
            ("/registry/v1/map", "get"), ("/notifications/v1/unsubscribe", "get"),
            ("/notifications/v1/unsubscribe", "post")} <= public
    for name, document in documents.items():
        for path, method, operation in operations(document):
            if (path, method) not in public:
                assert operation["security"] == [{"openIdConnect": []}, {"bearerAuth": []}], (path, method)
                assert "401" in operation["responses"], (path, method)


def test_the_security_schemes_are_openid_connect_and_the_dev_bearer(documents):
    for name, document in documents.items():
        schemes = document["components"]["securitySchemes"]
        assert schemes["openIdConnect"]["type"] == "openIdConnect", name
        assert schemes["openIdConnect"]["openIdConnectUrl"].endswith("/.well-known/openid-configuration")
        assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}


def test_the_openid_connect_url_is_the_trusted_issuers_discovery(settings):
    from shared.runtime import ServiceRuntime

    app = ServiceRuntime("training", settings.replace(oidc_issuer="https://idp.example.org/realms/m")).create_app()
    schemes = app.test_client().get("/training/openapi.json").json["components"]["securitySchemes"]

    assert schemes["openIdConnect"]["openIdConnectUrl"] == \
        "https://idp.example.org/realms/m/.well-known/openid-configuration"


def test_the_documented_access_is_the_enforced_one(documents, api):
    """A public operation answers without a token (no 401); a guarded one answers 401 without a token."""
    for name, document in documents.items():
        client = api(name).anonymous()
        for path, method, operation in operations(document):
            if method != "get" or "{" in path:
                continue
            status = client.get(path).status_code
            assert (status == 401) == (operation["security"] != []), (path, status)


def test_the_interactive_page_loads_its_assets_from_the_service_itself(api):
    for name in SERVICE_NAMES:
        client = api(name).anonymous()
        page = client.get(f"/{name}/docs").get_data(as_text=True)
        sources = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert sources and not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
        for source in sources:
            asset = client.get(f"/{name}/{source}")
            assert asset.status_code == 200 and len(asset.data) > 1000, source
    assert api("registry").anonymous().get("/registry/docs/assets/..%2Fpyproject.toml").status_code == 404


def test_the_document_written_on_its_first_read_is_whole_for_readers_arriving_together(runtime):
    """Operations enter the document when it is first read (`ProblemApi.spec`): readers who arrive
    together, on a gunicorn worker's threads, each get the whole document, the same one."""
    import json
    from concurrent.futures import ThreadPoolExecutor

    def read(app):
        return json.dumps(app.test_client().get("/events/openapi.json").json, sort_keys=True)

    app = runtime("events").create_app()
    assert app.extensions["flask-smorest"]["apis"][""]["ext_obj"]._undocumented  # nothing written yet
    with ThreadPoolExecutor(max_workers=8) as pool:
        documents = set(pool.map(lambda _: read(app), range(8)))
    assert len(documents) == 1
    alone = read(runtime("events").create_app())  # another app's document, read by one reader
    assert documents == {alone}
    assert "/events/v1/events/{event_id}/registrations" in json.loads(alone)["paths"]
