"""A port handed to a server about to start is one no outgoing connection can take meanwhile."""
from shared.ports import LOWEST_PORT, _ephemeral_range, can_bind, free_port


def test_free_ports_are_drawn_below_the_ephemeral_range_and_can_be_bound():
    low = _ephemeral_range()[0]
    ports = [free_port() for _ in range(20)]
    assert all(LOWEST_PORT <= port < low for port in ports), ports
    assert all(can_bind(port) for port in ports)
    assert len(set(ports)) > 1
