"""Paper text as the map shows it: LaTeX and markup cleaned for reading, readable dates, periods, safe links."""

from __future__ import annotations

import pytest

from kg.export.html.text import display_date, display_text, period_key, period_label, safe_url


@pytest.mark.parametrize("raw, shown", [
    (r"74.4\% top-1", "74.4% top-1"),
    (r"\textbf{SQuAD}~\cite{rajpurkar}", "SQuAD"),
    (r"\emph{\textbf{nested}} and \texttt{code}", "nested and code"),
    (r"$\alpha=0.5$, $\beta$ and $O(n^2)$", "\u03b1=0.5, \u03b2 and O(n^2)"),
    (r"a $10^{-3}$ rate, $x_{t}$ and $W_{in}$", "a 10\u207b\u00b3 rate, x_t and W_(in)"),
    (r"$5\times$ faster, $\pm 0.2$, $\leq 3$", "5\u00d7 faster, \u00b1 0.2, \u2264 3"),
    ("costs $5 and $10 a month", "costs $5 and $10 a month"),  # money, not math
    ("Fig.~3 but ~3x faster", "Fig. 3 but ~3x faster"),
    (r"R\&D with 5\_000 steps \#1", "R&D with 5_000 steps #1"),
    ("A <b>study</b> of <i>it</i><sup>2</sup>", "A study of it2"),
    ("<img src=x onerror=alert(1)> stays", "<img src=x onerror=alert(1)> stays"),  # text, shown as text
    ("a\r\n b\t\u2028c", "a b c"),
    ("\\", "\\"),
    (r"\unknown{x} stays", r"\unknown{x} stays"),
])
def test_display_text(raw, shown):
    assert display_text(raw) == shown


@pytest.mark.parametrize("raw, shown", [
    ("--03-11", "Mar 11"), ("--12", "Dec"), ("2024-03", "Mar 2024"), ("2024-03-11", "2024-03-11"),
    ("2024", "2024"), (None, None), ("", None), ("--13-01", "--13-01"), ("May 3", "May 3"),
])
def test_display_date(raw, shown):
    assert display_date(raw) == shown


def test_periods():
    assert period_key("2024-03-11") == "2024-03" and period_key("2024-03-11", by_year=True) == "2024"
    assert period_key("--03-11") == "--03" and period_key("2024") == "2024"
    assert period_key(None) is None and period_key("May 3") is None
    assert period_label("--03") == "Mar (no year)" and period_label("2024-03") == "Mar 2024"


def test_safe_url():
    assert safe_url(" https://arxiv.org/abs/1 ") == "https://arxiv.org/abs/1"
    assert safe_url("javascript:alert(1)") is None and safe_url("//evil") is None and safe_url(None) is None
    assert safe_url("http://[::1") is None  # urlsplit raises on it


def test_whitespace_collapses_at_every_character_the_regex_calls_whitespace():
    import re

    spaces = [chr(c) for c in range(0x110000) if re.fullmatch(r"\s", chr(c))]
    assert "\x1c" in spaces and "\u2028" in spaces and "\u3000" in spaces
    for sp in spaces:
        raw = f"{sp}a{sp}{sp}b {sp}c{sp}"
        assert display_text(raw) == re.sub(r"\s+", " ", raw).strip() == "a b c", repr(sp)


@pytest.mark.parametrize("url", [
    "https://arxiv.org/abs/2401.00001v2", "HTTP://Example.org:8080/a/b?q=1&r=[2]#frag", "https://a", "http://a:",
    "https://[::1]/x", "https://[::1", "http://:80/", "https:///path", "https://ex ample.org", " https://x.org ",
    "https://x.org/a b", "https://\u4f8b\u3048.jp/", "javascript:alert(1)", "ftp://x.org", "//x.org/a", "http:x.org",
])
def test_safe_url_fast_path_agrees_with_urlsplit(url):
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        want = url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None
    except ValueError:
        want = None
    assert safe_url(url) == want


@pytest.mark.parametrize("abstract", [
    "word " * 300,  # long, no markup: only its start is cleaned
    " \n\t " * 250 + "late words " * 50,  # the start collapses to nothing: the whole is cleaned
    "plain words " * 80 + r"then \textbf{markup} at the end",  # markup anywhere: the whole is cleaned
    "a" * 1000,  # one long word, cut without a space
    "short abstract",
])
def test_a_long_abstract_is_cut_as_if_it_had_been_cleaned_whole(abstract):
    from kg.export.html.data import ABSTRACT_MAX_CHARS, _abstract, _cut

    assert _abstract(abstract) == _cut(display_text(abstract), ABSTRACT_MAX_CHARS)
