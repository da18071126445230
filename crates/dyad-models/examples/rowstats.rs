//! Diagnostic: how long are the weight rows the parser looks up, per
//! feature template? `rowstats CONLLU` (embedded models).
use dyad_models::{conllu, dep};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let sents = conllu::read(std::path::Path::new(&a[1])).unwrap();
    let tagger = dyad_models::tagger().unwrap();
    let p = dyad_models::parser().unwrap();
    println!("table {:?}", p.weights().table_size());
    let mut hist = vec![0usize; 257];
    let mut per_t = vec![(0usize, 0usize, 0usize); 100];
    for s in &sents {
        let w: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        let tags: Vec<String> = tagger
            .tag(&w)
            .iter()
            .map(|c| dep::joint_tag(tagger.class(*c).0, tagger.class(*c).1))
            .collect();
        let t: Vec<&str> = tags.iter().map(|s| s.as_str()).collect();
        p.trace(&w, &t, |feats| {
            for (k, l) in p.weights().row_lens(feats).into_iter().enumerate() {
                hist[l] += 1;
                per_t[k].0 += 1;
                per_t[k].1 += (l > 0) as usize;
                per_t[k].2 += l;
            }
        });
    }
    let tot: usize = hist.iter().sum();
    let mut cum = 0;
    for (l, c) in hist.iter().enumerate() {
        if *c > 0 {
            cum += c;
            if l < 8 || l % 10 == 0 || l > 100 {
                println!(
                    "len {l}: {:.3} cum {:.3}",
                    *c as f64 / tot as f64,
                    cum as f64 / tot as f64
                );
            }
        }
    }
    let ent: usize = hist.iter().enumerate().map(|(l, c)| l * c).sum();
    println!("lookups {tot}, mean row {:.1}", ent as f64 / tot as f64);
    for (k, (n, h, e)) in per_t.iter().enumerate() {
        if *n > 0 {
            println!(
                "t{k}: hit {:.2} mean {:.1}",
                *h as f64 / *n as f64,
                *e as f64 / *n as f64
            );
        }
    }
}
