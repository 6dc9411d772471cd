#!/usr/bin/env python3
"""Make a large, reproducible corpus of synthetic paper records for benchmarks.

    python3 scripts/make_corpus.py N OUT.jsonl [--seed 0] [--distinct]

Each record is {"id", "title", "abstract", "url"} (JSON Lines). Abstracts are recombined from
the sentences of the bundled sample listings (kg/data/corpus/), and name-like tokens (DeepCache, GPT-4,
MoE-Fusion) get Zipf-distributed variants, so the graph keeps growing with N the way a real
corpus does: a few names recur everywhere, most are rare. Same N and seed, same bytes.
Titles repeat (most records merge as duplicates); --distinct numbers them, "(no. ID)", so every
record is a paper of its own, as in a real field.
"""
import json
import pathlib
import random
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
JUNK = re.compile(r"^(new|Subscribe|byAK and the research community|Get trending papers in your email inbox( once a day)?!|[A-Z][a-z]{2} \d{1,2})$")
NAME = re.compile(r"\b[A-Z][A-Za-z]*(?:[A-Z0-9][A-Za-z0-9]*)+(?:-[A-Za-z0-9.]+)*\b")


def seed_records():
    for p in sorted((HERE.parent / "kg" / "data" / "corpus").glob("*.txt")):
        lines = [re.sub(r"^Subscribe(?=\S)", "", l.strip()) for l in p.read_text(encoding="utf-8").splitlines()]
        lines = [l for l in lines if l and not JUNK.match(l)]
        for t, a in zip(lines[::2], lines[1::2]):
            yield t, a


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
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
