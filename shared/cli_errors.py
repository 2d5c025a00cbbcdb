"""CLI errors are one readable line and a non-zero exit (click.ClickException), never a traceback."""
from __future__ import annotations

import re

import click

# Driver messages run on with their timeouts and topology; what comes before these is the reason.
_NOISE = (" (configured timeouts", ", Timeout:", ", Topology Description")


def where(url: str) -> str:
    """A server URL without its scheme, credentials or options: `127.0.0.1:5672//`."""
    return re.sub(r"^[a-z+]+://", "", url).split("@")[-1].split("?")[0]


def reason(exc: BaseException) -> str:
    """The first line of an exception's message, without the driver's trailing detail."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    for noise in _NOISE:
        text = text.split(noise, 1)[0]
    return text[:200]


def store_unreachable(settings, exc: BaseException) -> click.ClickException:
    return click.ClickException(f"cannot read the store at {where(settings.mongo_url)}: {reason(exc)} "
                                f"(is MONGO_URL right, and the store running?)")


def broker_unreachable(settings, exc: BaseException) -> click.ClickException:
    return click.ClickException(f"cannot reach the broker at {where(settings.amqp_url)}: {reason(exc)} "
                                f"(is AMQP_URL right, and RabbitMQ running?)")
