"""Build the index, model and answer chain from Settings: the only place clients are made."""

from dataclasses import dataclass
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.config import Settings as ChromaSettings
from langchain_core.runnables import Runnable

from bot.config import Settings
from retrieval.answer import build_chain
from retrieval.documents import Answer
from retrieval.embed import Embedder
from retrieval.errors import StoreUnavailable
from retrieval.search import Searcher, SearchRequest
from retrieval.store import Index


@dataclass(frozen=True)
class Services:
    """What the interfaces need, built once per process."""

    index: Index
    searcher: Searcher
    chain: Runnable[SearchRequest, Answer]


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
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def build_services(settings: Settings, embedder: Embedder | None = None) -> Services:
    """Load the model (unless given) and open the index."""
    embedder = embedder or Embedder(settings.embed_model)
    index = Index(chroma_client(settings), embedder, settings.collection, settings.chroma_location)
    searcher = Searcher(index)
    return Services(index, searcher, build_chain(searcher))
