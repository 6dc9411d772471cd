"""CSV cells a spreadsheet shows as text and never runs as a formula (OWASP "CSV injection")."""

from __future__ import annotations

import re

__all__ = ["FORMULA_STARTS", "safe_cell"]

#: A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets
#: (tab and carriage return too: some strip them and read on); the full-width forms are taken as the
#: ASCII ones by spreadsheets in East Asian locales.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A plain decimal number ("-0.5", "+3", "-1e-05"), which a spreadsheet reads as that number and which
# cannot call anything: left as it is, so scores stay numbers. float() would also take "-inf", "-nan"
# and "-1_0"; those are quoted.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: str) -> str:
    """`value` with a single quote in front if a spreadsheet would run it as a formula.

    Every CSV paperkg writes is meant to pass its cells through here (kg export csv, centrality.csv,
    the SPARQL results of kg query --format csv and the endpoint). The quote is what Excel and
    LibreOffice show as "text follows" and hide; other readers see it as part of the value.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("@SUM(A1)"), safe_cell("C++"), safe_cell("-0.5"), safe_cell("-1+2")
    ("'=HYPERLINK(1)", "'@SUM(A1)", 'C++', '-0.5', "'-1+2")
    """
    if value[:1] in FORMULA_STARTS and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
