"""The ASGI app as uvicorn loads it: `uvicorn --factory bot.main:create`."""

from fastapi import FastAPI

from bot.api import create_app
from bot.config import Settings
from bot.wiring import build_services


def create() -> FastAPI:
    settings = Settings()
    return create_app(lambda: build_services(settings), settings)
