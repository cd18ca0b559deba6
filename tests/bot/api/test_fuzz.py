"""Property-based fuzzing of /ask, /ask/stream and /search over real HTTP: never a 500, never a hang.

NEWSDESK_FUZZ_EXAMPLES sets the number of generated bodies per route (the benchmark runs more);
NEWSDESK_FUZZ_REPORT, when set, names a JSON file that receives the count of each status.
"""

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("NEWSDESK_FUZZ_EXAMPLES", "120"))
ALLOWED = {200, 400, 413, 422}
FIELDS = ["question", "query", "k", "as_of", "since", "until", "source", "history", "colour"]
ASKED = {"question", "answer", "answered", "citations", "generated_by", "took_ms"}
SHAPES = {"/ask": ASKED, "/ask/stream": ASKED, "/search": {"hits", "took_ms"}}
statuses: Counter[str] = Counter()

texts = st.one_of(
    st.text(max_size=50),
    st.sampled_from(
        ["", " ", "\t\n", "What did Kerry tell Lavrov on Saturday?", "\ud800", "x" * 2000]
    ),
    st.sampled_from(
        ["2014-03-08", "2014-02-30", "0000-00-00", "9999-12-31", "yesterday", "2014-3-8"]
    ),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    texts,
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
bodies = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), values, max_size=6).map(
        lambda d: json.dumps(d).encode()
    ),
    values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
)
EXTREMES = [
    b'{"question": "' + b"a" * 1_000_000 + b'"}',
    b'{"question": "\xff\xfe\xfd invalid utf-8"}',
    b"[" * 5000 + b"]" * 5000,
    b'{"question": ' + b'{"a": ' * 3000 + b"1" + b"}" * 3000 + b"}",
    b'{"question": "Kerry", "k": -1}',
    b'{"question": "Kerry", "k": 1e308}',
    b'{"question": "Kerry", "k": 99999999999999999999999}',
    b'{"question": "Kerry", "history": ["a"] ' + b"" + b"}",
    b"",
    b"null",
]


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    if path := os.environ.get("NEWSDESK_FUZZ_REPORT"):
        Path(path).write_text(json.dumps(dict(statuses)))


def check(api: httpx.Client, route: str, body: bytes) -> None:
    response = api.post(
        route, content=body, headers={"content-type": "application/json"}, timeout=20
    )
    statuses[f"{route} {response.status_code}"] += 1
    assert response.status_code in ALLOWED, (body[:200], response.text[:300])
    if response.status_code == 200 and route == "/ask/stream":
        last = response.text.strip().split("\n\n")[-1].splitlines()
        assert last[0] == "event: answer", response.text[-300:]
        payload: Any = json.loads(last[1].removeprefix("data: "))
    else:
        payload = response.json()
    if response.status_code == 200:
        assert set(payload) >= SHAPES[route]
    else:
        assert isinstance(payload["error"], str) and "\n" not in payload["error"]


@pytest.mark.parametrize("route", sorted(SHAPES))
def test_extreme_bodies_get_a_clear_4xx(api: httpx.Client, route: str) -> None:
    for body in EXTREMES:
        check(api, route, body)


@pytest.mark.parametrize("route", sorted(SHAPES))
def test_generated_bodies_never_get_a_500(api: httpx.Client, route: str) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(body=bodies)
    def run(body: bytes) -> None:
        check(api, route, body)

    run()
