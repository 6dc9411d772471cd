"""Cross-paper resolution: spelling variants merge, versions stay apart, ids are stable and safe."""

from __future__ import annotations

import re

from kg.extract.lexicon import LexEntry, Lexicon, norm_key
from kg.records import Extraction, Mention
from kg.resolve import entity_slug, resolve

EMPTY = Lexicon()


def ex(key, *mentions):
    return Extraction(key, list(mentions))


def m(text, kind="method", aliases=()):
    return Mention(text, kind, 0.8, aliases=tuple(aliases))


def test_spelling_variants_are_one_entity_across_papers():
    res = resolve([ex("p1", m("Stable-Diffusion")), ex("p2", m("Stable Diffusion")), ex("p3", m("Stable Diffusion"))], EMPTY)
    (e,) = res.entities.values()
    assert e.label == "Stable Diffusion" and e.aliases == {"Stable-Diffusion"}
    assert res.entity_for("p1", "Stable-Diffusion", "method") is e


def test_versions_are_not_merged():
    res = resolve([ex("p1", m("GPT-4")), ex("p2", m("GPT-4o")), ex("p3", m("GPT4"))], EMPTY)
    labels = sorted(e.label for e in res.entities.values())
    assert len(labels) == 2 and "GPT-4o" in labels


def test_acronym_and_long_form_merge_through_aliases():
    res = resolve([ex("p1", m("GES", aliases=["Gradient Echo Sampling"])), ex("p2", m("Gradient Echo Sampling"))], EMPTY)
    (e,) = res.entities.values()
    assert {e.label, *e.aliases} == {"GES", "Gradient Echo Sampling"}


def test_lexicon_label_is_canonical():
    lex = Lexicon(entries=[], by_key={norm_key("LLaMA-2"): LexEntry("Llama 2", "method", ("LLaMA-2",))})
    res = resolve([ex("p1", m("LLaMA-2"))], lex)
    (e,) = res.entities.values()
    assert e.label == "Llama 2" and "LLaMA-2" in e.aliases


def test_kinds_are_kept_apart():
    res = resolve([ex("p1", m("Foo", "method")), ex("p2", m("Foo", "dataset"))], EMPTY)
    assert sorted(res.entities) == ["dataset/foo", "method/foo"]


def test_task_plurals_merge():
    res = resolve([ex("p1", m("image classifications", "task")), ex("p2", m("image classification", "task"))], EMPTY)
    assert len(res.entities) == 1


def test_ids_do_not_depend_on_input_order():
    a = [ex("p1", m("FooNet", aliases=["Foo Network"])), ex("p2", m("Foo Network"))]
    assert sorted(resolve(a, EMPTY).entities) == sorted(resolve(a[::-1], EMPTY).entities)


def test_slugs_are_iri_safe_and_distinct():
    names = ["Tülu 3", "Tulu 3", "模型", "模型二", "a<b>{c}|^`", "x y"]
    slugs = {entity_slug(norm_key(n)) for n in names}
    assert all(re.fullmatch(r"[a-z0-9-]+", s) for s in slugs)
    # Tülu and Tulu fold to one key on purpose; every other distinct key has its own slug.
    assert len(slugs) == len({norm_key(n) for n in names})


def test_parameter_size_tags_fold_into_one_model():
    res = resolve([ex("p1", m("Llama 2 7B")), ex("p2", m("LLaMA-2-70B")), ex("p3", m("Llama 2"))], EMPTY)
    (e,) = res.entities.values()
    assert {e.label, *e.aliases} == {"Llama 2 7B", "LLaMA-2-70B", "Llama 2"}


def test_chat_instruct_mini_and_numbered_versions_stay_apart():
    names = ["Llama 2", "Llama 2-Chat", "Llama-2-13B-Chat", "Llama 2 Instruct", "GPT-4o", "GPT-4o mini",
             "Stable Diffusion v1.5", "Stable Diffusion 2.1", "Stable Diffusion"]
    res = resolve([ex(f"p{i}", m(n)) for i, n in enumerate(names)], EMPTY)
    groups = sorted(sorted({e.label, *e.aliases}) for e in res.entities.values())
    # Only the two chat forms (which differ by a size tag) merge.
    assert ["Llama 2-Chat", "Llama-2-13B-Chat"] in groups
    assert len(groups) == len(names) - 1


def test_size_folding_is_for_models_only():
    res = resolve([ex("p1", m("Zorb 7B", "dataset")), ex("p2", m("Zorb", "dataset"))], EMPTY)
    assert len(res.entities) == 2


def test_real_lexicon_keeps_versions_apart():
    from kg.extract.lexicon import load_lexicon
    lex = load_lexicon()
    res = resolve([ex("p1", m("GPT-4")), ex("p2", m("GPT-4o")), ex("p3", m("Gemini 1.5 Pro")),
                   ex("p4", m("Gemini 1.0 Pro")), ex("p5", m("GPT-3.5")), ex("p6", m("GPT-3.5-turbo"))], lex)
    assert len(res.entities) == 6


def test_an_acronym_with_two_meanings_does_not_merge_them():
    res = resolve([ex("p1", m("continual learning", "task", aliases=["CL"])),
                   ex("p2", m("curriculum learning", "task", aliases=["CL"])),
                   ex("p3", m("machine reading comprehension", "task", aliases=["MRC"])),
                   ex("p4", m("reading comprehension", "task", aliases=["MRC"]))], EMPTY)
    labels = sorted(e.label for e in res.entities.values())
    assert "continual learning" in labels and "curriculum learning" in labels
    assert res.entity_for("p1", "CL", "task").label == "continual learning"
    assert res.entity_for("p2", "CL", "task").label == "curriculum learning"
    # Variants of one long form still share the acronym's entity.
    assert res.entity_for("p3", "MRC", "task") is res.entity_for("p4", "MRC", "task")


def test_plus_signs_tell_names_apart():
    res = resolve([ex("p1", m("CFG"), m("CFG++"))], EMPTY)
    assert sorted(e.label for e in res.entities.values()) == ["CFG", "CFG++"]
    assert sorted(res.entities) == ["method/cfg", "method/cfg%2B%2B"]
