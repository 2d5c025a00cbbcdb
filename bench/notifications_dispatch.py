"""Notifications: an invitation to N people, from the domain event to the SMTP server.

The handler queues N deliveries in one transaction (rendered, with their .ics). Baseline (same run,
same SMTP server): the same rendered messages built and sent over one smtplib connection, nothing
recorded. Maillage: the dispatcher claims them in batches, sends, and marks each one. Prints
e-mails/s and the ratio to the baseline — the price of exactly-once bookkeeping per message.
"""
from __future__ import annotations

import smtplib
import time
import uuid

from aiosmtpd.controller import Controller

from bench.common import mongo
from shared.config import Settings
from shared.devserver import free_port

N = 300


class Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def main() -> None:
    from services.notifications import dispatcher
    from services.notifications.mailer import build_message
    from shared.runtime import ServiceRuntime
    from shared.testing import make_event, run_handler

    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with mongo() as url:
            tag = uuid.uuid4().hex[:8]
            settings = Settings(mongo_url=url, mongo_db_prefix=f"bench{tag}_", amqp_url="memory://",
                                smtp_url=f"smtp://127.0.0.1:{port}", log_json=False, log_level="WARNING",
                                queue_prefix=f"bench.{tag}.")
            rt = ServiceRuntime("notifications", settings)
            rt.ensure_indexes()
            sub = next(s for s in rt.subscriptions() if s.purpose == "messages")
            msp = str(uuid.uuid4())
            run_handler(rt, sub, make_event("registry.structure.registered.v1", {
                "id": msp, "federation": "apmsl", "kind": "MSP", "name": "MSP", "city": "Nantes", "department": "44",
                "status": "aci", "local_group_id": None, "archived": False, "version": 1}, subject=msp))
            for i in range(N):
                pid = str(uuid.uuid4())
                run_handler(rt, sub, make_event("registry.person.registered.v1", {
                    "id": pid, "federation": "apmsl", "first_name": f"P{i}", "last_name": "Bench",
                    "email": f"p{i}@bench.example", "phone": None, "may_email": True, "demo": True,
                    "roles": [{"id": "r", "structure_id": msp, "role": "coordinator", "start_on": "2020-01-01",
                               "end_on": None}], "version": 1}, subject=pid))

            event = {"id": str(uuid.uuid4()), "kind": "regional_day", "title": "Journée régionale",
                     "starts_at": "2030-06-12T07:00:00+00:00", "ends_at": "2030-06-12T15:00:00+00:00",
                     "timezone": "Europe/Paris", "format": "in_person", "venue": {"city": "Nantes"},
                     "video_link": None, "status": "published", "version": 2, "federation": "apmsl",
                     "audience": {"local_group_ids": [], "structure_kinds": ["MSP"], "roles": []},
                     "organizer_ids": []}
            started = time.perf_counter()
            run_handler(rt, sub, make_event("events.event.published.v1", event, subject=event["id"], sequence=2))
            queued = time.perf_counter() - started
            sample = rt.db.deliveries.find_one()

            # Baseline: the same rendered messages (text + HTML + .ics) built and sent over one smtplib
            # connection, nothing recorded.
            base_started = time.perf_counter()
            with smtplib.SMTP("127.0.0.1", port) as smtp:
                for i in range(N):
                    smtp.send_message(build_message(
                        sender=settings.mail_from, to=f"p{i}@bench.example", to_name=f"P{i} Bench",
                        subject=sample["message"]["subject"], text=sample["message"]["text"],
                        html=sample["message"]["html"], message_id=f"<{uuid.uuid4()}@bench>",
                        unsubscribe_url=sample["message"]["unsubscribe_url"], ics=sample["ics"],
                        ics_method="REQUEST"))
            baseline = time.perf_counter() - base_started

            started = time.perf_counter()
            counts = dispatcher.dispatch_due(rt.db, settings, "email")
            total = time.perf_counter() - started
            assert counts.get("sent") == N, counts
            rt.db.client.drop_database(rt.db.name)
    finally:
        controller.stop()
    print(f"handler: {N} deliveries rendered (text, HTML, .ics) and queued in one transaction: {queued * 1000:.0f} ms")
    print(f"baseline  build + send, no bookkeeping  : {N / baseline:8.0f} e-mails/s")
    print(f"maillage  claim + build + send + mark   : {N / total:8.0f} e-mails/s  "
          f"(ratio to baseline {baseline / total:.2f})")


if __name__ == "__main__":
    main()
