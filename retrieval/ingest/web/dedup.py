"""The same wire story published by several outlets: one text, indexed once."""

import hashlib
import re
from typing import Protocol

_WORD = re.compile(r"\w+")


def text_fingerprint(text: str) -> str:
    """Equal for texts with the same words, whatever their spacing, case and punctuation."""
    words = " ".join(_WORD.findall(text.lower()))
    return hashlib.sha256(words.encode()).hexdigest()[:32]


class Fingerprints(Protocol):
    """Texts already indexed, by fingerprint."""

    def earlier(self, fingerprint: str, article_id: str) -> str | None:
        """The id of another article with this text, if there is one."""

    def remember(self, fingerprint: str, article_id: str) -> None: ...


class SeenInThisRun:
    """Fingerprints kept in memory, for one `newsdesk ingest`."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}

    def earlier(self, fingerprint: str, article_id: str) -> str | None:
        found = self._ids.get(fingerprint)
        return found if found not in (None, article_id) else None

    def remember(self, fingerprint: str, article_id: str) -> None:
        self._ids.setdefault(fingerprint, article_id)
