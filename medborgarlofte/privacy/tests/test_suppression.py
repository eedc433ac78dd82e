from medborgarlofte.privacy.suppression import suppress, suppress_table, suppress_total


def test_it_hides_counts_from_one_to_four_and_keeps_zero_and_five():
    assert suppress({"a": 0, "b": 4, "c": 5, "d": 1, "e": 9}) == {
        "a": 0,
        "b": None,
        "c": 5,
        "d": None,
        "e": 9,
    }


def test_it_hides_a_second_cell_when_only_one_is_small():
    assert suppress({"klotter": 7, "brand": 2, "inbrott": 9}) == {
        "klotter": None,
        "brand": None,
        "inbrott": 9,
    }


def test_it_can_skip_complementary_suppression():
    assert suppress({"a": 7, "b": 2}, complementary=False) == {"a": 7, "b": None}


def test_it_uses_the_threshold_given():
    assert suppress({"a": 9, "b": 10, "c": 11}, threshold=10) == {"a": None, "b": None, "c": 11}


def test_it_hides_a_small_total():
    assert (suppress_total(3), suppress_total(0), suppress_total(12)) == (None, 0, 12)


def test_it_suppresses_one_column_of_rows():
    rows = [{"place": "x", "n": 2}, {"place": "y", "n": 8}, {"place": "z", "n": 6}]
    assert [r["n"] for r in suppress_table(rows, "n")] == [None, 8, None]
