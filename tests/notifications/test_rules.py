"""Domain rules, without Flask, Mongo or RabbitMQ."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st

from services.notifications import ical, rules
from services.notifications.calendar import seminar_end, seminar_start
from services.notifications.mailer import Mailer, build_message
from services.notifications.templating import date_fr, datetime_fr
from shared.bus.consumer import topic_matches
from shared.errors import Invalid

TODAY = dt.date(2026, 11, 24)


def person(pid, *roles, deleted=False):
    return {"_id": pid, "roles": list(roles), "deleted": deleted}


def r(structure, name="coordinator", start="2020-01-01", end=None):
    return {"structure_id": structure, "role": name, "start_on": start, "end_on": end}


STRUCTURES = {"msp1": {"kind": "MSP", "local_group_id": "g1"}, "msp2": {"kind": "MSP", "local_group_id": None},
              "cpts": {"kind": "CPTS", "local_group_id": None}, "old": {"kind": "MSP", "archived": True}}
GROUPS = {"g1": {"structure_ids": ["msp1", "msp2"], "contact_person_ids": ["staff1"]}}
PEOPLE = [person("a", r("msp1")), person("b", r("msp2", "leader")), person("c", r("cpts")),
          person("d", r("msp1", end="2025-12-31")), person("e", r("msp1", start="2027-01-01")),
          person("f", r("old")), person("staff1", r(None, "federation_staff")), person("z", r("msp1"), deleted=True)]


def ids(audience):
    return sorted(p["_id"] for p in rules.select_audience(PEOPLE, STRUCTURES, GROUPS, audience, TODAY))


def test_a_local_group_audience_is_its_structures_active_people_and_its_contacts():
    assert ids({"local_group_ids": ["g1"]}) == ["a", "b", "staff1"]


def test_audience_dimensions_combine():
    assert ids({"local_group_ids": ["g1"], "roles": ["leader"]}) == ["b", "staff1"]
    assert ids({"structure_kinds": ["CPTS"]}) == ["c"]
    assert ids({"structure_kinds": ["MSP"], "roles": ["coordinator"]}) == ["a"]
    assert ids({"roles": ["federation_staff"]}) == ["staff1"]


def test_a_role_is_held_from_its_start_day_up_to_but_not_on_its_end_day():
    """shared.roles: start inclusive, end exclusive (before the kit, notifications kept a role on its end day)."""
    people = [person("ends_today", r("msp1", end=TODAY.isoformat())),
              person("starts_today", r("msp1", start=TODAY.isoformat())), person("ends_tomorrow", r("msp1", end=(TODAY + dt.timedelta(days=1)).isoformat()))]
    chosen = rules.select_audience(people, STRUCTURES, GROUPS, {"local_group_ids": ["g1"]}, TODAY)
    assert sorted(p["_id"] for p in chosen) == ["ends_tomorrow", "starts_today"]


def test_seminar_hours_come_from_training_when_it_gives_them():
    paris = ZoneInfo("Europe/Paris")
    day = {"starts_on": "2027-03-01", "ends_on": "2027-03-02"}
    assert seminar_start(day) == dt.datetime(2027, 3, 1, 9, tzinfo=paris)
    assert seminar_end(day) == dt.datetime(2027, 3, 2, 17, tzinfo=paris)
    exact = {**day, "starts_at": "2027-03-01T08:00:00+00:00", "ends_at": "2027-03-01T15:00:00+00:00"}
    assert (seminar_start(exact), seminar_end(exact)) == (dt.datetime(2027, 3, 1, 8, tzinfo=dt.timezone.utc),
                                                         dt.datetime(2027, 3, 1, 15, tzinfo=dt.timezone.utc))


def test_an_empty_audience_invites_nobody():
    assert ids({}) == [] and ids({"local_group_ids": [], "structure_kinds": [], "roles": []}) == []


def test_a_group_we_do_not_know_yet_falls_back_on_the_structures_group():
    assert sorted(p["_id"] for p in rules.select_audience(PEOPLE, STRUCTURES, {}, {"local_group_ids": ["g1"]},
                                                           TODAY)) == ["a"]


@pytest.mark.parametrize("kwargs, reason", [
    ({}, None),
    ({"email": None}, "no_email"),
    ({"may_email": False}, "may_email_false"),
    ({"may_email": False, "category": "cancellation"}, "may_email_false"),
    ({"erased": True}, "erased"),
    ({"opted_out": {"invitation"}}, "opted_out"),
    ({"opted_out": {"all"}}, "opted_out"),
    ({"opted_out": {"all"}, "category": "cancellation"}, None),
    ({"opted_out": {"invitation", "all"}, "category": "rescheduling"}, None),
    ({"opted_out": {"reminder"}}, None),
])
def test_suppression(kwargs, reason):
    args = {"email": "a@x.example", "may_email": True, "erased": False, "opted_out": set(), "category": "invitation",
            **kwargs}
    assert rules.suppression_reason(**args) == reason


def test_critical_or_unknown_categories_cannot_be_switched_off():
    assert rules.check_opt_out(["reminder", "reminder", "all"]) == ["reminder", "all"]
    for bad in (["cancellation"], ["rescheduling"], ["spam"]):
        with pytest.raises(Invalid):
            rules.check_opt_out(bad)


def test_reminder_times_and_back_off():
    start = dt.datetime(2026, 3, 10, 13, 0, tzinfo=dt.timezone.utc)
    assert rules.reminder_times(start) == {"P7D": dt.datetime(2026, 3, 3, 13, tzinfo=dt.timezone.utc),
                                           "P1D": dt.datetime(2026, 3, 9, 13, tzinfo=dt.timezone.utc)}
    assert rules.offset_name(7200) == "PT2H"
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    assert rules.next_attempt(1, (30, 60), now) == now + dt.timedelta(seconds=30)
    assert rules.next_attempt(2, (30, 60), now) == now + dt.timedelta(seconds=60)
    assert rules.next_attempt(3, (30, 60), now) is None


def test_delivery_ids_are_one_per_origin_channel_recipient():
    a = rules.delivery_id("evt-1", "email", "p1")
    assert a == rules.delivery_id("evt-1", "email", "p1")
    assert len({a, rules.delivery_id("evt-1", "email", "p2"), rules.delivery_id("evt-1", "webhook", "p1"),
                rules.delivery_id("evt-2", "email", "p1")}) == 4
    assert rules.message_id(a) == f"<{a}@maillage>"


@given(st.text(min_size=1, max_size=40), st.sampled_from(["apmsl", "femage"]), st.sampled_from(rules.CATEGORIES))
def test_unsubscribe_tokens_round_trip_and_resist_tampering(pid, fed, category):
    token = rules.sign_unsubscribe("k" * 32, pid, fed, category)
    assert rules.verify_unsubscribe("k" * 32, token) == {"person_id": pid, "federation": fed, "category": category}
    with pytest.raises(rules.BadToken):
        rules.verify_unsubscribe("other" * 8, token)
    with pytest.raises(rules.BadToken):
        rules.verify_unsubscribe("k" * 32, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


def test_unsubscribe_links_expire_after_ninety_days():
    sent = dt.datetime(2031, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
    token = rules.sign_unsubscribe("k" * 32, "p1", "apmsl", "invitation", at=sent)
    assert rules.verify_unsubscribe("k" * 32, token, now=sent + dt.timedelta(days=89))["person_id"] == "p1"
    with pytest.raises(rules.ExpiredToken):
        rules.verify_unsubscribe("k" * 32, token, now=sent + rules.UNSUBSCRIBE_LINK_MAX_AGE + dt.timedelta(seconds=1))


def test_webhook_signatures():
    body = b'{"id":"1"}'
    header = rules.sign_webhook("secret", 1700000000, body)
    assert header.startswith("t=1700000000,v1=") and len(header.split("v1=")[1]) == 64
    assert rules.verify_webhook("secret", header, body)
    assert not rules.verify_webhook("secret", header, b'{"id":"2"}')
    assert not rules.verify_webhook("secret", header, body, now=1700000000 + 3600), "replay window"
    assert not rules.verify_webhook("secret", "garbage", body)


def test_webhook_patterns_are_amqp_topics():
    assert topic_matches("events.registration.*", "events.registration.confirmed")
    assert topic_matches("training.#", "training.seminar.scheduled")
    assert not topic_matches("events.event.*", "events.registration.confirmed")


def test_french_dates_in_paris_time():
    winter = dt.datetime(2026, 3, 3, 13, 30, tzinfo=dt.timezone.utc)
    assert datetime_fr(winter) == "mardi 3 mars 2026 à 14 h 30"
    assert datetime_fr(dt.datetime(2026, 7, 1, 7, 0, tzinfo=dt.timezone.utc)) == "mercredi 1er juillet 2026 à 9 h 00"
    assert date_fr("2026-12-25T10:00:00+00:00") == "vendredi 25 décembre 2026"


def test_ics_request_and_cancel():
    item = {"_id": "evt-1", "title": "Journée régionale", "starts_at": dt.datetime(2026, 6, 12, 7, tzinfo=dt.timezone.utc),
            "ends_at": dt.datetime(2026, 6, 12, 15, tzinfo=dt.timezone.utc), "location": "Lyon", "ical_sequence": 4}
    req = ical.parse_ics(ical.build_ics(item, method="REQUEST", organizer="FemasAURA <no-reply@f.example>",
                                        attendee={"email": "a@x.example", "name": "Anne"}))
    assert req == {"method": "REQUEST", "uid": "evt-1@maillage", "sequence": 4, "start": item["starts_at"],
                   "end": item["ends_at"], "status": "CONFIRMED", "summary": "Journée régionale"}
    cancel = ical.parse_ics(ical.build_ics(item, method="CANCEL", organizer="x@f.example", attendee=None))
    assert cancel["method"] == "CANCEL" and cancel["status"] == "CANCELLED" and cancel["uid"] == "evt-1@maillage"
    with pytest.raises(ValueError):
        ical.build_ics(item, method="PUBLISHX", organizer="x", attendee=None)


def test_the_file_mailer_writes_one_eml_per_message_even_when_resent(tmp_path):
    mailer = Mailer(f"file://{tmp_path}/mail")
    msg = build_message(sender="Maillage <no-reply@m.example>", to="anne@x.example", to_name="Anne Éloïse",
                        subject="Invitation : réunion", text="Bonjour", html="<p>Bonjour</p>",
                        message_id="<d1@maillage>", unsubscribe_url="http://m/u?token=t", ics=b"BEGIN:VCALENDAR",
                        ics_method="CANCEL")
    assert mailer.send(msg) == "<d1@maillage>"
    mailer.send(msg)
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    raw = files[0].read_bytes()
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw and b"method=\"CANCEL\"" in raw


def test_an_unknown_mail_url_is_refused():
    with pytest.raises(ValueError):
        Mailer("http://example.org")
