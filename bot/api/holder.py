"""The services, loaded in the background so health checks answer during start-up."""

import logging
import threading
from collections.abc import Callable

from bot.errors import Loading
from bot.wiring import Services
from retrieval.errors import NewsdeskError

log = logging.getLogger("newsdesk.api")


class ServiceHolder:
    """Loads the services once, on a thread; `get` raises Loading until they are there."""

    def __init__(self, load: Callable[[], Services]) -> None:
        self._load = load
        self.services: Services | None = None
        self.failure: str | None = None

    def start(self) -> None:
        threading.Thread(target=self._run, name="newsdesk-load", daemon=True).start()

    def _run(self) -> None:
        try:
            self.services = self._load()
        except Exception as error:
            self.failure = str(error) if isinstance(error, NewsdeskError) else type(error).__name__
            log.exception("newsdesk failed to start")

    def get(self) -> Services:
        if self.services is None:
            raise Loading()
        return self.services
