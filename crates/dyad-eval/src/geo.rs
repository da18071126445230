//! `dyad eval geo` (being written).

use crate::Error;
use std::io::Write;
use std::path::Path;

pub fn run(_data: &Path, out: &mut dyn Write) -> Result<(), Error> {
    writeln!(out, "eval geo: not available in this build yet")?;
    Ok(())
}
