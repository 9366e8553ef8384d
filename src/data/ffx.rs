//! The files' index on disk (`ffkg index … --out DATA.ffx`, read by `--index`): a header, the
//! index's bytes as they are in memory, and a CRC-32 of everything before it. Written to a
//! temporary file beside the target, synced and renamed, so the target is the old file or the
//! complete new one; read whole and checked before any of it is used, so a damaged or truncated
//! file is an error that says so, never a panic or a wrong answer.

use crate::data::blob::Owned;
use crate::error::{Error, Result};
use crate::infer::Reasoning;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

const MAGIC: &[u8; 8] = b"FFKGFFX\0";
const VERSION: u32 = 1;
/// Magic, version, reasoning level, the index's length.
const HEADER: usize = 8 + 4 + 4 + 8;
const CHECKSUM: usize = 4;

/// Writes `blob` (built at `level`) to `path`, replacing it only once the new file is complete.
pub fn write(path: &Path, blob: &Owned, level: Reasoning) -> Result<u64> {
    let length: u64 = blob.bytes().map(|part| part.len() as u64).sum();
    let mut header = Vec::with_capacity(HEADER);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&VERSION.to_le_bytes());
    header.extend_from_slice(&level_code(level).to_le_bytes());
    header.extend_from_slice(&length.to_le_bytes());
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&header);
    for part in blob.bytes() {
        hasher.update(part);
    }
    let checksum = hasher.finalize();
    let directory = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let temporary = tempfile::Builder::new()
        .prefix(".ffkg-index-")
        .tempfile_in(directory)
        .map_err(|e| Error::io(directory, e))?;
    let io = |e| Error::io(path, e);
    let what = format!("writing {}", path.display());
    let spinner = crate::output::progress::step(&what, length, 64 << 20);
    {
        let mut out = BufWriter::new(temporary.as_file());
        out.write_all(&header).map_err(io)?;
        for part in blob.bytes() {
            out.write_all(part).map_err(io)?;
        }
        out.write_all(&checksum.to_le_bytes()).map_err(io)?;
        out.flush().map_err(io)?;
    }
    temporary.as_file().sync_all().map_err(io)?;
    spinner.finish_and_clear();
    temporary
        .persist(path)
        .map_err(|e| Error::io(path, e.error))?;
    // The rename is durable once the directory is synced too.
    if let Ok(dir) = File::open(directory) {
        let _ = dir.sync_all();
    }
    Ok(HEADER as u64 + length + CHECKSUM as u64)
}

/// Reads and checks an index file: its blob and the reasoning level it was built at.
pub fn read(path: &Path) -> Result<(Owned, Reasoning)> {
    let mut bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let damaged = |message: String| Error::Data {
        path: path.display().to_string(),
        position: None,
        message,
    };
    if bytes.len() < 8 || &bytes[..8] != MAGIC {
        return Err(damaged(
            "not an ffkg index (build one with `ffkg index FILE… --out DATA.ffx`)".into(),
        ));
    }
    if bytes.len() < HEADER + CHECKSUM {
        return Err(damaged(format!(
            "truncated: {} bytes, shorter than an index's header",
            bytes.len()
        )));
    }
    let word =
        |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let version = word(8);
    if version != VERSION {
        return Err(damaged(format!(
            "index format {version}, where this ffkg reads format {VERSION}: build it again \
             with this version's `ffkg index`"
        )));
    }
    let level = level_from(word(12))
        .ok_or_else(|| damaged(format!("unknown reasoning level code {}", word(12))))?;
    let mut length = [0u8; 8];
    length.copy_from_slice(&bytes[16..24]);
    let length = u64::from_le_bytes(length);
    let expected = (HEADER + CHECKSUM) as u64 + length;
    if bytes.len() as u64 != expected {
        return Err(damaged(format!(
            "{}: {} bytes where its header says {expected}",
            if (bytes.len() as u64) < expected {
                "truncated"
            } else {
                "trailing bytes"
            },
            bytes.len()
        )));
    }
    let body = bytes.len() - CHECKSUM;
    let stored = word(body);
    if crc32fast::hash(&bytes[..body]) != stored {
        return Err(damaged(
            "checksum mismatch: the file is damaged (build it again with `ffkg index`)".into(),
        ));
    }
    bytes.truncate(body);
    bytes.drain(..HEADER);
    let blob = Owned::from_bytes(bytes)
        .ok_or_else(|| damaged("its checksum holds but its index is inconsistent".into()))?;
    Ok((blob, level))
}

fn level_code(level: Reasoning) -> u32 {
    match level {
        Reasoning::None => 0,
        Reasoning::Rdfs => 1,
        Reasoning::Owl => 2,
    }
}

fn level_from(code: u32) -> Option<Reasoning> {
    match code {
        0 => Some(Reasoning::None),
        1 => Some(Reasoning::Rdfs),
        2 => Some(Reasoning::Owl),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::index::Builder;
    use oxigraph::model::{GraphName, Literal, NamedNode, Quad};

    fn index() -> crate::data::index::FileIndex {
        let mut builder = Builder::new();
        for i in 0..50 {
            builder.push(Quad::new(
                NamedNode::new_unchecked(format!("http://e/s{i}")),
                NamedNode::new_unchecked("http://e/p"),
                Literal::new_typed_literal(format!("0{i}"), oxigraph::model::vocab::xsd::INTEGER),
                GraphName::DefaultGraph,
            ));
        }
        builder.finish(None, Reasoning::None).expect("builds")
    }

    #[test]
    fn round_trips_and_refuses_every_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.ffx");
        let built = index();
        write(&path, built.blob(), Reasoning::Rdfs).unwrap();
        let (blob, level) = read(&path).unwrap();
        assert_eq!(level, Reasoning::Rdfs);
        assert_eq!(blob.view().quad_count(), 50);
        let whole = std::fs::read(&path).unwrap();
        // Every truncation, and a flipped bit at every 7th byte, is refused with an error.
        for cut in (0..whole.len()).step_by(3) {
            std::fs::write(&path, &whole[..cut]).unwrap();
            assert!(read(&path).is_err(), "cut at {cut}");
        }
        for at in (0..whole.len()).step_by(7) {
            let mut bad = whole.clone();
            bad[at] ^= 0x10;
            std::fs::write(&path, &bad).unwrap();
            assert!(read(&path).is_err(), "bit flipped at {at}");
        }
        std::fs::write(&path, b"<a> <b> <c> .\n").unwrap();
        let message = read(&path).unwrap_err().to_string();
        assert!(message.contains("not an ffkg index"), "{message}");
    }
}
