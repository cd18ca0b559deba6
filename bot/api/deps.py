"""What routes depend on: the loaded services, and the caller's right to ask."""

from typing import Annotated

from fastapi import Depends, Request

from bot.api.access import BearerToken
from bot.api.holder import ServiceHolder
from bot.api.limits import RateLimiter
from bot.wiring import Services


def services(request: Request) -> Services:
    holder: ServiceHolder = request.app.state.holder
    return holder.get()


def allowed(request: Request) -> None:
    """The API token when one is set, then the caller's share of the rate limit."""
    token: BearerToken | None = request.app.state.token
    limiter: RateLimiter | None = request.app.state.limiter
    client = token.check(request) if token else f"ip:{client_address(request)}"
    if limiter:
        limiter.take(client)


def admin(request: Request) -> None:
    """The admin token when one is set; otherwise the same rule as for asking."""
    token: BearerToken | None = request.app.state.admin_token
    if token is None:
        allowed(request)
    else:
        token.check(request)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


Ready = Annotated[Services, Depends(services)]
GUARDED = [Depends(allowed)]
ADMIN = [Depends(admin)]
