"""Resolution over two streams of the papers (Resolver.add_twice) ends exactly as Resolver.add does."""

from __future__ import annotations

from kg.extract.lexicon import LexEntry, Lexicon, norm_key
from kg.records import Extraction, Mention
from kg.resolve import Resolver

LEX = Lexicon(entries=[], by_key={norm_key("LLaMA-2"): LexEntry("Llama 2", "method", ("LLaMA-2",))})


def ex(key, *mentions):
    return Extraction(key, list(mentions))


def m(text, kind="method", aliases=(), conf=0.8):
    return Mention(text, kind, conf, aliases=tuple(aliases))


# "CL" is given two meanings, one in each half: resolved half by half without a first pass over
# both, the first half would link "CL" to "continual learning" before the second makes it ambiguous.
FIRST = [
    ex("p1", m("continual learning", "task", aliases=["CL"], conf=0.6), m("LLaMA-2-7B")),
    ex("p2", m("CL", "task"), m("FooNet", conf=0.9)),
    ex("p3", m("Foo Network"), m("Llama 2 13B", conf=0.7)),
    ex("p4", m("machine reading comprehension", "task", aliases=["MRC"])),
]
SECOND = [
    ex("p5", m("curriculum learning", "task", aliases=["CL"])),
    ex("p6", m("FooNet", aliases=["Foo Network"], conf=0.5), m("image classifications", "task")),
    ex("p7", m("reading comprehension", "task", aliases=["MRC"]), m("Llama 2", conf=0.95)),
    ex("p8", m("CL", "task"), m("image classification", "task"), m("Foo", "dataset")),
]
PAPERS = FIRST + SECOND


def added(papers) -> Resolver:
    r = Resolver(LEX)
    r.add(papers)
    return r


def test_two_streams_end_as_one_add():
    expected = added(PAPERS)
    r = Resolver(LEX)
    before, after = r.add_twice(iter(PAPERS), iter(PAPERS))
    assert r.to_json() == expected.to_json()
    assert before == {} and after == expected.entity
    assert r.entities() == expected.entities()
    assert r.resolution(PAPERS).entities == expected.resolution(PAPERS).entities


def test_the_fixture_needs_the_first_pass_over_every_paper():
    # Half by half, "CL" links the first meaning before the second half makes it ambiguous: the
    # state differs, so the test above would fail if add_twice linked while reading the acronyms.
    halves = Resolver(LEX)
    halves.add(FIRST)
    halves.add(SECOND)
    assert halves.to_json() != added(PAPERS).to_json()
    labels = {e.label for e in added(PAPERS).entities().values()}
    assert {"continual learning", "curriculum learning"} <= labels


def test_the_second_stream_may_come_in_batches_and_any_order():
    expected = added(PAPERS).to_json()

    def batches(papers, size):
        for i in range(0, len(papers), size):
            yield from list(papers[i:i + size])  # one batch held at a time, as the cache reads them

    for order in (PAPERS, PAPERS[::-1], SECOND + FIRST):
        r = Resolver(LEX)
        r.add_twice(batches(PAPERS, 3), batches(order, 2))
        assert r.to_json() == expected


def test_counts_made_before_a_merge_move_to_the_merged_entity():
    # p6 joins "FooNet" and "Foo Network" after each was counted alone: one entity, every form counted.
    r = Resolver(LEX)
    r.add_twice(iter(PAPERS), iter(PAPERS))
    foo = [e for e in r.entities().values() if e.label == "FooNet"]
    assert len(foo) == 1 and foo[0].aliases == {"Foo Network"} and foo[0].confidence == 0.9
    llama = [e for e in r.entities().values() if e.label == "Llama 2"]
    assert len(llama) == 1 and {"LLaMA-2-7B", "Llama 2 13B"} <= llama[0].aliases


def test_meanings_learned_as_papers_were_made_replace_their_first_pass():
    # The build gathers the meanings of the papers it extracts (acronym_meanings, in the workers) and
    # reads back only the others for the first pass: the same state, however the papers are split.
    from kg.pipeline.dask_resolve import acronym_meanings

    expected = added(PAPERS).to_json()
    for learned_from, rest in ((FIRST, SECOND), (SECOND, FIRST), (PAPERS, []), ([], PAPERS)):
        r = Resolver(LEX)
        r.add_twice(iter(rest), iter(PAPERS), learned=acronym_meanings(learned_from))
        assert r.to_json() == expected
    # Without the first half's meanings "CL" would not be ambiguous: the state differs.
    r = Resolver(LEX)
    r.add_twice(iter(SECOND), iter(PAPERS))
    assert r.to_json() != expected
