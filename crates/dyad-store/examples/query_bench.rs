//! Query latency benchmark: builds a store of >= 100,000 events and times
//! filtered queries (p50/p99). Run by `bench/store/run.sh`.
//!
//! Documents: the text of real pages (`--pages DIR`, crude tag stripping,
//! each copy perturbed by shuffling its lines and numbering it) when
//! given, else generated text. Events: synthetic records (random PLOVER
//! type, actor pair, day, place) with evidence spans into the text,
//! because the pipeline does not yet code enough events on those pages.
//!
//! ```text
//! query_bench [--db FILE] [--events N] [--pages DIR] [--reps N]
//! ```

use dyad_core::{ActorRef, Doc, Event, EventPlace, Source, Span};
use dyad_store::{CountBy, EventFilter, PreparedDoc, Store};
use std::time::Instant;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() % v.len() as u64) as usize]
    }
}

const COUNTRIES: &[&str] = &[
    "RUS", "SYR", "USA", "FRA", "DEU", "GBR", "CHN", "IRN", "ISR", "TUR", "UKR", "IRQ", "EGY",
    "SAU", "IND", "PAK", "AFG", "NGA", "BRA", "MEX", "JPN", "KOR", "PRK", "VEN", "COL", "ETH",
    "SDN", "YEM", "LBY", "MLI",
];
const SECTORS: &[&str] = &[
    "GOV", "MIL", "REB", "OPP", "COP", "JUD", "LEG", "BUS", "MED", "CVL",
];
const TYPES: &[(&str, &str)] = &[
    ("CONSULT", "040"),
    ("AID", "070"),
    ("ASSAULT", "190"),
    ("ACCUSE", "111"),
    ("REQUEST", "020"),
    ("COOPERATE", "050"),
    ("THREATEN", "130"),
    ("PROTEST", "140"),
    ("SANCTION", "163"),
    ("MOBILIZE", "150"),
    ("AGREE", "057"),
    ("REJECT", "120"),
    ("COERCE", "170"),
    ("RETREAT", "080"),
    ("SUPPORT", "051"),
    ("CONCEDE", "083"),
];

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 3);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn load_pages(dir: Option<&str>) -> Vec<String> {
    let Some(dir) = dir else { return Vec::new() };
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        eprintln!("query_bench: cannot read {dir}; using generated text");
        return out;
    };
    for e in rd.flatten() {
        if let Ok(b) = std::fs::read(e.path()) {
            let t = strip_tags(&String::from_utf8_lossy(&b));
            if t.len() > 500 {
                out.push(t.chars().take(4000).collect());
            }
        }
    }
    out
}

/// CPU time of this thread in ms (Linux; 0 elsewhere): the machine may be
/// shared, and wall time then measures the neighbours too.
fn thread_cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e6)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let opt = |k: &str| {
        args.iter()
            .position(|a| a == k)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let db = opt("--db").unwrap_or_else(|| "/tmp/dyad-query-bench.db".into());
    let n_events: usize = opt("--events")
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let reps: usize = opt("--reps").and_then(|s| s.parse().ok()).unwrap_or(200);
    let pages = load_pages(opt("--pages").as_deref());
    let mut rng = Rng(0x1234_5678_9abc_def1);
    // `--reuse`: keep a store built by an earlier run (it is migrated on open).
    let reuse = args.iter().any(|a| a == "--reuse")
        && Store::open(&db)
            .and_then(|s| s.stats())
            .map(|s| s.events >= n_events as u64)
            .unwrap_or(false);
    if !reuse {
        let _ = std::fs::remove_file(&db);
        let _ = std::fs::remove_file(format!("{db}-wal"));
        let _ = std::fs::remove_file(format!("{db}-shm"));
        build(&db, n_events, &pages, &mut rng);
    }
    let st = Store::open(&db).unwrap().stats().unwrap();
    query(&db, reps, &st, &mut rng, false);
    query(&db, reps, &st, &mut rng, true);
}

fn build(db: &str, n_events: usize, pages: &[String], rng: &mut Rng) {
    let store = Store::open(db).expect("open store");
    let per_doc = 5;
    let n_docs = n_events.div_ceil(per_doc);
    println!(
        "building: {n_docs} documents x {per_doc} synthetic events; text from {}",
        if pages.is_empty() {
            "generated words".to_string()
        } else {
            format!("{} real pages (perturbed copies)", pages.len())
        }
    );
    let t0 = Instant::now();
    let mut batch = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    for i in 0..n_docs {
        // Text: sentences of three random real pages, shuffled, so most
        // documents are distinct articles; every tenth is a near-copy of
        // an earlier one (another headline line on the same body), as
        // syndication makes, so the duplicate filter has work to do.
        let text = if i % 10 == 9 && !texts.is_empty() {
            let base: &String = rng.pick(&texts);
            format!("Syndicated copy {i}. {base}")
        } else if pages.is_empty() {
            (0..300)
                .map(|_| format!("w{}", rng.next() % 5000))
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            let mut lines: Vec<&str> = Vec::new();
            for _ in 0..3 {
                let page = rng.pick(pages);
                let sents: Vec<&str> = page.split(". ").collect();
                for _ in 0..8 {
                    let s = *rng.pick(&sents);
                    // Pages without sentence ends would make one huge "sentence".
                    let cut = s.char_indices().nth(400).map_or(s.len(), |(b, _)| b);
                    lines.push(&s[..cut]);
                }
            }
            format!("Copy {i}. {}", lines.join(". "))
        };
        if texts.len() < 2000 && i % 10 != 9 {
            texts.push(text.clone());
        }
        let mut d = Doc::from_clean_text(
            format!("doc{i}"),
            Source::path(format!("doc{i}")),
            text.clone(),
        );
        let day = format!(
            "20{:02}-{:02}-{:02}",
            15 + rng.next() % 10,
            1 + rng.next() % 12,
            1 + rng.next() % 28
        );
        d.article.date = Some(day.clone());
        d.article.title = Some(format!("Document {i}"));
        let ends: Vec<usize> = text
            .char_indices()
            .map(|(b, _)| b)
            .filter(|b| *b > 0)
            .take(60)
            .collect();
        for _ in 0..per_doc {
            let (plover, cameo) = *rng.pick(TYPES);
            let code = |rng: &mut Rng| format!("{}{}", rng.pick(COUNTRIES), rng.pick(SECTORS));
            let e = ends[(rng.next() as usize) % ends.len()];
            let s = code(rng);
            let t = code(rng);
            d.events.push(Event {
                plover: plover.into(),
                cameo: cameo.into(),
                source: Some(ActorRef {
                    text: s.clone(),
                    code: s,
                    start: 0,
                    end: e,
                    name: None,
                }),
                target: Some(ActorRef {
                    text: t.clone(),
                    code: t,
                    start: 0,
                    end: e,
                    name: None,
                }),
                date: Some(day.clone()),
                place: Some(EventPlace {
                    name: "Somewhere".into(),
                    country: Some(rng.pick(COUNTRIES).to_string()),
                    lat: Some(10.0),
                    lon: Some(20.0),
                    start: 0,
                    end: e,
                    ..Default::default()
                }),
                evidence: vec![Span::new(0, e)],
                rule: "bench".into(),
                ..Default::default()
            });
        }
        batch.push(PreparedDoc::new(&d, format!("{i}")).expect("prepare"));
        if batch.len() == 500 {
            store.write_batch(&batch, false).expect("write");
            batch.clear();
        }
    }
    store.write_batch(&batch, false).expect("write");
    store.optimize().expect("optimize");
    let build = t0.elapsed().as_secs_f64();
    let st = store.stats().unwrap();
    let size = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
    println!(
        "built: {} documents, {} events, {} duplicates in {build:.1}s ({:.0} docs/s written), {:.0} MB",
        st.documents,
        st.events,
        st.duplicates,
        st.documents as f64 / build,
        size as f64 / 1e6
    );
}

fn query(db: &str, reps: usize, st: &dyad_store::Stats, rng: &mut Rng, dups: bool) {
    // A fresh connection, as a server would have.
    let store = Store::open(db).unwrap();
    type Q = Box<dyn Fn(&Store, &mut Rng) -> usize>;
    let limit = Some(100);
    let queries: Vec<(&str, Q)> = vec![
        (
            "actor code prefix",
            Box::new(move |s, r| {
                s.query_events(&EventFilter {
                    actor: Some(r.pick(COUNTRIES).to_string()),
                    limit,
                    include_duplicates: dups,
                    ..Default::default()
                })
                .unwrap()
                .len()
            }),
        ),
        (
            "type + date range",
            Box::new(move |s, r| {
                let y = 2015 + r.next() % 10;
                s.query_events(&EventFilter {
                    event_type: Some(r.pick(TYPES).0.into()),
                    from: Some(format!("{y}-01")),
                    to: Some(format!("{y}-06")),
                    limit,
                    include_duplicates: dups,
                    ..Default::default()
                })
                .unwrap()
                .len()
            }),
        ),
        (
            "country + type",
            Box::new(move |s, r| {
                s.query_events(&EventFilter {
                    country: Some(r.pick(COUNTRIES).to_string()),
                    event_type: Some(r.pick(TYPES).0.into()),
                    limit,
                    include_duplicates: dups,
                    ..Default::default()
                })
                .unwrap()
                .len()
            }),
        ),
        (
            "source + target",
            Box::new(move |s, r| {
                s.query_events(&EventFilter {
                    source: Some(r.pick(COUNTRIES).to_string()),
                    target: Some(r.pick(COUNTRIES).to_string()),
                    limit,
                    include_duplicates: dups,
                    ..Default::default()
                })
                .unwrap()
                .len()
            }),
        ),
        (
            "actor + from/to, page 3",
            Box::new(move |s, r| {
                s.query_events(&EventFilter {
                    actor: Some(format!("{}GOV", r.pick(COUNTRIES))),
                    from: Some("2018".into()),
                    to: Some("2022".into()),
                    limit: Some(50),
                    offset: Some(100),
                    include_duplicates: dups,
                    ..Default::default()
                })
                .unwrap()
                .len()
            }),
        ),
        (
            "full text + type",
            Box::new(move |s, r| {
                s.query_events(&EventFilter {
                    text: Some(
                        ["the", "der", "und", "copy", "news", "police"][(r.next() % 6) as usize]
                            .into(),
                    ),
                    event_type: Some(r.pick(TYPES).0.into()),
                    limit,
                    include_duplicates: dups,
                    ..Default::default()
                })
                .unwrap()
                .len()
            }),
        ),
        (
            "count by day, one type",
            Box::new(move |s, r| {
                s.count_by(
                    &EventFilter {
                        event_type: Some(r.pick(TYPES).0.into()),
                        include_duplicates: dups,
                        ..Default::default()
                    },
                    CountBy::Day,
                )
                .unwrap()
                .len()
            }),
        ),
        (
            "count by dyad, country",
            Box::new(move |s, r| {
                s.count_by(
                    &EventFilter {
                        country: Some(r.pick(COUNTRIES).to_string()),
                        limit,
                        include_duplicates: dups,
                        ..Default::default()
                    },
                    CountBy::Dyad,
                )
                .unwrap()
                .len()
            }),
        ),
    ];
    println!(
        "\n{:<26} {:>9} {:>9} {:>9} {:>9} {:>9}  (ms, {reps} runs each, random parameters, {})",
        "query",
        "p50",
        "p99",
        "max",
        "cpu p50",
        "cpu p99",
        if dups {
            "duplicates included"
        } else {
            "duplicates excluded (the default)"
        }
    );
    let mut filtered = Vec::new();
    let mut filtered_cpu = Vec::new();
    for (name, q) in &queries {
        q(&store, rng); // warm the statement cache
        let mut t = Vec::with_capacity(reps);
        let mut c = Vec::with_capacity(reps);
        for _ in 0..reps {
            let c0 = thread_cpu_ms();
            let s = Instant::now();
            std::hint::black_box(q(&store, rng));
            t.push(s.elapsed().as_secs_f64() * 1000.0);
            c.push(thread_cpu_ms() - c0);
        }
        if !name.starts_with("count") {
            filtered.extend_from_slice(&t);
            filtered_cpu.extend_from_slice(&c);
        }
        let max = t.iter().cloned().fold(0.0, f64::max);
        println!(
            "{name:<26} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
            pct(&mut t, 0.5),
            pct(&mut t, 0.99),
            max,
            pct(&mut c, 0.5),
            pct(&mut c, 0.99),
        );
    }
    println!(
        "\nfiltered events queries (all kinds above but counts) over {} events: wall p50 {:.2} ms, p99 {:.2} ms (target p99 <= 50 ms); CPU p50 {:.2} ms, p99 {:.2} ms; load average {}",
        st.events,
        pct(&mut filtered, 0.5),
        pct(&mut filtered, 0.99),
        pct(&mut filtered_cpu, 0.5),
        pct(&mut filtered_cpu, 0.99),
        load_average()
    );
}
