"""What a load benchmark run found: every acknowledged answer checked against its row (lost,
stale, ahead), and the per-phase table of throughput, latency, errors and CPU."""

import os
from collections import Counter
from dataclasses import dataclass, field

from bench.harness import percentile_ms
from bench.load_config import MANAGERS, THINK_S, THREADS, WORKERS
from bench.load_managers import Manager
from bench.load_phases import Phase


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
