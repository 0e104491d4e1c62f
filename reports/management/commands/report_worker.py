"""``manage.py report_worker``: django-tasks-db's ``db_worker`` that outlives the database.

It takes the same options and claims tasks the same way (``SELECT … FOR UPDATE SKIP
LOCKED``, so any number of workers share one queue and each task runs once), and adds what
a worker left alone in production needs:

- a lost database connection (PostgreSQL restarted, a failover) is waited out: the worker
  reconnects with a growing pause (at most ``RECONNECT_MAX`` seconds) instead of exiting;
- a reaper thread takes back the report jobs of workers that died (``reports/leases.py``)
  every half lease, even while this worker is busy with a long build.

Anything else that stops it (a bug, a signal) ends the process: run it under a supervisor
that restarts it (systemd ``Restart=always``, see docs/deploy.md).
"""

import logging
import os
import time

from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker, valid_interval

from reports.leases import Reaper

logger = logging.getLogger("reports.worker")

RECONNECT_MIN = 0.5
RECONNECT_MAX = 10.0


def _drop_connections() -> None:
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is gone
            connection.connection = None


class ReportWorker(Worker):
    def __init__(self, *, reap_every: float | None, **options):
        super().__init__(**options)
        self.reap_every = reap_every

    def run(self) -> None:
        # The reaper starts here, in the process that runs tasks (the reloader's child).
        reaper = Reaper(every=self.reap_every) if self.reap_every != 0 else None
        if reaper:
            reaper.start()
        pause, failed_at = RECONNECT_MIN, 0.0
        try:
            while True:
                try:
                    return super().run()
                except (OperationalError, InterfaceError) as exc:
                    if time.monotonic() - failed_at > 2 * RECONNECT_MAX:
                        pause = RECONNECT_MIN  # a new outage, not the same one going on
                    failed_at = time.monotonic()
                    logger.warning(
                        "Worker %s: database unavailable (%s); reconnecting in %.1f s",
                        self.worker_id,
                        str(exc).strip() or type(exc).__name__,
                        pause,
                    )
                    _drop_connections()
                    # A signal during this pause exits at once (no task is running).
                    time.sleep(pause)
                    pause = min(pause * 2, RECONNECT_MAX)
                    self.startup_delay = False
                if not self.running:
                    return
        finally:
            if reaper:
                reaper.stop()


class Command(DBWorkerCommand):
    help = (
        "Run the report worker: db_worker that reconnects after a database restart and takes "
        "back report jobs whose worker died."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--reap-interval",
            type=valid_interval,
            default=None,
            help=(
                "Seconds between two looks for report jobs whose lease ran out; 0 turns the "
                "reaper off (default: half of REPORT_JOB_LEASE_SECONDS)"
            ),
        )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        exclude_queues: str,
        reload: bool,
        batch: bool,
        reap_interval: float | None,
        **options,
    ) -> None:
        # db_worker's handle() with our Worker: the same options, checks and signals.
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning("--reload and --batch cannot be specified together: not reloading.")
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ReportWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            batch=batch,
            reap_every=reap_interval,
            interval=options["interval"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only in the reloaded child
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
