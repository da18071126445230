"""Writes news-sample.warc.gz: a small WARC of realistic news pages for the
Spark test and the hostile-input tests. All text here was written for dyad
(no third-party content); the events are invented.

One gzip member per record (the Common Crawl layout). Besides the HTML
article responses it holds what real crawls hold: a warcinfo record, request
records, a robots.txt and an image response (not HTML: skipped), a redirect
(not 2xx: skipped), a chunked response, an ISO-8859-1 page and a gzip
content-encoded page.

    python3 jobs/spark/testdata/make_news_warc.py [OUT]
"""

import gzip
import sys
import uuid
import zlib

ARTICLES = [
    (
        "https://www.dailyledger.example/world/2024/05/14/berlin-paris-talks",
        "German and French leaders agree to deepen defence cooperation",
        "2024-05-14",
        "By Marta Keller",
        [
            "BERLIN, May 14 (Daily Ledger) - German Chancellor Olaf Scholz met French President Emmanuel Macron in Berlin on Tuesday to discuss joint weapons programmes and support for Ukraine.",
            "The two leaders agreed to speed up work on a new battle tank and to share the cost of air defence systems, officials said after the meeting.",
            "\u201cEurope must be able to defend itself,\u201d Macron told reporters at a joint news conference. \u201cWe are ready to do more, and to do it together.\u201d",
            "Scholz said Germany would send a further 500 million euros in military aid to Kyiv this year.",
            "The leaders last met in Paris in January, when they signed a declaration on energy security.",
        ],
    ),
    (
        "https://www.dailyledger.example/africa/2024/05/15/nairobi-protests",
        "Police fire tear gas at protesters in Nairobi",
        "2024-05-15",
        "By Daniel Otieno",
        [
            "NAIROBI, May 15 (Daily Ledger) - Kenyan police fired tear gas at thousands of protesters in central Nairobi on Wednesday as demonstrations against a proposed tax increase spread to several cities.",
            "At least 12 people were injured and 35 were arrested, according to the Kenya Red Cross.",
            "Opposition leader Raila Odinga accused the government of using excessive force against peaceful demonstrators.",
            "\u201cThe people have a right to be heard,\u201d Odinga said in a statement.",
            "Interior Minister Kithure Kindiki said the police had acted to protect property and urged protest leaders to negotiate.",
        ],
    ),
    (
        "https://www.dailyledger.example/asia/2024/05/16/japan-aid-pakistan",
        "Japan pledges $50 million in flood aid to Pakistan",
        "2024-05-16",
        "By Hiro Tanaka",
        [
            "TOKYO, May 16 (Daily Ledger) - Japan will provide $50 million in emergency aid to Pakistan after floods displaced more than 200,000 people in Sindh province, the foreign ministry said on Thursday.",
            "Foreign Minister Yoko Kamikawa announced the package after a call with her Pakistani counterpart Ishaq Dar.",
            "The aid includes tents, water purification equipment and medical supplies, and will be delivered through the United Nations.",
            "Pakistan thanked Japan for its support, a spokeswoman for the Pakistani foreign ministry said.",
        ],
    ),
    (
        "https://www.dailyledger.example/world/2024/05/17/security-council",
        "Security Council condemns attack on aid convoy",
        "2024-05-17",
        "By Sara Lindqvist",
        [
            "UNITED NATIONS, May 17 (Daily Ledger) - The United Nations Security Council on Friday condemned an attack on an aid convoy in eastern Congo that killed four aid workers.",
            "In a unanimous statement, the council demanded that all armed groups allow humanitarian access and called on the government of the Democratic Republic of Congo to investigate.",
            "The convoy was carrying food for about 8,000 displaced families near Goma when it came under fire, the World Food Programme said.",
            "Congolese officials blamed the M23 rebel group, which denied involvement.",
        ],
    ),
    (
        "https://www.gazetasul.example/economia/2024/05/18/acordo-comercial",
        "Brazil and Argentina sign trade agreement on energy",
        "2024-05-18",
        None,
        [
            "BRASILIA, May 18 - Brazil and Argentina signed an agreement on Saturday to increase natural gas exports from Argentina's Vaca Muerta field to Brazilian industry.",
            "Brazilian President Luiz Inacio Lula da Silva and Argentine President Javier Milei did not attend the ceremony, which was led by their energy ministers.",
            "Under the deal, Argentina could supply up to 30 million cubic metres of gas a day by 2030.",
            "Brazil's energy minister Alexandre Silveira said the agreement would lower costs for Brazilian factories.",
        ],
    ),
    (
        "https://www.dailyledger.example/europe/2024/05/19/kharkiv-shelling",
        "Russian shelling kills three in Kharkiv, officials say",
        "2024-05-19",
        "By Olena Marchenko",
        [
            "KYIV, May 19 (Daily Ledger) - Russian forces shelled residential areas of Kharkiv overnight, killing three civilians and wounding 17, Ukrainian officials said on Sunday.",
            "Regional governor Oleh Syniehubov said a school and two apartment buildings were hit.",
            "Ukraine's foreign ministry called on its allies to send more air defence systems.",
            "Russia's defence ministry said its forces had struck military targets and did not comment on civilian casualties.",
            "The United States condemned the attack and said it would announce new sanctions against Moscow next week.",
        ],
    ),
    (
        "https://www.elmirador.example/politica/2024/05/20/cumbre",
        "Mexican president visits Guatemala for migration talks",
        "2024-05-20",
        "Por Ana Mar\u00eda Guti\u00e9rrez",
        [
            "GUATEMALA CITY, May 20 - Mexican President Andr\u00e9s Manuel L\u00f3pez Obrador visited Guatemala on Monday for talks with President Bernardo Ar\u00e9valo on migration and border security.",
            "The two governments agreed to set up a joint commission to fight human trafficking along their shared border.",
            "Ar\u00e9valo said Guatemala would ask the United States for more funding for development programmes in rural areas.",
        ],
    ),
    (
        "https://www.dailyledger.example/mideast/2024/05/21/ceasefire-talks",
        "Qatar and Egypt host new round of ceasefire talks",
        "2024-05-21",
        "By Karim Haddad",
        [
            "DOHA, May 21 (Daily Ledger) - Qatar and Egypt hosted a new round of indirect talks on Tuesday aimed at securing a ceasefire in Gaza and the release of hostages.",
            "CIA Director William Burns travelled to Doha for the talks, a U.S. official said.",
            "Israel's prime minister Benjamin Netanyahu said Israel would not agree to end the war before its goals were met.",
            "Hamas said it had not yet received a new proposal.",
        ],
    ),
]

CHROME_TOP = """<header class="site-header"><a class="logo" href="/">{site}</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/business">Business</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
</header>"""

CHROME_BOTTOM = """<aside class="related"><h3>Read more</h3><ul>
<li><a href="/world/markets-close-higher">Markets close higher as inflation cools</a></li>
<li><a href="/sport/cup-final">Late goal settles the cup final</a></li></ul></aside>
<footer><p>&copy; 2024 {site}. All rights reserved.</p><p><a href="/privacy">Privacy policy</a> |
<a href="/terms">Terms of use</a> | <a href="/contact">Contact us</a></p></footer>"""


def page(url, title, date, byline, paras):
    site = url.split("/")[2].replace("www.", "")
    body = "\n".join("<p>%s</p>" % p for p in paras)
    by = '<p class="byline">%s</p>' % byline if byline else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>%s | %s</title>"
        '<meta property="og:title" content="%s">'
        '<meta property="article:published_time" content="%sT09:30:00Z">'
        '<link rel="canonical" href="%s">'
        "<script>window.dataLayer=[];function track(){}</script>"
        "<style>body{font-family:serif}.cookie-banner{position:fixed}</style>"
        "</head><body>%s<main><article><h1>%s</h1>%s<time datetime=\"%s\">%s</time>\n%s</article></main>%s"
        "</body></html>"
        % (title, site, title, date, url, CHROME_TOP.format(site=site), title, by, date, date, body,
           CHROME_BOTTOM.format(site=site))
    )


def warc_record(kind, uri, block, ctype, n):
    rid = uuid.UUID(int=(0xD1AD << 64) + n)
    head = (
        "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Date: 2024-05-22T00:00:%02dZ\r\n"
        "WARC-Record-ID: <urn:uuid:%s>\r\n%sContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
        % (kind, n % 60, rid, ("WARC-Target-URI: %s\r\n" % uri) if uri else "", ctype, len(block))
    ).encode()
    return gzip.compress(head + block + b"\r\n\r\n", compresslevel=9, mtime=0)


def http_response(status, headers, body):
    head = "HTTP/1.1 %s\r\n" % status + "".join("%s: %s\r\n" % h for h in headers) + "\r\n"
    return head.encode("latin-1") + body


def request(uri):
    host = uri.split("/")[2]
    path = "/" + uri.split("/", 3)[3] if uri.count("/") > 2 else "/"
    return ("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: dyad-test\r\n\r\n" % (path, host)).encode()


def chunked(data, size=700):
    out = b""
    for i in range(0, len(data), size):
        part = data[i : i + size]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return out + b"0\r\n\r\n"


def main(out):
    n = 0
    recs = []

    def add(kind, uri, block, ctype):
        nonlocal n
        n += 1
        recs.append(warc_record(kind, uri, block, ctype, n))

    add("warcinfo", None, b"software: dyad make_news_warc.py\r\nformat: WARC File Format 1.0\r\n",
        "application/warc-fields")
    resp = "application/http; msgtype=response"
    add("response", "https://www.dailyledger.example/robots.txt",
        http_response("200 OK", [("Content-Type", "text/plain")], b"User-agent: *\nDisallow: /search\n"), resp)
    for i, (url, title, date, byline, paras) in enumerate(ARTICLES):
        html = page(url, title, date, byline, paras)
        add("request", url, request(url), "application/http; msgtype=request")
        if i == 1:
            body = html.encode("utf-8")
            block = http_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                             ("Transfer-Encoding", "chunked")], chunked(body))
        elif i == 6:
            body = html.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("latin-1")
            block = http_response("200 OK", [("Content-Type", "text/html; charset=ISO-8859-1"),
                                             ("Content-Length", str(len(body)))], body)
        elif i == 3:
            z = zlib.compressobj(9, zlib.DEFLATED, 31)
            body = z.compress(html.encode("utf-8")) + z.flush()
            block = http_response("200 OK", [("Content-Type", "text/html; charset=UTF-8"),
                                             ("Content-Encoding", "gzip"),
                                             ("Content-Length", str(len(body)))], body)
        else:
            body = html.encode("utf-8")
            block = http_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                             ("Content-Length", str(len(body)))], body)
        add("response", url, block, resp)
        if i == 2:
            add("response", "https://www.dailyledger.example/img/flood.png",
                http_response("200 OK", [("Content-Type", "image/png")], b"\x89PNG\r\n\x1a\n" + bytes(64)), resp)
        if i == 4:
            add("response", "http://dailyledger.example/world",
                http_response("301 Moved Permanently", [("Location", "https://www.dailyledger.example/world"),
                                                        ("Content-Type", "text/html")],
                              b"<html><body>Moved</body></html>"), resp)
    with open(out, "wb") as f:
        for r in recs:
            f.write(r)
    print("%s: %d records, %d HTML responses" % (out, len(recs), len(ARTICLES)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "news-sample.warc.gz")
