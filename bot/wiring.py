"""Build the index, model and answer chain from Settings: the only place clients are made."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.config import Settings as ChromaSettings
from langchain_core.runnables import Runnable
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings
from bot.lock import claim
from retrieval.answer import ExtractiveAnswerer, build_chain
from retrieval.documents import Answer
from retrieval.embed import Embedder
from retrieval.errors import StoreUnavailable
from retrieval.search import Retrieval, Searcher, SearchRequest
from retrieval.store import Index


@dataclass(frozen=True)
class Services:
    """What the interfaces need, built once per process."""

    index: Index
    searcher: Searcher
    answerer: Callable[[Retrieval], Answer]
    chain: Runnable[SearchRequest, Answer]  # searcher.retrieve, then answerer


def chroma_client(settings: Settings) -> ClientAPI:
    """A Chroma server client when NEWSDESK_CHROMA_URL is set, else Chroma on disk."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(
                f"NEWSDESK_CHROMA_URL ({settings.chroma_url}) must look like http://host:8000"
            )
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as error:  # the client pings the server as it is made
            raise StoreUnavailable(settings.chroma_url) from error
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    claim(path)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def build_services(settings: Settings, embedder: Embedder | None = None) -> Services:
    """Load the model (unless given) and open the index."""
    embedder = embedder or Embedder(settings.embed_model)
    index = Index(chroma_client(settings), embedder, settings.collection, settings.chroma_location)
    searcher = Searcher(index)
    answerer = ExtractiveAnswerer()
    return Services(index, searcher, answerer, build_chain(searcher, answerer))


SLACK_RETRIES = 2  # per kind of failure; more would hold an answer back behind long Retry-Afters


def slack_client(settings: Settings) -> WebClient:
    """Slack's Web API as the bot; retries 429s (after Retry-After), 500/503s, dropped links."""
    token = settings.slack_bot_token
    return WebClient(
        token=token.get_secret_value() if token else None,
        base_url=settings.slack_api_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(),
            RateLimitErrorRetryHandler(max_retry_count=SLACK_RETRIES),
            ServerErrorRetryHandler(max_retry_count=SLACK_RETRIES),
        ],
    )
