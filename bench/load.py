"""Load and faults benchmark: 200 managers autosaving at once while gunicorn is killed and
PostgreSQL restarted, and afterwards no acknowledged answer lost or stale.

gunicorn (gthread) serves the app against a throwaway PostgreSQL cluster on loopback. Each
simulated manager is a thread with one keep-alive connection: it logs in through the real
login form, then walks through its department's questions, PUTting one answer at a time to
the autosave API with a short think time, sometimes changing its mind on the question it
just answered. Like static/js/questionnaire.js it retries a save after a connection error,
a 5xx or a 429 with a doubling backoff, and sends the next save only once the previous one
is acknowledged (HTTP 200). The run goes through timed phases: warm, the same load against
a bare JSON view (the floor), steady, gunicorn SIGKILLed and restarted, PostgreSQL restarted,
recovery. Started by ``make bench``; knobs are environment variables (see bench/README.md).

Every save carries its sequence number in the answer's comment, so the final check is
exact: for each (response, question) with an acknowledged save, the row must hold the last
acknowledged save (or a later one that was sent but whose reply was lost).

Exits non-zero when an acknowledged answer is lost or stale, when a request fails in a
phase without a fault, when the server rejects a save (4xx), or when the run does not
finish within its time limit.
"""

import http.client
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make ``bench`` and the apps importable

from bench.harness import (  # noqa: E402
    Gunicorn,
    bench_env,
    cpu_busy_s,
    log,
    login,
    percentile_ms,
    run,
    tree_cpu_s,
    use_env_here,
)
from devtools.throwaway_postgres import Cluster, throwaway_cluster  # noqa: E402

MANAGERS = int(os.environ.get("BENCH_LOAD_MANAGERS", "200"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_LOAD_THREADS", "4"))
THINK_S = float(os.environ.get("BENCH_LOAD_THINK_MS", "200")) / 1000
CHANGE_MIND = float(os.environ.get("BENCH_LOAD_CHANGE", "0.25"))
WARM_S = float(os.environ.get("BENCH_LOAD_WARM_S", "5"))
PHASE_S = float(os.environ.get("BENCH_LOAD_PHASE_S", "15"))
SETTLE_S = float(os.environ.get("BENCH_LOAD_SETTLE_S", "5"))
MAX_SAVES = int(os.environ.get("BENCH_LOAD_MAX_SAVES", "1000"))
TIME_LIMIT_S = float(os.environ.get("BENCH_LOAD_TIME_LIMIT", "300"))
CLIENT_TIMEOUT_S = float(os.environ.get("BENCH_LOAD_CLIENT_TIMEOUT", "30"))
BACKOFF_S = float(os.environ.get("BENCH_LOAD_BACKOFF_MS", "1000")) / 1000
BACKOFF_MAX_S = float(os.environ.get("BENCH_LOAD_BACKOFF_MAX_MS", "8000")) / 1000

DB_NAME = "levelcheck_load"
PASSWORD = "load-bench-password"
FRAMEWORK_FILE = "maturity/frameworks/customer-engagement.yaml"
FUNCTIONS = ["marketing", "sales", "inside_sales", "customer_success"]
API_PATH = "/api/v1/responses/{pk}/answers/{qid}/"
BARE_PATH = "/bench/bare/"
# gunicorn closes a keep-alive connection idle for 5 s (--keep-alive=5); a client idle for
# longer (backing off) opens a new one rather than race that close.
IDLE_REUSE_S = 4.0

STARTED = time.monotonic()


# ---------------------------------------------------------------- data


@dataclass
class Spec:
    """One simulated manager: who logs in, which response, its questions and choices."""

    username: str
    response_id: int
    questions: list[tuple[int, list[int]]]  # (question id, choice ids) in questionnaire order


def prepare_database(env: dict) -> None:
    """Schema and the shipped framework, as ``make run`` would (no demo data needed)."""
    manage = [sys.executable, "manage.py"]
    for args in (["migrate", "--no-input", "-v0"], ["import_framework", FRAMEWORK_FILE]):
        log("manage.py " + " ".join(args))
        run(manage + args, env=env, cwd=ROOT, timeout=remaining())


def build_campaign(count: int) -> tuple[int, list[Spec]]:
    """One organisation; ``count`` departments, each with one manager; one open campaign
    over all of them, created and opened through the services (which make the responses)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from assessments import services
    from assessments.models import (
        Campaign,
        Department,
        Invitation,
        Membership,
        Organisation,
        Response,
    )
    from assessments.selectors import questionnaire
    from maturity.models import Framework

    user_model = get_user_model()
    framework = Framework.objects.get(status=Framework.Status.PUBLISHED)
    password = make_password(PASSWORD)  # hashed once: the same password for every manager
    with transaction.atomic():
        organisation = Organisation.objects.create(name="Load bench", slug="load-bench")
        departments = Department.objects.bulk_create(
            Department(
                organisation=organisation,
                name=f"Department {i:03d}",
                function=FUNCTIONS[i % len(FUNCTIONS)],
            )
            for i in range(count)
        )
        users = user_model.objects.bulk_create(
            user_model(username=f"load-manager-{i:03d}", password=password) for i in range(count)
        )
        Membership.objects.bulk_create(
            Membership(
                user=user,
                organisation=organisation,
                department=department,
                role=Membership.Role.MANAGER,
            )
            for user, department in zip(users, departments, strict=True)
        )
        today = timezone.localdate()
        campaign = services.create_campaign(
            organisation=organisation,
            framework=framework,
            name="Load bench campaign",
            departments=departments,
            opens_on=today - datetime.timedelta(days=1),
            closes_on=today + datetime.timedelta(days=30),
            created_by=None,
        )
        # Nobody is e-mailed (the managers have no address anyway): invitations count as sent.
        Invitation.objects.filter(response__campaign=campaign).update(sent_at=timezone.now())
        services.set_campaign_status(campaign=campaign, status=Campaign.Status.OPEN)

    questions = {
        function: [
            (question.pk, [choice.pk for choice in question.choices.all()])
            for dimension in questionnaire(framework.pk, function)
            for question in dimension.applicable_questions
        ]
        for function in FUNCTIONS
    }
    responses = Response.objects.filter(campaign=campaign).select_related(
        "respondent", "department"
    )
    specs = sorted(
        (Spec(r.respondent.username, r.pk, questions[r.department.function]) for r in responses),
        key=lambda spec: spec.username,
    )
    if len(specs) != count:
        raise RuntimeError(f"{len(specs)} responses for {count} managers")
    return campaign.pk, specs


# ---------------------------------------------------------------- clients


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


# ---------------------------------------------------------------- timeline


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


# ---------------------------------------------------------------- check and report


@dataclass
class Check:
    acknowledged_saves: int = 0
    answers: int = 0  # (response, question) pairs with an acknowledged save
    lost: int = 0
    stale: int = 0
    ahead: int = 0  # a later save, sent but never acknowledged, landed: not a loss
    examples: list[str] = field(default_factory=list)


def check_answers(campaign_id: int, managers: list[Manager]) -> Check:
    """Compare every acknowledged answer with its row, after gunicorn has stopped (so no
    request is still in flight)."""
    from django.db import connections

    from assessments.models import Answer

    connections.close_all()  # the setup's connection died with the PostgreSQL restart
    rows = {
        (response_id, question_id): (choice_id, comment)
        for response_id, question_id, choice_id, comment in Answer.objects.filter(
            response__campaign_id=campaign_id
        ).values_list("response_id", "question_id", "choice_id", "comment")
    }
    return compare(rows, managers)


def compare(rows: dict[tuple[int, int], tuple[int, str]], managers: list[Manager]) -> Check:
    """Classify each acknowledged answer against its row: (response, question) -> (choice,
    comment), the comment holding the sequence number of the save that wrote it."""
    check = Check()
    for manager in managers:
        check.acknowledged_saves += sum(
            1 for a in manager.attempts if a.kind == "api" and a.outcome == "ok"
        )
        for question_id, (seq, choice) in manager.acked.items():
            check.answers += 1
            key = (manager.spec.response_id, question_id)
            row = rows.get(key)
            if row is None:
                check.lost += 1
                check.examples.append(f"lost {key}: acknowledged #{seq} choice {choice}, no row")
                continue
            row_choice, comment = row
            row_seq = int(comment[1:]) if comment.startswith("#") and comment[1:].isdigit() else 0
            if (row_seq, row_choice) == (seq, choice):
                continue
            if row_seq > seq and manager.sent[question_id].get(row_seq) == row_choice:
                check.ahead += 1
                continue
            check.stale += 1
            check.examples.append(
                f"stale {key}: acknowledged #{seq} choice {choice}, row {comment!r} "
                f"choice {row_choice}"
            )
    return check


def phase_rows(phases: list[Phase], managers: list[Manager]) -> list[dict]:
    attempts = [a for m in managers for a in m.attempts]
    rows = []
    for phase in phases:
        inside = [a for a in attempts if phase.start <= a.ended < phase.end]
        ok = [a.seconds for a in inside if a.kind == phase.kind and a.outcome == "ok"]
        errors = Counter(a.outcome for a in inside if a.outcome != "ok")
        rows.append(
            {
                "phase": phase,
                "ok": len(ok),
                "errors": errors,
                "per_s": len(ok) / phase.seconds if phase.seconds else 0.0,
                "p50": percentile_ms(ok, 0.50),
                "p99": percentile_ms(ok, 0.99),
            }
        )
    return rows


def cpu_ms(phase: Phase, name: str, requests: int) -> str:
    """CPU ms of one server side per request answered in the phase, or a dash."""
    if phase.server_cpu is None or not requests:
        return "—"
    return f"{1000 * phase.server_cpu[name] / requests:.2f}"


def print_report(rows: list[dict], check: Check, managers: list[Manager]) -> None:
    print()
    print(
        f"{MANAGERS} managers, think {THINK_S * 500:.0f}–{THINK_S * 1500:.0f} ms, "
        f"gunicorn {WORKERS}×{THREADS} gthread, PostgreSQL on loopback, {os.cpu_count()} cores"
    )
    header = (
        f"{'phase':<18}{'seconds':>8}{'saves':>8}{'errors':>8}{'saves/s':>9}"
        f"{'p50 ms':>9}{'p99 ms':>9}{'CPU busy':>10}{'client':>8}"
        f"{'gunicorn ms':>12}{'postgres ms':>12}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        phase = row["phase"]
        print(
            f"{phase.name:<18}{phase.seconds:>8.1f}{row['ok']:>8}"
            f"{sum(row['errors'].values()):>8}{row['per_s']:>9.0f}"
            f"{row['p50']:>9.1f}{row['p99']:>9.1f}{phase.cpu_busy:>10.0%}"
            f"{phase.client_cpu:>8.0%}{cpu_ms(phase, 'gunicorn', row['ok']):>12}"
            f"{cpu_ms(phase, 'postgres', row['ok']):>12}"
        )
    by_name = {row["phase"].name: row for row in rows}
    steady, bare = by_name.get("steady"), by_name.get("bare JSON view")
    if steady and bare and steady["ok"] and bare["ok"]:
        ratio = (
            f"steady/bare JSON view: throughput {steady['per_s'] / bare['per_s']:.2f}×, "
            f"p50 latency {steady['p50'] / bare['p50']:.2f}×, "
            f"p99 latency {steady['p99'] / bare['p99']:.2f}×"
        )
        if steady["phase"].server_cpu and bare["phase"].server_cpu:
            per_request = [
                row["phase"].server_cpu["gunicorn"] / row["ok"] for row in (steady, bare)
            ]
            ratio += f", gunicorn CPU per request {per_request[0] / per_request[1]:.1f}×"
        print(ratio)
    print(
        "bare JSON view: its 'saves' are requests answered 200. CPU busy: both cores, whoever "
        "used them;\nclient: this process (the managers); gunicorn/postgres ms: CPU per "
        "request answered (— where a fault\nreplaced the processes)."
    )
    for row in rows:
        if row["errors"]:
            kinds = ", ".join(f"{k} {n}" for k, n in row["errors"].most_common())
            print(f"errors in {row['phase'].name}: {kinds}")
    print()
    print(
        f"acknowledged {check.answers} answers (the last of {check.acknowledged_saves} "
        f"acknowledged saves), lost {check.lost}, stale {check.stale}"
    )
    if check.ahead:
        print(f"  {check.ahead} rows hold a later save that was sent but not acknowledged")
    for example in check.examples[:10]:
        print("  " + example)
    relogins = sum(m.relogins for m in managers)
    rejected = [r for m in managers for r in m.rejected]
    print(f"re-logins after a lost session: {relogins}")
    if rejected:
        print(f"saves refused by the server: {len(rejected)}, e.g. {rejected[0]}")
    print()


# ---------------------------------------------------------------- main


def remaining() -> float:
    return max(1.0, TIME_LIMIT_S - (time.monotonic() - STARTED))


def benchmark(cluster: Cluster, workdir: Path) -> bool:
    env = bench_env(cluster.url)
    prepare_database(env)
    use_env_here(env)
    import django

    django.setup()
    from django.db import connections

    started = time.monotonic()
    campaign_id, specs = build_campaign(MANAGERS)
    connections.close_all()
    log(
        f"{len(specs)} managers, departments and responses in one open campaign "
        f"({time.monotonic() - started:.1f} s)"
    )

    server = Gunicorn(env, workdir, workers=WORKERS, threads=THREADS)
    control = Control(server.port, deadline=STARTED + TIME_LIMIT_S)
    managers = [Manager(i, spec, control) for i, spec in enumerate(specs)]
    threads = [threading.Thread(target=m.run, daemon=True) for m in managers]
    try:
        server.start()
        started = time.monotonic()
        for thread in threads:
            thread.start()
        while not all(m.settled.is_set() for m in managers) and not control.stop.is_set():
            control.wait(0.1)
        failed = [m for m in managers if m.failure]
        if failed:
            control.stop.set()
            raise RuntimeError(f"{len(failed)} managers could not log in: {failed[0].failure}")
        log(
            f"{len(managers)} managers logged in through the login form in "
            f"{time.monotonic() - started:.1f} s"
        )
        phases = timeline(control, server, cluster)
        join_by = time.monotonic() + CLIENT_TIMEOUT_S + 5  # the last replies in flight
        for thread in threads:
            thread.join(timeout=max(0.0, join_by - time.monotonic()))
        if any(thread.is_alive() for thread in threads):
            log("warning: some managers were still waiting for a reply")
    finally:
        control.stop.set()
        server.stop()
        server_log = server.log_text()
    check = check_answers(campaign_id, managers)
    rows = phase_rows(phases, managers)
    print_report(rows, check, managers)
    tracebacks = server_log.count("Traceback")
    log(f"gunicorn log: {len(server_log.splitlines())} lines, {tracebacks} tracebacks")

    steady_errors = sum(sum(r["errors"].values()) for r in rows if not r["phase"].fault)
    problems = []
    if control.timed_out:
        problems.append(f"the run did not finish within {TIME_LIMIT_S:.0f} s")
    if len(phases) < 6:
        problems.append(f"only {len(phases)} of 6 phases ran")
    if check.lost or check.stale:
        problems.append(f"{check.lost} acknowledged answers lost, {check.stale} stale")
    if steady_errors:
        problems.append(f"{steady_errors} errors in phases without a fault")
    if any(m.rejected for m in managers):
        problems.append("the server refused saves")
    if not check.answers:
        problems.append("no save was acknowledged")
    if steady_errors and tracebacks:
        log("gunicorn log (tail):\n" + server_log[-3000:])
    for problem in problems:
        log("FAIL: " + problem)
    return not problems


def main() -> int:
    load = os.getloadavg()[0]
    log(f"{os.cpu_count()} cores, load average {load:.2f}")
    if load > 0.5:
        log("warning: the machine is busy; saves/s will be low")
    workdir = Path(tempfile.mkdtemp(prefix="levelcheck-bench-load-"))
    try:
        with throwaway_cluster(DB_NAME) as cluster:
            ok = benchmark(cluster, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - STARTED
    if elapsed > TIME_LIMIT_S:
        log(f"FAIL: took {elapsed:.0f} s, limit {TIME_LIMIT_S:.0f} s")
        ok = False
    log(f"{'PASS' if ok else 'FAIL'} in {elapsed:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
