"""Join codes, tokens and names."""

import pytest

from core.classroom.codes import (
    CODE_ALPHABET,
    clean_text,
    new_join_code,
    new_teacher_token,
    normalise_code,
    token_hash,
    token_matches,
)
from core.classroom.errors import ClassroomError


def test_codes_avoid_look_alikes_and_differ():
    codes = {new_join_code() for _ in range(200)}
    assert len(codes) == 200
    assert not set("0O1IL") & set(CODE_ALPHABET)


def test_a_typed_code_ignores_case_spaces_and_dashes():
    assert normalise_code(" ab3-x7 k ") == "AB3X7K"


def test_tokens_match_only_themselves():
    token = new_teacher_token()
    assert token_matches(token, token_hash(token))
    assert not token_matches(token + "a", token_hash(token))
    assert new_teacher_token() != token


def test_clean_text_trims_and_bounds():
    assert clean_text("  a\tb\n c ", 10, "name") == "a b c"
    with pytest.raises(ClassroomError, match="at most 3"):
        clean_text("abcd", 3, "name")
