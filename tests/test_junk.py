"""The junk screen: each class of never-name must fire on invented text and must not fire on names like it."""

from __future__ import annotations

import pytest

import kg.extract.junk as junk
from kg.extract import extract
from kg.extract.lexicon import load_lexicon
from kg.records import Mention, Paper

OFF = junk.JunkSettings(classes=frozenset(), retype_datasets=False)


def _mentions(nlp, title: str, abstract: str, settings: junk.JunkSettings | None = None) -> dict[str, str]:
    """name -> kind of what the real extractor keeps from one invented paper."""
    saved = junk.SETTINGS
    junk.SETTINGS = settings or saved
    try:
        ex = extract(Paper("k", title, abstract, "test"), nlp)
    finally:
        junk.SETTINGS = saved
    return {m.text: m.kind for m in ex.mentions}


# (junk name, invented paper, a real name in the same text that must survive)
MUST_FIRE = {
    "organisation": ("DeepMind", "Zebra Tuning for Lemurs",
                     "We compare QuokkaNet with the DeepMind models on FrobBench.", "QuokkaNet"),
    "hardware": ("H100", "Faster Zebras",
                 "We train QuokkaNet on one H100 and report results on FrobBench.", "QuokkaNet"),
    "language": ("Kotlin", "Code Zebras",
                 "We evaluate QuokkaNet on Kotlin and on the FrobBench dataset.", "QuokkaNet"),
    "size": ("3B-parameter QuokkaNet", "Small Zebras",
             "A 3B-parameter QuokkaNet matches larger models on FrobBench.", "QuokkaNet"),
    "score": ("41.2F1", "Scoring Zebras",
              "QuokkaNet reaches 41.2F1 on FrobBench, above BarNet.", "QuokkaNet"),
    "number": ("Top-10", "Ranking Zebras",
               "QuokkaNet keeps the Top-10 candidates on FrobBench.", "QuokkaNet"),
    "function": ("WithOut", "Zebras",
                 "Training WithOut labels helps QuokkaNet on FrobBench.", "QuokkaNet"),
    "person": ("McAllister", "Revisiting Zebras",
               "As McAllister et al. argued, QuokkaNet overfits on FrobBench.", "QuokkaNet"),
    "word": ("Harvest", "Zebra Harvest",
             "QuokkaNet is trained on the Harvest split of FrobBench.", "QuokkaNet"),
    "venue": ("ICLR", "Zebras Revisited",
              "Following the ICLR protocol, QuokkaNet is tested on FrobBench.", "QuokkaNet"),
    "concept": ("IR", "Zebra Search",
                "QuokkaNet beats classic IR baselines on FrobBench.", "QuokkaNet"),
    "unit": ("FPS", "Lean Zebras",
             "QuokkaNet keeps a high FPS and beats BarNet on FrobBench.", "QuokkaNet"),
}


@pytest.mark.parametrize("cls", sorted(MUST_FIRE))
def test_each_junk_class_is_dropped_by_the_extractor(nlp, cls):
    name, title, abstract, real = MUST_FIRE[cls]
    kept = _mentions(nlp, title, abstract)
    assert name not in kept and real in kept, kept
    # The rules do find it: the screen is what drops it.
    assert name in _mentions(nlp, title, abstract, OFF)


def _m(text: str, kind: str = "method", proposed: bool = False, aliases: tuple[str, ...] = ()) -> Mention:
    return Mention(text, kind, 0.7, proposed=proposed, aliases=aliases)


@pytest.mark.parametrize("name, kind, cls", [
    ("OpenAI", "method", "organisation"), ("Google DeepMind", "method", "organisation"),
    ("A100", "method", "hardware"), ("TPU", "dataset", "hardware"), ("RTX", "method", "hardware"),
    ("Java", "dataset", "language"), ("C++", "dataset", "language"), ("Rust", "dataset", "language"),
    ("7B-parameter", "method", "size"), ("58M-parameter FooLM", "method", "size"), ("100k tokens", "dataset", "size"),
    ("39.9F1", "method", "score"), ("72.5 BLEU", "metric", "score"),
    ("Top-5", "method", "number"), ("2x", "method", "number"), ("100k", "dataset", "number"),
    ("Our", "method", "function"), ("NOT", "method", "function"), ("This", "dataset", "function"),
    ("World", "dataset", "word"), ("Bits", "dataset", "word"), ("Reasoning", "method", "word"),
    ("NeurIPS", "method", "venue"), ("JMLR", "dataset", "venue"), ("W&CP", "method", "venue"),
    ("FPS", "method", "unit"), ("TFLOPs", "method", "unit"),
    ("GTX1080", "method", "hardware"), ("RTX 3090", "method", "hardware"), ("Tesla V100", "method", "hardware"),
    ("KB", "method", "concept"), ("TSP", "dataset", "concept"), ("PoI", "method", "concept"),
])
def test_junk_classes_fire(name, kind, cls):
    assert junk.junk_class(_m(name, kind), "", load_lexicon()) == cls


@pytest.mark.parametrize("name, kind, why", [
    ("CodeSearchNet", "dataset", "a coined name"),
    ("QuokkaNet", "method", "camel case"),
    ("T5", "method", "a known model, though it looks like hardware"),
    ("Adam", "method", "a known optimiser, though it is an English word"),
    ("MATH", "dataset", "a known benchmark"),
    ("3D-UNet", "method", "a digit leads a name"),
    ("FP8", "method", "a number format names a quantization method"),
    ("OpenAI o1", "method", "a model named after its maker"),
    ("Harvest", "method", "proposed by the paper"),
    ("ZORRO", "method", "an acronym"),
    ("DART", "dataset", "an acronym is not the language Dart"),
    ("ACL Anthology", "dataset", "a corpus named after a venue is no venue"),
    ("GTX-Net", "method", "a coined name that starts like a GPU line"),
    ("CTR", "metric", "a measure's acronym is a metric, not a concept to drop"),
    ("Wikipedia", "dataset", "a corpus, not an organisation"),
])
def test_names_are_kept(name, kind, why):
    m = _m(name, kind, proposed=why.startswith("proposed"))
    assert junk.junk_class(m, "", load_lexicon()) is None, why


def test_an_acronym_the_paper_defines_is_kept():
    m = _m("MIT", aliases=("Masked Image Tokenizer",))
    assert junk.junk_class(m, "", load_lexicon()) is None
    assert junk.junk_class(_m("MIT"), "", load_lexicon()) == "organisation"


@pytest.mark.parametrize("text, is_person", [
    ("Zellweger et al. (2020) showed", True),
    ("as shown by Zellweger (2020)", True),
    ("Zellweger and Moss (2021) found", True),
    ("Zellweger's theorem", True),
    ("We run Zellweger on FrobBench", False),
])
def test_person_needs_citation_evidence(text, is_person):
    cls = junk.junk_class(_m("Zellweger"), text, load_lexicon(), junk.JunkSettings(common_rank=0))
    assert (cls == "person") is is_person


@pytest.mark.parametrize("phrase, broken", [
    ("introduce zebra tuning", True), ("instead rank", True), ("our retrieval", True),
    ("zebra captioning", False), ("next frame prediction", False), ("question answering", False),
])
def test_task_phrases_start_with_a_noun_phrase(phrase, broken):
    assert junk.junk_class(_m(phrase, "task"), "", load_lexicon()) == ("task" if broken else None)


def test_a_size_read_into_a_name_is_cut_off_and_its_claims_follow(nlp):
    text = "A 3B-parameter QuokkaNet outperforms BarNet on FrobBench."
    assert "3B-parameter QuokkaNet" in _mentions(nlp, "Small Zebras", text, OFF)
    ex = extract(Paper("k", "Small Zebras", text, "test"), nlp)
    assert "QuokkaNet" in {m.text for m in ex.mentions}
    assert ("QuokkaNet", "BarNet") in {(c.subject, c.object) for c in ex.claims}


def test_a_broken_task_phrase_is_trimmed_to_its_noun_phrase_or_dropped():
    lex = load_lexicon()
    out, _ = junk.screen([_m("introduce zebra tuning", "task"), _m("instead rank", "task"),
                          _m("zebra captioning", "task")], [], "", lex)
    assert [m.text for m in out] == ["zebra tuning", "zebra captioning"]
    out, _ = junk.screen([_m("introduce zebra tuning", "task"), _m("zebra tuning", "task")], [], "", lex)
    assert [m.text for m in out] == ["zebra tuning"]


def test_a_verb_initial_task_phrase_is_dropped_by_the_extractor(nlp):
    text = "We introduce zebra tuning for QuokkaNet. Experiments on FrobBench show gains."
    tasks = [n for n, k in _mentions(nlp, "Zebra Tuning", text).items() if k == "task"]
    assert not any(t.lower().startswith(("introduce", "we ")) for t in tasks), tasks


@pytest.mark.parametrize("name, shaped", [
    ("ImageNet Sketch", True), ("Zebras200k", True), ("MS MARCO Passage", True),
    ("ResNet Large", False), ("E5-Base-4k", False), ("QuokkaNet", False),
])
def test_dataset_shaped_names(name, shaped):
    assert junk.dataset_shaped(name, load_lexicon()) is shaped


def test_methods_shaped_like_datasets_are_retyped():
    lex = load_lexicon()
    out, _ = junk.screen([_m("Zebras200k"), _m("QuokkaNet"), _m("Pandas300k", proposed=True)], [], "", lex)
    assert [(m.text, m.kind) for m in out] == [("Zebras200k", "dataset"), ("QuokkaNet", "method"),
                                             ("Pandas300k", "method")]
    # Named as a dataset in the same paper too: one mention, the dataset.
    out, _ = junk.screen([_m("Zebras200k", "dataset"), _m("Zebras200k")], [], "", lex)
    assert [(m.text, m.kind) for m in out] == [("Zebras200k", "dataset")]


def test_the_screen_can_be_switched_off_class_by_class():
    only_words = junk.JunkSettings(classes=frozenset({"word"}))
    assert junk.junk_class(_m("OpenAI"), "", load_lexicon(), only_words) is None
    assert junk.junk_class(_m("World"), "", load_lexicon(), only_words) == "word"
    assert junk.junk_class(_m("World"), "", load_lexicon(), junk.JunkSettings(common_rank=10)) is None


def test_the_hardware_shape_has_a_switch():
    off = junk.JunkSettings(hardware_shape=False)
    assert junk.junk_class(_m("GTX1080"), "", load_lexicon(), off) is None
    assert junk.junk_class(_m("GTX1080"), "", load_lexicon()) == "hardware"
