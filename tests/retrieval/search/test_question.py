"""Reading a question for who speaks to whom, and what kind of answer it wants."""

import pytest

from retrieval.search.answer_kinds import has_shape, names_office, office, shape
from retrieval.search.question import analyse, asking
from retrieval.search.speakers import Roles, roles, speaker_score

KERRY_TOLD_LAVROV = (
    "U.S. Secretary of State John Kerry told Russian Foreign Minister Sergei Lavrov in a "
    "telephone call on Saturday that any Russian steps to annex Crimea would close the door."
)
LAVROV_SAID = "Lavrov said the sanctions would hit the United States like a boomerang."


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did Kerry tell Lavrov?", Roles(("kerry",), ("lavrov",))),
        ("what did Lavrov say on Saturday?", Roles(("lavrov",), ())),
        ("What did the Mayor tell the council?", Roles(("mayor",), ())),
        ("What is the capital of Australia?", None),
    ],
)
def test_roles_are_read_whatever_the_first_letter(question: str, expected: Roles | None) -> None:
    assert roles(question) == expected


def test_the_speaker_being_told_is_not_the_one_speaking() -> None:
    lavrov = roles("What did Lavrov say?")
    assert lavrov is not None

    assert speaker_score(KERRY_TOLD_LAVROV, lavrov) == -1
    assert speaker_score(LAVROV_SAID, lavrov) == 1


def test_someone_else_speaking_is_not_the_speaker_asked_about() -> None:
    lavrov = roles("What did Lavrov say?")
    assert lavrov is not None

    assert speaker_score("He urged restraint, the official said.", lavrov) == -1
    assert speaker_score("He urged restraint, he said.", lavrov) == 0
    assert speaker_score("The official said Lavrov was in Rome.", lavrov) == 0
    after_meeting = (
        "After meeting with Russian Foreign Minister Sergey Lavrov and other European "
        "counterparts in Paris, U.S. Secretary of State John Kerry said they all agreed."
    )
    assert speaker_score(after_meeting, lavrov) == 0
    assert speaker_score("Lavrov, Russia's foreign minister, said no.", lavrov) == 1


def test_how_many_wants_a_quantity() -> None:
    how_many = shape("How many troops were killed?")

    assert has_shape("Six leaders agreed.", how_many)
    assert has_shape("It cost $1.2 billion.", how_many)
    assert not has_shape("Putin said the troops were local self-defence forces.", how_many)
    assert has_shape("Putin said no.", shape("Who killed the troops?"))


def test_what_year_and_which_month_want_a_year_and_a_month() -> None:
    since_when = shape("She has led the party since when?")
    which_month = shape("In which month will the emergency end?")

    assert has_shape("She has been in the role since 2017.", since_when)
    assert not has_shape("The 42-year-old said she was quitting.", since_when)
    assert has_shape("The emergency ends on May 11.", which_month)
    assert not has_shape("The emergency ends soon, the 2 officials said.", which_month)


@pytest.mark.parametrize(
    ("question", "says_it", "does_not"),
    [
        (
            "What time of day did the earthquake strike?",
            "The quake struck at 4:17 a.m. local time.",
            "Six days after the earthquake struck, crews still find survivors.",
        ),
        ("At what time did the ferry sink?", "It sank shortly after midnight.", "It sank fast."),
        (
            "What was the final score of the game?",
            "The Lakers won 133-130.",
            "James broke the record in the third quarter.",
        ),
        ("How old was she?", "She died at 118.", "She died in her sleep in Toulon."),
    ],
)
def test_a_time_a_score_or_an_age_is_wanted_when_asked(
    question: str, says_it: str, does_not: str
) -> None:
    assert has_shape(says_it, shape(question))
    assert not has_shape(does_not, shape(question))


def test_a_time_period_is_not_a_clock_time() -> None:
    assert shape("What time period did the geoglyphs date back to?") is None


def test_a_date_in_the_question_is_not_a_name_to_find_in_the_text() -> None:
    question = analyse("What did Ruiz announce on June 3?", None, {})

    assert question.names == {"ruiz"}
    assert question.dates.month_days == {(6, 3)}


@pytest.mark.parametrize(
    ("question", "says_it", "does_not"),
    [
        (
            "Who is New Zealand's finance minister?",
            "Finance Minister Grant Robertson presented the budget.",
            "Prime Minister Jacinda Ardern resigned.",
        ),
        (
            "Who is the chief executive of Norfolk Southern?",
            "Norfolk Southern CEO Alan Shaw visited the town.",
            "Norfolk Southern said it would pay for the clean-up.",
        ),
        (
            "Who chairs the safety board?",
            "The board's chairwoman, Jennifer Homendy, criticised the company.",
            "The safety board sent investigators to the site.",
        ),
        (
            "Who is the director of the CIA?",
            "CIA Director William Burns, a former ambassador, met the prime minister.",
            "Former CIA Director David Petraeus wrote a book.",
        ),
    ],
)
def test_asked_who_holds_an_office_only_a_sentence_naming_it_can_say(
    question: str, says_it: str, does_not: str
) -> None:
    asked = office(question)

    assert names_office(says_it, asked)
    assert not names_office(does_not, asked)


def test_asked_who_held_an_office_a_former_holder_can_say() -> None:
    asked = office("Who was the director of the CIA in 2012?")

    assert names_office("Former CIA Director David Petraeus wrote a book.", asked)


@pytest.mark.parametrize(
    "question",
    ["Who was Margaret's brother?", "Who were the creators of the Flintstones?", "Who won?"],
)
def test_relations_other_than_offices_are_not_held_to_their_word(question: str) -> None:
    assert office(question) is None


def test_the_words_that_only_set_the_scene_are_told_apart_from_the_ask() -> None:
    asked = analyse(
        "A winter storm flooded the coast this week. Which towns saw the heaviest rain?",
        None,
        {},
    )
    single = analyse("Which towns did the winter storm flood?", None, {})

    assert {"storm", "flood", "coast"} <= asked.context
    assert not {"town", "heaviest", "rain"} & asked.context
    assert single.context == frozenset()


def test_the_sentence_that_asks_is_read_apart_from_the_scene() -> None:
    scene = "Carnival season closed this week with parades. Mardi Gras is French for what?"

    assert asking(scene) == "Mardi Gras is French for what?"
    assert asking("What did Sen. Smith tell the U.S. envoy?") == (
        "What did Sen. Smith tell the U.S. envoy?"
    )
