"""`maillage dlq list`: the messages parked in a dead-letter queue, or one line saying why there are none."""
from __future__ import annotations

import click
from kombu.exceptions import OperationalError

from shared.bus.connection import connect, is_memory
from shared.bus.dlq import dlq_name, list_dead_letters, parked_count
from shared.cli_errors import broker_unreachable

IN_MEMORY = ("the in-memory broker (AMQP_URL unset or memory://) keeps no dead-letter queue across processes: "
             "set AMQP_URL to the RabbitMQ the workers use")


def parked_messages(settings, queue: str, limit: int) -> tuple[list[dict], str | None]:
    """(rows, None), or ([], "no message parked in X.dlq"); an unknown queue or an unreachable or
    in-memory broker is a click.ClickException (one line, exit status 1)."""
    if is_memory(settings.amqp_url):
        raise click.ClickException(IN_MEMORY)
    dlq = dlq_name(queue)
    try:
        with connect(settings, confirms=False) as conn:
            conn.ensure_connection(max_retries=1, timeout=5)
            parked = parked_count(conn.channel(), dlq)
        if not parked:
            return [], f"no message parked in {dlq}"
        return list_dead_letters(settings, queue, limit), None
    except LookupError as exc:
        raise click.ClickException(f"{exc} (the platform's queues: {', '.join(known_queues(settings))})") from None
    except (OSError, OperationalError) as exc:
        raise broker_unreachable(settings, exc) from None


def known_queues(settings) -> list[str]:
    from shared.runtime import platform_topologies

    return [topology.queue.name for topology in platform_topologies(settings)]
