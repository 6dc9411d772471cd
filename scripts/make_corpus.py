#!/usr/bin/env python3
"""Make a large, reproducible corpus of paper records for benchmarks (JSON Lines).

    python3 scripts/make_corpus.py N OUT.jsonl [--seed 0] [--distinct]
    python3 scripts/make_corpus.py N OUT.jsonl --from-dev

Each record is {"id", "title", "abstract", "url"}. Same arguments, same bytes.

Synthetic (the default): abstracts are recombined from the sentences of the bundled sample
listings (kg/data/corpus/), and name-like tokens (DeepCache, GPT-4, MoE-Fusion) get
Zipf-distributed variants, so the graph keeps growing with N the way a real corpus does: a few
names recur everywhere, most are rare. Titles repeat (most records merge as duplicates);
--distinct numbers them, "(no. ID)", so every record is a paper of its own, as in a real field.

--from-dev: real text. The 268 labelled papers of the two shipped development sets (the 168 of
the bundled sample named in kg/data/eval/dev_gold.jsonl, and the 100 of
kg/data/eval/era_dev_papers.jsonl) repeated in order until there are N, each title numbered so
that no two records merge. The extractor then meets real abstracts at every size; the entity
names stay those of the 268 papers, so the graph's entities stop growing once N passes 268.
"""
import json
import pathlib
import random
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
JUNK = re.compile(r"^(new|Subscribe|byAK and the research community|Get trending papers in your email inbox( once a day)?!|[A-Z][a-z]{2} \d{1,2})$")
NAME = re.compile(r"\b[A-Z][A-Za-z]*(?:[A-Z0-9][A-Za-z0-9]*)+(?:-[A-Za-z0-9.]+)*\b")


def seed_records():
    for p in sorted((ROOT / "kg" / "data" / "corpus").glob("*.txt")):
        lines = [re.sub(r"^Subscribe(?=\S)", "", l.strip()) for l in p.read_text(encoding="utf-8").splitlines()]
        lines = [l for l in lines if l and not JUNK.match(l)]
        for t, a in zip(lines[::2], lines[1::2]):
            yield t, a


def dev_records() -> list[tuple[str, str]]:
    """(title, abstract) of the labelled papers of both shipped development sets, in a fixed order."""
    sys.path.insert(0, str(ROOT))
    from kg.evaluate.goldsets import gold_set
    from kg.ingest.fields import normalise_title
    from kg.ingest.papers import read_papers

    out = []
    for name in ("dev", "era"):
        labelled = gold_set(name)
        with open(labelled.gold, encoding="utf-8") as f:
            wanted = {normalise_title(json.loads(line)["title"]) for line in f if line.strip()}
        papers = sorted(read_papers([labelled.papers]).papers, key=lambda p: normalise_title(p.title))
        out += [(p.title, p.abstract or "") for p in papers if normalise_title(p.title) in wanted]
    return out


def write_from_dev(n: int, out: str) -> int:
    """N records cycling through dev_records(), titles numbered; returns how many papers were cycled."""
    base = dev_records()
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            title, abstract = base[i % len(base)]
            rec = {"id": f"dev-{i}", "title": f"{title} (no. dev-{i})", "abstract": abstract,
                   "url": f"https://example.org/paper/dev/{i}"}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return len(base)


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        sys.exit(__doc__)
    n, out = int(sys.argv[1]), sys.argv[2]
    if "--from-dev" in sys.argv:
        write_from_dev(n, out)
        return
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0
    distinct = "--distinct" in sys.argv
    rnd = random.Random(seed)
    recs = list(seed_records())
    sentences = [s for _, a in recs for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", a) if len(s) > 20]

    def variant(m):
        k = int(rnd.paretovariate(1.2))  # 1 most of the time, sometimes large
        return m.group(0) if k <= 1 else f"{m.group(0)}-{k}"

    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            title, _ = recs[rnd.randrange(len(recs))]
            body = " ".join(rnd.choice(sentences) for _ in range(rnd.randint(5, 10)))
            rec = {"id": f"synth-{seed}-{i}", "title": NAME.sub(variant, title),
                   "abstract": NAME.sub(variant, body), "url": f"https://example.org/paper/{seed}/{i}"}
            if distinct:
                rec["title"] += f" (no. {rec['id']})"
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
