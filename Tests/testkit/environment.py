"""The environment a test's child process gets: only what a program needs to run, plus what the
test sets. The runner's own SEEDKEEPER_*, REDIS_URL, PORT, LOG_LEVEL, ... never reach a child,
so a variable exported in the shell that runs the tests cannot change what a test starts."""
import os
from typing import Mapping, Optional

# What programs need to find their tools, files and locale; nothing here configures seed-server,
# redis-server, HAProxy or the stack script.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ", "USER")


def clean_environment(settings: Optional[Mapping[str, str]] = None) -> dict:
    """A fresh environment for a child: PASSED_THROUGH from this process, then `settings`."""
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env.setdefault("PATH", os.defpath)
    env.update(settings or {})
    return env
