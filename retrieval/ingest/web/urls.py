"""One spelling per story: a URL without tracking parameters, fragment or default port, so the
same article reached from a feed, a newsletter and a share button gets one id."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from retrieval.errors import BadInput

SCHEMES = ("http", "https")
# Parameters that say how a reader arrived, never which article they read.
TRACKING = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "ocid", "cmpid", "ito", "smid", "ref_src", "mbid",
})  # fmt: skip
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}


def checked_url(url: str) -> str:
    """The URL, or BadInput when it is not one newsdesk fetches (http and https only)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in SCHEMES:
        raise BadInput(f"{url}: only http and https URLs are fetched")
    if not parts.hostname:
        raise BadInput(f"{url}: the URL names no host")
    return url.strip()


def canonical_url(url: str) -> str:
    """The URL as newsdesk stores it: tracking parameters, fragment and default port removed,
    scheme and host in lower case."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return url.strip()  # refused when fetched, as written
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(kept), ""))


def _tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING or name.startswith(TRACKING_PREFIXES)
