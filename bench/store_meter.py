"""What the store spends: its operation counters (serverStatus opcounters) and its process CPU time
(/proc/<pid>/stat, SecantusDB being a process of its own). Plain pymongo, no Maillage import: the
nameko baseline imports it from its own virtualenv."""
from __future__ import annotations

import os
import time

OPS = ("insert", "query", "update", "delete", "getmore", "command")


def process_cpu_seconds(pid: int | None) -> float | None:
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class StoreMeter:
    """`processes`: the system's own processes (name -> pid), whose CPU per event is reported too."""

    def __init__(self, client, pid: int | None, processes: dict[str, int] | None = None):
        self.client = client
        self.pid = pid
        self.processes = processes or {}

    def snapshot(self) -> dict:
        counters = self.client.admin.command("serverStatus").get("opcounters", {})
        return {"ops": {k: int(counters.get(k, 0)) for k in OPS}, "cpu": process_cpu_seconds(self.pid),
                "at": time.monotonic(),
                "processes": {name: process_cpu_seconds(pid) for name, pid in self.processes.items()}}

    @staticmethod
    def per_event(before: dict, after: dict, events: int) -> dict:
        """Store operations and CPU per event between two snapshots (less the second serverStatus)."""
        ops = {k: after["ops"][k] - before["ops"][k] for k in OPS}
        ops["command"] -= 1
        cpu = None if before["cpu"] is None or after["cpu"] is None else (after["cpu"] - before["cpu"])
        return {"ops_per_event": round(sum(ops.values()) / events, 2),
                "ops_by_kind": {k: round(v / events, 2) for k, v in ops.items() if v},
                "cpu_ms_per_event": None if cpu is None else round(cpu * 1000 / events, 2),
                "store_cpu_share": None if cpu is None else round(cpu / max(after["at"] - before["at"], 1e-9), 2),
                "process_cpu_ms_per_event": {
                    name: round((after["processes"][name] - cpu0) * 1000 / events, 2)
                    for name, cpu0 in before.get("processes", {}).items()
                    if cpu0 is not None and after["processes"].get(name) is not None}}
