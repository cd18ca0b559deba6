"""One translation of errors into responses: `{"error": "<one line>"}` with the error's status."""

import logging
import re
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from retrieval.errors import NewsdeskError

log = logging.getLogger("newsdesk.api")
INTERNAL = "internal error; the server log has the details"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(422, first_problem(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        headers = error.headers
        if error.status_code == 405:  # every method of the path, not only its first route's
            headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(app, request))}
        return error_response(error.status_code, str(error.detail), headers)

    @app.exception_handler(NewsdeskError)
    async def newsdesk_error(request: Request, error: NewsdeskError) -> JSONResponse:
        return error_response(error.status, str(error), error.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(500, INTERNAL)


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """The methods the API describes for this request's path."""
    path = request.url.path
    methods = [
        method.upper()
        for template, item in app.openapi()["paths"].items()
        if re.fullmatch(re.sub(r"\\{[^/]+\\}", "[^/]+", re.escape(template)), path)
        for method in item
    ]
    return sorted({*methods, *(["HEAD"] if "GET" in methods else [])})


def first_problem(error: RequestValidationError) -> str:
    """The first thing wrong with a request body, as 'field: what is wrong'."""
    problems = error.errors()
    if not problems:
        return "invalid request"
    first = problems[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "body"
    message = str(first.get("msg", "invalid"))
    if first.get("type") == "extra_forbidden":
        message = "unknown field"
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{where}: {message}{more}"


def error_response(
    status: int, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)
