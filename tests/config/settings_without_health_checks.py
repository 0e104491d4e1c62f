"""The project's settings with CONN_HEALTH_CHECKS off: the control in test_database_restart.py,
which shows what the health checks prevent. Nothing else uses it."""

from config.settings import *  # noqa: F403

DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405
