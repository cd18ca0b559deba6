"""The verifier reads a model's answer against the seed passages it was given, with the real model."""

import pytest

from bot.wiring import Services
from retrieval.answer.verify import claims
from retrieval.records import Hit, SearchRequest
from tests.helpers import NBC


@pytest.fixture(scope="module")
def sources(seeded: Services) -> list[Hit]:
    """The four passages a model is shown for the Kerry question; [1] is the NBC call."""
    hits = seeded.searcher.retrieve(SearchRequest("What did Kerry tell Lavrov on Saturday?")).hits
    assert hits[0].article_id == NBC
    return hits[:4]


def check(seeded: Services, sources: list[Hit], answer: str) -> list[tuple[str, str | None]]:
    return [(c.text, c.problem) for c in claims(answer, sources, seeded.index.embedder)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Kerry told Lavrov in a phone call on Saturday that any Russian move to annex Crimea "
        "would close the door to diplomacy [1].",
        "On March 8, Kerry urged Russia to exercise utmost restraint [1].",  # "on Saturday", 8 March
        "Kerry told Lavrov that annexing Crimea would close the door to diplomacy. [1]",
        "Kerry told Lavrov that annexing Crimea would close the door to diplomacy [Source 1].",
    ],
)
def test_a_paraphrase_of_its_source_is_kept(
    seeded: Services, sources: list[Hit], sentence: str
) -> None:
    [(_, problem)] = check(seeded, sources, sentence)
    assert problem is None


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        ("Kerry told Lavrov that 40,000 American troops would defend Crimea [1].", "40,000"),
        ("Kerry also spoke with Angela Merkel about Crimea [1].", "Angela"),
        ("The weather in Moscow was cold and snowy [1].", "Moscow"),
        ("Kerry told Lavrov that annexing Crimea would close the door to diplomacy.", "cites no"),
        ("Kerry told Lavrov that annexing Crimea would close the door to diplomacy [7].", "7"),
        ("Kerry predicted a swift military victory and lower oil prices [1].", "words"),
    ],
)
def test_a_sentence_its_source_does_not_support_is_caught(
    seeded: Services, sources: list[Hit], sentence: str, problem: str
) -> None:
    [(_, found)] = check(seeded, sources, sentence)
    assert found is not None and problem in found


def test_each_sentence_is_judged_on_its_own(seeded: Services, sources: list[Hit]) -> None:
    answer = (
        "**Kerry** told Lavrov that annexing Crimea would close the door to diplomacy [1]. "
        "He also promised Ukraine 12 fighter jets [1][2].\n- The sources don't say."
    )
    checked = claims(answer, sources, seeded.index.embedder)
    assert [c.supported for c in checked] == [True, False, False]
    assert checked[0].text.startswith("Kerry told Lavrov")  # formatting and markers stripped
    assert checked[1].cited == (1, 2)
    assert checked[2].declines
    assert sources[0].sentence_text(checked[0].quotes[1]).startswith("WASHINGTON — U.S. Secretary")
