"""FormIndex finds exactly what the trie-shaped regex it replaced found: same places, same ends, same case rules.

The regex builder below is the one kg.extract.lexicon used before FormIndex (kept here as the
reference, unchanged). Forms and texts are generated from small alphabets full of the characters
where the two could part: separators, "+", digits next to letters, "²" (a letter that is not
alphabetic), "İ" (which lower() makes two characters), "ſ" and the Kelvin sign (which match "s"
and "k" only when case is ignored), "_" and "-" before a word.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract import phrase_index
from kg.extract.lexicon import load_lexicon
from kg.extract.phrase_index import FormIndex

# ---- the reference: kg.extract.lexicon.form_pattern as it was, and Lexicon.finditer over it ----
_UNIT = re.compile(r"[^\W\d_]+|\d+|\++")
_SEP = r"(?:\s?[&+]\s?|[\s\-_./·'@()]|--)?"
_SEP_MANDATORY = r"(?:\s?[&+]\s?|[\s\-_./·'@()]|--)"


def _units(form: str) -> tuple[str, ...]:
    return tuple(u.lower() for u in _UNIT.findall(form))


def form_pattern(forms: list[str]) -> re.Pattern:
    trie: dict = {}
    for f in forms:
        units = _units(f)
        if not units:
            continue
        seq: list[str] = []
        for i, u in enumerate(units):
            if i:
                both_alpha = u[0].isalpha() and units[i - 1][-1].isalpha()
                seq.append("\x01" if both_alpha else "\x02")  # mandatory / optional separator
            seq.extend(u)
        node = trie
        for ch in seq:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict, prev: str) -> str:
        alts = []
        for k in sorted(k for k in node if k):
            child = node[k]
            if k == "\x01":
                head = _SEP_MANDATORY
            elif k == "\x02":
                head = _SEP
            else:
                head = re.escape(k)
            rest = emit(child, k) if any(child) else ""
            end = ""
            if "" in child and k not in ("\x01", "\x02"):
                end = r"(?![^\W\d_])" if k.isalpha() else r"(?!\d)"
            if rest and "" in child:
                alts.append(f"{head}(?:{rest}|{end})")
            elif rest:
                alts.append(head + (rest if len(rest) == 1 or _single(child) else f"(?:{rest})"))
            else:
                alts.append(head + end)
        return "|".join(alts)

    return re.compile(r"(?<![\w\-])(?:" + emit(trie, "") + ")")


def _single(node: dict) -> bool:
    while True:
        keys = [k for k in node]
        if len(keys) != 1:
            return not keys
        if keys[0] == "":
            return True
        node = node[keys[0]]


def reference(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    low = text.lower()
    if len(low) == len(text):
        return [m.span() for m in pattern.finditer(low)]
    return [m.span() for m in re.compile(pattern.pattern, re.IGNORECASE).finditer(text)]


def same_as_reference(forms: list[str], texts: list[str]) -> None:
    pattern, index = form_pattern(forms), FormIndex(forms)
    if not any(_units(f) for f in forms):
        return  # the reference regex of no form at all is malformed; FormIndex finds nothing
    for text in texts:
        assert index.finditer(text) == reference(pattern, text), (forms, text)


# ---- generated forms and texts ----
_FORM_CHARS = "abcAB12+ -.²İéſ\u212aı"
_TEXT_CHARS = _FORM_CHARS + "_()@'/·&\n\tsSkKiI3"
_form = st.text(alphabet=_FORM_CHARS, min_size=1, max_size=8)


def _variant(form: str, rnd: random.Random) -> str:
    """A form as a text might write it: other case, other or no separators, a tail."""
    out = []
    for ch in form:
        r = rnd.random()
        if ch in " -.":
            out.append(rnd.choice(["", " ", "-", "_", " & ", "+", "--", "/", ch]))
        elif r < 0.2:
            out.append(ch.swapcase())
        else:
            out.append(ch)
    return "".join(out) + rnd.choice(["", "", "s", "2", "+", "-x", "²"])


@st.composite
def forms_and_texts(draw):
    forms = draw(st.lists(_form, min_size=1, max_size=7))
    rnd = random.Random(draw(st.integers(0, 2**32)))
    texts = []
    for _ in range(4):
        pieces = []
        for _ in range(rnd.randint(1, 8)):
            if rnd.random() < 0.6:
                pieces.append(_variant(rnd.choice(forms), rnd))
            else:
                pieces.append("".join(rnd.choice(_TEXT_CHARS) for _ in range(rnd.randint(0, 4))))
        texts.append("".join(pieces))
    texts.append(draw(st.text(alphabet=_TEXT_CHARS, max_size=30)))
    return forms, texts


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms_and_texts())
def test_generated_forms_and_texts_match_the_reference(case):
    forms, texts = case
    same_as_reference(forms, texts)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_lexicon_forms_in_generated_texts_match_the_reference(data):
    # Real forms (a sample of the shipped lexicon), written as texts write them.
    rnd = random.Random(data.draw(st.integers(0, 2**32)))
    forms = rnd.sample(_LEXICON_FORMS, 60)
    texts = [" ".join(_variant(rnd.choice(forms), rnd) if rnd.random() < 0.5 else rnd.choice(_WORDS)
                      for _ in range(12)) for _ in range(5)]
    same_as_reference(forms, texts)


_LEXICON_FORMS = sorted({f for e in load_lexicon().entries for f in (e.label, *e.aliases)})
_WORDS = ["the", "model", "on", "with", "of", "a", "-", "(", ")", ",", "2", "v2", "3B", "and", "is"]


# ---- what the matcher finds, on invented examples ----
@pytest.mark.parametrize(("forms", "text", "found"), [
    (["ImageNet", "Stable Diffusion", "GPT-4"], "imagenet-xl and stable-diffusion beat gpt4 on imagenets",
     ["imagenet", "stable-diffusion", "gpt4"]),
    (["Image", "ImageNet"], "ImageNet", ["ImageNet"]),  # the longer form wins
    (["Image"], "ImageNet images", []),  # never inside a word
    (["BERT"], "bert4rec and x-BERT and x_BERT", ["bert"]),  # a digit may follow a letter; no "-" or "_" before
    (["GPT-4"], "GPT 4, GPT-4, GPT4, GPT--4 and GPT45", ["GPT 4", "GPT-4", "GPT4", "GPT--4"]),
    (["Stable Diffusion"], "StableDiffusion, Stable & Diffusion", ["Stable & Diffusion"]),
    (["C++", "C"], "C++ and C+ and C", ["C++", "C", "C"]),  # "C+" is C followed by a "+"
    (["Llama 2", "Llama"], "LLaMA-2-chat, llama 23", ["LLaMA-2", "llama"]),
    (["R²"], "R²y and R² and R2", ["R²", "R²"]),  # "²" is a letter but not alphabetic
    # A text where lower() lengthens "İ" is matched with case ignored as re.IGNORECASE ignores it:
    # "İ" and "ı" are "i", the Kelvin sign is "k", "ſ" is "s".
    (["Izmir", "Kappa", "ss"], "İzmir, izmir, \u212aappa and ſs ıZMIR", ["İzmir", "izmir", "\u212aappa", "ſs", "ıZMIR"]),
])
def test_examples(forms, text, found):
    index = FormIndex(forms)
    assert [text[s:e] for s, e in index.finditer(text)] == found
    assert index.finditer(text) == reference(form_pattern(forms), text)


def test_odd_forms_take_the_path_for_every_form():
    # A form starting with "+" or ending in "²" is found by its first characters, with every other form.
    index = FormIndex(["+Net", "R²", "ResNet"])
    assert index._odd and index._prefixes == ("+", "r²")
    text = "+net beats resnet and R²-score"
    assert index.finditer(text) == reference(form_pattern(["+Net", "R²", "ResNet"]), text) == [(0, 4), (11, 17), (22, 24)]


def test_character_tests_agree_with_the_regex_classes():
    # phrase_index tests characters with str methods where the regex used classes: the same on every BMP character.
    word, letter, digit = re.compile(r"[\w\-]"), re.compile(r"[^\W\d_]"), re.compile(r"\d")
    sep = re.compile(r"(?:\s?[&+]\s?|[\s\-_./·'@()]|--)")
    for c in map(chr, range(0x10000)):
        assert phrase_index._starts_ok(c + "x", 1) is not bool(word.match(c)), hex(ord(c))
        assert phrase_index._ends(phrase_index._ALPHA_END, c, 0, 1) is not bool(letter.match(c)), hex(ord(c))
        assert phrase_index._ends(phrase_index._DIGIT_END, c, 0, 1) is not bool(digit.match(c)), hex(ord(c))
        assert bool(phrase_index._separators(c, 0, 1)) is bool(sep.fullmatch(c)), hex(ord(c))


@pytest.mark.slow
def test_whole_lexicon_on_the_bundled_corpus_matches_the_reference():
    from kg.defaults import PACKAGE_DIR

    texts = [p.read_text(encoding="utf-8") for p in sorted((PACKAGE_DIR / "data" / "corpus").glob("*.txt"))]
    lines = [line for t in texts for line in t.splitlines() if line.strip()]
    same_as_reference(_LEXICON_FORMS, lines)
