"""``manage.py report_worker`` as the fault tests start it: a real process, with two test
hooks around the real PDF builder (nothing else is replaced)::

    python -m tests.reports.worker_process [report_worker options...]

- ``TEST_BUILD_SECONDS``: each build sleeps this long before building, so that a test can
  kill the worker mid-job deterministically;
- ``TEST_BUILD_LOG``: each build appends ``<job id> <pid>`` to this file when it starts, so
  that a test can count how often each job was built, and by which process.
"""

import os
import sys
import time

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

    from django.core.management import call_command

    from reports import tasks

    real_build = tasks._build
    delay = float(os.environ.get("TEST_BUILD_SECONDS", "0"))
    log = os.environ.get("TEST_BUILD_LOG")

    def build(job, *args, **kwargs):  # reports.tasks._build(job, progress)
        if log:
            with open(log, "a") as file:  # O_APPEND: one whole line per write
                file.write(f"{job.pk} {os.getpid()}\n")
        time.sleep(delay)
        return real_build(job, *args, **kwargs)

    tasks._build = build
    call_command("report_worker", *argv)


if __name__ == "__main__":
    main(sys.argv[1:])
