"""Build the index, model and answer chain from Settings: the only place clients are made."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.config import Settings as ChromaSettings
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings
from retrieval.answer.chain import Answerer, build_chain
from retrieval.answer.extractive import ExtractiveAnswerer
from retrieval.answer.generate import LLMAnswerer
from retrieval.answer.rewrite import Rewriter
from retrieval.errors import ModelUnavailable, StoreUnavailable
from retrieval.index.catalog import Catalog
from retrieval.index.embed import Embedder
from retrieval.index.lock import claim
from retrieval.index.store import Index
from retrieval.ingest.web.fetch import Fetcher, Manners
from retrieval.records import Answer, SearchRequest
from retrieval.search.searcher import Searcher


@dataclass(frozen=True)
class Services:
    """What the interfaces need, built once per process."""

    index: Index
    searcher: Searcher
    answerer: Answerer
    chain: Runnable[SearchRequest, Answer]  # (rewrite), searcher.retrieve, then answerer


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
    embedder = embedder or Embedder(settings.model_cache, settings.embed_model)
    catalog = Catalog(settings.data_dir / "catalog" / f"{settings.collection}.sqlite3")
    index = Index(
        chroma_client(settings), embedder, catalog, settings.collection, settings.chroma_location
    )
    searcher = Searcher(index)
    model = chat_model(settings)
    if model is None:
        answerer: Answerer = ExtractiveAnswerer()
        return Services(index, searcher, answerer, build_chain(searcher, answerer))
    answerer = LLMAnswerer(model, str(settings.llm), embedder, settings.llm_timeout)
    return Services(index, searcher, answerer, build_chain(searcher, answerer, Rewriter(model)))


def fetcher(settings: Settings) -> Fetcher:
    """The HTTP client that reads feeds and pages, with the manners the settings give."""
    return Fetcher(
        Manners(
            timeout_s=settings.fetch_timeout,
            max_bytes=int(settings.fetch_max_mb * 1024 * 1024),
            delay_s=settings.fetch_delay,
        )
    )


MAX_ANSWER_TOKENS = 400  # three short sentences with citations, and room to spare


def chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model NEWSDESK_LLM names, through LangChain's init_chat_model; None when unset."""
    if not settings.llm:
        return None
    from langchain.chat_models import init_chat_model

    options: dict[str, Any] = {
        "timeout": settings.llm_timeout,
        "max_retries": 0,  # a retry would only double the wait before the extractive fallback
        "temperature": 0,
        "max_tokens": MAX_ANSWER_TOKENS,
    }
    if settings.llm_base_url:
        options["base_url"] = settings.llm_base_url
    if settings.llm_api_key:
        options["api_key"] = settings.llm_api_key.get_secret_value()
    elif _openai_compatible(settings) and settings.openai_api_key is None:
        options["api_key"] = "unused"  # local OpenAI-compatible servers take no key
    try:
        model = init_chat_model(settings.llm, **options)
    except Exception as error:  # a missing provider package, an unknown spec, no api key
        raise ModelUnavailable(settings.llm, _first_line(error)) from None
    if not isinstance(model, BaseChatModel):
        raise ModelUnavailable(settings.llm, "it is not a chat model")
    return model


def _openai_compatible(settings: Settings) -> bool:
    return bool(settings.llm_base_url) and str(settings.llm).startswith("openai:")


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


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
