from companion.srs.linking import SIMILARITY, CardText, plan_relinks, similarity


def text(value: str, deck: str = "/d/decks/ml.md", kind: str = "basic") -> CardText:
    return CardText(kind, deck, value)


def test_the_rule_is_eighty_percent_similar_same_deck_same_kind():
    assert SIMILARITY == 0.8
    old = text("What does ReLU compute?\nmax(0, x)")
    assert plan_relinks({"old": old}, {"new": text("What does ReLU compute?\nmax(0,x).")}) == [
        ("old", "new")
    ]
    assert plan_relinks({"old": old}, {"new": text("What does RELU comptue?\nmax(0, x)")}) == [
        ("old", "new")
    ]  # a typo
    assert (
        plan_relinks({"old": old}, {"new": text("Name two activation functions.\nReLU, tanh")})
        == []
    )
    assert plan_relinks({"old": old}, {"new": text(old.text, deck="/d/decks/other.md")}) == []
    assert plan_relinks({"old": old}, {"new": text(old.text, kind="cloze")}) == []


def test_best_pairs_first_and_each_card_used_once():
    missing = {
        "a": text("The gradient points uphill.\nyes"),
        "b": text("The gradient points downhill.\nno"),
    }
    fresh = {
        "a2": text("The gradient points uphill!\nyes"),
        "b2": text("The gradient points downhill!\nno"),
    }
    assert sorted(plan_relinks(missing, fresh)) == [("a", "a2"), ("b", "b2")]


def test_similarity_ignores_case_and_spacing():
    assert similarity("What  IS x?", "what is x?") == 1.0


def test_a_deletion_renumbered_into_the_place_of_a_removed_one_does_not_take_its_history():
    from companion.srs.linking import CardText, plan_relinks

    sentence_old = "The {{c1::mwzvua}} and {{c2::tpkhxk}} are words"
    sentence_new = "The mwzvua and {{c1::tpkhxk}} are words"
    # c1 hid "mwzvua" and has history; now c1 hides "tpkhxk" (mwzvua is plain text again)
    missing = {"old": CardText("cloze", "d.md", sentence_old, "1", "mwzvua")}
    fresh = {"new": CardText("cloze", "d.md", sentence_new, "1", "tpkhxk")}
    assert plan_relinks(missing, fresh) == []
    fixed = "The {{c1::mwzvva}} and {{c2::tpkhxk}} are words"
    typo = {"fix": CardText("cloze", "d.md", fixed, "1", "mwzvva")}
    assert plan_relinks(missing, typo) == [("old", "fix")]
