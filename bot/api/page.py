"""GET /: the chat page, and its assets under /static; nothing it needs comes from elsewhere."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).with_name("static")
# The page loads only its own files and calls only this server; it shows article text, which is
# untrusted, only as text, and this keeps it so should that ever slip.
POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

router = APIRouter()


@router.get("/", include_in_schema=False)
def page() -> FileResponse:
    return FileResponse(STATIC / "index.html", headers={"Content-Security-Policy": POLICY})


def assets() -> StaticFiles:
    return StaticFiles(directory=STATIC)
