"""How often a feed is read: '90s', '15m', '2h', '1d'; and how long a failing one is left alone."""

import re

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_EVERY_S = 1.0
MAX_EVERY_S = 7 * 86400.0
MAX_BACKOFF_S = 6 * 3600.0  # a site down for days is still tried four times a day


def parse_every(text: str) -> float:
    """Seconds, or ValueError naming the text."""
    found = _EVERY.match(text)
    seconds = float(found.group(1)) * _UNITS[found.group(2)] if found else 0.0
    if not MIN_EVERY_S <= seconds <= MAX_EVERY_S:
        raise ValueError(f"every ({text!r}) must look like 90s, 15m, 2h or 1d, from 1s to 7d")
    return seconds


def spoken(seconds: float) -> str:
    """15m, 2h, 90s: the shortest exact way to write an interval."""
    for unit in ("d", "h", "m"):
        if seconds >= _UNITS[unit] and seconds % _UNITS[unit] == 0:
            return f"{seconds / _UNITS[unit]:g}{unit}"
    return f"{seconds:g}s"


def backoff(every_s: float, failures: int) -> float:
    """The wait before trying a source again after this many failures in a row: doubling each
    time, from its usual interval up to MAX_BACKOFF_S (or its interval, if longer)."""
    return min(every_s * 2.0 ** min(failures, 20), max(MAX_BACKOFF_S, every_s))
