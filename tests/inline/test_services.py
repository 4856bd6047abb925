"""Anchoring a passage and finding it again after the statement changes."""

from __future__ import annotations

import time

import pytest

from tribuna.inline.services import (
    POSITION,
    QUOTE,
    InvalidAnchor,
    Quote,
    locate,
    parse,
    reanchor,
    selectors_for,
)

TEXT = "The fund is paid for by a levy on bottled water. The levy is reviewed every year by the council."


def anchor_of(text: str, exact: str, occurrence: int = 0) -> Quote:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(exact, start + 1)
    return parse(selectors_for(text, start, start + len(exact)))


def test_it_names_a_passage_by_quote_with_context_and_by_position():
    start = TEXT.index("bottled water")
    quote, position = selectors_for(TEXT, start, start + len("bottled water"))
    assert quote == {
        "type": QUOTE,
        "exact": "bottled water",
        "prefix": "e fund is paid for by a levy on ",
        "suffix": ". The levy is reviewed every yea",
    }
    assert position == {"type": POSITION, "start": start, "end": start + 13}


def test_it_keeps_context_short_at_the_edges_of_the_text():
    quote, _ = selectors_for(TEXT, 0, 3)
    assert quote["prefix"] == "" and quote["exact"] == "The"


def test_it_finds_a_passage_by_position_when_the_text_there_is_unchanged():
    assert locate(TEXT, anchor_of(TEXT, "levy", 1)) == (
        TEXT.index("The levy") + 4,
        TEXT.index("The levy") + 8,
    )


def test_it_finds_a_moved_passage_by_its_quote():
    old = anchor_of(TEXT, "reviewed every year")
    new_text = "A new opening sentence. " + TEXT
    start = new_text.index("reviewed every year")
    assert locate(new_text, old) == (start, start + len("reviewed every year"))


def test_it_tells_repeated_quotes_apart_by_their_context():
    old = anchor_of(TEXT, "levy", 1)  # the second "levy": "The levy is reviewed"
    new_text = "Intro. " + TEXT
    second = new_text.index("The levy") + 4
    assert locate(new_text, old) == (second, second + 4)


def test_it_finds_a_lightly_edited_passage_by_fuzzy_match():
    old = anchor_of(TEXT, "The levy is reviewed every year by the council")
    new_text = TEXT.replace("The levy is reviewed every year", "The levy is reviewed each year")
    start, end = locate(new_text, old)
    assert new_text[start:end] == "The levy is reviewed each year by the council"


def test_it_gives_up_on_a_passage_that_was_rewritten():
    old = anchor_of(TEXT, "a levy on bottled water")
    assert locate("Something else entirely, about parks and trees.", old) is None


def test_it_finds_a_quote_whose_whitespace_differs():
    assert locate("First paragraph.\nSecond one.", Quote("paragraph. Second"), fuzzy=False) == (6, 23)


def test_it_aligns_a_long_passage_in_a_long_repetitive_text_quickly():
    text = "lorem ipsum dolor sit amet " * 4000
    exact = text[50_000:52_000].replace("dolor", "dolour", 3) + "unfound"
    started = time.perf_counter()
    locate(text, Quote(exact, start=50_000, end=52_007))
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    "selectors, message",
    [
        ([], "list of selectors"),
        ([{"type": "CssSelector", "value": "p"}], "must be of type"),
        ([{"type": POSITION, "start": 1, "end": 3}], "needs a TextQuoteSelector"),
        ([{"type": QUOTE, "exact": "  "}], "empty"),
        ([{"type": QUOTE, "exact": "x" * 2001}], "at most 2000"),
        ([{"type": QUOTE, "exact": 5}], "strings"),
        ([{"type": QUOTE, "exact": "levy"}, {"type": POSITION, "start": 5, "end": 2}], "0 <= start < end"),
    ],
)
def test_it_refuses_malformed_selectors(selectors, message):
    with pytest.raises(InvalidAnchor, match=message):
        parse(selectors)


def test_it_reanchors_every_comment_in_one_read_and_one_write(
    passage_statement, passage_thread, post_passage, django_assert_max_num_queries
):
    for exact in ("independent board", "levy on bottled water", "public water fund"):
        assert post_passage([{"type": QUOTE, "exact": exact}]).status_code == 201
    passage_statement.text = "Preface.\n\n" + passage_statement.text.replace(
        "bottled water", "bottled drinks"
    )
    passage_statement.save()
    revision = passage_statement.current_revision
    with django_assert_max_num_queries(5):  # comments, bulk update, questions, version bump (+ savepoint)
        reanchor(passage_statement, revision)
