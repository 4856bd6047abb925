from tribuna.lib.text import clean_line, clean_text, is_row_id, skeleton


def test_clean_text_normalises_to_nfc_and_keeps_newlines():
    assert clean_text("Cafe\u0301\r\nline two") == "Café\nline two"


def test_clean_text_drops_control_characters_and_bidi_overrides():
    assert clean_text("a\x00b\x07c\u202ed") == "abcd"


def test_clean_line_removes_line_breaks_and_invisible_characters():
    assert clean_line("Ev\u200bil\u2028Name\r\nX-Header: 1") == "Evil Name X-Header: 1"
    assert clean_line("\u202eadmin\u2066") == "admin"


def test_skeleton_catches_look_alike_names():
    assert skeleton("Mоderatоr") == skeleton("moderator")  # Cyrillic o
    assert skeleton("ＭＯＤＥＲＡＴＯＲ") == skeleton("moderator")  # fullwidth


def test_row_ids_are_ascii_digits_a_column_holds():
    assert is_row_id("12") and is_row_id(12)
    assert not is_row_id("²") and not is_row_id("٣")  # digits to isdigit(), not to int() or the database
    assert not is_row_id("9" * 30) and not is_row_id("-1") and not is_row_id("")
