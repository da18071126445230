//! Prints what the extract stage makes of one page (developer tool):
//! `show PAGE.html [URL]`.
use dyad_core::{Doc, InputKind, Source, Stage};
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: show PAGE [URL]");
    let src = Source {
        url: args.next(),
        ..Default::default()
    };
    let mut doc = Doc::from_bytes(
        "p",
        src,
        std::fs::read(&path).expect("read"),
        InputKind::Auto,
    );
    let r = dyad_extract::ExtractStage.process(&mut doc);
    let a = &doc.article;
    println!("error: {r:?}\ntitle: {:?}\ndate: {:?}\nbyline: {:?}\nsite: {:?}\nlang: {:?}\nurl: {:?}\n---\n{}", a.title, a.date, a.byline, a.site, a.language, a.url, a.text);
}
