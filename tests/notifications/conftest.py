import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # the test kit below lives next to this file

from notif_kit import (  # noqa: E402,F401 - fixtures
    messages_sub, network, notif, receiver, settings, webhooks_sub,
)
