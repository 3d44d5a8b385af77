"""Which pages need pdfplumber's (costly) dedupe_chars: only those printing a character twice."""

from orchestration.extraction.grids import _may_print_chars_twice


def char(text: str, x0: float, top: float) -> dict:
    return {"text": text, "x0": x0, "top": top}


def test_a_fake_bold_copy_within_a_point_is_seen_even_across_a_cell_border():
    assert _may_print_chars_twice([char("合", 100.0, 50.0), char("计", 110.0, 50.0), char("合", 100.4, 50.3)])
    assert _may_print_chars_twice([char("1", 99.9, 49.9), char("1", 100.2, 50.1)])


def test_repeated_digits_side_by_side_are_not_copies():
    digits = [char("1", 100.0 + 5.5 * i, 50.0) for i in range(6)]  # "111111"
    assert not _may_print_chars_twice(digits)
    assert not _may_print_chars_twice([char("1", 100.0, 50.0), char("1", 100.0, 62.0)])  # next row
    assert not _may_print_chars_twice([])


def test_a_copy_in_any_of_the_eight_neighbouring_cells_is_seen_whichever_comes_first():
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            first, copy = char("预", 100.5, 50.5), char("预", 100.5 + dx, 50.5 + dy)
            assert _may_print_chars_twice([first, copy]), (dx, dy)
            assert _may_print_chars_twice([copy, first]), (dx, dy)


def test_a_char_two_cells_away_is_not_a_copy():
    for dx, dy in ((2, 0), (0, 2), (-2, 1), (2, -2)):
        assert not _may_print_chars_twice([char("预", 100.5, 50.5), char("预", 100.5 + dx, 50.5 + dy)]), (dx, dy)
