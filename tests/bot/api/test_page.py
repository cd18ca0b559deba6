"""The web page's side of the API: what it calls besides /ask."""

import httpx


def test_sources_lists_each_outlet_with_its_articles(api: httpx.Client) -> None:
    response = api.get("/sources")

    assert response.status_code == 200
    assert response.json() == {
        "sources": [{"name": "NBC News", "articles": 1}, {"name": "PBS NewsHour", "articles": 1}]
    }
