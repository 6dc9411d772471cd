"""Repository links whose underscore a listing page rendered as a space are rejoined, and only those."""

from __future__ import annotations

import pytest

from kg.extract.repos import find_repos


@pytest.mark.parametrize("text,expected", [
    ("Our code is available at: https://github.com/lab/XYZ QRS.", ["https://github.com/lab/XYZ_QRS"]),
    ("Code: https://github.com/lab/NET V2\nNext line", ["https://github.com/lab/NET_V2"]),
])
def test_split_capital_repo_name_is_rejoined(text, expected):
    assert find_repos(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Code at https://github.com/lab/xyz Soon.", ["https://github.com/lab/xyz"]),  # lower-case repo name
    ("Code at https://github.com/lab/XYZ for the QRS task.", ["https://github.com/lab/XYZ"]),  # sentence goes on
    ("Code at https://github.com/lab/XYZ. QRS follows.", ["https://github.com/lab/XYZ"]),  # new sentence
])
def test_ordinary_words_after_a_url_are_left_alone(text, expected):
    assert find_repos(text) == expected
