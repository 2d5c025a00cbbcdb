"""Dead-letter queues: list what is parked in `<queue>.dlq`, replay it onto `<queue>`."""
from __future__ import annotations

import json
from dataclasses import dataclass

from kombu import Producer
from kombu.exceptions import ChannelError

from shared.bus.connection import connect
from shared.bus.consumer import ATTEMPT_HEADER
from shared.bus.topology import DEFAULT_EXCHANGE


def dlq_name(queue: str) -> str:
    return queue if queue.endswith(".dlq") else f"{queue}.dlq"


def list_dead_letters(settings, queue: str, limit: int = 100) -> list[dict]:
    """Peek: messages are read without ack, then all go back (in order) when the channel closes."""
    out = []
    with connect(settings, confirms=False) as conn:
        channel = conn.channel()
        for _ in range(limit):
            message = channel.basic_get(dlq_name(queue), no_ack=False)
            if message is None:
                break
            headers = message.headers or {}
            try:
                envelope = json.loads(message.body)
            except ValueError:
                envelope = {}
            out.append({"id": message.properties.get("message_id"), "type": envelope.get("type"),
                        "subject": envelope.get("subject"), "attempts": headers.get(ATTEMPT_HEADER),
                        "error": headers.get("x-maillage-error"), "failed_at": headers.get("x-maillage-failed-at")})
        channel.close()
    return out


@dataclass(frozen=True)
class Replay:
    dlq: str
    queue: str
    parked: int  # messages in the DLQ when the replay began
    replayed: int

    @property
    def left(self) -> int:
        return self.parked - self.replayed


def parked_count(channel, dlq: str) -> int:
    try:
        return channel.queue_declare(queue=dlq, passive=True).message_count
    except ChannelError as exc:
        raise LookupError(f"no dead-letter queue {dlq!r} on this broker") from exc


def replay_dead_letters(settings, queue: str, message_id: str | None = None) -> Replay:
    """Move the messages parked when it starts (all, or the one with `message_id`) back onto the queue,
    attempts reset. Only those: a message that fails again meanwhile is parked again, not replayed twice."""
    main, dlq = queue.removesuffix(".dlq"), dlq_name(queue)
    replayed = 0
    with connect(settings, confirms=True) as conn:
        channel = conn.channel()
        parked = parked_count(channel, dlq)
        producer = Producer(conn.channel(), exchange=DEFAULT_EXCHANGE)
        for _ in range(parked):
            message = channel.basic_get(dlq, no_ack=False)
            if message is None:
                break
            if message_id and message.properties.get("message_id") != message_id:
                continue  # left un-acked: back to the DLQ when the channel closes
            headers = {k: v for k, v in (message.headers or {}).items() if not k.startswith("x-maillage")}
            properties = message.properties
            producer.publish(message.body, routing_key=main, headers=headers, delivery_mode=2,
                             content_type=properties.get("content_type"),
                             content_encoding=properties.get("content_encoding"),
                             message_id=properties.get("message_id"),
                             correlation_id=properties.get("correlation_id"))
            channel.basic_ack(message.delivery_tag)
            replayed += 1
        channel.close()  # un-acked (skipped) messages return to the DLQ
    return Replay(dlq, main, parked, replayed)
