"""A polite HTTP client: http(s) only, robots.txt obeyed, one request at a time per host with a
pause between them, Retry-After honoured, conditional GETs, timeouts, a size limit per page and
at most five redirects."""

import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from retrieval.errors import BadInput
from retrieval.ingest.web.urls import checked_url

USER_AGENT = "newsdesk/0.1 (a news archive that answers questions; follows robots.txt)"
ROBOTS_AGENT = "newsdesk"
MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
BUSY = frozenset({429, 503})  # statuses that come with Retry-After
CHUNK_BYTES = 64 * 1024
ROBOTS_TTL_S = 3600.0  # a site's rules are read again after an hour (RFC 9309 allows a day)
ROBOTS_RETRY_S = 60.0  # and after a minute while they can't be read


class FetchFailed(BadInput):
    """A URL that could not be fetched; `retry_after` is how long the site asked us to wait."""

    def __init__(
        self, url: str, reason: str, retry_after: float | None = None, answered: int | None = None
    ) -> None:
        super().__init__(f"{url}: {reason}")
        self.retry_after = retry_after
        self.answered = answered  # the HTTP status the site refused it with, if it did


@dataclass(frozen=True)
class Manners:
    """How newsdesk behaves towards the sites it reads."""

    user_agent: str = USER_AGENT
    timeout_s: float = 10.0  # per request, connecting and reading the whole body
    max_bytes: int = 5 * 1024 * 1024  # a news page is well under 1 MB; more is not an article
    delay_s: float = 1.0  # between two requests to the same host
    max_wait_s: float = 60.0  # longest Retry-After waited for in place; longer fails the fetch

    def __post_init__(self) -> None:
        if self.timeout_s <= 0 or self.max_bytes <= 0 or self.delay_s < 0:
            raise ValueError(
                f"timeout ({self.timeout_s}) and size limit ({self.max_bytes}) must be positive, "
                f"delay ({self.delay_s}) at least 0"
            )


@dataclass(frozen=True)
class Fetched:
    """A response newsdesk will read: 200 with its body, or 304 (not modified) without."""

    url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    location: str = ""  # where a redirect points

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0  # monotonic time before which nothing is sent to this host
    robots: RobotFileParser | None = None
    robots_until: float = 0.0  # monotonic time when robots.txt is read again
    robots_failure: str | None = None  # why robots.txt could not be read, while it can't


class Fetcher:
    """GETs for newsdesk, shared by every thread of a process."""

    def __init__(self, manners: Manners = Manners()) -> None:
        self.manners = manners
        self._http = httpx.Client(
            headers={"User-Agent": manners.user_agent},
            timeout=manners.timeout_s,
            follow_redirects=False,  # followed here, each hop checked
        )
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self._http.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """The page at url, following up to MAX_REDIRECTS redirects; FetchFailed otherwise."""
        conditions = {"If-None-Match": etag, "If-Modified-Since": last_modified}
        headers = {name: value for name, value in conditions.items() if value}
        current = checked_url(url)
        for _ in range(MAX_REDIRECTS + 1):
            self._check_robots(current)
            response = self._polite_get(current, headers)
            if response.status not in REDIRECTS:
                return response
            if not response.location:
                raise FetchFailed(current, f"{response.status} redirect without a Location")
            current = checked_url(urljoin(current, response.location))
        raise FetchFailed(url, f"more than {MAX_REDIRECTS} redirects")

    def _polite_get(self, url: str, headers: dict[str, str]) -> Fetched:
        """One GET, in the host's queue; a 429 or 503 asking for a short wait is retried once."""
        try:
            return self._queued(url, headers)
        except FetchFailed as failure:
            wait = failure.retry_after
            if wait is None or wait > self.manners.max_wait_s:
                raise
        return self._queued(url, headers)  # the queue holds it until Retry-After has passed

    def _queued(self, url: str, headers: dict[str, str]) -> Fetched:
        host = self._host(url)
        with host.lock:
            pause = host.next_at - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            try:
                return self._send(url, headers)
            except FetchFailed as failure:
                if failure.retry_after:
                    host.next_at = time.monotonic() + failure.retry_after
                raise
            finally:
                host.next_at = max(host.next_at, time.monotonic() + self.manners.delay_s)

    def _send(self, url: str, headers: dict[str, str]) -> Fetched:
        deadline = time.monotonic() + self.manners.timeout_s
        try:
            with self._http.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in REDIRECTS:
                    location = response.headers.get("location", "")
                    return Fetched(url, status, "", b"", location=location)
                if status == 304:
                    return Fetched(url, 304, "", b"", *_validators(response))
                if status != 200:
                    reason = f"{status} {response.reason_phrase}".strip()
                    wait = _retry_after(response) if status in BUSY else None
                    raise FetchFailed(url, reason, wait, status)
                body = self._body(url, response, deadline)
                content_type = response.headers.get("content-type", "")
                return Fetched(url, 200, content_type, body, *_validators(response))
        except httpx.TimeoutException:
            raise FetchFailed(url, f"no answer within {self.manners.timeout_s:g} s") from None
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as error:  # refused, bad URL
            raise FetchFailed(url, f"could not connect ({type(error).__name__})") from None

    def _body(self, url: str, response: httpx.Response, deadline: float) -> bytes:
        limit = self.manners.max_bytes
        over = f"over the {limit / 1024 / 1024:g} MB limit for a page"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchFailed(url, over)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes(CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise FetchFailed(url, over)
            if time.monotonic() > deadline:  # a page that trickles in never times out a read
                raise FetchFailed(url, f"no answer within {self.manners.timeout_s:g} s")
            chunks.append(chunk)
        return b"".join(chunks)

    def _host(self, url: str) -> _Host:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._hosts_lock:
            return self._hosts.setdefault(key, _Host())

    def _check_robots(self, url: str) -> None:
        host = self._host(url)
        if host.robots is None or time.monotonic() > host.robots_until:
            host.robots, host.robots_failure = self._robots(url)
            fresh_for = ROBOTS_RETRY_S if host.robots_failure else ROBOTS_TTL_S
            host.robots_until = time.monotonic() + fresh_for
        if host.robots_failure:
            raise FetchFailed(url, f"not fetched: the site's {host.robots_failure}")
        if not host.robots.can_fetch(ROBOTS_AGENT, url):
            raise FetchFailed(url, "robots.txt asks newsdesk not to fetch it")

    def _robots(self, url: str) -> tuple[RobotFileParser, str | None]:
        """The site's rules (none when it has no robots.txt), or why they can't be read."""
        robots = RobotFileParser()
        where = urljoin(url, "/robots.txt")
        try:
            fetched = self._queued(where, {})
        except FetchFailed as failure:
            # RFC 9309: a missing robots.txt allows everything; an unreachable one, nothing.
            if failure.answered is not None and 400 <= failure.answered < 500:
                robots.parse([])
                return robots, None
            return robots, str(failure).replace(where, "robots.txt", 1).replace(": ", " ", 1)
        if fetched.status in REDIRECTS:  # followed once, on the same site only
            target = urljoin(where, fetched.location)
            if urlsplit(target).netloc == urlsplit(where).netloc:
                try:
                    fetched = self._queued(target, {})
                except FetchFailed:
                    fetched = Fetched(target, 404, "", b"")
        text = fetched.body.decode("utf-8", "replace") if fetched.status == 200 else ""
        robots.parse(text.splitlines())
        return robots, None


def _validators(response: httpx.Response) -> tuple[str | None, str | None]:
    return response.headers.get("etag"), response.headers.get("last-modified")


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds the site asks us to wait: Retry-After as seconds or as an HTTP date."""
    value = response.headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None
