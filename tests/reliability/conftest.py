from reliability_kit import broker, broker_node, bus_settings, own_store, platform, publishing_platform  # noqa: F401 - fixtures
