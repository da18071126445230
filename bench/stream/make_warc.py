"""Writes a benchmark WARC of realistic news pages (generated text, no
third-party content): each page is ~60-120 KB of HTML (navigation, inline
scripts and styles, related links, footer) around a 15-30 sentence article
whose sentences are built from templates over varied actors, actions,
places, dates, numbers and quotes. Request records and a robots.txt per
100 pages are interleaved, as in real crawls.

    python3 make_warc.py OUT (--records N | --bytes B) [--gzip] [--seed S]

--gzip writes one gzip member per record (.warc.gz, Common Crawl layout);
--bytes stops once the uncompressed WARC reaches B bytes.
"""

import argparse
import gzip
import random
import uuid

ACTORS = [
    ("German Chancellor Olaf Scholz", "Scholz"), ("French President Emmanuel Macron", "Macron"),
    ("Russian President Vladimir Putin", "Putin"), ("Chinese President Xi Jinping", "Xi"),
    ("U.S. Secretary of State Antony Blinken", "Blinken"), ("Turkish President Recep Tayyip Erdogan", "Erdogan"),
    ("Indian Prime Minister Narendra Modi", "Modi"), ("Brazilian President Luiz Inacio Lula da Silva", "Lula"),
    ("Japanese Prime Minister Fumio Kishida", "Kishida"), ("Kenyan President William Ruto", "Ruto"),
    ("the Iranian foreign ministry", "Tehran"), ("the Israeli military", "the army"),
    ("Ukrainian President Volodymyr Zelenskiy", "Zelenskiy"), ("the European Union", "the EU"),
    ("the United Nations", "the UN"), ("NATO Secretary General Jens Stoltenberg", "Stoltenberg"),
    ("Egyptian President Abdel Fattah al-Sisi", "Sisi"), ("Saudi Crown Prince Mohammed bin Salman", "the crown prince"),
    ("the Nigerian army", "the army"), ("Pakistani Prime Minister Shehbaz Sharif", "Sharif"),
]
PLACES = ["Berlin", "Paris", "Moscow", "Beijing", "Washington", "Ankara", "New Delhi", "Brasilia", "Tokyo",
          "Nairobi", "Tehran", "Jerusalem", "Kyiv", "Brussels", "Geneva", "Cairo", "Riyadh", "Abuja", "Islamabad",
          "Vienna", "Doha", "Kharkiv", "Goma", "Sochi"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday",
        "last week", "earlier this month", "in March", "on May 14"]
ACTIONS = [
    "met {B} in {P} {D} to discuss trade and security",
    "held talks with {B} in {P} {D}",
    "accused {B} of violating the ceasefire {D}",
    "criticised {B} over its treatment of protesters",
    "pledged {N} million dollars in humanitarian aid to {B}",
    "signed an agreement on energy cooperation with {B} in {P} {D}",
    "called on {B} to release detained journalists",
    "threatened to impose sanctions on {B}",
    "praised {B} for its role in the negotiations",
    "rejected a proposal by {B} to extend the truce",
    "sent {N} troops to the border with {B}",
    "expelled two diplomats from the embassy of {B} {D}",
    "congratulated {B} on the election result",
    "demanded that {B} withdraw its forces from the region",
    "agreed with {B} to resume flights between the two countries",
]
EXTRA = [
    "At least {N} people were killed and {M} injured in the fighting near {P}, officials said.",
    "The talks in {P} were the first in {M} years, according to diplomats.",
    "More than {N},000 people have fled their homes since the violence began.",
    "Police arrested {M} protesters in central {P} {D}.",
    "The government said {M} soldiers had been wounded.",
    "The ministry said it would announce further measures next week.",
    "Analysts said the agreement could take years to implement.",
    "Officials in {P} did not respond to a request for comment.",
]
QUOTES = [
    "\u201cWe will not accept any threat to our sovereignty,\u201d {S} said.",
    "\u201cThis is a historic day for both our peoples,\u201d {S} told reporters in {P}.",
    "{S} said the two sides had made \u201cgood progress\u201d but that more work was needed.",
    "\u201cThe violence must stop now,\u201d {S} said in a statement.",
]
WORDS = ("market sport culture opinion weather travel science health politics world business video podcast "
         "newsletter subscribe login account search archive contact").split()


def sentence(rng):
    a, b = rng.sample(ACTORS, 2)
    kind = rng.random()
    fill = dict(P=rng.choice(PLACES), D=rng.choice(DAYS), N=rng.randint(2, 900), M=rng.randint(2, 60),
                B=b[0] if rng.random() < 0.5 else b[1], S=a[1])
    if kind < 0.55:
        return "%s %s." % (a[0] if rng.random() < 0.5 else a[1], rng.choice(ACTIONS).format(**fill))
    if kind < 0.8:
        return rng.choice(EXTRA).format(**fill)
    return rng.choice(QUOTES).format(**fill)


def chrome_script(rng, size):
    parts = []
    n = 0
    while n < size:
        s = "var %s_%d=function(a,b){return a.%s(b)||window.%s[%d];};\n" % (
            rng.choice(WORDS), rng.randint(0, 9999), rng.choice(WORDS), rng.choice(WORDS), rng.randint(0, 99))
        parts.append(s)
        n += len(s)
    return "".join(parts)


def page(rng, i):
    site = "news%d.example" % (i % 37)
    paras = []
    for _ in range(rng.randint(5, 9)):
        paras.append(" ".join(sentence(rng) for _ in range(rng.randint(2, 4))))
    title = sentence(rng).rstrip(".")[:90]
    nav = "".join('<li><a href="/%s/%d">%s</a></li>' % (w, rng.randint(0, 999), w.title())
                  for w in rng.sample(WORDS, len(WORDS)) * 3)
    related = "".join('<li><a href="/story/%d">%s</a></li>' % (rng.randint(0, 10**6), sentence(rng)[:70])
                      for _ in range(12))
    body = "".join("<p>%s</p>\n" % p for p in paras)
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s | %s</title>'
        '<meta name="viewport" content="width=device-width"><meta property="og:title" content="%s">'
        '<meta property="article:published_time" content="2024-05-%02dT08:00:00Z">'
        "<style>%s</style><script>%s</script></head><body>"
        '<header><a class="logo" href="/">%s</a><nav><ul>%s</ul></nav></header>'
        '<div class="ad-slot" id="top-ad"></div>'
        "<main><article><h1>%s</h1><p class=\"byline\">By Staff Reporter</p>%s</article>"
        '<aside class="related"><h3>Most read</h3><ul>%s</ul></aside></main>'
        "<footer><p>&copy; 2024 %s</p><ul>%s</ul></footer><script>%s</script></body></html>"
        % (title, site, title, rng.randint(1, 28),
           ".c%d{margin:0 auto;padding:%dpx}" * 1 % (i, rng.randint(1, 20)) * rng.randint(100, 300),
           chrome_script(rng, rng.randint(15000, 40000)), site, nav, title, body, related, site, nav,
           chrome_script(rng, rng.randint(10000, 30000)))
    )
    return "https://www.%s/world/2024/%d" % (site, i), html.encode("utf-8")


def record(kind, uri, block, ctype, rng):
    head = (
        "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Date: 2024-05-22T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:%s>\r\n"
        "WARC-Target-URI: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
        % (kind, uuid.UUID(int=rng.getrandbits(128)), uri, ctype, len(block))
    ).encode()
    return head + block + b"\r\n\r\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--records", type=int, default=0)
    ap.add_argument("--bytes", type=int, default=0)
    ap.add_argument("--gzip", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if not a.records and not a.bytes:
        ap.error("give --records or --bytes")
    rng = random.Random(a.seed)
    written = 0
    pages = 0
    with open(a.out, "wb") as f:
        while (a.records and pages < a.records) or (a.bytes and written < a.bytes):
            uri, html = page(rng, pages)
            recs = [
                record("request", uri, ("GET / HTTP/1.1\r\nHost: %s\r\n\r\n" % uri.split("/")[2]).encode(),
                       "application/http; msgtype=request", rng),
                record("response", uri, b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                       b"Content-Length: %d\r\n\r\n" % len(html) + html, "application/http; msgtype=response", rng),
            ]
            if pages % 100 == 0:
                robots = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nUser-agent: *\nDisallow:\n"
                recs.append(record("response", uri.rsplit("/", 3)[0] + "/robots.txt", robots,
                                   "application/http; msgtype=response", rng))
            for r in recs:
                written += len(r)
                f.write(gzip.compress(r, compresslevel=1, mtime=0) if a.gzip else r)
            pages += 1
    print("%s: %d pages, %.1f MB uncompressed" % (a.out, pages, written / 1e6))


if __name__ == "__main__":
    main()
