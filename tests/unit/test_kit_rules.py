"""Pure rules of the kit: no broker, no database."""
import datetime as dt

import jwt
import pytest
from hypothesis import given, strategies as st
from marshmallow import ValidationError

from shared.bus.consumer import topic_matches
from shared.bus.envelope import make_envelope, routing_key_of, validate_envelope
from shared.config import Settings
from shared.http.auth import Principal, decode_token, issue_token

SETTINGS = Settings(jwt_secret="unit-test-secret-" + "x" * 32)


def envelope(**overrides):
    env = make_envelope(source="registry", type="registry.structure.registered.v1", subject="s1", data={"a": 1},
                        federation="apmsl", correlation_id="c1", sequence=1)
    return {**env, **overrides}


def test_an_envelope_is_cloudevents_1_0_with_maillage_extensions():
    env = validate_envelope(envelope())
    assert env["specversion"] == "1.0" and env["datacontenttype"] == "application/json"
    assert dt.datetime.fromisoformat(env["time"]).tzinfo is not None
    assert routing_key_of(env["type"]) == "registry.structure.registered"


@pytest.mark.parametrize("broken", [
    {"specversion": "0.3"}, {"type": "registry.structure.registered"}, {"id": "not-a-uuid"},
    {"source": "registry"}, {"sequence": -1}, {"time": "2024-01-01T00:00:00"}, {"extra": 1},
])
def test_an_envelope_breaking_the_contract_is_refused(broken):
    with pytest.raises(ValidationError):
        validate_envelope(envelope(**broken))


def test_an_event_type_without_a_version_cannot_be_made():
    with pytest.raises(ValueError):
        make_envelope(source="registry", type="registry.structure.registered", subject="s", data={},
                      federation=None, correlation_id="c", sequence=1)


@pytest.mark.parametrize("pattern,key,matches", [
    ("registry.#", "registry.structure.registered", True),
    ("registry.*", "registry.structure.registered", False),
    ("registry.structure.*", "registry.structure.registered", True),
    ("#", "events.registration.waitlisted", True),
    ("*.person.erased", "registry.person.erased", True),
    ("registry.person.erased", "registry.person.updated", False),
    ("registry.#.erased", "registry.person.erased", True),
])
def test_topic_patterns_match_like_rabbitmq(pattern, key, matches):
    assert topic_matches(pattern, key) is matches


@given(st.lists(st.sampled_from(["registry", "person", "events", "x"]), min_size=1, max_size=4))
def test_hash_matches_every_key_and_a_key_matches_itself(words):
    key = ".".join(words)
    assert topic_matches("#", key) and topic_matches(key, key)


def test_a_token_round_trips_its_claims():
    token = issue_token(SETTINGS, sub="p1", federation="femage", roles=["coordinator"])
    assert decode_token(SETTINGS, token) == Principal("p1", "femage", frozenset({"coordinator"}))


@pytest.mark.parametrize("claims", [
    {"sub": "p", "federation": None, "roles": ["admin"]},       # no federation, not national
    {"sub": "p", "federation": "apmsl", "roles": "admin"},      # roles must be a list
    {"sub": "p", "federation": 3, "roles": []},
])
def test_malformed_tokens_are_refused(claims):
    now = dt.datetime.now(dt.timezone.utc)
    token = jwt.encode({**claims, "iss": "maillage", "exp": now + dt.timedelta(minutes=5)}, SETTINGS.jwt_secret)
    with pytest.raises(jwt.InvalidTokenError):
        decode_token(SETTINGS, token)


def test_expired_and_forged_tokens_are_refused():
    expired = issue_token(SETTINGS, sub="p", federation="apmsl", roles=[], ttl=-10)
    with pytest.raises(jwt.ExpiredSignatureError):
        decode_token(SETTINGS, expired)
    forged = issue_token(SETTINGS.replace(jwt_secret="another-secret-" + "y" * 32), sub="p", federation="apmsl",
                         roles=["national"])
    with pytest.raises(jwt.InvalidSignatureError):
        decode_token(SETTINGS, forged)


def test_a_federation_reads_only_itself_and_national_reads_across():
    apmsl = Principal("u", "apmsl", frozenset({"admin"}))
    assert apmsl.scope() == {"federation": "apmsl"}
    assert apmsl.scope("femage") == {"federation": {"$in": []}}
    assert not apmsl.can_read("femage") and apmsl.can_write("apmsl")
    national = Principal("n", None, frozenset({"national"}))
    assert national.scope() == {} and national.scope("femage") == {"federation": "femage"}
    assert national.can_read("femage") and not national.can_write("femage")
