"""Reminders (stored schedules fired by the worker job) and the training service's messages."""
from __future__ import annotations

import datetime as dt

from services.notifications import dispatcher, reminders
from services.notifications.ical import parse_ics
from services.notifications.store import DELIVERIES, REMINDERS
from shared.testing.contract import assert_matches_asyncapi
from notif_kit import FED, ev, event_data, feed, person_data, recipient_of, registration_data


def send_all(rt):
    return dispatcher.dispatch_due(rt.db, rt.settings, "email")


def pending(rt, **query):
    return {d["rule"]: d["fire_at"] for d in rt.db[REMINDERS].find({"status": "pending", **query})}


def test_a_registration_arms_reminders_7_days_and_1_day_before_that_fire_once(notif, messages_sub, network, smtp):
    event = event_data(version=2)
    start = dt.datetime.fromisoformat(event["starts_at"])
    reg = registration_data(event, network.alice)
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", reg))
    assert pending(notif) == {"P7D": start - dt.timedelta(days=7), "P1D": start - dt.timedelta(days=1)}

    assert reminders.fire_due(notif.db, notif.settings, now=start - dt.timedelta(days=8)) == 0
    assert reminders.fire_due(notif.db, notif.settings, now=start - dt.timedelta(days=7)) == 1
    assert reminders.fire_due(notif.db, notif.settings, now=start - dt.timedelta(days=6)) == 0, "fires once"
    send_all(notif)
    reminder_mails = [m for m in smtp.sink.to(network.alice["email"]) if "Rappel" in str(m["Subject"])]
    assert len(reminder_mails) == 1 and "dans 7 jours" in str(reminder_mails[0]["Subject"])
    assert reminders.fire_due(notif.db, notif.settings, now=start - dt.timedelta(days=1)) == 1
    send_all(notif)
    subjects = [" ".join(str(m["Subject"]).split()) for m in smtp.sink.to(network.alice["email"])]
    assert any("demain" in s for s in subjects)


def test_a_reschedule_moves_the_reminders_and_a_cancellation_drops_them(notif, messages_sub, network, smtp):
    event = event_data(version=2)
    reg = registration_data(event, network.bruno)
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", reg))
    new_start = dt.datetime.fromisoformat(event["starts_at"]) + dt.timedelta(days=14)
    moved = {**event_data(event["id"], starts_at=new_start, version=3), "changed": ["starts_at"],
             "previous": {k: event[k] for k in ("starts_at", "ends_at", "format", "venue", "video_link")},
             "recipients": [recipient_of(reg)]}
    feed(notif, messages_sub, ev("events.event.rescheduled.v1", moved))
    assert pending(notif) == {"P7D": new_start - dt.timedelta(days=7), "P1D": new_start - dt.timedelta(days=1)}

    cancelled = {**event_data(event["id"], starts_at=new_start, version=4, status="cancelled"),
                 "recipients": [recipient_of(reg)]}
    feed(notif, messages_sub, ev("events.event.cancelled.v1", cancelled))
    assert pending(notif) == {}
    assert reminders.fire_due(notif.db, notif.settings, now=new_start) == 0


def test_a_cancelled_registration_drops_its_reminders(notif, messages_sub, network):
    event = event_data(version=2)
    reg = registration_data(event, network.chloe)
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", reg),
         ev("events.registration.cancelled.v1", {**reg, "status": "cancelled", "version": 2}))
    assert pending(notif) == {}
    assert notif.db[REMINDERS].count_documents({"status": "dropped"}) == 2


def test_a_reminder_already_sent_is_armed_again_when_the_event_moves_later(notif, messages_sub, network, smtp):
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(days=3)
    event = event_data(starts_at=start, version=2)
    reg = registration_data(event, network.alice)
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", reg))
    assert set(pending(notif)) == {"P1D"}, "7 days before is already past"
    later = start + dt.timedelta(days=30)
    feed(notif, messages_sub, ev("events.event.rescheduled.v1", {
        **event_data(event["id"], starts_at=later, version=3), "changed": ["starts_at"],
        "previous": {k: event[k] for k in ("starts_at", "ends_at", "format", "venue", "video_link")},
        "recipients": [recipient_of(reg)]}))
    assert pending(notif) == {"P7D": later - dt.timedelta(days=7), "P1D": later - dt.timedelta(days=1)}


def test_the_reminder_job_runs_in_the_worker(notif, messages_sub, network, smtp):
    from services.notifications.worker import JOBS

    assert {j.name for j in JOBS} == {"dispatch-email", "dispatch-webhooks", "reminders"}
    start = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=20)
    reg = registration_data(event_data(starts_at=start, version=2), network.alice)
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", reg))
    notif.db[REMINDERS].update_many({}, {"$set": {"fire_at": dt.datetime.now(dt.timezone.utc)}})
    job = next(j for j in JOBS if j.name == "reminders")
    job.run(notif.db, notif.settings)
    assert notif.db[DELIVERIES].count_documents({"template": "reminder"}) == 2


# --- training -------------------------------------------------------------------------------------

def person_ref(p):
    return {"id": p["id"], "first_name": p["first_name"], "last_name": p["last_name"], "email": p["email"],
            "may_email": p["may_email"]}


COHORT = {"id": "cohort-7", "name": "PACTE MSP — promotion n°7 (Lyon)", "number": 7, "city": "Lyon",
          "programme": {"id": "prog-msp", "code": "PACTE_MSP", "name": "PACTE MSP"}}


def seminar(version=1, starts_on="2027-03-04", ends_on="2027-03-05", status="scheduled", learners=(), **extra):
    return {"id": "seminar-1", "federation": FED, "cohort": COHORT, "theme": "Dynamique d'équipe",
            "starts_on": starts_on, "ends_on": ends_on, "place": {"name": "Maison des associations",
                                                                   "address": "3 rue Paul Bert", "city": "Lyon"},
            "trainers": [{"person_id": None, "name": "Marie Formatrice", "email": "marie@femas.example"}],
            "with_leaders": False, "status": status, "learners": list(learners), "version": version, **extra}


def test_a_seminar_is_sent_with_an_ics_to_learners_and_trainers_and_updated_when_it_moves(
        notif, messages_sub, network, smtp):
    learners = [person_ref(network.alice), person_ref(network.bruno)]
    feed(notif, messages_sub, ev("training.seminar.scheduled.v1", seminar(learners=learners)))
    send_all(notif)
    assert len(smtp.messages) == 3
    first = parse_ics(next(p for p in smtp.sink.to(network.alice["email"])[0].walk()
                           if p.get_content_type() == "text/calendar").get_payload(decode=True))
    assert first["uid"] == "seminar-1@maillage" and first["start"].date() == dt.date(2027, 3, 4)
    assert len(notif.db[REMINDERS].distinct("person_id")) == 2

    feed(notif, messages_sub, ev("training.seminar.rescheduled.v1", seminar(
        version=2, starts_on="2027-03-11", ends_on="2027-03-12", status="rescheduled", learners=learners,
        previous={"starts_on": "2027-03-04", "ends_on": "2027-03-05"})))
    send_all(notif)
    [update] = [m for m in smtp.sink.to(network.alice["email"]) if "Changement de date" in str(m["Subject"])]
    ics = parse_ics(next(p for p in update.walk() if p.get_content_type() == "text/calendar").get_payload(decode=True))
    assert ics["uid"] == first["uid"] and ics["sequence"] > first["sequence"]
    assert ics["start"].date() == dt.date(2027, 3, 11)

    feed(notif, messages_sub, ev("training.seminar.cancelled.v1", seminar(
        version=3, starts_on="2027-03-11", ends_on="2027-03-12", status="cancelled", learners=learners,
        reason="Formatrice indisponible")))
    send_all(notif)
    [cancel] = [m for m in smtp.sink.to(network.bruno["email"]) if "Annulation" in str(m["Subject"])]
    assert "Formatrice indisponible" in cancel.get_body(("plain",)).get_content()
    assert notif.db[REMINDERS].count_documents({"status": "pending"}) == 0


def test_an_application_decision_and_a_certificate_reach_the_coordinator(notif, messages_sub, network, smtp):
    application = {"id": "app-1", "federation": FED, "cohort": COHORT, "person": person_ref(network.chloe),
                   "structure": {"id": network.msp2["id"], "name": "MSP de Vertou", "kind": "MSP", "city": "Vertou"},
                   "status": "accepted", "submitted_at": "2026-09-01T10:00:00+00:00", "version": 3,
                   "decision": "accepted", "reason": "Projet d'équipe solide", "score": 17.5,
                   "decided_by": "comite", "decided_at": "2026-10-01T10:00:00+00:00", "committee": []}
    learner = {"id": "learner-1", "federation": FED, "cohort": COHORT, "person": person_ref(network.chloe),
               "structure": None, "application_id": "app-1", "status": "certified", "version": 4,
               "certificate_code": "PACTE-7K2M-QX4D", "verification_url": "http://maillage.test/training/v1/certificates/PACTE-7K2M-QX4D",
               "issued_on": "2027-06-30", "certification": "Diplôme de l'EHESP"}
    absence = {**learner, "status": "enrolled", "version": 2, "absences": 3, "threshold": 3, "trainers": []}
    feed(notif, messages_sub, ev("training.application.decided.v1", application),
         ev("training.learner.absence_threshold_reached.v1", absence, sequence=2),
         ev("training.learner.certified.v1", learner))
    send_all(notif)
    subjects = [" ".join(str(m["Subject"]).split()) for m in smtp.sink.to(network.chloe["email"])]
    assert subjects == ["Votre candidature à PACTE MSP — promotion n°7 (Lyon) : retenue",
                        "Vos absences à la formation PACTE MSP — promotion n°7 (Lyon)",
                        "Votre attestation de formation PACTE MSP"]
    body = smtp.sink.to(network.chloe["email"])[2].get_body(("plain",)).get_content()
    assert "PACTE-7K2M-QX4D" in body and "http://maillage.test/certificats/PACTE-7K2M-QX4D" in body


def test_a_seminar_keeps_the_hours_training_gives_it(notif, messages_sub, network, smtp):
    feed(notif, messages_sub, ev("training.seminar.scheduled.v1", seminar(
        learners=[person_ref(network.alice)], starts_at="2027-03-04T08:30:00+00:00",
        ends_at="2027-03-05T15:30:00+00:00")))
    send_all(notif)
    [message] = smtp.sink.to(network.alice["email"])
    ics = parse_ics(next(p for p in message.walk() if p.get_content_type() == "text/calendar").get_payload(decode=True))
    paris = dt.timezone(dt.timedelta(hours=1))  # March 2027, before the change to summer time
    assert (ics["start"], ics["end"]) == (dt.datetime(2027, 3, 4, 9, 30, tzinfo=paris),
                                         dt.datetime(2027, 3, 5, 16, 30, tzinfo=paris))
    assert_matches_asyncapi(ev("training.seminar.scheduled.v1", seminar(
        starts_at="2027-03-04T08:30:00+00:00", ends_at="2027-03-05T15:30:00+00:00")))


def test_a_new_learner_gets_the_coming_seminars_in_one_ics_and_their_reminders(notif, messages_sub, network, smtp):
    from services.notifications.ical import parse_all

    feed(notif, messages_sub, ev("training.seminar.scheduled.v1", seminar(version=2)))
    refs = [{k: v for k, v in seminar().items() if k in ("id", "theme", "starts_on", "ends_on", "place")},
            {"id": "seminar-2", "theme": "Projet de santé", "starts_on": "2027-04-08", "ends_on": "2027-04-09",
             "place": {"name": None, "address": None, "city": "Lyon"}}]
    learner = {"id": "learner-9", "federation": FED, "cohort": COHORT, "person": person_ref(network.alice),
               "structure": None, "application_id": "app-9", "status": "enrolled", "version": 1,
               "from_reserve": True, "seminars": refs}
    feed(notif, messages_sub, ev("training.learner.enrolled.v1", learner))
    send_all(notif)
    [welcome] = smtp.sink.to(network.alice["email"])
    assert " ".join(str(welcome["Subject"]).split()) == "Bienvenue dans la formation PACTE MSP — PACTE MSP — promotion n°7 (Lyon)"
    body = welcome.get_body(("plain",)).get_content()
    assert "Une place s'est libérée" in body and "PACTE MSP — Projet de santé : du jeudi 8 avril 2027" in body
    part = next(p for p in welcome.walk() if p.get_content_type() == "text/calendar")
    events = parse_all(part.get_payload(decode=True))
    assert [e["uid"] for e in events] == ["seminar-1@maillage", "seminar-2@maillage"]
    assert {e["method"] for e in events} == {"PUBLISH"}
    assert events[0]["sequence"] == 2, "the seminar's own version wins over the learner's summary"
    assert notif.db[REMINDERS].count_documents({"person_id": network.alice["id"], "status": "pending"}) == 4


def test_a_reminder_fired_late_says_the_real_time_left_and_one_past_the_start_is_skipped(notif, messages_sub,
                                                                                           network, smtp):
    event = event_data(version=2)
    start = dt.datetime.fromisoformat(event["starts_at"])
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", registration_data(event, network.alice)))
    # The worker was down: the 7-day reminder fires 20 hours before the start.
    assert reminders.fire_due(notif.db, notif.settings, now=start - dt.timedelta(hours=20)) == 2
    send_all(notif)
    subjects = [" ".join(str(m["Subject"]).split()) for m in smtp.sink.to(network.alice["email"])]
    assert all("dans 7 jours" not in s for s in subjects) and any("dans 20 heures" in s for s in subjects)

    other = event_data(version=2)
    feed(notif, messages_sub, ev("events.registration.confirmed.v1", registration_data(other, network.bruno)))
    after = dt.datetime.fromisoformat(other["starts_at"]) + dt.timedelta(hours=1)
    reminders.fire_due(notif.db, notif.settings, now=after)
    assert notif.db[DELIVERIES].count_documents({"person_id": network.bruno["id"], "template": "reminder"}) == 0
    assert notif.db[REMINDERS].count_documents({"person_id": network.bruno["id"], "status": "skipped"}) == 2


def test_reminder_wording():
    assert reminders.when_label(7 * 86400) == "dans 7 jours"
    assert reminders.when_label(86400) == "demain"
    assert reminders.when_label(2 * 3600) == "dans 2 heures"
    assert reminders.when_label(600) == "dans 1 heure"
