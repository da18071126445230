//! Runs one evaluation without building the whole `dyad` binary (same code
//! as `dyad eval TASK --data DIR`), for quick tuning loops:
//! `cargo run --release -p dyad-eval --example eval -- events ../shared/data`

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(task), Some(data)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: eval TASK DATA_DIR");
        std::process::exit(2);
    };
    if let Err(e) = dyad_eval::run(task, std::path::Path::new(data), &mut std::io::stdout()) {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
