"""All settings, read from environment variables (documented in `.env.example`)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from environs import Env


@dataclass(frozen=True)
class Settings:
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
    jwt_secret: str = "dev-secret-change-me-it-is-only-for-make-dev"
    jwt_algorithm: str = "HS256"
    jwt_issuer: str = "maillage"
    jwt_ttl_seconds: int = 8 * 3600
    cors_origins: tuple[str, ...] = ()
    smtp_url: str = "file://./var/mail"
    mail_from: str = "Maillage <no-reply@maillage.invalid>"
    public_base_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    log_json: bool = True
    port: int = 8000
    var_dir: str = "./var"
    extra: dict = field(default_factory=dict)

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)


def load_settings(env: Env | None = None) -> Settings:
    env = env or Env()
    env.read_env(".env", recurse=False)
    d = Settings()
    return Settings(
        mongo_url=env.str("MONGO_URL", d.mongo_url),
        mongo_db_prefix=env.str("MONGO_DB_PREFIX", d.mongo_db_prefix),
        amqp_url=env.str("AMQP_URL", d.amqp_url),
        exchange=env.str("BUS_EXCHANGE", d.exchange),
        queue_prefix=env.str("BUS_QUEUE_PREFIX", d.queue_prefix),
        retry_delays=tuple(env.list("BUS_RETRY_DELAYS", list(d.retry_delays), subcast=float)),
        worker_prefetch=env.int("WORKER_PREFETCH", d.worker_prefetch),
        outbox_batch_size=env.int("OUTBOX_BATCH_SIZE", d.outbox_batch_size),
        outbox_poll_seconds=env.float("OUTBOX_POLL_SECONDS", d.outbox_poll_seconds),
        jwt_secret=env.str("JWT_SECRET", d.jwt_secret),
        jwt_algorithm=env.str("JWT_ALGORITHM", d.jwt_algorithm),
        jwt_issuer=env.str("JWT_ISSUER", d.jwt_issuer),
        jwt_ttl_seconds=env.int("JWT_TTL_SECONDS", d.jwt_ttl_seconds),
        cors_origins=tuple(env.list("CORS_ORIGINS", [])),
        smtp_url=env.str("SMTP_URL", d.smtp_url),
        mail_from=env.str("MAIL_FROM", d.mail_from),
        public_base_url=env.str("PUBLIC_BASE_URL", d.public_base_url),
        log_level=env.str("LOG_LEVEL", d.log_level),
        log_json=env.bool("LOG_JSON", d.log_json),
        port=env.int("PORT", d.port),
        var_dir=env.str("VAR_DIR", d.var_dir),
    )
