//! Where results go and how they look: the closed [`format::Format`] enum shared by the CLI, the
//! REPL and HTTP, the [`sink::Sink`]s results stream into, the serializers for every W3C format
//! ([`render`]), the text table ([`table`]) and progress bars ([`progress`]).

pub mod chart;
pub mod dataset;
pub mod format;
pub mod jsonld;
pub mod progress;
pub mod render;
pub mod sink;
pub mod table;

use crate::sparql::prefixes::PrefixMap;
use format::Format;

/// Where results go and how they look.
#[derive(Debug, Clone)]
pub struct RenderOptions<'a> {
    pub format: Format,
    pub prefixes: &'a PrefixMap,
    pub table: TableOptions,
    /// Names the output in error messages (`<stdout>` or the file).
    pub output_name: &'a str,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Solutions or triples in the result.
    pub rows: u64,
    /// Rows a table held back because of its row limit.
    pub hidden: u64,
}

/// How the table is laid out.
#[derive(Debug, Clone)]
pub struct TableOptions {
    /// Show at most this many rows (the REPL's `.limit`); the rest are counted, not shown.
    pub max_rows: Option<u64>,
    /// Fit the table in this many columns (the terminal's width), cutting long values.
    pub width: Option<u16>,
    /// Rows laid out together; column widths come from the first block.
    pub block: usize,
}

impl Default for TableOptions {
    fn default() -> Self {
        Self {
            max_rows: None,
            width: None,
            block: 1000,
        }
    }
}

/// The width tables are fitted to: what the terminal reports, or `COLUMNS` when it reports
/// nothing useful (a new pseudo-terminal says 0×0, as some CI runners' do); `None` below 20
/// columns, too narrow to fit a table into.
pub fn terminal_width() -> Option<u16> {
    let usable = |w: u16| (w >= 20).then_some(w);
    comfy_table::Table::new()
        .width()
        .and_then(usable)
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()?
                .trim()
                .parse()
                .ok()
                .and_then(usable)
        })
}

/// When to use colours (`--color`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set (to anything but the empty string).
    #[default]
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether to colour output that goes to a terminal (`terminal`) or not.
    pub fn colors(self, terminal: bool) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}
