"""Relation rule families (kg.extract.relations): each with sentences that must and must not fire.

The rules are tested on hand-placed candidates, so a change in entity typing cannot hide a
relation bug; a few end-to-end cases go through the whole pipeline. Every text is written for
these tests; none is taken from the sample corpus.
"""

from __future__ import annotations

import re

import pytest

from kg.extract import extract
from kg.extract.components import TITLE_SEPARATOR
from kg.extract.cues import load_cues
from kg.extract.entities import Candidate
from kg.extract.relations import find_claims
from kg.records import Paper

TITLE = "A Study of Small Networks"


def claims_of(nlp, abstract, *, methods=(), datasets=(), proposed=(), title=TITLE):
    """Run the relation rules with the named candidates placed at every word-bounded occurrence."""
    doc = nlp(f"{title}{TITLE_SEPARATOR}{abstract}")
    text = doc._.text
    bounds = doc._.sent_bounds or [(s.start_char, s.end_char) for s in doc.sents]
    cands = []
    for kind, names in (("method", (*methods, *proposed)), ("dataset", datasets)):
        for name in names:
            for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                sent = max(i for i, (s, _) in enumerate(bounds) if s <= m.start())
                cands.append(Candidate(name, m.start(), m.end(), sent, kind, 0.9, "shape",
                                       proposed=name in proposed))
    cands.sort(key=lambda c: c.start)
    return find_claims(doc, cands, load_cues())


def pairs(claims, predicate):
    return {(c.subject, c.object) for c in claims if c.predicate == predicate}


def improves(nlp, abstract, **kw):
    return pairs(claims_of(nlp, abstract, **kw), "improvesOver")


NETS = ("FooNet", "BarNet", "QuuxNet", "ZedNet")


# --- comparison cues and direction ---------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "FooNet outperforms BarNet in every setting.",
    "FooNet surpasses BarNet by 4 points.",
    "FooNet beats BarNet.",
    "FooNet improves over BarNet.",
    "FooNet achieves higher accuracy than BarNet.",
    "FooNet is more accurate than BarNet.",
    "FooNet yields a 5% gain on long inputs over BarNet.",
    "FooNet consistently matches or outperforms BarNet.",
])
def test_forward_cues(nlp, sentence):
    assert improves(nlp, sentence, methods=NETS) == {("FooNet", "BarNet")}


@pytest.mark.parametrize("sentence", [
    "BarNet underperforms FooNet in every setting.",
    "BarNet is outperformed by FooNet.",
    "BarNet lags behind FooNet on long inputs.",
    "BarNet is worse than FooNet.",
    "BarNet is less accurate than FooNet.",
])
def test_inverse_cues_reverse_the_direction(nlp, sentence):
    assert improves(nlp, sentence, methods=NETS) == {("FooNet", "BarNet")}


# --- negation and questions ----------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "FooNet does not outperform BarNet.",
    "FooNet does not consistently outperform BarNet.",
    "FooNet fails to beat BarNet.",
    "FooNet cannot surpass BarNet.",
    "FooNet is no better than BarNet.",
    "We ask whether FooNet outperforms BarNet.",
    "We find no evidence that FooNet is better than BarNet.",
])
def test_negated_or_questioned_comparisons_give_nothing(nlp, sentence):
    assert improves(nlp, sentence, methods=NETS) == set()


def test_not_only_is_no_negation(nlp):
    got = improves(nlp, "FooNet not only outperforms BarNet but also runs faster.", methods=NETS)
    assert got == {("FooNet", "BarNet")}


# --- lists ----------------------------------------------------------------------------------

def test_a_list_of_baselines_gives_one_claim_each(nlp):
    got = improves(nlp, "FooNet outperforms BarNet, QuuxNet and ZedNet.", methods=NETS)
    assert got == {("FooNet", "BarNet"), ("FooNet", "QuuxNet"), ("FooNet", "ZedNet")}


def test_a_list_of_subjects_gives_one_claim_each(nlp):
    got = improves(nlp, "FooNet and QuuxNet both outperform BarNet.", methods=NETS)
    assert got == {("FooNet", "BarNet"), ("QuuxNet", "BarNet")}


def test_a_comma_aside_is_no_list_of_subjects(nlp):
    got = improves(nlp, "On large models, specifically ZedNet, FooNet surpasses BarNet.", methods=NETS)
    assert got == {("FooNet", "BarNet")}


def test_baselines_named_after_an_opener(nlp):
    got = improves(nlp, "FooNet outperforms strong baselines in all settings, including BarNet and QuuxNet.",
                   methods=NETS)
    assert got == {("FooNet", "BarNet"), ("FooNet", "QuuxNet")}


# --- clause and phrase boundaries --------------------------------------------------------------

@pytest.mark.parametrize("sentence,expected", [
    ("FooNet outperforms BarNet when trained with QuuxNet features.", {("FooNet", "BarNet")}),
    ("FooNet outperforms BarNet for training large networks such as QuuxNet.", {("FooNet", "BarNet")}),
    ("FooNet outperforms BarNet and performs comparable to QuuxNet.", {("FooNet", "BarNet")}),
    ("FooNet outperforms BarNet and is on par with QuuxNet.", {("FooNet", "BarNet")}),
    ("ZedNet is slow, while FooNet outperforms BarNet.", {("FooNet", "BarNet")}),
    ("FooNet, which builds on QuuxNet, outperforms BarNet.", {("FooNet", "BarNet")}),
    ("FooNet with a QuuxNet backbone outperforms BarNet.", {("FooNet", "BarNet")}),
])
def test_objects_and_subjects_stay_in_their_clause(nlp, sentence, expected):
    assert improves(nlp, sentence, methods=NETS) == expected


def test_comparable_performance_is_no_improvement(nlp):
    assert improves(nlp, "FooNet achieves performance comparable to BarNet.", methods=NETS) == set()


def test_a_variant_may_beat_its_base(nlp):
    got = improves(nlp, "FooNet-2 outperforms FooNet on every task.", methods=("FooNet", "FooNet-2"))
    assert got == {("FooNet-2", "FooNet")}


# --- bare "improves" ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "FooNet improves BarNet by 7%.",
    "FooNet improves the robustness of BarNet.",
])
def test_improves_a_named_model(nlp, sentence):
    assert improves(nlp, sentence, methods=NETS) == {("FooNet", "BarNet")}


def test_improves_with_a_far_object_gives_nothing(nlp):
    sentence = "FooNet improves accuracy on long documents when trained with BarNet features."
    assert improves(nlp, sentence, methods=NETS) == set()


# --- self-reference ------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Our method outperforms BarNet by a wide margin.",
    "It significantly outperforms BarNet.",
    "Notably, our 7B model surpasses BarNet on hard inputs.",
])
def test_self_reference_is_the_proposed_method(nlp, sentence):
    got = improves(nlp, sentence, methods=("BarNet",), proposed=("FooNet",), title="FooNet: Tiny Networks")
    assert got == {("FooNet", "BarNet")}


def test_self_reference_without_a_named_proposal_gives_nothing(nlp):
    assert improves(nlp, "Our method outperforms BarNet.", methods=("BarNet",)) == set()


def test_the_proposed_method_shares_credit_with_its_tuned_model(nlp):
    sentence = "Our FooNet fine-tuned model, QuuxNet, surpasses BarNet."
    got = improves(nlp, sentence, methods=("QuuxNet", "BarNet"), proposed=("FooNet",))
    assert got == {("QuuxNet", "BarNet"), ("FooNet", "BarNet")}


def test_no_named_competitor_gives_nothing(nlp):
    assert improves(nlp, "FooNet outperforms state-of-the-art methods.", methods=NETS) == set()


def test_the_title_states_no_claim(nlp):
    got = improves(nlp, "We study networks.", methods=NETS, title="FooNet Outperforms BarNet")
    assert got == set()


# --- evaluates on ----------------------------------------------------------------------------

def evals(nlp, abstract, **kw):
    return pairs(claims_of(nlp, abstract, **kw), "evaluatesOn")


def test_the_proposed_method_is_evaluated_on_the_named_datasets(nlp):
    got = evals(nlp, "Experiments on ZorbBench and QuuxQA show that FooNet is accurate.",
                datasets=("ZorbBench", "QuuxQA"), proposed=("FooNet",))
    assert got == {("FooNet", "ZorbBench"), ("FooNet", "QuuxQA")}


def test_a_result_sentence_without_the_name_still_speaks_of_the_proposal(nlp):
    got = evals(nlp, "We propose FooNet. Extensive experiments on ZorbBench show large gains.",
                datasets=("ZorbBench",), proposed=("FooNet",))
    assert got == {("FooNet", "ZorbBench")}


def test_an_analysis_paper_evaluates_the_models_it_names(nlp):
    got = evals(nlp, "We evaluate BarNet and QuuxNet on ZorbBench.",
                methods=("BarNet", "QuuxNet"), datasets=("ZorbBench",))
    assert got == {("BarNet", "ZorbBench"), ("QuuxNet", "ZorbBench")}


@pytest.mark.parametrize("sentence", [
    "FooNet, pre-trained on ZorbCorpus, is evaluated on QuuxQA.",
    "An ZorbCorpus pre-trained FooNet is evaluated on QuuxQA.",
])
def test_pretraining_data_is_no_evaluation(nlp, sentence):
    got = evals(nlp, sentence, datasets=("ZorbCorpus", "QuuxQA"), proposed=("FooNet",))
    assert got == {("FooNet", "QuuxQA")}


@pytest.mark.parametrize("sentence", [
    "The resulting BarNet model, which attains 91% accuracy on ZorbBench, is the best.",
    "With FooNet, BarNet achieves 91% on ZorbBench.",
    "Trained with FooNet, BarNet (large) obtains a new state of the art on ZorbBench.",
])
def test_a_named_model_that_achieves_a_result_is_evaluated_too(nlp, sentence):
    got = evals(nlp, sentence, methods=("BarNet",), datasets=("ZorbBench",), proposed=("FooNet",))
    assert ("BarNet", "ZorbBench") in got


@pytest.mark.parametrize("sentence", [
    "On ZorbBench, FooNet achieves 91% while BarNet reaches 80% with more data.",  # dataset before the verb
    "FooNet outperforms BarNet on ZorbBench.",  # the worse side of a comparison
    "BarNet achieves 80%, while FooNet achieves 91% on ZorbBench.",  # another clause
    "Experiments on ZorbBench show that FooNet improves BarNet.",
])
def test_a_model_that_is_no_subject_of_a_result_verb_is_not_evaluated(nlp, sentence):
    got = evals(nlp, sentence, methods=("BarNet",), datasets=("ZorbBench",), proposed=("FooNet",))
    assert ("BarNet", "ZorbBench") not in got
    assert ("FooNet", "ZorbBench") in got


def test_the_achiever_rule_can_be_switched_off(nlp, monkeypatch):
    import kg.extract.relations as relations

    monkeypatch.setattr(relations, "SETTINGS", relations.RelationSettings(achievers=False))
    got = evals(nlp, "With FooNet, BarNet achieves 91% on ZorbBench.", methods=("BarNet",),
                datasets=("ZorbBench",), proposed=("FooNet",))
    assert got == {("FooNet", "ZorbBench")}


def test_a_dataset_without_a_result_cue_gives_nothing(nlp):
    got = evals(nlp, "ZorbBench was collected by crawling forums.", datasets=("ZorbBench",),
                proposed=("FooNet",))
    assert got == set()


# --- end to end ------------------------------------------------------------------------------

def test_claims_through_the_whole_pipeline(nlp):
    paper = Paper("k", "ZephyrNet: Tiny Models for Edge Vision",
                  "ZephyrNet does not outperform FooNet. ZephyrNet outperforms BarNet and QuuxNet-7B "
                  "on the ZorbBench benchmark.", "test:1")
    ex = extract(paper, nlp)
    assert pairs(ex.claims, "improvesOver") == {("ZephyrNet", "BarNet"), ("ZephyrNet", "QuuxNet-7B")}
    assert ("ZephyrNet", "ZorbBench") in pairs(ex.claims, "evaluatesOn")
    assert all(0 < c.confidence <= 1 and c.evidence.startswith("ZephyrNet") for c in ex.claims)


# --- fronted comparisons and gaps ----------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Compared to strong baselines such as BarNet, FooNet achieves a 4% improvement in accuracy.",
    "Compared with BarNet, FooNet reaches higher accuracy.",
])
def test_a_fronted_comparison_names_the_worse_side_first(nlp, sentence):
    assert improves(nlp, sentence, methods=NETS) == {("FooNet", "BarNet")}


def test_a_fronted_comparison_needs_a_claim_in_the_main_clause(nlp):
    assert improves(nlp, "Compared with BarNet, FooNet uses fewer layers.", methods=NETS) == set()


@pytest.mark.parametrize("sentence", [
    "FooNet improves by 35% over BarNet.",
    "FooNet achieves superior accuracy and calibration to BarNet.",
])
def test_gapped_comparisons(nlp, sentence):
    assert improves(nlp, sentence, methods=NETS) == {("FooNet", "BarNet")}


# --- the proposed method in another spelling ---------------------------------------------------

def test_a_variant_spelling_of_the_proposed_name_is_its_subject(nlp):
    got = improves(nlp, 'T\\"OLU 5, which builds on BarNet, achieves results surpassing QuuxNet.',
                   methods=("BarNet", "QuuxNet"), proposed=("TÖLU 5",), title="TÖLU 5: Open Models")
    assert got == {("TÖLU 5", "QuuxNet")}


def test_a_plain_word_acronym_is_no_variant(nlp):
    got = improves(nlp, "At the start, BarNet outperforms QuuxNet.", methods=("BarNet", "QuuxNet"),
                   proposed=("START",), title="START: Open Models")
    assert got == {("BarNet", "QuuxNet")}


def test_an_analysis_sentence_about_the_model_named_before(nlp):
    abstract = "We unlearn facts from the BarNet model. Its accuracy on ZorbBench remains unaffected."
    got = evals(nlp, abstract, methods=("BarNet",), datasets=("ZorbBench",))
    assert got == {("BarNet", "ZorbBench")}


def test_no_model_named_anywhere_gives_no_evaluation(nlp):
    got = evals(nlp, "Accuracy on ZorbBench remains unaffected.", datasets=("ZorbBench",))
    assert got == set()


@pytest.mark.parametrize("sentence", [
    "BarNet falls behind FooNet on long inputs.",
    "BarNet was outperformed by FooNet.",
])
def test_more_inverse_cues(nlp, sentence):
    assert improves(nlp, sentence, methods=NETS) == {("FooNet", "BarNet")}


# --- comparisons by syntax: a gap between verb and "over", a reduction, a lower error ------------

@pytest.mark.parametrize("sentence", [
    "FooNet improves accuracy by 4% over BarNet.",
    "Compared with BarNet, FooNet reduces the error by 20%.",
    "FooNet achieves a 10% lower error rate than BarNet.",
    "FooNet reaches lower perplexity than BarNet on long inputs.",
])
def test_comparisons_stated_by_a_gap_a_reduction_or_a_lower_error(nlp, sentence):
    assert improves(nlp, sentence, methods=NETS) == {("FooNet", "BarNet")}


@pytest.mark.parametrize("sentence", [
    "FooNet improves accuracy over time.",  # no name after "over"
    "Compared with BarNet, FooNet reduces to a simpler form.",  # no comparison of results ("reduces to")
    "FooNet has lower accuracy than BarNet.",  # lower accuracy is worse, not better
])
def test_no_comparison_for_the_gap_cues_without_a_better_side(nlp, sentence):
    assert ("FooNet", "BarNet") not in improves(nlp, sentence, methods=NETS)


def test_a_name_after_over_in_a_comparison_is_a_method_not_a_dataset(nlp):
    ex = extract(Paper("k", "Counting Zebras", "We propose QuokkaNet, a network for zebras. QuokkaNet shows "
                       "superior performance over ZebNet.", "test"), nlp)
    kinds = {m.text: m.kind for m in ex.mentions}
    assert kinds["ZebNet"] == "method"
    assert ("QuokkaNet", "ZebNet") in {(c.subject, c.object) for c in ex.claims if c.predicate == "improvesOver"}


def test_results_over_a_benchmark_without_a_comparison_keep_the_dataset(nlp):
    ex = extract(Paper("k", "Counting Zebras", "We propose QuokkaNet. We report results over ZebSet.", "test"), nlp)
    assert {m.text: m.kind for m in ex.mentions}.get("ZebSet") == "dataset"


def test_a_fronted_place_and_the_proposed_name_are_no_list(nlp):
    ex = extract(Paper("k", "Counting Zebras", "We propose QuokkaNet, a network for zebras. On FrobBench, QuokkaNet "
                       "improves accuracy by 4% over ZebNet.", "test"), nlp)
    kinds = {m.text: m.kind for m in ex.mentions}
    assert kinds["QuokkaNet"] == "method" and kinds["FrobBench"] == "dataset"
    assert ("QuokkaNet", "ZebNet") in {(c.subject, c.object) for c in ex.claims if c.predicate == "improvesOver"}
