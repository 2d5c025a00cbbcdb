"""Where tests find MongoDB and RabbitMQ.

MongoDB: `MONGO_URL`, else testcontainers (mongo:7 single-node replica set) when a Docker engine
answers, else an embedded SecantusDB on a free port. RabbitMQ: `AMQP_URL`, else 127.0.0.1:5672 when
it answers, else testcontainers; with CI=true a missing broker is an error, never a skip.
"""
from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager

from shared.devserver import port_open, start_secantus


class Unavailable(RuntimeError):
    pass


def _docker_container(factory):
    try:
        from docker.errors import DockerException
    except ImportError:  # pragma: no cover
        return None
    try:
        return factory()
    except DockerException:
        return None
    except Exception:  # noqa: BLE001 - any failure to reach an engine means: no Docker here
        return None


@contextmanager
def mongo_url():
    if os.environ.get("MONGO_URL"):
        yield os.environ["MONGO_URL"]
        return

    def start_container():
        from testcontainers.core.container import DockerContainer
        from testcontainers.core.waiting_utils import wait_for_logs

        container = DockerContainer("mongo:7").with_command("--replSet rs0 --bind_ip_all").with_exposed_ports(27017)
        container.start()
        wait_for_logs(container, "Waiting for connections", timeout=60)
        container.exec(["mongosh", "--quiet", "--eval",
                        "rs.initiate({_id:'rs0',members:[{_id:0,host:'localhost:27017'}]})"])
        return container

    container = _docker_container(start_container)
    if container is not None:
        try:
            port = container.get_exposed_port(27017)
            yield f"mongodb://{container.get_container_host_ip()}:{port}/?directConnection=true"
        finally:
            container.stop()
        return
    proc, url = start_secantus(":memory:", sync=False)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def amqp_url():
    if os.environ.get("AMQP_URL"):
        yield os.environ["AMQP_URL"]
        return
    if port_open("127.0.0.1", 5672):
        yield "amqp://guest:guest@127.0.0.1:5672//"
        return

    def start_container():
        from testcontainers.rabbitmq import RabbitMqContainer

        container = RabbitMqContainer("rabbitmq:3.13")
        container.start()
        return container

    container = _docker_container(start_container)
    if container is None:
        raise Unavailable("no RabbitMQ: set AMQP_URL, start one on 127.0.0.1:5672, or run a Docker engine")
    try:
        params = container.get_connection_params()
        yield f"amqp://guest:guest@{params.host}:{params.port}//"
    finally:
        container.stop()
