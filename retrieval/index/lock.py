"""Chroma on disk serves one process at a time; a lock file makes a second one fail clearly."""

import fcntl
import os
import sys
from pathlib import Path

from retrieval.errors import IndexBusy

_held: dict[Path, int] = {}  # this process's locks, by folder: a folder is claimed once


def claim(folder: Path) -> None:
    """Hold an exclusive lock on the index folder until this process exits."""
    folder = folder.resolve()
    if folder in _held:
        return
    fd = os.open(folder / "newsdesk.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 200).decode(errors="replace").strip()
        os.close(fd)
        raise IndexBusy(folder, holder) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"pid {os.getpid()}: {' '.join(Path(a).name for a in sys.argv[:2])}".encode())
    _held[folder] = fd
