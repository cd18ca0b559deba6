"""What tests share besides fixtures: the seed articles, services on an index, a live API."""

import threading
from collections.abc import Callable
from pathlib import Path

import uvicorn

from bot.api.app import Mount, create_app
from bot.config import Settings
from bot.wiring import Services, build_services
from devtools.servers import free_port, wait_until_ok
from retrieval.index.embed import Embedder
from retrieval.index.writer import index_articles
from retrieval.ingest.files import read_paths

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SQUAD = ROOT.parent / "shared" / "eval" / "squad-a" / "articles.jsonl"
NEWS = ROOT / "benchmarks" / "news" / "articles.jsonl"
OUTLETS = ROOT / "tests" / "fixtures" / "outlets"  # a news site's pages, feeds and sitemaps
NBC = "000_bd662be0dd968903"
PBS = "004_8e0b26ad5e015dd3"
KERRY = "What did Kerry tell Lavrov on Saturday?"
LAVROV = "What did Lavrov warn the United States against?"
FOLLOW_UP = "and what did Lavrov say on Friday?"
WORLD_CUP = "Who won the 2014 World Cup?"  # the seeds can't answer it
PBS_URL = "https://www.pbs.org/newshour/world/ukraine-update"
NBC_SOURCE = "NBC News, 2014-03-08"


def make_services(data_dir: Path, embedder: Embedder, **settings: object) -> Services:
    return build_services(Settings(data_dir=data_dir, **settings), embedder)  # type: ignore[arg-type]


def ingest(services: Services, *paths: Path) -> None:
    report = index_articles(read_paths(list(paths)), services.index)
    assert not report.errors, report.errors


class LiveServer:
    """The FastAPI app served by uvicorn on a free loopback port."""

    def __init__(
        self,
        load: Callable[[], Services],
        settings: Settings | None = None,
        mounts: tuple[Mount, ...] = (),
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(load, settings or Settings(), mounts)
        config = uvicorn.Config(app, port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        wait_until_ok(f"{self.url}/readyz", alive=self.thread.is_alive)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
