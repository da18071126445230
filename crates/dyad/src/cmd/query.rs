//! `dyad query`: events, actors, quotes, places or documents from the
//! store, filtered, as a table, JSON lines or CSV; or event counts.

use anyhow::Context;
use dyad_store::{CountBy, EventFilter, Store};
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    Events,
    Actors,
    Quotes,
    Places,
    Documents,
    /// Full-text search over the articles (`--text` is the query).
    Search,
    /// Totals of the store.
    Stats,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Jsonl,
    Csv,
}

/// Filters shared by `dyad query` and `dyad export`.
#[derive(clap::Args, Clone, Default)]
pub struct FilterArgs {
    /// Actor code prefix (RUS, RUSGOV, IGOUNO) or name (Putin), either side.
    #[arg(long)]
    pub actor: Option<String>,
    /// Source actor (code prefix or name).
    #[arg(long)]
    pub source: Option<String>,
    /// Target actor (code prefix or name).
    #[arg(long)]
    pub target: Option<String>,
    /// PLOVER event type (CONSULT) or CAMEO code prefix (04).
    #[arg(long = "type")]
    pub event_type: Option<String>,
    /// ISO3 country of the source, target or place.
    #[arg(long)]
    pub country: Option<String>,
    /// From this date on (YYYY, YYYY-MM or YYYY-MM-DD, inclusive).
    #[arg(long)]
    pub from: Option<String>,
    /// Up to this date (inclusive).
    #[arg(long)]
    pub to: Option<String>,
    /// Only documents containing every word (full-text search).
    #[arg(long)]
    pub text: Option<String>,
    /// Include rows of near-duplicate documents (syndicated copies).
    #[arg(long)]
    pub include_duplicates: bool,
}

impl FilterArgs {
    pub fn filter(&self) -> EventFilter {
        EventFilter {
            actor: self.actor.clone(),
            source: self.source.clone(),
            target: self.target.clone(),
            event_type: self.event_type.clone(),
            country: self.country.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            text: self.text.clone(),
            include_duplicates: self.include_duplicates,
            ..Default::default()
        }
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// What to list.
    #[arg(value_enum)]
    pub what: What,
    /// The store file.
    #[arg(long, default_value = "dyad.db", env = "DYAD_DB")]
    pub db: PathBuf,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// At most this many rows (0 = all).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Skip this many rows first.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Count events by day, week, type or dyad instead of listing them.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(["day", "week", "type", "dyad"]))]
    pub count_by: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// Columns shown for each kind (table and CSV), by row field name.
fn columns(what: What, count: bool, full: bool) -> &'static [&'static str] {
    if count {
        return &["key", "count", "clusters"];
    }
    match (what, full) {
        (What::Events, false) => &[
            "id",
            "day",
            "plover",
            "cameo",
            "source_code",
            "target_code",
            "place_name",
            "doc_title",
        ],
        (What::Events, true) => dyad_store::export::CSV_COLUMNS,
        (What::Actors, _) => &[
            "code",
            "name",
            "as_source",
            "as_target",
            "mentions",
            "documents",
        ],
        (What::Quotes, false) => &["doc_id", "speaker_actor", "speaker", "kind", "content"],
        (What::Quotes, true) => &[
            "id",
            "doc_id",
            "kind",
            "content",
            "start",
            "end",
            "cue",
            "speaker",
            "speaker_name",
            "speaker_actor",
            "doc_title",
            "doc_date",
        ],
        (What::Places, _) => &[
            "geonameid",
            "name",
            "country",
            "lat",
            "lon",
            "mentions",
            "documents",
        ],
        (What::Documents, false) => &[
            "id",
            "date",
            "events",
            "quotes",
            "duplicate_of",
            "title",
            "error",
        ],
        (What::Documents, true) => &[
            "id",
            "key",
            "title",
            "url",
            "site",
            "date",
            "language",
            "duplicate_of",
            "error",
            "events",
            "quotes",
            "chars",
        ],
        (What::Search, _) => &["id", "date", "title", "snippet"],
        (What::Stats, _) => &[
            "documents",
            "duplicates",
            "errors",
            "events",
            "clusters",
            "mentions",
            "quotes",
            "numbers",
            "places",
        ],
    }
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .map(|x| match x {
                Value::Object(o) if o.contains_key("start") => {
                    format!("{}-{}", o["start"], o["end"])
                }
                other => cell(other),
            })
            .collect::<Vec<_>>()
            .join(if a.iter().any(|x| x.is_object()) {
                " "
            } else {
                ","
            }),
        other => other.to_string(),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Prints rows (serialised objects) in the chosen format.
pub fn print_rows(
    rows: &[Value],
    cols: &[&str],
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match format {
        Format::Jsonl => {
            for r in rows {
                writeln!(out, "{}", serde_json::to_string(r)?)?;
            }
        }
        Format::Csv => {
            writeln!(out, "{}", cols.join(","))?;
            for r in rows {
                let line: Vec<String> = cols.iter().map(|c| csv_field(&cell(&r[*c]))).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
        Format::Table => {
            const MAX: usize = 48;
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    cols.iter()
                        .map(|c| {
                            let s = cell(&r[*c]).replace(['\n', '\r', '\t'], " ");
                            if s.chars().count() > MAX {
                                format!("{}…", s.chars().take(MAX - 1).collect::<String>())
                            } else {
                                s
                            }
                        })
                        .collect()
                })
                .collect();
            let mut width: Vec<usize> = cols.iter().map(|c| c.len()).collect();
            for r in &cells {
                for (w, c) in width.iter_mut().zip(r) {
                    *w = (*w).max(c.chars().count());
                }
            }
            let line = |vals: Vec<String>| {
                vals.iter()
                    .zip(&width)
                    .map(|(v, w)| format!("{v:<w$}", w = *w))
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            writeln!(
                out,
                "{}",
                line(cols.iter().map(|c| c.to_string()).collect())
            )?;
            for r in cells {
                writeln!(out, "{}", line(r))?;
            }
        }
    }
    Ok(())
}

fn values<T: serde::Serialize>(rows: Vec<T>) -> anyhow::Result<Vec<Value>> {
    rows.into_iter()
        .map(|r| Ok(serde_json::to_value(r)?))
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    if !args.db.exists() {
        anyhow::bail!(
            "no store at {} (create one with `dyad ingest`, or pass --db)",
            args.db.display()
        );
    }
    let store = Store::open(&args.db).with_context(|| format!("opening {}", args.db.display()))?;
    let mut f = args.filter.filter();
    f.limit = (args.limit > 0).then_some(args.limit);
    f.offset = (args.offset > 0).then_some(args.offset);
    let count: Option<CountBy> = match &args.count_by {
        Some(c) => Some(c.parse().map_err(anyhow::Error::msg)?),
        None => None,
    };
    if count.is_some() && args.what != What::Events {
        anyhow::bail!("--count-by counts events: use `dyad query events --count-by ...`");
    }
    let rows = match (args.what, count) {
        (What::Events, Some(by)) => values(store.count_by(&f, by)?)?,
        (What::Events, None) => values(store.query_events(&f)?)?,
        (What::Actors, _) => values(store.query_actors(&f)?)?,
        (What::Quotes, _) => values(store.query_quotes(&f)?)?,
        (What::Places, _) => values(store.query_places(&f)?)?,
        (What::Documents, _) => values(store.query_documents(&f)?)?,
        (What::Search, _) => {
            let q = f
                .text
                .clone()
                .context("`dyad query search` needs --text WORDS")?;
            values(store.search_page(&q, args.limit.max(1), args.offset)?)?
        }
        (What::Stats, _) => values(vec![store.stats()?])?,
    };
    let cols = columns(args.what, count.is_some(), args.format == Format::Csv);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    print_rows(&rows, cols, args.format, &mut out)?;
    out.flush()?;
    Ok(0)
}
