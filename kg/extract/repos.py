"""Find code-repository URLs in text and normalise them to https://host/owner/repo."""

from __future__ import annotations

import re

__all__ = ["find_repos", "normalise_repo"]

# Hosts whose owner/repo path names a code repository (project pages and model hubs do not).
_REPO_URL = re.compile(
    r"(?:https?://)?(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org)/"
    r"([A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)/([A-Za-z0-9_.-]+)",
    re.IGNORECASE,
)
# Listing pages render an underscore as a space (markdown), so `PETL_X` arrives as `PETL X`.
# A repo name in capitals followed by one more capitalised token that ends the sentence is
# rejoined; an ordinary word after a URL ("... at github.com/a/b for details") is not.
_SPLIT_TAIL = re.compile(r" ([A-Z0-9][A-Z0-9-]*)(?=[.)]?(?:\s*$|\n))")
# Every URL _REPO_URL finds holds this right after its host: a literal-led search that finds
# it in about a microsecond, where _REPO_URL itself (optional scheme first) tries every position.
_HOST_HINT = re.compile(r"\.(?i:com|org)/")
# Where a match of _REPO_URL may start, before the dot of its host: "https://www.github" ... "github".
_STARTS_BEFORE_DOT = sorted({len(scheme) + len(www) + len(host) for scheme in ("https://", "http://", "")
                             for www in ("www.", "") for host in ("github", "gitlab", "bitbucket")}, reverse=True)
# GitHub paths that are site pages, not owners.
_NOT_OWNERS = {"orgs", "topics", "features", "about", "marketplace", "sponsors", "settings", "login"}


def normalise_repo(host: str, owner: str, repo: str) -> str | None:
    """`https://github.com/owner/repo` without `.git`, trailing dots or a sub-path; None if not a repo."""
    repo = re.sub(r"\.git$", "", repo.rstrip("."), flags=re.IGNORECASE).rstrip(".")
    if not repo or owner.lower() in _NOT_OWNERS:
        return None
    return f"https://{host.lower()}/{owner}/{repo}"


def _repo_urls(text: str) -> list[re.Match]:
    """The matches `_REPO_URL.finditer(text)` gives, tried only where a host's ".com/" allows one."""
    starts = sorted({h.start() - k for h in _HOST_HINT.finditer(text) for k in _STARTS_BEFORE_DOT if h.start() >= k})
    out: list[re.Match] = []
    pos = 0
    for p in starts:  # the leftmost start that matches, then on from the end of the match
        if p >= pos:
            m = _REPO_URL.match(text, p)
            if m is not None:
                out.append(m)
                pos = m.end()
    return out


def find_repos(text: str) -> list[str]:
    """Repository URLs in `text`, normalised, deduplicated, in order of appearance.

    >>> find_repos("Code: https://github.com/org/Repo.git/tree/main). Also github.com/org/repo.")
    ['https://github.com/org/Repo']
    >>> find_repos("Code is at https://github.com/org/ABC DEF.")
    ['https://github.com/org/ABC_DEF']
    >>> find_repos("Code is at https://github.com/org/abc for all.")
    ['https://github.com/org/abc']
    """
    seen: dict[str, str] = {}
    for m in _repo_urls(text):
        host, owner, repo = m.groups()
        tail = _SPLIT_TAIL.match(text, m.end())
        if tail and repo.rstrip(".").replace("_", "").replace("-", "").isupper():
            repo = f"{repo}_{tail.group(1)}"
        url = normalise_repo(host, owner, repo)
        if url and url.lower() not in seen:
            seen[url.lower()] = url
    return list(seen.values())
