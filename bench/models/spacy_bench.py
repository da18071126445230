"""spaCy en_core_web_sm on gold-tokenised sentences: words/s for tagger,
parser, NER and all three; model load time; peak RSS. Used by
bench/models.sh (run pinned to one core)."""
import resource
import sys
import time


def read_conllu(path):
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if cur:
                    sents.append(cur)
                    cur = []
            elif not line.startswith("#"):
                cols = line.split("\t")
                if cols[0].isdigit():
                    cur.append(cols[1])
    if cur:
        sents.append(cur)
    return sents


def main():
    sents = read_conllu(sys.argv[1])
    nw = sum(len(s) for s in sents)
    t = time.perf_counter()
    import spacy
    from spacy.tokens import Doc

    try:
        nlp = spacy.load("en_core_web_sm")
    except OSError:
        import en_core_web_sm

        nlp = en_core_web_sm.load()
    print(f"model load: {1000 * (time.perf_counter() - t):.0f} ms (spaCy {spacy.__version__}, {nlp.meta.get('name')} {nlp.meta.get('version')})")

    def docs():
        return [Doc(nlp.vocab, words=w) for w in sents]

    def timed(names):
        ds = docs()
        t = time.perf_counter()
        for name in names:
            proc = nlp.get_pipe(name)
            ds = list(proc.pipe(ds, batch_size=256))
        return nw / (time.perf_counter() - t)

    tag = [n for n in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer") if n in nlp.pipe_names]
    print(f"words: {nw}")
    print(f"tag+lemma: {timed(tag):>10.0f} words/s (tok2vec included)")
    print(f"parse:     {timed(['tok2vec', 'parser']):>10.0f} words/s (tok2vec included)")
    print(f"ner:       {timed(['ner']):>10.0f} words/s (own tok2vec)")
    ds = docs()
    t = time.perf_counter()
    ds = list(nlp.pipe(ds, batch_size=256))
    print(f"all three: {nw / (time.perf_counter() - t):>10.0f} words/s (whole pipeline)")
    print(f"peak RSS:  {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:>10.1f} MB")


if __name__ == "__main__":
    main()
