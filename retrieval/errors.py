"""Errors whose messages are safe to show a user and say what to do next."""


class NewsdeskError(Exception):
    """Base class: the message is meant for the person using newsdesk."""


class BadInput(NewsdeskError):
    """A file or record that cannot be ingested; the message names where it is."""


class EmptyIndex(NewsdeskError):
    """Nothing has been ingested yet."""

    def __init__(self) -> None:
        super().__init__("No articles indexed yet — run 'newsdesk ingest seeds/'")


class StoreUnavailable(NewsdeskError):
    """The Chroma server cannot be reached."""

    def __init__(self, where: str) -> None:
        super().__init__(f"The article index at {where} is not reachable; try again shortly")


class NotFound(NewsdeskError):
    """An article id that is not in the index."""
