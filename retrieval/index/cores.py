"""How many cores this process may use: encoding and search size their thread pools by it."""

import os


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))
