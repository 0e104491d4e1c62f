"""``make serve``: the production stack on this machine.

DEBUG off, static files collected and served by WhiteNoise, the schema migrated and every
shipped framework (``frameworks()``) and the modules imported (``--skip-existing``), then gunicorn
(config/gunicorn.conf.py) and the report worker side by side. The worker is restarted when
it exits (a database outage, a crash); when gunicorn stops, or on Ctrl-C / SIGTERM, both
stop.

The database is ``DATABASE_URL`` (the SQLite file under var/ by default). Plain HTTP on
loopback: the HTTPS-only switches (SSL redirect, HSTS, secure cookies) are turned off
explicitly here, and stay on everywhere else unless turned off the same way.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
FRAMEWORK_DIR = "maturity/frameworks"
DEFAULT_FRAMEWORK = f"{FRAMEWORK_DIR}/customer-engagement.yaml"
WORKER = ["manage.py", "report_worker"]
RESTART_DELAY_S = 2.0


def log(message: str) -> None:
    print(f"[serve] {message}", flush=True)


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["DEBUG"] = "0"
    host, port = env.setdefault("HOST", "127.0.0.1"), env.setdefault("PORT", "8000")
    env.setdefault("ALLOWED_HOSTS", f"{host},localhost,127.0.0.1")
    env.setdefault("SITE_URL", f"http://{host}:{port}")
    env.setdefault("WEB_CONCURRENCY", "2")
    for switch in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        env.setdefault(switch, "0")
    env.setdefault("SECURE_HSTS_SECONDS", "0")
    return env


def frameworks() -> list[str]:
    """Every framework file the project ships, relative to the root: the default first, then
    the others (e.g. customer-data-maturity.yaml) by name, so that a consultant can pick any
    of them for a campaign on a fresh clone."""
    others = sorted(
        f"{FRAMEWORK_DIR}/{path.name}"
        for path in (ROOT / FRAMEWORK_DIR).glob("*.yaml")
        if f"{FRAMEWORK_DIR}/{path.name}" != DEFAULT_FRAMEWORK
    )
    return [DEFAULT_FRAMEWORK, *others]


def interview_kits() -> list[str]:
    """Each framework's interview kit, imported after the frameworks (the Makefile's seed)."""
    return sorted(
        f"{FRAMEWORK_DIR}/interview/{path.name}"
        for path in (ROOT / FRAMEWORK_DIR / "interview").glob("*.interview.yaml")
    )


def prepare(env: dict[str, str]) -> None:
    for args in (
        ["collectstatic", "--no-input", "-v0"],
        ["migrate", "--no-input", "-v0"],
        *(["import_framework", path, "--skip-existing"] for path in frameworks()),
        ["import_modules", "--skip-existing"],
        *(["import_interview_kit", path] for path in interview_kits()),
    ):
        log("manage.py " + " ".join(args))
        subprocess.run([PYTHON, "manage.py", *args], env=env, cwd=ROOT, check=True)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> int:
    env = environment()
    try:
        prepare(env)
    except subprocess.CalledProcessError as error:
        log(f"preparing failed: {' '.join(error.cmd[1:])} exited with {error.returncode}")
        return error.returncode or 1

    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    log(f"LevelCheck on {env['SITE_URL']}/ (gunicorn, DEBUG off) with the report worker")
    web = subprocess.Popen([GUNICORN, "-c", "config/gunicorn.conf.py"], env=env, cwd=ROOT)
    worker = subprocess.Popen([PYTHON, *WORKER], env=env, cwd=ROOT)
    code = 0
    try:
        while not stopping:
            if web.poll() is not None:
                code = web.returncode
                log(f"gunicorn exited with {code}")
                break
            if worker.poll() is not None:
                log(f"the report worker exited with {worker.returncode}; restarting it")
                time.sleep(RESTART_DELAY_S)
                if not stopping:
                    worker = subprocess.Popen([PYTHON, *WORKER], env=env, cwd=ROOT)
            time.sleep(0.5)
    finally:
        log("stopping gunicorn and the report worker")
        stop(web)
        stop(worker)
    return code


if __name__ == "__main__":
    sys.exit(main())
