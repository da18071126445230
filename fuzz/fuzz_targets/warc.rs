//! libFuzzer entry for the `warc` target (see `dyad_fuzz::Target`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = dyad_fuzz::run(dyad_fuzz::Target::from_name("warc").unwrap(), data) {
        panic!("{e}");
    }
});
