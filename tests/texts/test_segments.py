"""Segments as the phone network counts them: GSM-7 (160, 153 per part) or UCS-2 (70,
67 per part), extension characters taking two septets, emoji two code units."""

from __future__ import annotations

from groundswell.texts.segments import GSM7, UCS2, count


def test_plain_text_up_to_160_characters_is_one_gsm7_segment() -> None:
    one = count("a" * 160)
    assert (one.encoding, one.units, one.count) == (GSM7, 160, 1)
    two = count("a" * 161)
    assert (two.count, two.per_segment) == (2, 153)
    assert count("a" * 306).count == 2 and count("a" * 307).count == 3


def test_spanish_with_n_e_acute_and_inverted_marks_stays_gsm7() -> None:
    assert count("¿Vienes mañana? ¡Él también, y Begüé! Ñ").encoding == GSM7


def test_one_i_acute_sends_the_whole_spanish_text_in_ucs2() -> None:
    found = count("¿Vienes mañana? ¡Sí!")
    assert found.encoding == UCS2 and found.unicode_characters == ("í",)
    assert found.per_segment == 70


def test_a_e_i_o_u_with_acute_accents_are_not_gsm7_except_e() -> None:
    assert count("é É").encoding == GSM7
    for char in "áíóúÁÍÓÚ":
        assert count(char).encoding == UCS2, char


def test_the_euro_and_brackets_take_two_septets_each() -> None:
    assert count("€").units == 2
    assert count("[x]").units == 5
    full = count("€" * 80)
    assert (full.encoding, full.units, full.count) == (GSM7, 160, 1)
    assert count("€" * 81).count == 2
    # A part never splits an escape pair: 306 septets, yet three parts.
    assert count("a" * 152 + "€" + "a" * 152).count == 3


def test_unicode_texts_hold_70_then_67_per_part_and_emoji_take_two() -> None:
    assert count("ó" * 70).count == 1 and count("ó" * 71).count == 2
    assert count("ó" * 134).count == 2 and count("ó" * 135).count == 3
    assert count("✊").units == 1  # in the Basic Multilingual Plane
    party = count("🎉" * 35)
    assert (party.encoding, party.units, party.count) == (UCS2, 70, 1)
    assert count("🎉" * 36).count == 2
    # 33 emoji fill 66 units of a part; the 34th does not fit into the one left.
    assert count("🎉" * 34 + "a" * 67).count == 3


def test_an_empty_text_takes_no_segment() -> None:
    assert count("").count == 0


def test_the_line_we_add_keeps_a_plain_text_plain_in_every_language() -> None:
    from groundswell.texts.actions import LANGUAGES
    from groundswell.texts.compose import measure

    for language in LANGUAGES:
        assert measure("Action Now", "See you Saturday", language).encoding == GSM7, language
