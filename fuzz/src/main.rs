//! fuzz-stable: a mutation fuzzer on stable Rust for the dyad targets.
//!
//!     fuzz-stable TARGET [SECONDS] [--seed N] [--max-len BYTES] [--hang SECONDS]
//!     fuzz-stable TARGET --replay FILE...
//!
//! No coverage feedback (that is what the cargo-fuzz targets add): inputs
//! are seeds, corpus and regression files mutated with structure-aware
//! tokens; inputs whose output differs in shape (error kind, number of
//! documents) join the pool. A panic or a target `Err` is saved under
//! `fuzz/artifacts/TARGET/crash-HASH`; an input running longer than the
//! hang limit is saved as `hang-HASH` and ends the run (it cannot be
//! interrupted). Exit status: 0 no findings, 1 findings, 2 usage.

use dyad_fuzz::{dictionary, mutate, run, seeds, Rng, Target};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn usage() -> ! {
    eprintln!(
        "usage: fuzz-stable TARGET [SECONDS] [--seed N] [--max-len BYTES] [--hang SECONDS]\n       \
         fuzz-stable TARGET --replay FILE...\ntargets: html scraped warc jsonl text code"
    );
    std::process::exit(2)
}

fn hash(b: &[u8]) -> String {
    let mut h = DefaultHasher::new();
    b.hash(&mut h);
    format!("{:016x}", h.finish())
}

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn save(target: Target, kind: &str, data: &[u8]) -> PathBuf {
    let dir = fuzz_dir().join("artifacts").join(target.name());
    let _ = std::fs::create_dir_all(&dir);
    let p = dir.join(format!("{kind}-{}", hash(data)));
    let _ = std::fs::write(&p, data);
    p
}

fn files_in(dir: &Path) -> Vec<Vec<u8>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// Runs one input, catching panics. `Err` is a finding.
fn one(target: Target, data: &[u8]) -> Result<(), String> {
    match std::panic::catch_unwind(|| run(target, data)) {
        Ok(r) => r,
        Err(p) => Err(p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(target) = args.first().and_then(|a| Target::from_name(a)) else {
        usage()
    };
    let mut seconds = 60u64;
    let mut seed = 0x5eed_u64;
    let mut max_len = 64 * 1024usize;
    let mut hang = 20u64;
    let mut replay: Option<Vec<PathBuf>> = None;
    let mut i = 1;
    while i < args.len() {
        let next = |i: usize| args.get(i + 1).cloned().unwrap_or_else(|| usage());
        match args[i].as_str() {
            "--seed" => {
                seed = next(i).parse().unwrap_or_else(|_| usage());
                i += 1;
            }
            "--max-len" => {
                max_len = next(i).parse().unwrap_or_else(|_| usage());
                i += 1;
            }
            "--hang" => {
                hang = next(i).parse().unwrap_or_else(|_| usage());
                i += 1;
            }
            "--replay" => {
                replay = Some(args[i + 1..].iter().map(PathBuf::from).collect());
                break;
            }
            s => seconds = s.parse().unwrap_or_else(|_| usage()),
        }
        i += 1;
    }
    // Panics are findings reported by us; keep stderr readable.
    std::panic::set_hook(Box::new(|_| {}));

    if let Some(files) = replay {
        let mut bad = 0;
        for f in files {
            let data = std::fs::read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let t = Instant::now();
            match one(target, &data) {
                Ok(()) => println!("ok   {} ({:.2} s)", f.display(), t.elapsed().as_secs_f64()),
                Err(e) => {
                    bad += 1;
                    println!("FAIL {}: {e}", f.display());
                }
            }
        }
        std::process::exit(if bad > 0 { 1 } else { 0 });
    }

    // Watchdog: an input that runs past the hang limit is saved and the
    // process exits (a stuck call cannot be interrupted from outside).
    let current: Arc<Mutex<Vec<u8>>> = Arc::new(Mutex::new(Vec::new()));
    let started = Arc::new(AtomicU64::new(0));
    let epoch = Instant::now();
    {
        let current = current.clone();
        let started = started.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(200));
            let s = started.load(Ordering::SeqCst);
            if s == 0 {
                continue;
            }
            let now = epoch.elapsed().as_millis() as u64;
            if now.saturating_sub(s) > hang * 1000 {
                let data = current.lock().map(|d| d.clone()).unwrap_or_default();
                let p = save(target, "hang", &data);
                println!(
                    "HANG {}: input of {} bytes ran over {hang} s, saved to {}",
                    target.name(),
                    data.len(),
                    p.display()
                );
                println!("{}: 1 finding", target.name());
                std::process::exit(1);
            }
        });
    }

    let mut pool: Vec<Vec<u8>> = seeds(target);
    pool.extend(files_in(&fuzz_dir().join("corpus").join(target.name())));
    pool.extend(files_in(
        &fuzz_dir().join("regressions").join(target.name()),
    ));
    let dict = dictionary(target);
    let mut rng = Rng::new(seed);
    let mut shapes = std::collections::HashSet::new();
    let (mut execs, mut findings) = (0u64, 0u64);
    let mut seen_findings = std::collections::HashSet::new();
    let start = Instant::now();
    let deadline = Duration::from_secs(seconds);
    // Seeds first, unmutated, then mutants until the time is up.
    let mut queue: Vec<Vec<u8>> = pool.clone();
    while start.elapsed() < deadline {
        let data = match queue.pop() {
            Some(d) => d,
            None => {
                let mut d = pool[rng.below(pool.len())].clone();
                let other = pool[rng.below(pool.len())].clone();
                mutate(&mut d, &other, dict, &mut rng, max_len);
                d
            }
        };
        if let Ok(mut c) = current.lock() {
            c.clone_from(&data);
        }
        started.store(epoch.elapsed().as_millis() as u64 + 1, Ordering::SeqCst);
        let res = one(target, &data);
        started.store(0, Ordering::SeqCst);
        execs += 1;
        match res {
            Ok(()) => {
                // A crude novelty signal without coverage: keep inputs
                // whose length class and first bytes are new.
                let shape = (
                    data.len().next_power_of_two(),
                    data.first().copied(),
                    data.last().copied(),
                );
                if shapes.insert(shape) && pool.len() < 4096 {
                    pool.push(data);
                }
            }
            Err(e) => {
                let key: String = e.chars().take(120).collect();
                if seen_findings.insert(key) {
                    findings += 1;
                    let p = save(target, "crash", &data);
                    println!(
                        "CRASH {}: {e} (input of {} bytes saved to {})",
                        target.name(),
                        data.len(),
                        p.display()
                    );
                }
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{}: {execs} execs in {secs:.0} s ({:.0}/s), pool {}, {findings} distinct findings",
        target.name(),
        execs as f64 / secs,
        pool.len()
    );
    std::process::exit(if findings > 0 { 1 } else { 0 });
}
