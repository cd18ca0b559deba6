"""Errors only the interfaces meet: start-up, access, Slack set-up. Like the pipeline's, each
carries its HTTP status and a message safe to show."""

from retrieval.errors import NewsdeskError


class Loading(NewsdeskError):
    """The model and index are still being loaded."""

    status = 503

    def __init__(self) -> None:
        super().__init__("newsdesk is still starting (loading the model); try again shortly")


class Unauthorized(NewsdeskError):
    """No API token, or the wrong one."""

    status = 401

    def __init__(self) -> None:
        super().__init__(
            "missing or wrong API token: send 'Authorization: Bearer <NEWSDESK_API_TOKEN>'"
        )

    @property
    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class RateLimited(NewsdeskError):
    """The client has used up its allowance for now."""

    status = 429

    def __init__(self, requests: int, seconds: float, wait: int) -> None:
        super().__init__(
            f"too many requests: the limit is {requests} per {seconds:g} s; retry in {wait} s"
        )
        self.wait = wait

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.wait)}


class LimitUnavailable(NewsdeskError):
    """The rate limit's store can't be read: refused rather than let through uncounted."""

    status = 503

    def __init__(self) -> None:
        super().__init__("the rate limit can't be checked right now; try again in a second")

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": "1"}


class SlackSetupError(NewsdeskError):
    """Slack refused to start the bot; the message names the setting to fix."""

    status = 503


class ServerRefused(NewsdeskError):
    """The newsdesk server a command sent its work to did not take it."""

    status = 502

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"The newsdesk server at {url} refused the request: {reason}")


class NotFollowed(NewsdeskError):
    """A feed URL that is not followed."""

    status = 404

    def __init__(self, url: str) -> None:
        super().__init__(f"{url} is not followed; GET /feeds lists those that are")
