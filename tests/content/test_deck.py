from companion.content.deck import card_id, parse_deck


def test_question_answer_blocks_with_multiline_answers():
    deck = parse_deck(
        "Q: What is SGD?\nA: Gradient descent\non mini-batches.\n\nQ: Next?\nA: Yes\n"
    )
    assert [(c.front, c.back) for c in deck.cards] == [
        ("What is SGD?", "Gradient descent\non mini-batches."),
        ("Next?", "Yes"),
    ]
    assert deck.problems == []


def test_one_line_cards_and_code_spans():
    deck = parse_deck("ReLU :: max(0, x)\nUse `std::vector` in prose, not a card.\n")
    assert [(c.front, c.back) for c in deck.cards] == [("ReLU", "max(0, x)")]


def test_cloze_one_card_per_number_with_hint():
    deck = parse_deck("The {{c1::gradient::symbol}} points to {{c2::steepest ascent}}.\n")
    fronts = sorted(card.front for card in deck.cards)
    assert fronts == ["The [symbol] points to steepest ascent.", "The gradient points to [...]."]
    assert {card.back for card in deck.cards} == {"The gradient points to steepest ascent."}


def test_unnumbered_cloze_each_become_a_card():
    deck = parse_deck("Plain {{one}} and {{two}}.\n")
    assert len(deck.cards) == 2


def test_malformed_entries_are_reported_with_file_and_line_and_skipped():
    text = "Q: lonely question\n\nbroken ::\nbad {{ open\nA: orphan\ngood :: card\n"
    deck = parse_deck(text, source="deck.md")
    assert [c.front for c in deck.cards] == ["good"]
    assert deck.problems == [
        "deck.md:1: question without an answer (add an 'A:' line)",
        "deck.md:3: '::' card needs text on both sides",
        "deck.md:4: unclosed or empty cloze '{{'",
        "deck.md:5: answer without a question",
    ]


def test_identity_ignores_whitespace_but_not_wording():
    assert card_id("basic", "What  is x?", "y") == card_id("basic", "What is x?\n", " y")
    assert card_id("basic", "What is x?", "y") != card_id("basic", "What is z?", "y")


def test_square_brackets_and_escapes_stay_text():
    deck = parse_deck("[bold]front[/] :: [link=x]back\n")
    assert deck.cards[0].front == "[bold]front[/]"
    assert deck.cards[0].back == "[link=x]back"
