"""The `maillage` command: dev server, workers, tokens, DLQ and outbox tools, AsyncAPI, demo data."""
from __future__ import annotations

import json
import sys

import click

from shared.config import load_settings
from shared.runtime import SERVICE_NAMES, ServiceRuntime

service_arg = click.argument("service", type=click.Choice(SERVICE_NAMES))


class OneLineErrors(click.Group):
    """Whatever a command did not turn into a readable error itself is one line and exit 1, not a
    traceback (MAILLAGE_DEBUG=1 shows the traceback)."""

    def invoke(self, ctx):
        import os

        from shared.cli_errors import reason

        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the operator gets one line
            if os.environ.get("MAILLAGE_DEBUG"):
                raise
            raise click.ClickException(f"{type(exc).__name__}: {reason(exc)}") from exc


@click.group(cls=OneLineErrors)
def main():
    """Maillage platform commands."""


@main.command()
def dev():
    """Every service in one process (what `make dev` runs)."""
    import os

    from shared.devserver import DevCannotStart, main as run_dev

    os.environ.setdefault("MAILLAGE_ENV", "dev")
    try:
        run_dev()
    except DevCannotStart as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@service_arg
def worker(service):
    """Run a service's worker: outbox relay, consumers, scheduled jobs."""
    from shared.logs import configure_logging
    from shared.worker import run_forever

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_json)
    run_forever(ServiceRuntime(service, settings))


@main.command("worker-health")
@service_arg
@click.option("--ready", is_flag=True, help="Also require every consumer to be consuming right now")
@click.option("--verbose", "-v", is_flag=True, help="Print the worker's last reported state")
def worker_health(service, ready, verbose):
    """Exit 0 when the service's worker is alive: fresh heartbeat, no dead or stuck consumer
    (container healthcheck). With --ready, also connected and consuming."""
    from shared.worker import read_heartbeat, worker_is_healthy

    settings = load_settings()
    if verbose:
        click.echo(json.dumps(read_heartbeat(settings, service), indent=2))
    sys.exit(0 if worker_is_healthy(settings, service, ready=ready) else 1)


@main.command()
def declare():
    """Declare the exchange and every subscriber queue of every service (run before the workers)."""
    from shared.runtime import declare_platform

    settings = load_settings()
    try:
        queues = declare_platform(settings)
    except Exception as exc:  # noqa: BLE001 - one readable line for the operator
        raise click.ClickException(f"cannot declare the topology on {settings.amqp_url.split('@')[-1]}: {exc}")
    click.echo(f"declared exchange {settings.exchange} and {len(queues)} subscriber queue(s): {', '.join(queues)}")


@main.command()
@click.option("--federation", default=None, help="Federation code (apmsl, femasaura, femage, avecsante-na…)")
@click.option("--role", "roles", multiple=True, default=["admin"], show_default=True,
              help="Role; repeat for several (national, admin, staff, coordinator, trainer, member)")
@click.option("--sub", default="dev-user", show_default=True, help="Subject (person id)")
@click.option("--ttl", default=None, type=int, help="Lifetime in seconds")
@click.option("--as", "as_email", default=None, metavar="E-MAIL",
              help="Sign in as this demo person on make dev's identity provider: a real OpenID Connect token")
def token(federation, roles, sub, ttl, as_email):
    """Print a dev token (only the token on stdout): a shared-secret JWT, or with --as a real access token
    of `make dev`'s OpenID Connect provider (authorization code + PKCE)."""
    from shared.http.auth import ALL_ROLES, issue_token

    if as_email:
        click.echo(_sign_in_token(as_email))
        return

    unknown = set(roles) - ALL_ROLES
    if unknown:
        raise click.BadParameter(f"unknown role(s) {', '.join(sorted(unknown))}", param_hint="--role")
    if federation is None and "national" not in roles:
        raise click.BadParameter("a federation is required unless the role is national", param_hint="--federation")
    click.echo(issue_token(load_settings(), sub=sub, federation=federation, roles=list(roles), ttl=ttl))


def _sign_in_token(email: str) -> str:
    from pathlib import Path

    from shared.dev_identity import ISSUER_FILE, demo_people, sign_in

    known = {p.email: p for p in demo_people()}
    if email not in known:
        raise click.BadParameter(f"{email} is not one of the demo people ({', '.join(sorted(known))})",
                                 param_hint="--as")
    path = Path(load_settings().var_dir) / ISSUER_FILE
    try:
        issuer = path.read_text(encoding="utf-8").strip()
    except OSError:
        raise click.ClickException(f"no identity provider running ({path} is missing): start `make dev` first")
    try:
        return sign_in(issuer, email)["access_token"]
    except Exception as exc:  # noqa: BLE001 - one line for the operator
        raise click.ClickException(f"cannot sign in at {issuer}: {exc}") from None


@main.group()
def dlq():
    """Dead-letter queues."""


@dlq.command("list")
@click.argument("queue")
@click.option("--limit", default=100, show_default=True)
def dlq_list(queue, limit):
    """List messages parked in QUEUE.dlq (they stay there)."""
    from shared.dlq_listing import parked_messages

    rows, empty_reason = parked_messages(load_settings(), queue, limit)
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))
    if empty_reason:
        click.echo(empty_reason)


@dlq.command("replay")
@click.argument("queue")
@click.option("--id", "message_id", default=None, help="Replay only this event id")
def dlq_replay(queue, message_id):
    """Put messages parked in QUEUE.dlq back on QUEUE."""
    from shared.bus.dlq import replay_dead_letters

    try:
        result = replay_dead_letters(load_settings(), queue, message_id)
    except LookupError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"replayed {result.replayed} of the {result.parked} message(s) parked in {result.dlq} "
               f"onto {result.queue}" + (f" (left {result.left} not matching --id)" if message_id else ""))


@main.group()
def outbox():
    """Transactional outboxes."""


@outbox.command("status")
def outbox_status():
    """Pending and published events in each service's outbox."""
    from pymongo.errors import PyMongoError

    from shared.bus.outbox import OUTBOX, PENDING
    from shared.cli_errors import store_unreachable

    settings = load_settings()
    for name in SERVICE_NAMES:
        try:
            db = ServiceRuntime(name, settings).db
            pending = db[OUTBOX].count_documents({"status": PENDING})
            oldest = db[OUTBOX].find_one({"status": PENDING}, sort=[("seq", 1)])
            published = db[OUTBOX].count_documents({"status": "published"})
        except PyMongoError as exc:
            raise store_unreachable(settings, exc) from None
        click.echo(json.dumps({"service": name, "pending": pending, "published": published,
                               "oldest_pending": oldest["created_at"].isoformat() if oldest else None}))


@main.command()
@click.option("--check", is_flag=True, help="Exit 1 if docs/asyncapi.yaml is not up to date")
def asyncapi(check):
    """Print the AsyncAPI document built from every service's event catalog."""
    from pathlib import Path

    from shared.asyncapi import render

    text = render(load_settings())
    if check:
        current = Path("docs/asyncapi.yaml").read_text(encoding="utf-8") if Path("docs/asyncapi.yaml").exists() else ""
        if current != text:
            click.echo("docs/asyncapi.yaml is out of date: run `maillage asyncapi > docs/asyncapi.yaml`", err=True)
            sys.exit(1)
        return
    click.echo(text, nl=False)


@main.command()
@service_arg
def openapi(service):
    """Print SERVICE's OpenAPI document (JSON) without a store or broker: `npm run api` in web/ reads it."""
    import os
    from unittest import mock

    os.environ.setdefault("MAILLAGE_ENV", "dev")
    with mock.patch.object(ServiceRuntime, "ensure_indexes", lambda self: None):  # no store needed
        app = ServiceRuntime(service, load_settings()).create_app()
    document = app.test_client().get(f"/{service}/openapi.json").get_json()
    click.echo(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True))


@main.command()
@click.option("--service", "services", multiple=True, type=click.Choice(SERVICE_NAMES),
              help="Only these services (default: all that have demo data)")
def seed(services):
    """Load the demo data built from the seeds (real network, invented people marked as demo)."""
    settings = load_settings()
    for name in services or SERVICE_NAMES:
        summary = ServiceRuntime(name, settings).load_demo()
        if summary is not None:
            click.echo(f"{name}: {summary}")


if __name__ == "__main__":
    main()
