//! Shrinks a trained model file: `prune IN OUT MIN_ABS`.
fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 4 {
        eprintln!("usage: prune IN OUT MIN_ABS");
        std::process::exit(2);
    }
    let bytes = std::fs::read(&a[1]).expect("read model");
    let out = dyad_models::prune_model(&bytes, a[3].parse().expect("MIN_ABS")).expect("model");
    std::fs::write(&a[2], &out).expect("write");
    eprintln!(
        "{} -> {}: {} -> {} bytes",
        a[1],
        a[2],
        bytes.len(),
        out.len()
    );
}
