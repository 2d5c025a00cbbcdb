"""All settings, read from environment variables (documented in `.env.example`)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from environs import Env

DEV = "dev"
# Environments where the dev-only shortcuts (a built-in JWT secret, ...) are allowed.
DEV_ENVIRONMENTS = frozenset({DEV, "test"})


@dataclass(frozen=True)
class Settings:
    # MAILLAGE_ENV: `production` unless told otherwise; `dev` (make dev) and `test` allow dev-only secrets.
    env: str = "production"
    mongo_url: str = "mongodb://127.0.0.1:27017/"
    # Prefix of every service database name ("" in production; tests use a unique one).
    mongo_db_prefix: str = ""
    amqp_url: str = "memory://localhost/"
    exchange: str = "maillage.events"
    # Prefix of every consumer queue name ("" in production; tests use a unique one).
    queue_prefix: str = ""
    # Delays (seconds) of the successive retry queues; attempts = len(retry_delays) + 1.
    retry_delays: tuple[float, ...] = (1.0, 10.0, 60.0, 300.0)
    worker_prefetch: int = 10
    outbox_batch_size: int = 200
    outbox_poll_seconds: float = 2.0
    # The process that commits publishes its own events right after the commit (shared/bus/publisher.py);
    # the worker's relay then only sweeps what stayed pending (a broker away, a process killed). False:
    # every event waits for the relay, which the commit wakes.
    outbox_publish_on_commit: bool = True
    jwt_secret: str = "dev-secret-change-me-it-is-only-for-make-dev"
    jwt_algorithm: str = "HS256"
    jwt_issuer: str = "maillage"
    jwt_ttl_seconds: int = 8 * 3600
    # OpenID Connect (shared/http/oidc.py): set OIDC_ISSUER and every api verifies the access tokens of that
    # issuer (RS256/ES256, `iss`, `aud`, `exp`, `nbf`, lifetime). Outside dev/test, shared-secret tokens are
    # then refused. Discovery and JWKS are read from OIDC_DISCOVERY_URL when the apis reach the provider by
    # another address than the issuer the tokens carry (Keycloak behind the gateway).
    # Events: self-registrations to one event arriving together are written in one transaction, this many at
    # most (group commit, services/events/batching.py); 0 writes each alone.
    registration_batch_max: int = 50
    # ... and while a batch of an event is being written, the next one waits this long for more to join it.
    registration_gather_ms: float = 5.0
    oidc_issuer: str = ""
    oidc_discovery_url: str = ""
    oidc_audience: str = "maillage"
    oidc_federation_claim: str = "federation"
    oidc_roles_claim: str = "roles"
    oidc_person_id_claim: str = "person_id"
    oidc_max_token_lifetime_seconds: int = 24 * 3600
    oidc_jwks_refresh_cooldown_seconds: float = 10.0
    oidc_http_timeout_seconds: float = 5.0
    # Signs the links sent in e-mails (unsubscribe, guest erasure); empty = JWT_SECRET.
    link_secret: str = ""
    cors_origins: tuple[str, ...] = ()
    smtp_url: str = "file://./var/mail"
    mail_from: str = "Maillage <no-reply@maillage.invalid>"
    public_base_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    log_json: bool = True
    port: int = 8000
    var_dir: str = "./var"
    # A worker's /health/live, /health/ready and /metrics (0: not served).
    worker_http_port: int = 0
    # Notifications: how long a dispatcher holds a delivery it is sending; the delays between the
    # attempts of an e-mail / a webhook (empty: the service's own, see services/notifications/rules.py);
    # webhooks to private addresses (off in production: a subscriber could probe the internal network).
    notifications_lease_seconds: float = 120.0
    notifications_email_backoff: tuple[float, ...] = ()
    notifications_webhook_backoff: tuple[float, ...] = ()
    # Seconds before an event's start when its registrants are reminded (empty: 7 days and 1 day).
    notifications_reminder_offsets: tuple[float, ...] = ()
    webhook_allow_private: bool = False
    # True when read from the process environment (every deployed api and worker): only those
    # are checked at start-up (shared/startup_checks.py); settings built in code are the caller's choice.
    from_environment: bool = False

    @property
    def is_dev(self) -> bool:
        return self.env in DEV_ENVIRONMENTS

    @property
    def accepts_shared_secret_tokens(self) -> bool:
        """HS256 tokens of JWT_SECRET: always without an OIDC issuer; beside it only in dev and test."""
        return not self.oidc_issuer or self.is_dev

    @property
    def link_signing_secret(self) -> str:
        return self.link_secret or self.jwt_secret

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)


def load_settings(env: Env | None = None) -> Settings:
    env = env or Env()
    env.read_env(".env", recurse=False)
    d = Settings()
    return Settings(
        env=env.str("MAILLAGE_ENV", _default_env()).strip().lower() or _default_env(),
        from_environment=True,
        mongo_url=env.str("MONGO_URL", d.mongo_url),
        mongo_db_prefix=env.str("MONGO_DB_PREFIX", d.mongo_db_prefix),
        amqp_url=env.str("AMQP_URL", d.amqp_url),
        exchange=env.str("BUS_EXCHANGE", d.exchange),
        queue_prefix=env.str("BUS_QUEUE_PREFIX", d.queue_prefix),
        retry_delays=tuple(env.list("BUS_RETRY_DELAYS", list(d.retry_delays), subcast=float)),
        worker_prefetch=env.int("WORKER_PREFETCH", d.worker_prefetch),
        outbox_batch_size=env.int("OUTBOX_BATCH_SIZE", d.outbox_batch_size),
        outbox_poll_seconds=env.float("OUTBOX_POLL_SECONDS", d.outbox_poll_seconds),
        outbox_publish_on_commit=env.bool("OUTBOX_PUBLISH_ON_COMMIT", d.outbox_publish_on_commit),
        jwt_secret=env.str("JWT_SECRET", "") or d.jwt_secret,
        jwt_algorithm=env.str("JWT_ALGORITHM", d.jwt_algorithm),
        jwt_issuer=env.str("JWT_ISSUER", d.jwt_issuer),
        jwt_ttl_seconds=env.int("JWT_TTL_SECONDS", d.jwt_ttl_seconds),
        registration_batch_max=max(0, env.int("EVENTS_REGISTRATION_BATCH_MAX", d.registration_batch_max)),
        registration_gather_ms=min(100.0, max(0.0, env.float("EVENTS_REGISTRATION_GATHER_MS",
                                                             d.registration_gather_ms))),
        oidc_issuer=env.str("OIDC_ISSUER", d.oidc_issuer).strip().rstrip("/"),
        oidc_discovery_url=env.str("OIDC_DISCOVERY_URL", d.oidc_discovery_url).strip(),
        oidc_audience=env.str("OIDC_AUDIENCE", d.oidc_audience).strip(),
        oidc_federation_claim=env.str("OIDC_FEDERATION_CLAIM", d.oidc_federation_claim).strip(),
        oidc_roles_claim=env.str("OIDC_ROLES_CLAIM", d.oidc_roles_claim).strip(),
        oidc_person_id_claim=env.str("OIDC_PERSON_ID_CLAIM", d.oidc_person_id_claim).strip(),
        oidc_max_token_lifetime_seconds=env.int("OIDC_MAX_TOKEN_LIFETIME", d.oidc_max_token_lifetime_seconds),
        oidc_jwks_refresh_cooldown_seconds=env.float("OIDC_JWKS_REFRESH_COOLDOWN",
                                                     d.oidc_jwks_refresh_cooldown_seconds),
        oidc_http_timeout_seconds=env.float("OIDC_HTTP_TIMEOUT", d.oidc_http_timeout_seconds),
        link_secret=env.str("LINK_SECRET", d.link_secret),
        cors_origins=tuple(env.list("CORS_ORIGINS", [])),
        smtp_url=env.str("SMTP_URL", d.smtp_url),
        mail_from=env.str("MAIL_FROM", d.mail_from),
        public_base_url=env.str("PUBLIC_BASE_URL", d.public_base_url),
        log_level=env.str("LOG_LEVEL", d.log_level),
        log_json=env.bool("LOG_JSON", d.log_json),
        port=env.int("PORT", d.port),
        var_dir=env.str("VAR_DIR", d.var_dir),
        worker_http_port=env.int("WORKER_HTTP_PORT", d.worker_http_port),
        notifications_lease_seconds=env.float("NOTIFICATIONS_LEASE_SECONDS", d.notifications_lease_seconds),
        notifications_email_backoff=tuple(env.list("NOTIFICATIONS_EMAIL_BACKOFF", [], subcast=float)),
        notifications_webhook_backoff=tuple(env.list("NOTIFICATIONS_WEBHOOK_BACKOFF", [], subcast=float)),
        notifications_reminder_offsets=tuple(env.list("NOTIFICATIONS_REMINDER_OFFSETS", [], subcast=float)),
        webhook_allow_private=env.bool("WEBHOOK_ALLOW_PRIVATE", d.webhook_allow_private),
    )


def _default_env() -> str:
    """`production`, except inside the `maillage dev` command (what `make dev` runs), which is `dev`.

    (The dev command itself is the right place to say so; until it does, its click context tells.)
    """
    import click

    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.command.name == DEV and getattr(ctx.command.callback, "__module__", "") == "shared.cli":
        return DEV
    return "production"
