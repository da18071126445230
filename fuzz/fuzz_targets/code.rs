//! libFuzzer entry for the `code` target (see `dyad_fuzz::Target`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: dyad_fuzz::warm_up(), |data: &[u8]| {
    if let Err(e) = dyad_fuzz::run(dyad_fuzz::Target::from_name("code").unwrap(), data) {
        panic!("{e}");
    }
});
