"""When the stack deletes itself: `--expires-in` (default 48 h, long enough to be graded) becomes
the template's ExpiresAt, an EventBridge Scheduler one-time schedule that calls CloudFormation's
DeleteStack. Scheduler's at() takes yyyy-mm-ddThh:mm:ss, here in UTC
(https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#one-time)."""
import re
from datetime import datetime, timedelta, timezone

from .console import CliError

DEFAULT_EXPIRES_IN = "48h"
FORMAT = "%Y-%m-%dT%H:%M:%S"
_PART = re.compile(r"(\d+)([dhm])")
_UNIT = {"d": 86400, "h": 3600, "m": 60}


def parse_duration(text: str) -> timedelta:
    """'48h', '2d', '90m', '1d12h' -> timedelta. At least 15 minutes, at most 365 days."""
    compact = text.strip().lower().replace(" ", "")
    if not compact or _PART.sub("", compact):
        raise CliError(f"--expires-in {text!r}: write a duration such as 48h, 2d, 90m or 1d12h")
    seconds = sum(int(n) * _UNIT[u] for n, u in _PART.findall(compact))
    if seconds < 15 * 60 or seconds > 365 * 86400:
        raise CliError(f"--expires-in {text!r}: choose between 15m and 365d (or --no-expiry)")
    return timedelta(seconds=seconds)


def expires_at(duration: timedelta, now: datetime = None) -> str:
    """The ExpiresAt parameter: UTC, to the minute, in Scheduler's at() form."""
    now = now or datetime.now(timezone.utc)
    moment = (now + duration).replace(second=0, microsecond=0)
    return moment.strftime(FORMAT)


def describe(value: str, now: datetime = None) -> str:
    """'2026-12-02T19:40:00 UTC (in 47 h 58 min)' or 'never'."""
    if not value or value == "never":
        return "never (--no-expiry): it runs and bills until 'seedkeeper-aws down'"
    try:
        moment = datetime.strptime(value, FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        return value
    left = moment - (now or datetime.now(timezone.utc))
    if left.total_seconds() <= 0:
        return f"{value} UTC (due: AWS deletes the stack within minutes)"
    hours, rest = divmod(int(left.total_seconds()), 3600)
    return f"{value} UTC (in {hours} h {rest // 60} min)"


BUCKET_NOTE = ("the artifact bucket is not deleted by the expiry (a stack cannot delete a bucket it "
               "does not own); it holds one ~9 MB object, costs next to nothing, and the next "
               "'seedkeeper-aws down' removes it")
