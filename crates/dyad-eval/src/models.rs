//! `dyad eval pos|dep|ner` (being written).

use crate::Error;
use std::io::Write;
use std::path::Path;

pub fn run(task: &str, _data: &Path, out: &mut dyn Write) -> Result<(), Error> {
    writeln!(out, "eval {task}: not available in this build yet")?;
    Ok(())
}
