"""Site furniture cut from scraped text, as whole paragraphs and where a scraper glued it into
running text; prose that only looks like furniture survives."""

import pytest

from retrieval.ingest.clean import clean_article_text

BODY = "The minister arrived in Rome on Thursday for talks. He met his counterpart for two hours."


# --- 2. boilerplate ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "junk",
    [
        "Share",
        "Share this article",
        "Email Facebook Twitter LinkedIn Pinterest Tumblr",
        "Share on Facebook Share on Twitter",
        "Leave your feedback",
        "Copy URL https://example.com/news/story",
        "Advertisement",
        "Read more: Five things to know about the talks",
        "Related: Kerry meets Lavrov in Paris",
        "Breaking News Emails",
        "Get breaking news alerts and special reports. The news and stories that matter,"
        " delivered weekday mornings.",
        "Sign up for our newsletter",
        "Subscribe to our daily newsletter for the latest headlines.",
        "We use cookies to improve your experience. By continuing to use this site, you agree.",
        "We're not going anywhere. Stand up for truly independent, trusted news that you can"
        " count on! Donate now",
        "By Jane Doe",
        "By — Joshua Barajas Joshua Barajas",
        "Video by Associated Press",
        "— Reuters",
        "Officials meet in Rome on March 6, 2014. KEVIN LAMARQUE / AFP - Getty Images",
        "The president speaks by phone in Key Largo, Florida.Pete Souza / The White House",
        "Protesters gather outside the embassy. (AP Photo/Evan Vucci)",
        "Smoke rises over the city. Photo: Reuters",
    ],
)
def test_boilerplate_paragraph_is_dropped(junk: str) -> None:
    assert clean_article_text(f"{BODY}\n\n{junk}\n\nThe talks ended at noon.") == (
        f"{BODY}\n\nThe talks ended at noon."
    )


def test_only_boilerplate_gives_empty_text() -> None:
    text = "Share\n\nEmail Facebook Twitter\n\nAdvertisement\n\nSign up for our newsletter\n\n— AP"
    assert clean_article_text(text) == ""


def test_glued_share_bar_and_bylines_are_cut_from_a_long_line() -> None:
    text = (
        "By — Jane Doe Jane Doe Leave your feedback Share Copy URL https://x.org/a"
        " Email Facebook Twitter LinkedIn Share on Facebook " + BODY
    )
    assert clean_article_text(text) == BODY


def test_glued_advertisement_and_donation_are_cut() -> None:
    text = (
        "The minister arrived on Thursday. Advertisement He met his counterpart."
        " We're not going anywhere. Stand up for truly independent, trusted news that you can"
        " count on! Donate now"
    )
    assert clean_article_text(text) == "The minister arrived on Thursday. He met his counterpart."


def test_glued_newsletter_prompts_are_cut() -> None:
    text = (
        "Kerry left Rome. Sign up for our newsletter Lavrov stayed behind. Breaking News Emails"
        " Get breaking news alerts and special reports. The talks ended."
    )
    assert clean_article_text(text) == "Kerry left Rome. Lavrov stayed behind. The talks ended."


def test_byline_before_a_dateline_keeps_the_dateline() -> None:
    text = "By Jane Doe WASHINGTON — The Senate voted on Friday."
    assert clean_article_text(text) == "WASHINGTON — The Senate voted on Friday."


def test_author_bio_after_a_byline_is_dropped() -> None:
    text = (
        f"By — Jane Doe Jane Doe {BODY} By — Jane Doe Jane Doe Jane Doe is a senior reporter for"
        " the Daily Planet. She covers the State Department. @janedoe"
    )
    assert clean_article_text(text) == BODY


def test_bio_paragraph_ending_in_a_handle_is_dropped() -> None:
    text = f"{BODY}\n\nJohn Smith is a correspondent for the Daily Planet in Moscow. @jsmith"
    assert clean_article_text(text) == BODY


def test_caption_before_a_byline_is_dropped() -> None:
    text = (
        "Kerry and Lavrov meet in Rome. KEVIN LAMARQUE / AFP - Getty Images By Jane Doe Jane Doe "
        + BODY
    )
    assert clean_article_text(text) == BODY


def test_long_paragraph_ending_in_a_credit_loses_only_the_caption() -> None:
    body = " ".join(f"Sentence number {n} of the story is here." for n in range(8))
    text = f"{body} Kerry waves to reporters. (AP Photo/Evan Vucci)"
    assert clean_article_text(text) == body


def test_video_credit_and_dash_rule_are_cut() -> None:
    text = "The talks ended. —————— Video by PBS NewsHour The ministers left Rome."
    assert clean_article_text(text) == "The talks ended.\n\nThe ministers left Rome."


def test_embedded_tweets_are_cut() -> None:
    text = (
        "Kerry arrived in Paris. In Paris to meet @JohnKerry and others on #Ukraine. Time for"
        " talks — William Hague (@WilliamJHague) March 5, 2014 Russia did not attend the meeting."
        " .@WilliamJHague meets #Ukraine minister pic.twitter.com/Ha3Dx9hBGc — Foreign Office"
        " (@FCDOGovUK) March 5, 2014 The ministers left."
    )
    assert clean_article_text(text) == (
        "Kerry arrived in Paris.\n\nRussia did not attend the meeting.\n\nThe ministers left."
    )


def test_agency_sign_off_glued_to_the_last_paragraph_is_cut() -> None:
    assert clean_article_text(f"{BODY} — Reuters") == BODY


def test_section_and_timestamp_header_is_cut() -> None:
    assert clean_article_text(f"World Mar 7, 2014 1:28 PM EDT {BODY}") == BODY


@pytest.mark.parametrize(
    "prose",
    [
        "Shares of Twitter rose 5% on Monday.",
        "Readers can share the story on Facebook, Twitter or by email.",
        "Advertisement revenue fell sharply in the first quarter.",
        "He said he would read more about the Budapest Memorandum.",
        "By Friday, the troops had left the peninsula.",
        "The company, based in San Francisco, makes software.",
        "Support for the plan fell to 40 percent.",
    ],
)
def test_prose_with_boilerplate_words_survives(prose: str) -> None:
    assert clean_article_text(prose) == prose
