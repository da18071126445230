use super::*;

fn page(body: &str) -> String {
    format!("<!doctype html><html lang=\"en\"><head><title>A headline here | The Site</title></head><body>{body}</body></html>")
}

const P1: &str = "The council voted on Tuesday to expand the program, which has been running since 2015, to three more districts.";
const P2: &str = "Officials said the expansion would cost about two million dollars, paid from the regional budget over four years.";

#[test]
fn keeps_article_drops_chrome() {
    let html = page(&format!(
        "<header><nav><ul><li><a href=/>Home</a></li><li><a href=/a>News</a></li></ul></nav></header>\
         <div class=cookie-banner>We use cookies to improve your experience on our site.</div>\
         <main><article><h1>A headline here</h1><p>{P1}</p><h2>Costs</h2><p>{P2}</p>\
         <div class=share-bar><a href=#>Share on Twitter</a> <a href=#>Facebook</a></div>\
         <section class=related><h3>Related</h3><ul><li><a href=/x>Another story entirely different</a></li></ul></section>\
         </article><div id=comments><p>Great article, I completely agree with everything said here!</p></div></main>\
         <footer><p>Impressum and copyright notice of the publisher.</p></footer>"
    ));
    let a = extract(&html, None);
    assert!(a.text.contains(P1) && a.text.contains(P2), "{}", a.text);
    assert!(a.text.contains("Costs"), "headings kept: {}", a.text);
    for bad in [
        "Home",
        "cookies",
        "Share on",
        "Another story",
        "Great article",
        "Impressum",
    ] {
        assert!(!a.text.contains(bad), "{bad} leaked: {}", a.text);
    }
    assert!(
        a.text.contains(&format!("{P1}\n\nCosts\n\n{P2}")),
        "blank lines between paragraphs: {:?}",
        a.text
    );
    assert_eq!(a.title.as_deref(), Some("A headline here"));
}

#[test]
fn lists_and_tables_are_text() {
    let html = page(&format!(
        "<div class=post-content><p>{P1}</p><ul><li>200 g sugar</li><li>3 eggs</li></ul>\
         <table><tr><td>Year</td><td>Votes</td></tr><tr><td>2019</td><td>1200</td></tr></table><p>{P2}</p></div>"
    ));
    let a = extract(&html, None);
    assert!(a.text.contains("200 g sugar\n3 eggs"), "{}", a.text);
    assert!(a.text.contains("Year\tVotes\n2019\t1200"), "{}", a.text);
}

#[test]
fn metadata_from_json_ld_and_meta() {
    let html = format!(
        "<html lang=de><head><title>Ignored | Site</title>\
         <meta property=og:site_name content=\"Die Zeitung\"><link rel=canonical href=\"https://z.example/a/1\">\
         <meta name=description content=\"A short summary of the article for readers.\">\
         <script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\",\"@graph\":[{{\"@type\":\"NewsArticle\",\
         \"headline\":\"Die Schlagzeile\",\"datePublished\":\"2020-01-27T08:00:00+01:00\",\"author\":[{{\"@type\":\"Person\",\"name\":\"Erika Muster\"}}]}}]}}</script>\
         </head><body><article><p>{P1}</p><p>{P2}</p></article></body></html>"
    );
    let a = extract(&html, None);
    assert_eq!(a.date.as_deref(), Some("2020-01-27"));
    assert_eq!(a.byline.as_deref(), Some("Erika Muster"));
    assert_eq!(a.site.as_deref(), Some("Die Zeitung"));
    assert_eq!(a.url.as_deref(), Some("https://z.example/a/1"));
    assert_eq!(a.language.as_deref(), Some("de"));
    assert_eq!(a.title.as_deref(), Some("Die Schlagzeile"));
    assert!(a.standfirst.is_some());
}

#[test]
fn date_from_time_element_and_url() {
    let html = page(&format!(
        "<article><time datetime=\"2018-05-17\">17 May</time><p>{P1}</p></article>"
    ));
    assert_eq!(extract(&html, None).date.as_deref(), Some("2018-05-17"));
    let html = page(&format!("<article><p>{P1}</p></article>"));
    assert_eq!(
        extract(&html, Some("https://x.org/2012/05/31/slug/"))
            .date
            .as_deref(),
        Some("2012-05-31")
    );
}

#[test]
fn bad_inputs_never_crash() {
    // Truncated, no body, frameset, deep nesting.
    let a = extract(&format!("<html><body><p>{P1}</p><p>{P2}"), None);
    assert!(a.text.contains(P2));
    let a = extract(&format!("<p>{P1}"), None);
    assert!(a.text.contains(P1));
    let a = extract(
        &format!("<frameset><frame src=a.html><noframes><p>{P1}</p></noframes></frameset>"),
        None,
    );
    let _ = a.text;
    let deep = format!(
        "{}{P1}{}",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let a = extract(&deep, None);
    assert!(a.text.contains("council voted"));
    let _ = extract("", None);
    let _ = extract("<<<>>><!--", None);
}

#[test]
fn depth_cap_only_touches_deep_pages() {
    let normal = "<html><body><div><p>a</p><br><img src=x></div></body></html>";
    assert!(matches!(prepare(normal, 4), std::borrow::Cow::Borrowed(_)));
    let deep = format!("{}x{}", "<div>".repeat(10), "</div>".repeat(10));
    let capped = prepare(&deep, 4);
    assert_eq!(capped.matches("<div>").count(), 4);
    assert!(capped.contains('x'));
}

#[test]
fn scripts_and_styles_are_emptied_but_json_ld_kept() {
    let html = "<html><head><style>p{color:red}</style>\
        <script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script></head>\
        <body><script>if (a<b) { document.write('</div>'); }</script><p>text</p></body></html>";
    let out = prepare(html, 512);
    assert!(!out.contains("color:red"), "{out}");
    assert!(!out.contains("document.write"), "{out}");
    assert!(out.contains("NewsArticle"), "{out}");
    assert!(out.contains("<script></script><p>text</p>"), "{out}");
}

#[test]
fn token_automaton_agrees_with_the_vocabulary() {
    for tok in [
        "article-body",
        "post_content",
        "entry-content-list",
        "sidebar",
        "comment-form",
        "site-footer",
        "nav",
        "main-nav",
        "ad",
        "ads-slot",
        "article-meta",
        "post-date",
        "byline",
        "author-box",
        "col-md-8",
        "storytext",
        "newsletter-signup",
        "promo",
        "related-posts",
        "menu-item",
        "x",
        "",
    ] {
        let info = ClassInfo::of_token(tok);
        assert_eq!(info.chrome, chrome_token(tok), "{tok}");
        assert_eq!(info.content, content_token(tok), "{tok}");
    }
}

#[test]
fn comments_and_svg_are_dropped_before_parsing() {
    let html = "<body><!-- <div><div><div> --><p>kept</p><svg viewBox='0 0 1 1'><path d='M0 0'/>\
        <text>icon</text></svg><p>also kept</p></body>";
    let out = prepare(html, 2);
    assert_eq!(out, "<body><p>kept</p><p>also kept</p></body>");
    let a = extract(html, None);
    assert!(!a.text.contains("icon"));
}

#[test]
fn classes_that_describe_content_are_not_chrome() {
    for tok in [
        "tag-elections",
        "category-news",
        "post-1234",
        "no-print",
        "non-paywall",
        "has-sidebar",
        "o-section--has-ads",
        "report__section--ads",
        "elementor-widget-container",
        "print-full",
        "apageroot__sectionwrapper",
    ] {
        assert_eq!(ClassInfo::of_token(tok).chrome, None, "{tok}");
    }
    for tok in [
        "sidebar",
        "tags",
        "post-meta",
        "site-footer",
        "ad-slot",
        "comments--open",
        "pager",
    ] {
        assert!(ClassInfo::of_token(tok).chrome.is_some(), "{tok}");
    }
}

#[test]
fn site_name_titles_give_way_to_the_content_heading() {
    let html = "<html><head><title>Example Blog</title><meta property=og:site_name content='Example Blog'></head>\
        <body><div class=logo>Example Blog</div><article><h2>A walk along the river</h2>\
        <p>The council voted on Tuesday to expand the program, which has been running since 2015, to three more districts of the city.</p>\
        <p>Officials said the expansion would cost about two million dollars, paid from the regional budget over four years.</p></article></body></html>";
    let a = extract(html, Some("https://example-blog.org/2020/01/02/walk"));
    assert_eq!(a.title.as_deref(), Some("A walk along the river"));
    let html = "<html><head><title>Town Club - Big win for the first team</title></head>\
        <body><article><h2>Big win for the first team</h2>\
        <p>The council voted on Tuesday to expand the program, which has been running since 2015, to three more districts of the city.</p></article></body></html>";
    let a = extract(html, None);
    assert_eq!(a.title.as_deref(), Some("Big win for the first team"));
}

#[test]
fn closing_calls_to_action_and_date_lines_go() {
    let html = page(&format!(
        "<article><h1>A headline here</h1><p>12.03.2021</p><p>{P1}</p><p>{P2}</p>\
         <p>Related stories</p><p>Council budget hearing moves to May</p>\
         <p>Follow us on Twitter and Instagram @thesite for more.</p>\
         <p>© 2021 The Site. All rights reserved.</p></article>"
    ));
    let a = extract(&html, None);
    assert!(a.text.contains(P1) && a.text.contains(P2), "{}", a.text);
    for bad in [
        "12.03.2021",
        "Related stories",
        "budget hearing",
        "Follow us",
        "rights",
    ] {
        assert!(!a.text.contains(bad), "{bad} leaked: {}", a.text);
    }
    // Mid-article mentions of the same words stay.
    let mid = "Her followers on Twitter asked the council to publish all subscriber numbers.";
    let html = page(&format!(
        "<article><p>{P1}</p><p>{mid}</p><p>{P2}</p></article>"
    ));
    assert!(extract(&html, None).text.contains(mid));
}

#[test]
fn article_in_noscript_is_read() {
    let html = page(&format!(
        "<div id=app>Loading</div><noscript><div class=post-body><p>{P1}</p><p>{P2}</p><p>{P2} {P1}</p></div></noscript>"
    ));
    let a = extract(&html, None);
    assert!(a.text.contains(P1) && a.text.contains(P2), "{}", a.text);
    // A short notice in noscript stays out.
    let html = page(&format!(
        "<noscript><p>Please enable JavaScript to view the comments.</p></noscript><article><p>{P1}</p><p>{P2}</p></article>"
    ));
    assert!(!extract(&html, None).text.contains("enable JavaScript"));
}

#[test]
fn misnamed_wrappers_and_link_free_teasers_are_content() {
    // A wrapper named for the navigation beside it holds `<main>`.
    let html = page(&format!(
        "<div class=left-navigation-wrapper><nav><a href=/a>Alpha section</a> <a href=/b>Beta section</a></nav>\
         <main><p>{P1}</p><p>{P2}</p></main></div>"
    ));
    let a = extract(&html, None);
    assert!(a.text.contains(P1) && a.text.contains(P2), "{}", a.text);
    // A lead paragraph classed `teaser-text` without links is the standfirst.
    let lead =
        "The program grows to three more districts, the council decided after a long debate.";
    let html = page(&format!(
        "<article><h1>A headline here</h1><p class=teaser-text>{lead}</p><p>{P1}</p><p>{P2}</p>\
         <div class=teaser><a href=/x>Another story that is linked from here</a></div></article>"
    ));
    let a = extract(&html, None);
    assert!(a.text.contains(lead), "{}", a.text);
    assert!(!a.text.contains("Another story"), "{}", a.text);
}

#[test]
fn long_trailing_headings_are_text() {
    let long = "Children between six and twelve are invited to send their posters to the council by April.";
    let html = page(&format!(
        "<article><p>{P1}</p><p>{P2}</p><h3>{long} Entries go on show in May.</h3><h4>Share</h4></article>"
    ));
    let a = extract(&html, None);
    assert!(a.text.contains(long), "{}", a.text);
    assert!(!a.text.ends_with("Share"), "{}", a.text);
}

#[test]
fn dated_header_showing_the_update_wins() {
    // The line under the headline shows the `dateModified` day: readers
    // see the page as of its update.
    let html = format!(
        "<html lang=en><head><title>T</title>\
         <meta property=article:published_time content=\"2019-06-17T10:00:00+02:00\">\
         <meta property=article:modified_time content=\"2020-06-04T10:00:00+02:00\"></head>\
         <body><article><h1>A headline here</h1><div class=post-date>Updated June 4, 2020</div><p>{P1}</p><p>{P2}</p></article></body></html>"
    );
    assert_eq!(extract(&html, None).date.as_deref(), Some("2020-06-04"));
    // A modified stamp that the page does not show changes nothing.
    let html = html.replace("Updated June 4, 2020", "By the desk");
    assert_eq!(extract(&html, None).date.as_deref(), Some("2019-06-17"));
}

#[test]
fn opengraph_published_time_before_json_ld() {
    let html = format!(
        "<html lang=de><head><title>T</title>\
         <meta property=article:published_time content=\"2023-11-06T15:25:00+01:00\">\
         <script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"datePublished\":\"2023-11-03T11:25:56+01:00\"}}</script>\
         </head><body><article><p>{P1}</p><p>{P2}</p></article></body></html>"
    );
    assert_eq!(extract(&html, None).date.as_deref(), Some("2023-11-06"));
}

#[test]
fn utc_stamp_of_an_evening_story_follows_the_url_date() {
    // 02:25Z on the 25th is the evening of the 24th for a publisher whose
    // zone is unknown and whose URL says the 24th.
    let html = format!(
        "<html lang=en><head><title>T</title>\
         <meta property=article:published_time content=\"2020-02-25T02:25:54+00:00\"></head>\
         <body><article><p>{P1}</p><p>{P2}</p></article></body></html>"
    );
    let url = "https://news.example.com/2020/02/24/a-story/";
    assert_eq!(
        extract(&html, Some(url)).date.as_deref(),
        Some("2020-02-24")
    );
    // Without the URL, the stamp stands; a URL two days off changes nothing.
    assert_eq!(extract(&html, None).date.as_deref(), Some("2020-02-25"));
    let far = "https://news.example.com/2020/02/23/a-story/";
    assert_eq!(
        extract(&html, Some(far)).date.as_deref(),
        Some("2020-02-25")
    );
}

#[test]
fn the_stamp_next_to_the_headline_beats_related_lists() {
    let html = format!(
        "<html lang=de><head><title>T</title></head><body>\
         <div class=topbar><span class=date>Mittwoch, 26.02.2020</span></div>\
         <article><div class=meta><span class=published>31. Oktober 2023</span></div><h1>A headline here</h1>\
         <p>{P1}</p><p>{P2}</p><p>{P1}</p><p>{P2}</p></article>\
         <aside><h3>More from the region</h3><ul><li><a href=/x>Another story</a> <time class=published datetime=\"2020-12-03\">3. Dezember 2020</time></li>\
         <li><a href=/y>One more story</a> <time class=published datetime=\"2023-01-06\">6. Januar 2023</time></li></ul></aside>\
         </body></html>"
    );
    assert_eq!(extract(&html, None).date.as_deref(), Some("2023-10-31"));
}

#[test]
fn kicker_labels_above_the_headline_go() {
    let html = page(&format!(
        "<main><article><p class=kicker>Olympische Winterspiele</p><h1>A headline here</h1><p>{P1}</p><p>{P2}</p></article></main>"
    ));
    let a = extract(&html, None);
    assert!(a.text.starts_with("A headline here"), "{}", a.text);
    // A sentence before the headline is text, not a label.
    let html = page(&format!(
        "<main><article><p>Officials met again.</p><h1>A headline here</h1><p>{P1}</p><p>{P2}</p></article></main>"
    ));
    assert!(extract(&html, None)
        .text
        .starts_with("Officials met again."));
}

#[test]
fn a_chrome_named_layout_wrapper_around_the_content_is_kept() {
    let body = [P1, P2, P1, P2, P1, P2]
        .map(|p| format!("<p>{p}</p>"))
        .concat();
    let html = page(&format!(
        "<nav><a href=/a>Home</a> <a href=/b>News</a></nav>\
         <div class=above-footer><div class=article-content><h1>A headline here</h1>{body}</div></div>\
         <footer><p>Impressum and copyright notice of the publisher.</p></footer>"
    ));
    let a = extract(&html, None);
    assert!(a.text.contains(P1) && a.text.contains(P2), "{}", a.text);
    assert!(!a.text.contains("Impressum"), "{}", a.text);
}
