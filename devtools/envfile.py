"""Write the development env file once: ``DEBUG=1`` and a freshly generated ``SECRET_KEY``.

``make run`` calls this before anything touches Django, so that every ``manage.py`` command
the README shows works from the project root without exporting anything. The file is
git-ignored and never overwritten (a second run keeps the same key, so sessions survive);
settings read it without overriding variables already set in the environment.
"""

import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / ".env"

TEMPLATE = """\
# LevelCheck development settings, written once by `make run` (git-ignored).
# Variables set in the environment win over these; see the README's Configuration table.
DEBUG=1
SECRET_KEY={secret}
"""


def write_env_file(path: Path = DEFAULT) -> bool:
    """Create ``path`` unless it exists; True when it was written."""
    if path.exists():
        return False
    path.write_text(TEMPLATE.format(secret=secrets.token_urlsafe(50)), encoding="utf-8")
    path.chmod(0o600)
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if write_env_file(target):
        print(f"Wrote {target} (DEBUG=1 and a new SECRET_KEY) for development.")
