//! dyad-dates: temporal expressions normalised against the document date.
//!
//! The stage finds absolute dates ("2018-05-17", "May 17, 2018", "October
//! 2015", "in 2015") and relative ones ("Thursday", "last December",
//! "two days ago", "earlier this month", "yesterday") in `doc.text()` and
//! writes them to `doc.dates` with an ISO 8601 value of the precision known
//! (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`). News reports the past, so a bare
//! weekday is the most recent such day on or before the document date and a
//! bare month the most recent such month; "next", "will", "coming" and the
//! like in the same sentence turn that to the future. Relative expressions
//! are dropped when the document has no date.
//!
//! It works from the text alone, so it runs before or without the tokeniser.
//!
//! ```
//! use dyad_core::{Doc, Source};
//! let mut doc = Doc::from_clean_text("d", Source::path("d"), "Talks ended on Tuesday.");
//! doc.date_hint = Some("2018-05-17".into());
//! for s in dyad_dates::stages() { s.process(&mut doc).unwrap(); }
//! assert_eq!(doc.dates[0].value, "2018-05-15");
//! ```

use dyad_core::{DateExpr, Doc, Stage, StageError};
use regex::Regex;
use std::sync::OnceLock;

/// The stages this crate contributes to the standard pipeline, in order.
pub fn stages() -> Vec<Box<dyn Stage>> {
    vec![Box::new(DateStage)]
}

/// Finds and normalises temporal expressions (`doc.dates`).
pub struct DateStage;

impl Stage for DateStage {
    fn name(&self) -> &'static str {
        "dates"
    }
    fn process(&self, doc: &mut Doc) -> Result<(), StageError> {
        let anchor = doc.date().and_then(parse_iso_day);
        doc.dates = find_dates(doc.text(), anchor);
        Ok(())
    }
}

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ymd {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

impl Ymd {
    fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

/// Parses the leading `YYYY-MM-DD` of a date or timestamp string.
pub fn parse_iso_day(s: &str) -> Option<Ymd> {
    let b = s.trim().as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i32 = s.trim().get(0..4)?.parse().ok()?;
    let m: u32 = s.trim().get(5..7)?.parse().ok()?;
    let d: u32 = s.trim().get(8..10)?.parse().ok()?;
    valid(y, m, d).then_some(Ymd { y, m, d })
}

fn leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap(y) => 29,
        _ => 28,
    }
}

fn valid(y: i32, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) && (1000..=2999).contains(&y)
}

/// Days since 1970-01-01 (Howard Hinnant's civil algorithm).
fn to_days(t: Ymd) -> i64 {
    let y = if t.m <= 2 { t.y - 1 } else { t.y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = t.m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + t.d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn from_days(z: i64) -> Ymd {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    Ymd {
        y: (if m <= 2 { y + 1 } else { y }) as i32,
        m,
        d,
    }
}

/// 0 = Monday ... 6 = Sunday.
fn weekday(t: Ymd) -> i64 {
    (to_days(t) + 3).rem_euclid(7)
}

fn month_num(s: &str) -> Option<u32> {
    let l = s.to_ascii_lowercase();
    let l = l.trim_end_matches('.');
    const M: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if l == "sept" {
        return Some(9);
    }
    M.iter()
        .position(|m| l.starts_with(m) && (l.len() == 3 || FULL_MONTHS.contains(&l)))
        .map(|i| i as u32 + 1)
}

const FULL_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn weekday_num(s: &str) -> Option<i64> {
    let l = s.to_ascii_lowercase();
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .position(|w| l.starts_with(w))
        .map(|i| i as i64)
}

fn small_number(s: &str) -> Option<i64> {
    if let Ok(n) = s.parse::<i64>() {
        return Some(n);
    }
    const W: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    let l = s.to_ascii_lowercase();
    if l == "a" || l == "an" {
        return Some(1);
    }
    if l == "a few" || l == "several" {
        return None;
    }
    W.iter().position(|w| *w == l).map(|i| i as i64)
}

const MONTH_RE: &str = r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)";
const WEEKDAY_RE: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";

struct Patterns {
    iso: Regex,
    mdy: Regex,
    dmy: Regex,
    month_year: Regex,
    month_day: Regex,
    day_month: Regex,
    weekday: Regex,
    month: Regex,
    ago: Regex,
    deictic: Regex,
    period: Regex,
    year: Regex,
    future: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect("valid date pattern");
        Patterns {
            iso: r(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
            mdy: r(&format!(
                r"\b(?P<mon>{MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"
            )),
            dmy: r(&format!(
                r"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTH_RE})\s*,?\s+(?P<y>\d{{4}})\b"
            )),
            month_year: r(&format!(
                r"\b(?P<mod>(?:[Ee]arly|[Ll]ate|[Mm]id-?)\s*)?(?P<mon>{MONTH_RE})\s*,?\s+(?P<y>(?:19|20)\d{{2}})\b"
            )),
            month_day: r(&format!(
                r"\b(?P<mod>(?:[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<mon>{MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
            )),
            day_month: r(&format!(
                r"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTH_RE})\b"
            )),
            weekday: r(&format!(
                r"\b(?P<mod>(?:[Ll]ast|[Nn]ext|[Tt]his|[Cc]oming)\s+)?(?P<wd>{WEEKDAY_RE})(?P<tod>\s+(?:morning|afternoon|evening|night))?\b"
            )),
            month: r(&format!(
                r"\b(?P<prep>(?:[Ii]n|[Oo]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom|[Ss]ince|[Dd]uring|[Bb]efore|[Aa]fter|[Tt]hrough|[Ll]ate|[Ee]arly|[Mm]id-?|[Ll]ast|[Nn]ext|[Tt]his)\s*)?(?P<mon>{MONTH_RE})\b"
            )),
            ago: r(r"(?i)\b(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?P<u>days?|weeks?|months?|years?)\s+ago\b"),
            deictic: r(r"(?i)\b(?:today|yesterday|tomorrow|tonight)\b"),
            period: r(r"(?i)\b(?P<mod>(?:earlier|later)\s+this|this|last|next|past)\s+(?P<u>month|year)\b"),
            year: r(r"\b(?P<prep>[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom|[Dd]uring|[Bb]efore|[Aa]fter|[Oo]f|[Tt]hrough|[Ee]arly|[Ll]ate|[Mm]id-?)\s*(?P<y>(?:19|20)\d{2})\b"),
            future: r(r"(?i)\b(?:will|shall|going to|scheduled|plans? to|planned|expected to|due to|next|upcoming|coming|set to|'ll)\b"),
        }
    })
}

/// Finds and normalises every temporal expression of `text` against
/// `anchor` (the document date). Overlapping candidates: the longest wins.
pub fn find_dates(text: &str, anchor: Option<Ymd>) -> Vec<DateExpr> {
    let p = patterns();
    let mut cands: Vec<(usize, usize, String)> = Vec::new();
    let mut push = |s: usize, e: usize, v: Option<String>| {
        if let Some(v) = v {
            cands.push((s, e, v));
        }
    };
    for c in p.iso.captures_iter(text) {
        let m = c.get(0).expect("match");
        let (y, mo, d) = (num(&c[1]), num(&c[2]) as u32, num(&c[3]) as u32);
        push(
            m.start(),
            m.end(),
            valid(y as i32, mo, d).then(|| {
                Ymd {
                    y: y as i32,
                    m: mo,
                    d,
                }
                .iso()
            }),
        );
    }
    for re in [&p.mdy, &p.dmy] {
        for c in re.captures_iter(text) {
            let m = c.get(0).expect("match");
            let (Some(mo), y, d) = (
                month_num(&c["mon"]),
                num(&c["y"]) as i32,
                num(&c["d"]) as u32,
            ) else {
                continue;
            };
            push(
                m.start(),
                m.end(),
                valid(y, mo, d).then(|| Ymd { y, m: mo, d }.iso()),
            );
        }
    }
    for c in p.month_year.captures_iter(text) {
        let m = c.get(0).expect("match");
        let mon = c.name("mon").expect("mon");
        if let Some(mo) = month_num(mon.as_str()) {
            if !may_is_modal(text, mon.start(), mon.as_str(), c.name("mod").is_some()) {
                let y = num(&c["y"]);
                push(m.start(), m.end(), Some(format!("{y:04}-{mo:02}")));
            }
        }
    }
    for re in [&p.month_day, &p.day_month] {
        for c in re.captures_iter(text) {
            let m = c.get(0).expect("match");
            let Some(a) = anchor else { continue };
            let mon = c.name("mon").expect("mon");
            let Some(mo) = month_num(mon.as_str()) else {
                continue;
            };
            if may_is_modal(text, mon.start(), mon.as_str(), true) {
                continue;
            }
            let d = num(&c["d"]) as u32;
            let modw = c
                .name("mod")
                .map(|x| x.as_str().trim().to_ascii_lowercase());
            let fut = is_future(text, m.start(), modw.as_deref());
            let mut y = a.y;
            let cand = |y: i32| Ymd { y, m: mo, d };
            if fut {
                if cand(y) < a {
                    y += 1;
                }
            } else if cand(y) > a {
                y -= 1;
            }
            push(m.start(), m.end(), valid(y, mo, d).then(|| cand(y).iso()));
        }
    }
    for c in p.weekday.captures_iter(text) {
        let Some(a) = anchor else { break };
        let m = c.get(0).expect("match");
        let wd = weekday_num(&c["wd"]).expect("weekday");
        let modw = c
            .name("mod")
            .map(|x| x.as_str().trim().to_ascii_lowercase());
        let cur = weekday(a);
        let today = to_days(a);
        let day = if is_future(text, m.start(), modw.as_deref()) {
            let mut delta = (wd - cur).rem_euclid(7);
            if delta == 0 && modw.as_deref() == Some("next") {
                delta = 7;
            }
            today + delta
        } else {
            let mut delta = (cur - wd).rem_euclid(7);
            if delta == 0 && modw.as_deref() == Some("last") {
                delta = 7;
            }
            today - delta
        };
        // Keep the modifier in the span but not a trailing time of day.
        let end = c.name("tod").map(|t| t.start()).unwrap_or(m.end());
        push(m.start(), end, Some(from_days(day).iso()));
    }
    for c in p.month.captures_iter(text) {
        let Some(a) = anchor else { break };
        let mon = c.name("mon").expect("mon");
        let Some(mo) = month_num(mon.as_str()) else {
            continue;
        };
        let prep = c
            .name("prep")
            .map(|x| x.as_str().trim().to_ascii_lowercase());
        if may_is_modal(text, mon.start(), mon.as_str(), prep.is_some()) {
            continue;
        }
        // Abbreviations alone ("Mar", "Dec") are too ambiguous without a day or year.
        if mon.as_str().len() <= 4
            && !FULL_MONTHS.contains(&mon.as_str().to_ascii_lowercase().as_str())
        {
            continue;
        }
        // The span starts at a modifier that changes the meaning, else at the month.
        let (start, modw) = match prep.as_deref() {
            Some(w @ ("last" | "next" | "this" | "early" | "late" | "mid" | "mid-")) => {
                (c.get(0).expect("m").start(), Some(w.to_string()))
            }
            _ => (mon.start(), None),
        };
        let fut = is_future(text, start, modw.as_deref());
        let y = if fut {
            if mo < a.m || (mo == a.m && modw.as_deref() == Some("next")) {
                a.y + 1
            } else {
                a.y
            }
        } else if mo > a.m || (mo == a.m && modw.as_deref() == Some("last")) {
            a.y - 1
        } else {
            a.y
        };
        push(start, mon.end(), Some(format!("{y:04}-{mo:02}")));
    }
    for c in p.ago.captures_iter(text) {
        let Some(a) = anchor else { break };
        let m = c.get(0).expect("match");
        let Some(n) = small_number(&c["n"]) else {
            continue;
        };
        let u = c["u"].to_ascii_lowercase();
        let v = if u.starts_with("day") {
            from_days(to_days(a) - n).iso()
        } else if u.starts_with("week") {
            from_days(to_days(a) - 7 * n).iso()
        } else if u.starts_with("month") {
            let t = a.y as i64 * 12 + (a.m as i64 - 1) - n;
            format!("{:04}-{:02}", t.div_euclid(12), t.rem_euclid(12) + 1)
        } else {
            format!("{:04}", a.y as i64 - n)
        };
        push(m.start(), m.end(), Some(v));
    }
    for m in p.deictic.find_iter(text) {
        let Some(a) = anchor else { break };
        let off = match m.as_str().to_ascii_lowercase().as_str() {
            "yesterday" => -1,
            "tomorrow" => 1,
            _ => 0,
        };
        push(m.start(), m.end(), Some(from_days(to_days(a) + off).iso()));
    }
    for c in p.period.captures_iter(text) {
        let Some(a) = anchor else { break };
        let m = c.get(0).expect("match");
        let modw = c["mod"].to_ascii_lowercase();
        let delta: i64 = if modw.starts_with("last") || modw.starts_with("past") {
            -1
        } else if modw.starts_with("next") {
            1
        } else {
            0
        };
        let v = if &c["u"].to_ascii_lowercase() == "month" {
            let t = a.y as i64 * 12 + (a.m as i64 - 1) + delta;
            format!("{:04}-{:02}", t.div_euclid(12), t.rem_euclid(12) + 1)
        } else {
            format!("{:04}", a.y as i64 + delta)
        };
        push(m.start(), m.end(), Some(v));
    }
    for c in p.year.captures_iter(text) {
        let y = c.name("y").expect("y");
        push(y.start(), y.end(), Some(y.as_str().to_string()));
    }
    select(text, cands)
}

fn num(s: &str) -> i64 {
    s.parse().unwrap_or(0)
}

/// "May" is also a modal verb: accept it only with a preposition before it
/// or a number after it.
fn may_is_modal(text: &str, start: usize, mon: &str, has_prep: bool) -> bool {
    if mon != "May" || has_prep {
        return false;
    }
    let after = text[start + 3..].trim_start();
    !after.starts_with(|c: char| c.is_ascii_digit())
}

/// Does the sentence around `start` put the expression in the future?
fn is_future(text: &str, start: usize, modw: Option<&str>) -> bool {
    match modw {
        Some("next" | "coming") => return true,
        Some("last") => return false,
        _ => {}
    }
    // The clause before the expression, back to the sentence start.
    let mut s = start.saturating_sub(80);
    while !text.is_char_boundary(s) {
        s += 1;
    }
    let before = &text[s..start];
    // Only the clause itself: "will select ..., proposed in January" is past.
    let before = match before.rfind(['.', '!', '?', '\n', ',', ';']) {
        Some(i) => &before[i + 1..],
        None => before,
    };
    patterns().future.is_match(before)
}

/// Resolves overlaps: longest first, then earliest; output in text order.
fn select(text: &str, mut cands: Vec<(usize, usize, String)>) -> Vec<DateExpr> {
    cands.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)));
    let mut out: Vec<DateExpr> = Vec::new();
    for (s, e, v) in cands {
        if out.iter().any(|d| d.start < e && s < d.end) {
            continue;
        }
        out.push(DateExpr {
            text: text[s..e].to_string(),
            start: s,
            end: e,
            value: v,
        });
    }
    out.sort_by_key(|d| d.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, date: &str) -> Vec<(String, String)> {
        find_dates(text, parse_iso_day(date))
            .into_iter()
            .map(|d| (d.text, d.value))
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn weekdays_default_to_the_past() {
        // 2018-05-17 is a Thursday.
        let v = run(
            "They met on Thursday after talks ended on Tuesday.",
            "2018-05-17",
        );
        assert_eq!(
            v,
            vec![
                pair("Thursday", "2018-05-17"),
                pair("Tuesday", "2018-05-15")
            ]
        );
    }

    #[test]
    fn future_context_moves_weekdays_forward() {
        let v = run(
            "The envoy will travel on Monday. Talks resume next Thursday.",
            "2018-05-17",
        );
        assert_eq!(
            v,
            vec![
                pair("Monday", "2018-05-21"),
                pair("next Thursday", "2018-05-24")
            ]
        );
    }

    #[test]
    fn months_with_and_without_years() {
        let v = run(
            "They last met in December. He visited in October 2015 and again last May; since September 2015 and in January.",
            "2018-05-17",
        );
        assert_eq!(
            v,
            vec![
                pair("December", "2017-12"),
                pair("October 2015", "2015-10"),
                pair("last May", "2017-05"),
                pair("September 2015", "2015-09"),
                pair("January", "2018-01"),
            ]
        );
    }

    #[test]
    fn absolute_days() {
        let v = run(
            "On May 17, 2018 and 3 March 2019 and 2018-05-17.",
            "2020-01-01",
        );
        assert_eq!(
            v,
            vec![
                pair("May 17, 2018", "2018-05-17"),
                pair("3 March 2019", "2019-03-03"),
                pair("2018-05-17", "2018-05-17"),
            ]
        );
    }

    #[test]
    fn relative_expressions() {
        let v = run(
            "Two days ago, and earlier this month, and yesterday, and last year, and three weeks ago.",
            "2018-03-01",
        );
        assert_eq!(
            v,
            vec![
                pair("Two days ago", "2018-02-27"),
                pair("earlier this month", "2018-03"),
                pair("yesterday", "2018-02-28"),
                pair("last year", "2017"),
                pair("three weeks ago", "2018-02-08"),
            ]
        );
    }

    #[test]
    fn future_is_read_in_the_clause_only() {
        let v = run(
            "He will select a committee, a suggestion proposed in January.",
            "2018-05-17",
        );
        assert_eq!(v, vec![pair("January", "2018-01")]);
    }

    #[test]
    fn modal_may_is_not_a_month() {
        assert!(run("Officials may resign. May I ask?", "2018-05-17").is_empty());
        assert_eq!(
            run("The vote in May was close.", "2018-09-01"),
            vec![pair("May", "2018-05")]
        );
    }

    #[test]
    fn relative_dates_need_a_document_date() {
        let v = find_dates("On Tuesday, in October 2015.", None);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].value, "2015-10");
    }

    #[test]
    fn years_after_prepositions() {
        assert_eq!(
            run("The war began in 2011.", "2018-05-17"),
            vec![pair("2011", "2011")]
        );
        assert!(run("He scored 2011 points.", "2018-05-17").is_empty());
    }

    #[test]
    fn day_arithmetic_roundtrips() {
        for z in -1000..40000 {
            assert_eq!(to_days(from_days(z)), z);
        }
        assert_eq!(
            weekday(Ymd {
                y: 2018,
                m: 5,
                d: 17
            }),
            3
        );
    }

    #[test]
    fn garbage_does_not_panic() {
        let junk = "May ".repeat(5000) + "Monday 99 December 0000-99-99 é";
        let _ = find_dates(&junk, parse_iso_day("2018-05-17"));
        let _ = find_dates("", None);
    }
}
