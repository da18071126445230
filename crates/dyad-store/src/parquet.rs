//! A small Parquet writer: flat schemas of optional UTF-8, INT64, DOUBLE
//! and BOOLEAN columns, PLAIN encoding, uncompressed, one data page per
//! column chunk, a row group every [`ROW_GROUP_ROWS`] rows.
//!
//! Why not the `parquet`/`arrow` crates: they take minutes to build and
//! pull in dozens of crates, for a table of strings and numbers that this
//! format writes in a page of code. Files written here read in pyarrow,
//! DuckDB, Spark and pandas; compress them with zstd outside if needed.
//!
//! Layout (Parquet format 2): `PAR1`, column chunks (page header + page),
//! the Thrift-compact `FileMetaData`, its length (u32 LE), `PAR1`.

use std::io::{self, Write};

/// Rows per row group: bounds the memory a large export needs.
pub const ROW_GROUP_ROWS: usize = 100_000;

/// Column types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Str,
    I64,
    F64,
    Bool,
}

/// A cell value; `Null` in any column.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Str(String),
    I64(i64),
    F64(f64),
    Bool(bool),
}

struct ChunkMeta {
    offset: u64,
    size: u64,
}

struct GroupMeta {
    rows: usize,
    chunks: Vec<ChunkMeta>,
}

/// Writes rows to a Parquet file.
pub struct ParquetWriter<W: Write> {
    out: W,
    pos: u64,
    cols: Vec<(String, ColType)>,
    buf: Vec<Vec<Val>>,
    rows: usize,
    groups: Vec<GroupMeta>,
}

impl<W: Write> ParquetWriter<W> {
    pub fn new(mut out: W, cols: &[(&str, ColType)]) -> io::Result<Self> {
        out.write_all(b"PAR1")?;
        Ok(ParquetWriter {
            out,
            pos: 4,
            cols: cols.iter().map(|(n, t)| (n.to_string(), *t)).collect(),
            buf: vec![Vec::new(); cols.len()],
            rows: 0,
            groups: Vec::new(),
        })
    }

    /// Adds a row (one value per column; a value of the wrong type is an error).
    pub fn push(&mut self, row: Vec<Val>) -> io::Result<()> {
        if row.len() != self.cols.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "row width differs from the schema",
            ));
        }
        for ((v, (name, t)), col) in row.into_iter().zip(&self.cols).zip(&mut self.buf) {
            let ok = matches!(
                (&v, t),
                (Val::Null, _)
                    | (Val::Str(_), ColType::Str)
                    | (Val::I64(_), ColType::I64)
                    | (Val::F64(_), ColType::F64)
                    | (Val::Bool(_), ColType::Bool)
            );
            if !ok {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("wrong type for column {name}"),
                ));
            }
            col.push(v);
        }
        self.rows += 1;
        if self.rows >= ROW_GROUP_ROWS {
            self.flush_group()?;
        }
        Ok(())
    }

    fn write(&mut self, b: &[u8]) -> io::Result<()> {
        self.out.write_all(b)?;
        self.pos += b.len() as u64;
        Ok(())
    }

    fn flush_group(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut chunks = Vec::new();
        let cols = std::mem::replace(&mut self.buf, vec![Vec::new(); self.cols.len()]);
        for (vals, (_, t)) in cols.iter().zip(self.cols.clone()) {
            let page = encode_page(vals, t);
            let mut h = Thrift::default();
            h.i32(1, 0); // type: DATA_PAGE
            h.i32(2, page.len() as i32); // uncompressed size
            h.i32(3, page.len() as i32); // compressed size
            h.struct_begin(5); // data_page_header
            h.i32(1, vals.len() as i32); // num_values (nulls included)
            h.i32(2, 0); // encoding: PLAIN
            h.i32(3, 3); // definition levels: RLE
            h.i32(4, 3); // repetition levels: RLE
            h.struct_end();
            h.stop();
            let offset = self.pos;
            self.write(&h.buf)?;
            self.write(&page)?;
            chunks.push(ChunkMeta {
                offset,
                size: self.pos - offset,
            });
        }
        self.groups.push(GroupMeta {
            rows: self.rows,
            chunks,
        });
        self.rows = 0;
        Ok(())
    }

    /// Writes the footer; returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.flush_group()?;
        let total: usize = self.groups.iter().map(|g| g.rows).sum();
        let mut m = Thrift::default();
        m.i32(1, 1); // version
        m.list_begin(2, 12, self.cols.len() + 1); // schema
        m.elem_begin();
        m.binary(4, b"schema");
        m.i32(5, self.cols.len() as i32);
        m.elem_end();
        for (name, t) in &self.cols {
            m.elem_begin();
            m.i32(1, physical(*t));
            m.i32(3, 1); // OPTIONAL
            m.binary(4, name.as_bytes());
            if *t == ColType::Str {
                m.i32(6, 0); // converted type UTF8
            }
            m.elem_end();
        }
        m.i64(3, total as i64);
        m.list_begin(4, 12, self.groups.len()); // row groups
        for g in &self.groups {
            m.elem_begin();
            m.list_begin(1, 12, g.chunks.len());
            for (c, (name, t)) in g.chunks.iter().zip(&self.cols) {
                m.elem_begin();
                m.i64(2, c.offset as i64); // file_offset
                m.struct_begin(3); // meta_data
                m.i32(1, physical(*t));
                m.list_begin(2, 5, 2); // encodings: PLAIN, RLE
                m.list_i32(0);
                m.list_i32(3);
                m.list_begin(3, 8, 1); // path_in_schema
                m.list_binary(name.as_bytes());
                m.i32(4, 0); // codec: UNCOMPRESSED
                m.i64(5, g.rows as i64);
                m.i64(6, c.size as i64);
                m.i64(7, c.size as i64);
                m.i64(9, c.offset as i64); // data_page_offset
                m.struct_end();
                m.elem_end();
            }
            let bytes: u64 = g.chunks.iter().map(|c| c.size).sum();
            m.i64(2, bytes as i64);
            m.i64(3, g.rows as i64);
            m.elem_end();
        }
        m.binary(6, b"dyad");
        m.stop();
        let len = m.buf.len() as u32;
        self.write(&m.buf)?;
        self.write(&len.to_le_bytes())?;
        self.write(b"PAR1")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn physical(t: ColType) -> i32 {
    match t {
        ColType::Bool => 0,
        ColType::I64 => 2,
        ColType::F64 => 5,
        ColType::Str => 6,
    }
}

/// Definition levels (RLE runs, bit width 1, length-prefixed) then the
/// PLAIN values of the non-null cells.
fn encode_page(vals: &[Val], t: ColType) -> Vec<u8> {
    let mut levels = Vec::new();
    let mut i = 0;
    while i < vals.len() {
        let def = !matches!(vals[i], Val::Null);
        let mut j = i;
        while j < vals.len() && !matches!(vals[j], Val::Null) == def {
            j += 1;
        }
        varint(&mut levels, ((j - i) as u64) << 1);
        levels.push(def as u8);
        i = j;
    }
    let mut page = Vec::with_capacity(levels.len() + 4 + vals.len() * 8);
    page.extend_from_slice(&(levels.len() as u32).to_le_bytes());
    page.extend_from_slice(&levels);
    if t == ColType::Bool {
        let bits: Vec<bool> = vals
            .iter()
            .filter_map(|v| if let Val::Bool(b) = v { Some(*b) } else { None })
            .collect();
        for chunk in bits.chunks(8) {
            page.push(
                chunk
                    .iter()
                    .enumerate()
                    .fold(0u8, |acc, (k, b)| acc | ((*b as u8) << k)),
            );
        }
        return page;
    }
    for v in vals {
        match v {
            Val::Str(s) => {
                page.extend_from_slice(&(s.len() as u32).to_le_bytes());
                page.extend_from_slice(s.as_bytes());
            }
            Val::I64(x) => page.extend_from_slice(&x.to_le_bytes()),
            Val::F64(x) => page.extend_from_slice(&x.to_le_bytes()),
            Val::Bool(_) | Val::Null => {}
        }
    }
    page
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Thrift compact protocol, the subset Parquet metadata needs.
#[derive(Default)]
struct Thrift {
    buf: Vec<u8>,
    last: i16,
    stack: Vec<i16>,
}

impl Thrift {
    fn header(&mut self, id: i16, ty: u8) {
        let delta = id - self.last;
        if (1..=15).contains(&delta) {
            self.buf.push(((delta as u8) << 4) | ty);
        } else {
            self.buf.push(ty);
            varint(&mut self.buf, ((id << 1) ^ (id >> 15)) as u16 as u64);
        }
        self.last = id;
    }
    fn zz32(v: i32) -> u64 {
        ((v << 1) ^ (v >> 31)) as u32 as u64
    }
    fn zz64(v: i64) -> u64 {
        ((v << 1) ^ (v >> 63)) as u64
    }
    fn i32(&mut self, id: i16, v: i32) {
        self.header(id, 5);
        varint(&mut self.buf, Self::zz32(v));
    }
    fn i64(&mut self, id: i16, v: i64) {
        self.header(id, 6);
        varint(&mut self.buf, Self::zz64(v));
    }
    fn binary(&mut self, id: i16, b: &[u8]) {
        self.header(id, 8);
        varint(&mut self.buf, b.len() as u64);
        self.buf.extend_from_slice(b);
    }
    fn struct_begin(&mut self, id: i16) {
        self.header(id, 12);
        self.elem_begin();
    }
    fn struct_end(&mut self) {
        self.elem_end();
    }
    fn elem_begin(&mut self) {
        self.stack.push(self.last);
        self.last = 0;
    }
    fn elem_end(&mut self) {
        self.buf.push(0);
        self.last = self.stack.pop().unwrap_or(0);
    }
    fn list_begin(&mut self, id: i16, elem: u8, n: usize) {
        self.header(id, 9);
        if n < 15 {
            self.buf.push(((n as u8) << 4) | elem);
        } else {
            self.buf.push(0xF0 | elem);
            varint(&mut self.buf, n as u64);
        }
    }
    fn list_i32(&mut self, v: i32) {
        varint(&mut self.buf, Self::zz32(v));
    }
    fn list_binary(&mut self, b: &[u8]) {
        varint(&mut self.buf, b.len() as u64);
        self.buf.extend_from_slice(b);
    }
    fn stop(&mut self) {
        self.buf.push(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_has_magic_and_footer_length() {
        let mut w = ParquetWriter::new(
            Vec::new(),
            &[
                ("a", ColType::Str),
                ("b", ColType::I64),
                ("c", ColType::Bool),
            ],
        )
        .unwrap();
        w.push(vec![Val::Str("x".into()), Val::I64(7), Val::Bool(true)])
            .unwrap();
        w.push(vec![Val::Null, Val::Null, Val::Bool(false)])
            .unwrap();
        assert!(
            w.push(vec![Val::I64(1), Val::Null, Val::Null]).is_err(),
            "type checked"
        );
        let b = w.finish().unwrap();
        assert_eq!(&b[..4], b"PAR1");
        assert_eq!(&b[b.len() - 4..], b"PAR1");
        let len = u32::from_le_bytes(b[b.len() - 8..b.len() - 4].try_into().unwrap()) as usize;
        assert!(len > 20 && len < b.len() - 12);
        // The first page: header, then levels: 4-byte length, one run of 1 then one of 0.
        assert!(b.windows(2).any(|w| w == [2 << 1, 1]));
    }

    #[test]
    fn thrift_field_deltas_and_long_lists() {
        let mut t = Thrift::default();
        t.i32(1, -1);
        t.i64(20, 300);
        t.list_begin(21, 5, 20);
        assert_eq!(t.buf[..2], [0x15, 0x01]);
        assert_eq!(t.buf[2], 0x06, "delta > 15: type byte then zigzag id");
        assert_eq!(*t.buf.last().unwrap(), 20);
    }
}
