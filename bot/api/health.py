"""GET /healthz and GET /readyz: always open, for load balancers and compose."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.api.errors import error_response
from bot.api.holder import ServiceHolder
from bot.api.schemas import ReadyResponse, errors
from retrieval.errors import NewsdeskError

router = APIRouter()


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", responses={200: {"model": ReadyResponse}, **errors(503)})
def readyz(request: Request) -> JSONResponse:
    """Model loaded and index reachable: ready to answer."""
    holder: ServiceHolder = request.app.state.holder
    if holder.failure:
        return error_response(503, f"start-up failed: {holder.failure}")
    try:
        svc = holder.get()
        svc.index.ping()
        articles, chunks = svc.index.counts()
    except NewsdeskError as error:
        return error_response(error.status, str(error))
    return JSONResponse({"status": "ready", "articles": articles, "chunks": chunks})
