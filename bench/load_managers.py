"""The simulated managers of the load benchmark: one thread each, logging in through the real
login form and autosaving answer after answer on one keep-alive connection, retrying like
static/js/questionnaire.js; and the Control the timeline steers them with."""

import http.client
import json
import random
import threading
import time
from dataclasses import dataclass, field

from bench.harness import login
from bench.load_config import (
    API_PATH,
    BACKOFF_MAX_S,
    BACKOFF_S,
    BARE_PATH,
    CHANGE_MIND,
    CLIENT_TIMEOUT_S,
    IDLE_REUSE_S,
    MAX_SAVES,
    PASSWORD,
    THINK_S,
)
from bench.load_data import Spec


class Control:
    """What the timeline tells the managers: start, which endpoint, stop."""

    def __init__(self, port: int, deadline: float) -> None:
        self.port = port
        self.deadline = deadline
        self.go = threading.Event()
        self.stop = threading.Event()
        self.bare = False  # read by every manager before each request
        self.timed_out = False

    def wait(self, seconds: float) -> None:
        """Sleep, cut short by a stop; stop everything once the deadline has passed."""
        self.stop.wait(max(0.0, min(seconds, self.deadline - time.monotonic())))
        if time.monotonic() >= self.deadline and not self.stop.is_set():
            self.timed_out = True
            self.stop.set()


@dataclass
class Attempt:
    kind: str  # "api" or "bare"
    ended: float  # time.monotonic() when the reply (or the failure) came
    seconds: float
    outcome: str  # "ok" or what went wrong: "HTTP 500", "ConnectionRefusedError", …


@dataclass
class Manager:
    """One simulated manager, run in its own thread."""

    index: int
    spec: Spec
    control: Control
    attempts: list[Attempt] = field(default_factory=list)
    acked: dict[int, tuple[int, int]] = field(default_factory=dict)  # qid: (seq, choice)
    sent: dict[int, dict[int, int]] = field(default_factory=dict)  # qid: {seq: choice}
    rejected: list[str] = field(default_factory=list)
    relogins: int = 0
    failure: str = ""  # why the manager gave up (login impossible)
    settled: threading.Event = field(default_factory=threading.Event)  # logged in or failed
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None
    last_used: float = 0.0

    # -------------------------------------------------------------- HTTP

    def log_in(self) -> None:
        """Through the login form, retried a few times; RuntimeError when it cannot."""
        delay, error = BACKOFF_S, ""
        for _ in range(5):
            try:
                self.cookies = login(
                    self.control.port, self.spec.username, PASSWORD, timeout=CLIENT_TIMEOUT_S
                )
                return
            except (OSError, http.client.HTTPException, RuntimeError) as exc:
                error = f"{type(exc).__name__}: {exc}"
                self.control.stop.wait(delay)
                delay = min(2 * delay, BACKOFF_MAX_S)
        raise RuntimeError(f"login as {self.spec.username}: {error}")

    def put(self, kind: str, path: str, body: bytes) -> tuple[object, bytes]:
        """One PUT on the kept connection: (status or exception name, reply body)."""
        if self.conn is not None and time.monotonic() - self.last_used > IDLE_REUSE_S:
            self.conn.close()
        if self.conn is None:
            self.conn = http.client.HTTPConnection(
                "127.0.0.1", self.control.port, timeout=CLIENT_TIMEOUT_S
            )
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": self.cookies["csrftoken"],
            "Cookie": f"sessionid={self.cookies['sessionid']}; "
            f"csrftoken={self.cookies['csrftoken']}",
        }
        started = time.perf_counter()
        try:
            self.conn.request("PUT", path, body=body, headers=headers)
            reply = self.conn.getresponse()
            data = reply.read()
            status: object = reply.status
            if reply.will_close:
                self.conn.close()
        except (OSError, http.client.HTTPException) as exc:
            status, data = type(exc).__name__, b""
            self.conn.close()  # http.client reconnects on the next request
        self.last_used = time.monotonic()
        outcome = (
            "ok" if status == 200 else (f"HTTP {status}" if isinstance(status, int) else status)
        )
        self.attempts.append(Attempt(kind, self.last_used, time.perf_counter() - started, outcome))
        return status, data

    # -------------------------------------------------------------- behaviour

    def save(self, question_id: int, choice_id: int, seq: int) -> None:
        """Save one answer until it is acknowledged, as questionnaire.js does: retry
        connection errors, 5xx and 429 after a doubling backoff; log in again only if the
        session is gone; give up on any other refusal."""
        body = json.dumps({"choice": choice_id, "comment": f"#{seq}"}).encode()
        path = API_PATH.format(pk=self.spec.response_id, qid=question_id)
        self.sent.setdefault(question_id, {})[seq] = choice_id
        delay = BACKOFF_S
        while not self.control.stop.is_set():
            status, data = self.put("api", path, body)
            if status == 200:
                self.acked[question_id] = (seq, choice_id)
                return
            if not isinstance(status, int) or status >= 500 or status == 429:
                self.control.stop.wait(delay)
                delay = min(2 * delay, BACKOFF_MAX_S)
                continue
            if status == 403 and b"not_authenticated" in data:
                self.relogins += 1
                try:
                    self.log_in()
                except RuntimeError as exc:
                    self.rejected.append(f"session lost, then {exc}")
                    return
                continue
            self.rejected.append(f"HTTP {status} {data[:200]!r}")
            return

    def think(self, rng: random.Random) -> None:
        self.control.stop.wait(rng.uniform(0.5, 1.5) * THINK_S)

    def run(self) -> None:
        try:
            self.log_in()
        except RuntimeError as exc:
            self.failure = str(exc)
            return
        finally:
            self.settled.set()
        rng = random.Random(self.index)
        questions = self.spec.questions
        self.control.go.wait()
        self.think(rng)  # not all at the same instant
        position, seq = 0, 0
        while not self.control.stop.is_set() and seq < MAX_SAVES:
            if self.control.bare:
                body = json.dumps({"choice": seq, "comment": "#0"}).encode()
                self.put("bare", BARE_PATH, body)
            else:
                if seq and rng.random() < CHANGE_MIND:
                    position -= 1  # a second thought on the question just answered
                question_id, choices = questions[position % len(questions)]
                lap = position // len(questions)
                choice = choices[(lap + self.index + seq) % len(choices)]
                seq += 1
                self.save(question_id, choice, seq)
                position += 1
            self.think(rng)
        if self.conn is not None:
            self.conn.close()
