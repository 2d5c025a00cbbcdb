"""Notifications worker: outbox relay, consumers (one queue for the messages, one for webhooks), and
jobs: the dispatchers (e-mail, webhooks: woken right after a handler queues something, else polling
every second) and the reminders (every 30 s)."""
from __future__ import annotations

import functools

from services.notifications import dispatcher, handlers, reminders
from shared.bus.consumer import Subscription
from shared.spec import Job

JOBS: list = [
    Job("dispatch-email", 0.05, functools.partial(dispatcher.run_channel, channel="email")),
    Job("dispatch-webhooks", 0.05, functools.partial(dispatcher.run_channel, channel="webhook")),
    Job("reminders", 30, lambda db, settings: reminders.fire_due(db, settings)),
]


def subscriptions(settings) -> list:
    return [
        # One queue, one consumer: registry projection and messages stay in publication order.
        Subscription("notifications", "messages", handlers.message_handlers(settings), concurrency=1),
        Subscription("notifications", "webhooks", handlers.webhook_handlers(settings), concurrency=1),
    ]
