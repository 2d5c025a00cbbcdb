from notif_kit import (  # noqa: F401 - fixtures
    messages_sub, network, notif, receiver, settings, smtp, webhooks_sub,
)
