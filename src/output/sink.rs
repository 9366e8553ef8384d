//! Where a statement's results stream: stdout, a file, a file of a directory named once the
//! format is known, a file results are appended to, or a buffer in memory. A file is written
//! beside its final name and moved into place only when complete ([`Sink::commit`]), so a
//! statement that fails leaves the file it was to replace untouched and no new file behind.

use super::format::Format;
use crate::error::{Error, Result};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// What results are written into.
pub trait Sink: Send {
    /// Names the output in messages: `<stdout>`, the file's path.
    fn name(&self) -> String;

    /// The file whose extension chooses the format when none is given.
    fn path(&self) -> Option<&Path> {
        None
    }

    /// True for one file of several in a directory: a `--format` that cannot hold a result
    /// gives way to that kind's default there, rather than failing the batch.
    fn is_directory(&self) -> bool {
        false
    }

    /// The writer for a result in `format` (a directory sink creates its file now).
    fn open(&mut self, format: Format) -> Result<&mut dyn Write>;

    /// Flushes what was written and, for a file, moves it into place.
    fn commit(&mut self) -> Result<()>;
}

/// A sink that can be named before it is made, so it can be sent to the thread that writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Stdout,
    /// A file, replaced when the statement succeeds.
    File(PathBuf),
    /// A file results are appended to (the REPL's `.output`).
    Append(PathBuf),
    /// `DIR/NAME.EXT`, the extension from the format.
    Directory {
        dir: PathBuf,
        name: String,
    },
}

impl Target {
    pub fn sink(&self) -> Box<dyn Sink> {
        match self {
            Self::Stdout => Box::new(Stdout::default()),
            Self::File(path) => Box::new(FileSink::new(path)),
            Self::Append(path) => Box::new(AppendSink::new(path)),
            Self::Directory { dir, name } => Box::new(DirectorySink::new(dir, name)),
        }
    }
}

/// Standard output, buffered.
#[derive(Debug, Default)]
pub struct Stdout {
    writer: Option<BufWriter<io::Stdout>>,
}

impl Sink for Stdout {
    fn name(&self) -> String {
        "<stdout>".to_owned()
    }

    fn open(&mut self, _format: Format) -> Result<&mut dyn Write> {
        Ok(self
            .writer
            .get_or_insert_with(|| BufWriter::new(io::stdout())))
    }

    fn commit(&mut self) -> Result<()> {
        match &mut self.writer {
            Some(writer) => writer.flush().map_err(|e| Error::io("<stdout>", e)),
            None => Ok(()),
        }
    }
}

/// A file written in full or not at all: a temporary file in the same directory, renamed over
/// the file on commit and deleted if the statement fails.
#[derive(Debug)]
pub struct FileSink {
    path: PathBuf,
    temp: Option<BufWriter<NamedTempFile>>,
}

impl FileSink {
    pub fn new(path: &Path) -> Self {
        Self {
            path: path.to_owned(),
            temp: None,
        }
    }
}

impl Sink for FileSink {
    fn name(&self) -> String {
        self.path.display().to_string()
    }

    fn path(&self) -> Option<&Path> {
        Some(&self.path)
    }

    fn open(&mut self, _format: Format) -> Result<&mut dyn Write> {
        if self.temp.is_none() {
            let dir = match self.path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir,
                _ => Path::new("."),
            };
            let mut builder = tempfile::Builder::new();
            builder.prefix(".ffkg-").suffix(".part");
            if let Some(permissions) = final_permissions(&self.path) {
                builder.permissions(permissions);
            }
            let file = builder
                .tempfile_in(dir)
                .map_err(|e| Error::io(&self.path, plain(e)))?;
            self.temp = Some(BufWriter::new(file));
        }
        Ok(self.temp.as_mut().expect("opened above"))
    }

    fn commit(&mut self) -> Result<()> {
        let Some(writer) = self.temp.take() else {
            return Ok(());
        };
        let file = writer
            .into_inner()
            .map_err(|e| Error::io(&self.path, e.into_error()))?;
        file.as_file()
            .sync_all()
            .map_err(|e| Error::io(&self.path, e))?;
        file.persist(&self.path)
            .map_err(|e| Error::io(&self.path, plain(e.error)))?;
        Ok(())
    }
}

/// The operating system's error without the temporary file's name, which means nothing to the
/// user: the error is about the file they named.
fn plain(error: io::Error) -> io::Error {
    if error.raw_os_error().is_some() {
        return error;
    }
    // tempfile adds ` at path "…"` to the system's message.
    let text = error.to_string();
    match text.split_once(" at path ") {
        Some((message, _)) => io::Error::new(error.kind(), message.to_owned()),
        None => error,
    }
}

/// A file results are added to, one after the other (`.output`), each in full or not at all:
/// the file so far and the new result go into a temporary file that replaces it on commit, so
/// a statement that fails adds nothing.
#[derive(Debug)]
pub struct AppendSink {
    file: FileSink,
}

impl AppendSink {
    pub fn new(path: &Path) -> Self {
        Self {
            file: FileSink::new(path),
        }
    }
}

impl Sink for AppendSink {
    fn name(&self) -> String {
        self.file.name()
    }

    fn path(&self) -> Option<&Path> {
        self.file.path()
    }

    fn open(&mut self, format: Format) -> Result<&mut dyn Write> {
        if self.file.temp.is_none() {
            let path = self.file.path.clone();
            let writer = self.file.open(format)?;
            match std::fs::File::open(&path) {
                Ok(mut old) => {
                    io::copy(&mut old, writer).map_err(|e| Error::io(&path, e))?;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        self.file.open(format)
    }

    fn commit(&mut self) -> Result<()> {
        self.file.commit()
    }
}

/// `DIR/NAME.EXT` for one query of a batch, named when the result's format is known.
#[derive(Debug)]
pub struct DirectorySink {
    dir: PathBuf,
    name: String,
    file: Option<FileSink>,
}

impl DirectorySink {
    pub fn new(dir: &Path, name: &str) -> Self {
        Self {
            dir: dir.to_owned(),
            name: name.to_owned(),
            file: None,
        }
    }
}

impl Sink for DirectorySink {
    fn name(&self) -> String {
        match &self.file {
            Some(file) => file.name(),
            None => self.dir.join(&self.name).display().to_string(),
        }
    }

    fn is_directory(&self) -> bool {
        true
    }

    fn open(&mut self, format: Format) -> Result<&mut dyn Write> {
        let path = self
            .dir
            .join(format!("{}.{}", self.name, format.file_extension()));
        self.file
            .get_or_insert_with(|| FileSink::new(&path))
            .open(format)
    }

    fn commit(&mut self) -> Result<()> {
        match &mut self.file {
            Some(file) => file.commit(),
            None => Ok(()),
        }
    }
}

/// Results kept in memory (tests, and the server's bodies), refused past `limit` bytes.
#[derive(Debug, Default)]
pub struct Buffer {
    pub bytes: Vec<u8>,
    pub format: Option<Format>,
    pub limit: Option<u64>,
}

impl Buffer {
    /// A buffer that refuses a result larger than `limit` bytes.
    pub fn limited(limit: u64) -> Self {
        Self {
            limit: Some(limit),
            ..Self::default()
        }
    }
}

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(limit) = self.limit {
            if self.bytes.len() as u64 + buf.len() as u64 > limit {
                return Err(io::Error::other(format!(
                    "the result is larger than the limit of {limit} bytes: narrow the query or \
                     add a LIMIT"
                )));
            }
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Sink for Buffer {
    fn name(&self) -> String {
        "<response>".to_owned()
    }

    fn open(&mut self, format: Format) -> Result<&mut dyn Write> {
        self.format = Some(format);
        Ok(self)
    }

    fn commit(&mut self) -> Result<()> {
        Ok(())
    }
}

/// The permissions the written file ends with: those of the file it replaces, else what a new
/// file gets (the umask applies), not the private ones of a temporary file.
fn final_permissions(path: &Path) -> Option<std::fs::Permissions> {
    if let Ok(metadata) = std::fs::metadata(path) {
        return Some(metadata.permissions());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o666))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_appears_only_when_committed() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("out.tsv");
        std::fs::write(&path, "old\n").expect("write");
        {
            let mut sink = FileSink::new(&path);
            sink.open(Format::Tsv)
                .and_then(|w| w.write_all(b"half").map_err(|e| Error::io("x", e)))
                .expect("writes");
            // Dropped without commit: the statement failed.
        }
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "old\n");
        let mut sink = FileSink::new(&path);
        sink.open(Format::Tsv)
            .and_then(|w| w.write_all(b"new\n").map_err(|e| Error::io("x", e)))
            .expect("writes");
        sink.commit().expect("commits");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new\n");
        let leftovers = std::fs::read_dir(dir.path()).expect("list").count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn a_directory_sink_names_its_file_by_the_format() {
        let dir = tempfile::tempdir().expect("dir");
        let mut sink = DirectorySink::new(dir.path(), "q");
        sink.open(Format::Turtle).expect("opens");
        sink.commit().expect("commits");
        assert!(dir.path().join("q.ttl").exists());
        assert!(sink.name().ends_with("q.ttl"));
    }
}
