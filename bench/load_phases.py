"""The load benchmark's timeline: warm, bare JSON view, steady, gunicorn killed, PostgreSQL
restarted, recovery; each phase's times and the CPU used meanwhile."""

import os
import time
from dataclasses import dataclass

from bench.harness import Gunicorn, cpu_busy_s, log, tree_cpu_s
from bench.load_config import PHASE_S, SETTLE_S, WARM_S
from bench.load_managers import Control
from devtools.throwaway_postgres import Cluster


@dataclass
class Phase:
    name: str
    kind: str  # which requests it measures: "api" or "bare"
    fault: bool  # errors are expected (and not fatal)
    start: float = 0.0
    end: float = 0.0
    cpu_busy: float = 0.0  # share of all cores busy, whoever used them
    client_cpu: float = 0.0  # share of all cores used by this process (the managers)
    # CPU seconds of the gunicorn and PostgreSQL process trees; None when a fault replaced
    # the processes during the phase.
    server_cpu: dict[str, float] | None = None
    note: str = ""

    @property
    def seconds(self) -> float:
        return self.end - self.start


def own_cpu_s() -> float:
    """CPU seconds used so far by this process alone (not its children)."""
    times = os.times()
    return times.user + times.system


def timeline(control: Control, server: Gunicorn, cluster: Cluster) -> list[Phase]:
    """Run the phases one after the other; returns them with their times."""
    phases: list[Phase] = []

    def kill_gunicorn() -> str:
        old, started = server.pid, time.monotonic()
        server.kill()
        server.start()
        up = time.monotonic() - started
        control.wait(SETTLE_S)
        return f"gunicorn {old} SIGKILLed with its workers; {server.pid} answering {up:.1f} s later"

    def restart_postgres() -> str:
        old, started = cluster.postmaster_pid(), time.monotonic()
        cluster.restart()
        up = time.monotonic() - started
        control.wait(SETTLE_S)
        return f"PostgreSQL {old} restarted (fast); {cluster.postmaster_pid()} up {up:.1f} s later"

    def bare() -> str:
        control.bare = True
        control.wait(PHASE_S)
        control.bare = False
        return "same managers, same think time, PUT /bench/bare/"

    plan = [
        (Phase("warm", "api", False), lambda: control.wait(WARM_S)),
        (Phase("bare JSON view", "bare", False), bare),
        (Phase("steady", "api", False), lambda: control.wait(PHASE_S)),
        (Phase("gunicorn-kill", "api", True), kill_gunicorn),
        (Phase("postgres-restart", "api", True), restart_postgres),
        (Phase("recovery", "api", False), lambda: control.wait(PHASE_S)),
    ]
    control.go.set()
    for phase, action in plan:
        if control.stop.is_set():
            break
        pids = {"gunicorn": server.pid, "postgres": cluster.postmaster_pid()}
        servers = {name: tree_cpu_s(pid) for name, pid in pids.items()}
        busy, elapsed = cpu_busy_s()
        client = own_cpu_s()
        phase.start = time.monotonic()
        log(f"phase {phase.name}")
        phase.note = action() or ""
        phase.end = time.monotonic()
        busy_after, elapsed_after = cpu_busy_s()
        if elapsed_after > elapsed:
            phase.cpu_busy = (busy_after - busy) / (elapsed_after - elapsed)
            phase.client_cpu = (own_cpu_s() - client) / (elapsed_after - elapsed)
        if pids == {"gunicorn": server.pid, "postgres": cluster.postmaster_pid()}:
            phase.server_cpu = {name: tree_cpu_s(pid) - servers[name] for name, pid in pids.items()}
        if phase.note:
            log(phase.note)
        phases.append(phase)
    control.stop.set()
    return phases
