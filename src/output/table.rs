//! The text table for people: aligned columns, IRIs as prefixed names, numbers right-aligned,
//! long values cut with a marker, written in blocks so a huge result never sits in memory.

pub use super::TableOptions;
use super::{RenderOptions, Written};
use crate::error::{Error, Result};
use crate::sparql::prefixes::PrefixMap;
use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, Row, Table, Width, presets,
};
use oxigraph::model::{Term, vocab::xsd};
use oxigraph::sparql::QuerySolutionIter;
use std::io::Write;

/// The narrowest a column is squeezed to when the table must fit the terminal.
const MIN_COLUMN: u16 = 6;

/// A term as people read it: a prefixed name (or `<iri>`), a literal's value, `_:b` for a
/// blank node; and whether it is a number (to right-align it).
pub fn display_term(term: &Term, prefixes: &PrefixMap) -> (String, bool) {
    match term {
        Term::NamedNode(node) => (
            prefixes
                .shorten(node.as_str())
                .unwrap_or_else(|| format!("<{}>", node.as_str())),
            false,
        ),
        Term::BlankNode(node) => (format!("_:{}", node.as_str()), false),
        Term::Literal(literal) => (literal.value().to_owned(), is_numeric(literal.datatype())),
        #[allow(unreachable_patterns)]
        other => (other.to_string(), false),
    }
}

fn is_numeric(datatype: oxigraph::model::NamedNodeRef<'_>) -> bool {
    [
        xsd::INTEGER,
        xsd::DECIMAL,
        xsd::DOUBLE,
        xsd::FLOAT,
        xsd::INT,
        xsd::LONG,
        xsd::SHORT,
        xsd::BYTE,
        xsd::NON_NEGATIVE_INTEGER,
        xsd::POSITIVE_INTEGER,
        xsd::NON_POSITIVE_INTEGER,
        xsd::NEGATIVE_INTEGER,
        xsd::UNSIGNED_INT,
        xsd::UNSIGNED_LONG,
        xsd::UNSIGNED_SHORT,
        xsd::UNSIGNED_BYTE,
    ]
    .contains(&datatype)
}

/// Writes solutions as a table and returns how many there were and how many were held back.
pub fn write_table<W: Write>(
    solutions: QuerySolutionIter<'static>,
    options: &RenderOptions<'_>,
    origin: &str,
    writer: &mut W,
) -> Result<Written> {
    let io_err = |e: std::io::Error| Error::io(options.output_name, e);
    let header: Vec<String> = solutions
        .variables()
        .iter()
        .map(|v| v.as_str().to_owned())
        .collect();
    let limit = options.table.max_rows.unwrap_or(u64::MAX);
    let block = options.table.block.max(1);
    let mut layout: Option<Vec<u16>> = None;
    let mut pending: Vec<Vec<(String, bool)>> = Vec::new();
    let mut summary = Written::default();
    let mut first_block = true;

    for solution in solutions {
        let solution = solution.map_err(|e| Error::from_evaluation(origin, e))?;
        summary.rows += 1;
        if summary.rows > limit {
            summary.hidden += 1;
            continue;
        }
        if pending.len() == block {
            let widths = layout.get_or_insert_with(|| widths(&header, &pending, options));
            let text = render_block(&header, &pending, widths, first_block, false);
            writer.write_all(text.as_bytes()).map_err(io_err)?;
            first_block = false;
            pending.clear();
        }
        pending.push(
            solution
                .values()
                .iter()
                .map(|value| {
                    value.as_ref().map_or((String::new(), false), |t| {
                        display_term(t, options.prefixes)
                    })
                })
                .collect(),
        );
    }
    if header.is_empty() && summary.rows > 0 && first_block {
        // SELECT with no variables (`SELECT * {}`): one empty solution per row.
        writeln!(writer, "{} solution(s) with no variables", summary.rows).map_err(io_err)?;
        return Ok(summary);
    }
    let widths = layout.get_or_insert_with(|| widths(&header, &pending, options));
    let text = render_block(&header, &pending, widths, first_block, true);
    writer.write_all(text.as_bytes()).map_err(io_err)?;
    Ok(summary)
}

/// Column content widths from the first block, squeezed to fit `options.table.width`.
fn widths(
    header: &[String],
    rows: &[Vec<(String, bool)>],
    options: &RenderOptions<'_>,
) -> Vec<u16> {
    let mut table = Table::new();
    table.set_header(header.iter().map(String::as_str));
    for row in rows {
        table.add_row(row.iter().map(|(text, _)| text.as_str()));
    }
    let mut widths: Vec<u16> = table.column_max_content_widths();
    widths.resize(header.len(), 1);
    for w in &mut widths {
        *w = (*w).max(1);
    }
    if let Some(total) = options.table.width {
        // Each column costs its content, two spaces of padding and one border.
        let fixed = u16::try_from(header.len() * 3 + 1).unwrap_or(u16::MAX);
        while widths.iter().sum::<u16>().saturating_add(fixed) > total {
            let Some(widest) = widths.iter_mut().filter(|w| **w > MIN_COLUMN).max() else {
                break;
            };
            *widest -= 1;
        }
    }
    widths
}

/// One block of rows, with the header on the first and the bottom border on the last.
fn render_block(
    header: &[String],
    rows: &[Vec<(String, bool)>],
    widths: &[u16],
    first: bool,
    last: bool,
) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_truncation_indicator("…")
        .force_no_tty();
    if first {
        table.set_header(header.iter().map(String::as_str));
    }
    for row in rows {
        let mut cells = Row::from(row.iter().map(|(text, numeric)| {
            let cell = Cell::new(text);
            if *numeric {
                cell.set_alignment(CellAlignment::Right)
            } else {
                cell
            }
        }));
        cells.max_height(1);
        table.add_row(cells);
    }
    if rows.is_empty() && !first {
        return if last {
            bottom_border(widths)
        } else {
            String::new()
        };
    }
    for (column, width) in table.column_iter_mut().zip(widths) {
        column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(width + 2)));
    }
    let lines: Vec<String> = table.lines().collect();
    let start = usize::from(!first);
    let end = if last { lines.len() } else { lines.len() - 1 };
    let mut text = String::new();
    for line in &lines[start.min(end)..end] {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// The bottom border alone, for a last block that turned out empty.
fn bottom_border(widths: &[u16]) -> String {
    let parts: Vec<String> = widths
        .iter()
        .map(|w| "─".repeat(usize::from(*w) + 2))
        .collect();
    format!("└{}┘\n", parts.join("┴"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    #[test]
    fn shows_prefixed_names_and_flags_numbers() {
        let prefixes = PrefixMap::default();
        let iri = Term::from(NamedNode::new_unchecked(
            "https://w3id.org/ffkg/id/country/TUN",
        ));
        assert_eq!(
            display_term(&iri, &prefixes),
            ("country:TUN".to_owned(), false)
        );
        let n = Term::from(Literal::from(2926));
        assert_eq!(display_term(&n, &prefixes), ("2926".to_owned(), true));
        let s = Term::from(Literal::new_language_tagged_literal_unchecked(
            "Tunisia", "en",
        ));
        assert_eq!(display_term(&s, &prefixes), ("Tunisia".to_owned(), false));
    }
}
