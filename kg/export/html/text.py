"""Paper text as the map shows it: LaTeX and inline markup cleaned for reading, dates made readable, safe links.

Only the map uses these: the RDF keeps every string as the paper gave it. Cleaning is for reading,
not for safety (the page puts text on screen with textContent only), so anything not recognised
is left as it is.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["display_text", "display_date", "period_key", "period_label", "safe_url"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: Symbols written as commands, in math or out of it.
_SYMBOLS = {
    "times": "\u00d7", "pm": "\u00b1", "mp": "\u2213", "leq": "\u2264", "le": "\u2264", "geq": "\u2265",
    "ge": "\u2265", "neq": "\u2260", "approx": "\u2248", "sim": "~", "simeq": "\u2243", "cdot": "\u00b7",
    "infty": "\u221e", "rightarrow": "\u2192", "to": "\u2192", "leftarrow": "\u2190", "Rightarrow": "\u21d2",
    "uparrow": "\u2191", "downarrow": "\u2193", "ell": "\u2113", "partial": "\u2202", "nabla": "\u2207",
    "sum": "\u2211", "prod": "\u220f", "in": "\u2208", "circ": "\u2218", "degree": "\u00b0", "ldots": "\u2026",
    "dots": "\u2026", "cdots": "\u22ef", "log": "log", "exp": "exp", "max": "max", "min": "min",
    "alpha": "\u03b1", "beta": "\u03b2", "gamma": "\u03b3", "delta": "\u03b4", "epsilon": "\u03b5",
    "varepsilon": "\u03b5", "zeta": "\u03b6", "eta": "\u03b7", "theta": "\u03b8", "kappa": "\u03ba",
    "lambda": "\u03bb", "mu": "\u03bc", "nu": "\u03bd", "xi": "\u03be", "pi": "\u03c0", "rho": "\u03c1",
    "sigma": "\u03c3", "tau": "\u03c4", "phi": "\u03c6", "varphi": "\u03c6", "chi": "\u03c7", "psi": "\u03c8",
    "omega": "\u03c9", "Gamma": "\u0393", "Delta": "\u0394", "Theta": "\u0398", "Lambda": "\u039b",
    "Sigma": "\u03a3", "Phi": "\u03a6", "Psi": "\u03a8", "Omega": "\u03a9",
}
#: Commands whose argument is the text to keep (formatting only).
_KEEP_ARG = ("textbf", "textit", "emph", "texttt", "textsc", "textrm", "textsf", "underline", "text", "mathrm",
             "mathbf", "mathit", "mathsf", "mathtt", "mathcal", "mathbb", "boldsymbol", "bm", "operatorname", "url")
#: Commands dropped with their argument (references that mean nothing outside the paper).
_DROP_ARG = ("cite", "citep", "citet", "citealp", "citeauthor", "label", "footnote", "ref", "eqref", "autoref")

_KEEP_RE = re.compile(r"\\(?:" + "|".join(_KEEP_ARG) + r")\s*\{([^{}]*)\}")
_DROP_RE = re.compile(r"[ ~]?\\(?:" + "|".join(_DROP_ARG) + r")\*?(?:\[[^\]]*\])?\{[^{}]*\}")
_SYMBOL_RE = re.compile(r"\\(" + "|".join(sorted(_SYMBOLS, key=len, reverse=True)) + r")(?![A-Za-z])")
_ESCAPED = re.compile(r"\\([%&_#${}])")
# Inline math: $...$ with no space just inside either dollar, so "$5 and $10" stays as it is.
_MATH = re.compile(r"\$(?=[^\s$])([^$\n]{1,120}?)(?<=[^\s\\])\$")
_SCRIPT = re.compile(r"([_^])\{([^{}]*)\}")
_TILDE = re.compile(r"(?<=\S)~(?=\S)")
# Bare formatting tags with no attributes (as in arXiv titles); anything with attributes stays text.
_TAGS = re.compile(r"</?(?:b|i|em|strong|sub|sup|u|tt|code|small|br)\s*/?>", re.I)


_SUPERSCRIPT = str.maketrans("0123456789+-=()n", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207a\u207b\u207c\u207d\u207e\u207f")


def _script(m: re.Match) -> str:
    """x^{-3} -> x⁻³ when every character has a superscript form, else x^(...); x_{t} -> x_t."""
    mark, body = m.group(1), m.group(2)
    if mark == "^":
        up = body.translate(_SUPERSCRIPT)
        return up if all(c not in up for c in body if c != "=") and body else f"^({body})"
    return f"_{body}" if len(body) <= 1 else f"_({body})"


def _math(m: re.Match) -> str:
    inner = _SCRIPT.sub(_script, m.group(1))
    return inner.replace("{", "").replace("}", "")


#: The characters that make display_text do more than collapse whitespace (LaTeX, ties, tags).
MARKUP_CHARS = "\\$~<"


def display_text(text: object) -> str:
    """`text` for reading: LaTeX escapes, formatting commands, inline math, `~` ties and bare
    formatting tags cleaned, references dropped, whitespace collapsed.

    >>> display_text(r"reaches 74.4\\% on \\textbf{SQuAD}~\\cite{x} with $\\alpha=0.5$, i.e. $10^{-3}$")
    'reaches 74.4% on SQuAD with \u03b1=0.5, i.e. 10\u207b\u00b3'
    >>> display_text("A <b>study</b> of <img src=x>")
    'A study of <img src=x>'
    """
    s = str(text)
    if "\\" in s or "$" in s or "~" in s:
        s = _DROP_RE.sub("", s)
        for _ in range(3):  # nested formatting: \textbf{\emph{x}}
            s, n = _KEEP_RE.subn(r"\1", s)
            if not n:
                break
        s = _SYMBOL_RE.sub(lambda m: _SYMBOLS[m.group(1)], s)
        s = _MATH.sub(_math, s)
        s = _ESCAPED.sub(r"\1", s)
        s = _TILDE.sub(" ", s)
    if "<" in s:
        s = _TAGS.sub("", s)
    # str.split() splits at exactly the characters the regex \s matches: the same as re.sub(r"\s+", " ", s).strip(),
    # several times faster on an abstract (tests/test_html_text.py checks every whitespace character).
    return " ".join(s.split())


def display_date(date: object) -> str | None:
    """A paper's date as a reader wants it: "--03-11" (a listing page's month and day, no year) -> "Mar 11",
    "2024-03" -> "Mar 2024"; full dates and years stay ISO; None when there is none.

    >>> display_date("--03-11"), display_date("2024-03"), display_date("2024-03-11"), display_date(None)
    ('Mar 11', 'Mar 2024', '2024-03-11', None)
    """
    if not date:
        return None
    s = str(date)
    m = re.fullmatch(r"--(\d\d)(?:-(\d\d))?", s)
    if m and 1 <= int(m.group(1)) <= 12:
        month = _MONTHS[int(m.group(1)) - 1]
        return f"{month} {int(m.group(2))}" if m.group(2) else month
    m = re.fullmatch(r"(\d{4})-(\d\d)", s)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{_MONTHS[int(m.group(2)) - 1]} {m.group(1)}"
    return s


def period_key(date: object, by_year: bool = False) -> str | None:
    """The period a date falls in: "2024-03" (or "2024" `by_year`), "--03" for a month without a year, else None."""
    if not date:
        return None
    s = str(date)
    m = re.match(r"(\d{4})(?:-(\d\d))?", s)
    if m:
        return m.group(1) if by_year or not m.group(2) else f"{m.group(1)}-{m.group(2)}"
    m = re.match(r"--(\d\d)", s)
    return f"--{m.group(1)}" if m and 1 <= int(m.group(1)) <= 12 else None


def period_label(key: str) -> str:
    """ "2024-03" -> "Mar 2024", "--03" -> "Mar (no year)", "2024" -> "2024"."""
    if key.startswith("--"):
        return f"{_MONTHS[int(key[2:4]) - 1]} (no year)"
    return display_date(key) or key


#: URLs urlsplit surely reads as http(s) with a host and no error (ASCII, no space, a plain host[:port]): the
#: common case, decided without it (urlsplit took a quarter of the map's time on 100,000 papers).
_PLAIN_URL = re.compile(r"(?i:https?)://[A-Za-z0-9.-]+(?::[0-9]*)?(?:[/?#][!-~]*)?")


def safe_url(url: object) -> str | None:
    """`url` if it is an absolute http(s) URL (a link the page may offer), else None."""
    if not isinstance(url, str):
        return None
    if _PLAIN_URL.fullmatch(url):
        return url
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None
