//! The web UI's files, compiled into the binary. Lookup is by exact name
//! in this table, so no request can reach the file system.

const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_bytes!("../ui/index.html"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../ui/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../ui/app.css"),
    ),
    (
        "iso3166.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../ui/iso3166.js"),
    ),
    (
        "vendor/uPlot.iife.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../ui/vendor/uPlot.iife.min.js"),
    ),
    (
        "vendor/uPlot.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../ui/vendor/uPlot.min.css"),
    ),
    (
        "vendor/d3-array.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../ui/vendor/d3-array.min.js"),
    ),
    (
        "vendor/d3-geo.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../ui/vendor/d3-geo.min.js"),
    ),
    (
        "vendor/topojson-client.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../ui/vendor/topojson-client.min.js"),
    ),
    (
        "vendor/countries-110m.json",
        "application/json",
        include_bytes!("../ui/vendor/countries-110m.json"),
    ),
    (
        "vendor/cytoscape.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../ui/vendor/cytoscape.min.js"),
    ),
];

/// The content type and bytes of an embedded file.
pub fn get(path: &str) -> Option<(&'static str, &'static [u8])> {
    ASSETS
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, m, b)| (*m, *b))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_embedded_names_resolve() {
        assert!(super::get("index.html").is_some());
        for bad in [
            "../Cargo.toml",
            "/etc/passwd",
            "vendor/../index.html",
            "",
            "src/lib.rs",
        ] {
            assert!(super::get(bad).is_none(), "{bad}");
        }
    }
}
