//! The model file format: a header (`DYADMODL`, the model kind, a format
//! version), then little-endian fields written in a fixed order. Hand
//! written so it loads with plain copies and needs no dependency.

use crate::Error;

const MAGIC: &[u8; 8] = b"DYADMODL";

/// Builds a model file.
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub fn new(kind: &str, version: u32) -> Self {
        let mut w = Writer { buf: Vec::new() };
        w.buf.extend_from_slice(MAGIC);
        w.str(kind);
        w.u32(version);
        w
    }
    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.buf.extend_from_slice(s.as_bytes());
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
    pub fn strs(&mut self, v: &[String]) {
        self.u32(v.len() as u32);
        for s in v {
            self.str(s);
        }
    }
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }
}

/// Reads a model file, checking bounds on every field.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Checks magic, kind and version.
    pub fn new(buf: &'a [u8], kind: &str, version: u32) -> Result<Self, Error> {
        if buf.len() < 8 || &buf[..8] != MAGIC {
            return Err(Error::Format("not a dyad model file".into()));
        }
        let mut r = Reader { buf, pos: 8 };
        let k = r.str()?;
        if k != kind {
            return Err(Error::Format(format!(
                "model kind {k:?}, expected {kind:?}"
            )));
        }
        let v = r.u32()?;
        if v != version {
            return Err(Error::Format(format!(
                "{kind} model format version {v}, this build reads {version}"
            )));
        }
        Ok(r)
    }
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.buf.len());
        match end {
            Some(e) => {
                let s = &self.buf[self.pos..e];
                self.pos = e;
                Ok(s)
            }
            None => Err(Error::Format("truncated model file".into())),
        }
    }
    /// True when every byte has been read (optional trailing sections).
    pub fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }
    pub fn u16(&mut self) -> Result<u16, Error> {
        let b = self.bytes(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    pub fn u32(&mut self) -> Result<u32, Error> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub fn f32(&mut self) -> Result<f32, Error> {
        Ok(f32::from_bits(self.u32()?))
    }
    pub fn str(&mut self) -> Result<String, Error> {
        let n = self.u32()? as usize;
        let b = self.bytes(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| Error::Format("bad utf-8 string".into()))
    }
    pub fn strs(&mut self) -> Result<Vec<String>, Error> {
        let n = self.u32()? as usize;
        if n > self.buf.len() {
            return Err(Error::Format("bad list length".into()));
        }
        (0..n).map(|_| self.str()).collect()
    }
}
