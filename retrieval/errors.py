"""Errors a user can cause or meet: each carries its HTTP status and a message safe to show,
which says what to do next. Interfaces translate them once each (bot/api, bot/cli, bot/slack)."""

from pathlib import Path
from typing import ClassVar


class NewsdeskError(Exception):
    """Base class: the message is meant for the person using newsdesk."""

    status: ClassVar[int] = 400

    @property
    def headers(self) -> dict[str, str]:
        """Response headers that go with the status (Retry-After, WWW-Authenticate)."""
        return {}


class BadInput(NewsdeskError):
    """A file or record that cannot be ingested; the message names where it is."""

    status = 422


class InvalidRequest(NewsdeskError):
    """A question or search the pipeline can't take as asked; the message names the field."""

    status = 422


class NotFound(NewsdeskError):
    """An article id that is not in the index."""

    status = 404

    def __init__(self, article_id: str) -> None:
        super().__init__(f"no article with id {article_id!r} in the index")


class EmptyIndex(NewsdeskError):
    """Nothing has been ingested yet (or everything was deleted): the archive is there, empty."""

    status = 409

    def __init__(self) -> None:
        super().__init__("No articles indexed yet — run 'newsdesk ingest seeds/'")


class StoreUnavailable(NewsdeskError):
    """The Chroma server cannot be reached."""

    status = 503

    def __init__(self, where: str) -> None:
        super().__init__(f"The article index at {where} is not reachable; try again shortly")


class IndexBusy(NewsdeskError):
    """Another process has the on-disk index open."""

    status = 503

    def __init__(self, folder: Path, holder: str) -> None:
        super().__init__(
            f"The index at {folder} is in use by another process ({holder or 'unknown'}); "
            "Chroma on disk serves one process at a time: stop that one, or run a Chroma "
            "server (NEWSDESK_CHROMA_URL) so several processes can share the index"
        )


class ModelUnavailable(NewsdeskError):
    """The configured chat model can't be made."""

    status = 503

    def __init__(self, spec: str, reason: str) -> None:
        super().__init__(f"NEWSDESK_LLM ({spec}) can't be used: {reason}")


class EncoderUnavailable(NewsdeskError):
    """The embedding model can't be loaded or exported."""

    status = 503

    def __init__(self, model: str, reason: str) -> None:
        super().__init__(f"The embedding model {model} can't be used: {reason}")
