from reliability_kit import broker, bus_settings, own_store, platform  # noqa: F401 - fixtures
