"""The autosave benchmark's load: a plan of PUTs (which answer, which choice) and the client
threads that send it over keep-alive connections, timing each save and counting the CPU the
server processes used meanwhile. Used by bench/autosave.py.
"""

import http.client
import itertools
import json
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.harness import cpu_busy_s, percentile_ms, tree_cpu_s


def cpu_snapshot(servers: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far: per server process tree, this process (the client), all cores."""
    times = os.times()
    busy, elapsed = cpu_busy_s()
    snapshot = {name: tree_cpu_s(pid) for name, pid in servers.items()}
    return {**snapshot, "client": times.user + times.system, "busy": busy, "elapsed": elapsed}


@dataclass
class Target:
    """Where to send the load, as whom, and which processes serve it."""

    port: int
    cookies: dict[str, str]
    servers: dict[str, int]  # name: root pid


@dataclass
class Result:
    label: str
    planned: int
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds used in the phase
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    unsent: int = 0  # left over when the phase ran out of time

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    @property
    def failures(self) -> int:
        return sum(self.errors.values()) + self.unsent

    @property
    def saves_per_s(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def cpu_busy(self) -> float:
        """Share of all cores busy during the phase, whoever used them."""
        return self.cpu["busy"] / self.cpu["elapsed"] if self.cpu.get("elapsed") else 0.0

    def cpu_ms_per_save(self, name: str) -> float:
        if name == "other":
            ours = sum(v for k, v in self.cpu.items() if k not in ("busy", "elapsed"))
            used = self.cpu["busy"] - ours
        else:
            used = self.cpu[name]
        return 1000 * used / len(self.latencies) if self.latencies else float("nan")

    def percentile_ms(self, q: float) -> float:
        return percentile_ms(self.latencies, q)


def drive(
    target: Target,
    paths: list[str],
    bodies: list[bytes],
    label: str,
    *,
    concurrency: int,
    timeout_s: float,
) -> Result:
    """PUT ``bodies[i]`` to ``paths[i]`` from ``concurrency`` threads, each on one keep-alive
    connection; bounded by the plan's length and ``timeout_s``."""
    result = Result(label, len(paths))
    cookies = target.cookies
    headers = {
        "Content-Type": "application/json",
        "X-CSRFToken": cookies["csrftoken"],
        "Cookie": f"sessionid={cookies['sessionid']}; csrftoken={cookies['csrftoken']}",
    }
    counter, lock = itertools.count(), threading.Lock()
    stop_at = time.monotonic() + timeout_s

    def client() -> None:
        latencies, errors = [], Counter()
        conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)
        while (i := next(counter)) < len(paths) and time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("PUT", paths[i], body=bodies[i], headers=headers)
                reply = conn.getresponse()
                reply.read()
                status = reply.status
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()  # http.client reconnects on the next request
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors[status] += 1
        conn.close()
        with lock:
            result.latencies.extend(latencies)
            result.errors.update(errors)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    before = cpu_snapshot(target.servers)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    after = cpu_snapshot(target.servers)
    result.cpu = {name: after[name] - before[name] for name in before}
    result.unsent = result.planned - result.requests
    return result


def plan(response_id: int, template: str, question_ids, choices, count: int):
    """Cycle over the questions, and over each question's choices on every lap: the first
    lap inserts, later laps update; neighbouring requests touch different rows."""
    paths, bodies, written = [], [], set()
    for i in range(count):
        qid = question_ids[i % len(question_ids)]
        options = choices[qid]
        paths.append(template.format(pk=response_id, qid=qid))
        bodies.append(
            json.dumps({"choice": options[(i // len(question_ids)) % len(options)]}).encode()
        )
        written.add(qid)
    return paths, bodies, written
