//! Bar charts of a SELECT's answer: its first column of numbers against its first other
//! column, drawn in Unicode blocks for a terminal (`--format chart`, `.chart`) or as SVG for a
//! file (`--output x.svg`). No colour: the blocks read the same with NO_COLOR or without.

use super::table::display_term;
use super::{RenderOptions, Written};
use crate::error::{Error, Result};
use oxigraph::model::Term;
use oxigraph::sparql::QuerySolutionIter;
use std::io::Write;

/// The most bars drawn; the rows after them are counted and said.
pub const MAX_BARS: usize = 100;

/// The width drawn to when the terminal's is not known.
const DEFAULT_WIDTH: usize = 80;

/// One row of the chart.
#[derive(Debug, Clone, PartialEq)]
struct Bar {
    label: String,
    value: f64,
    /// The value as the answer gives it.
    shown: String,
}

/// What a chart draws: which column is the number, which the label, and the bars.
#[derive(Debug, Clone, PartialEq)]
struct Chart {
    title: String,
    bars: Vec<Bar>,
    /// Rows past [`MAX_BARS`].
    more: u64,
}

/// Writes the solutions as a bar chart, in SVG when `svg`, else in text.
pub fn write_chart<W: Write>(
    solutions: QuerySolutionIter<'static>,
    options: &RenderOptions<'_>,
    origin: &str,
    writer: &mut W,
    svg: bool,
) -> Result<Written> {
    let variables: Vec<String> = solutions
        .variables()
        .iter()
        .map(|v| v.as_str().to_owned())
        .collect();
    let mut rows: Vec<Vec<Option<Term>>> = Vec::new();
    let mut total = 0u64;
    for solution in solutions {
        let solution = solution.map_err(|e| Error::from_evaluation(origin, e))?;
        total += 1;
        if rows.len() < MAX_BARS {
            rows.push(solution.values().to_vec());
        }
    }
    let chart = Chart::of(&variables, &rows, total, options)?;
    let text = if svg {
        chart.svg()
    } else {
        chart.text(options.table.width.map_or(DEFAULT_WIDTH, usize::from))
    };
    writer
        .write_all(text.as_bytes())
        .map_err(|e| Error::io(options.output_name, e))?;
    Ok(Written {
        rows: total,
        hidden: chart.more,
    })
}

/// A number a chart can draw: a numeric literal's value.
fn number(term: &Term) -> Option<f64> {
    match term {
        Term::Literal(literal) if display_term(term, &Default::default()).1 => {
            literal.value().parse().ok().filter(|v: &f64| v.is_finite())
        }
        _ => None,
    }
}

/// A number as a source prints it, in a plain string: "3,417", "~1,200", ">800".
fn printed_number(term: &Term) -> Option<f64> {
    let Term::Literal(literal) = term else {
        return None;
    };
    let text = literal
        .value()
        .trim()
        .trim_start_matches(['~', '>', '<', '≈', '+']);
    let digits: String = text.chars().filter(|c| *c != ',').collect();
    digits.parse().ok().filter(|v: &f64| v.is_finite())
}

impl Chart {
    fn of(
        variables: &[String],
        rows: &[Vec<Option<Term>>],
        total: u64,
        options: &RenderOptions<'_>,
    ) -> Result<Self> {
        // The number column: the first whose values, where bound, are all numbers; else the
        // first whose strings all read as printed numbers ("3,417").
        let all = |i: usize, read: fn(&Term) -> Option<f64>| {
            let mut bound = rows
                .iter()
                .filter_map(|row| row.get(i)?.as_ref())
                .peekable();
            bound.peek().is_some() && bound.all(|t| read(t).is_some())
        };
        let strict = (0..variables.len()).find(|&i| all(i, number));
        let read: fn(&Term) -> Option<f64> = if strict.is_some() {
            number
        } else {
            printed_number
        };
        let numeric = strict.or_else(|| (0..variables.len()).find(|&i| all(i, printed_number)));
        let Some(numeric) = numeric else {
            return Err(Error::usage(if rows.is_empty() {
                "nothing to chart: the answer has no rows".to_owned()
            } else {
                format!(
                    "a chart needs a column of numbers: none of {} holds only numbers",
                    variables
                        .iter()
                        .map(|v| format!("?{v}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }));
        };
        // The label column: the first other column (not of numbers, printed or not) whose values differ from
        // row to row, else the first other one bound somewhere.
        let values = |i: usize| rows.iter().filter_map(move |row| row.get(i)?.as_ref());
        let candidates: Vec<usize> = (0..variables.len())
            .filter(|&i| i != numeric && values(i).next().is_some() && !all(i, printed_number))
            .collect();
        let labels = candidates
            .iter()
            .copied()
            .find(|&i| values(i).any(|t| Some(t) != values(i).next()))
            .or_else(|| candidates.first().copied());
        let bars = rows
            .iter()
            .enumerate()
            .filter_map(|(n, row)| {
                let term = row.get(numeric)?.as_ref()?;
                let label = labels.and_then(|i| row.get(i)?.as_ref()).map_or_else(
                    || format!("{}", n + 1),
                    |t| display_term(t, options.prefixes).0,
                );
                Some(Bar {
                    label,
                    value: read(term)?,
                    shown: display_term(term, options.prefixes).0,
                })
            })
            .collect();
        let title = match labels {
            Some(i) => format!("?{} by ?{}", variables[numeric], variables[i]),
            None => format!("?{}", variables[numeric]),
        };
        Ok(Self {
            title,
            bars,
            more: total.saturating_sub(rows.len() as u64),
        })
    }

    fn largest(&self) -> f64 {
        self.bars.iter().map(|b| b.value).fold(0.0, f64::max)
    }

    fn more_note(&self) -> Option<String> {
        (self.more > 0).then(|| {
            format!(
                "… and {} more row{} (a chart draws the first {MAX_BARS})",
                self.more,
                if self.more == 1 { "" } else { "s" }
            )
        })
    }

    /// Lines of `label  ████▍ value`, fitted to `width` columns.
    fn text(&self, width: usize) -> String {
        let count = |s: &str| s.chars().count();
        let value_width = self.bars.iter().map(|b| count(&b.shown)).max().unwrap_or(0);
        let longest = self.bars.iter().map(|b| count(&b.label)).max().unwrap_or(0);
        let label_width = longest.min((width * 2 / 5).max(8));
        let bar_width = width.saturating_sub(label_width + value_width + 3).max(10);
        let largest = self.largest();
        let mut out = format!("{}\n", self.title);
        for bar in &self.bars {
            let label = cut(&bar.label, label_width);
            let pad = label_width - count(&label);
            let blocks = if largest > 0.0 && bar.value > 0.0 {
                blocks(bar.value / largest * bar_width as f64)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "{label}{} {blocks} {}\n",
                " ".repeat(pad),
                bar.shown
            ));
        }
        if let Some(note) = self.more_note() {
            out.push_str(&note);
            out.push('\n');
        }
        out
    }

    /// An SVG bar chart: a row a bar, labels at the left, values after the bars.
    fn svg(&self) -> String {
        const ROW: f64 = 24.0;
        const LABEL: f64 = 260.0;
        const BARS: f64 = 420.0;
        let largest = self.largest();
        let notes = usize::from(self.more > 0);
        let height = ROW * (self.bars.len() + 1 + notes) as f64 + 8.0;
        let width = LABEL + BARS + 140.0;
        let mut svg = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{title}\" \
             width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
             font-family=\"system-ui, sans-serif\" font-size=\"12\">\n<title>{title}</title>\n\
             <text x=\"4\" y=\"16\" font-weight=\"bold\">{title}</text>\n",
            title = xml(&self.title)
        );
        for (i, bar) in self.bars.iter().enumerate() {
            let y = ROW * (i + 1) as f64 + 4.0;
            let length = if largest > 0.0 && bar.value > 0.0 {
                bar.value / largest * BARS
            } else {
                0.0
            };
            svg.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n\
                 <rect x=\"{LABEL}\" y=\"{y:.1}\" width=\"{length:.1}\" height=\"18\" \
                 fill=\"#3a6ab0\"/>\n<text x=\"{:.1}\" y=\"{:.1}\">{}</text>\n",
                LABEL - 8.0,
                y + 14.0,
                xml(&cut(&bar.label, 40)),
                LABEL + length + 6.0,
                y + 14.0,
                xml(&bar.shown)
            ));
        }
        if let Some(note) = self.more_note() {
            let y = ROW * (self.bars.len() + 1) as f64 + 18.0;
            svg.push_str(&format!(
                "<text x=\"4\" y=\"{y:.1}\">{}</text>\n",
                xml(&note)
            ));
        }
        svg.push_str("</svg>\n");
        svg
    }
}

/// `length` columns of full blocks and the eighth-block for what is left.
fn blocks(length: f64) -> String {
    const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (length * 8.0).round() as usize;
    let mut out = "█".repeat(eighths / 8);
    if eighths % 8 > 0 {
        out.push(EIGHTHS[eighths % 8]);
    }
    if out.is_empty() {
        // A value too small to see still gets a mark.
        out.push('▏');
    }
    out
}

/// At most `width` characters, the last one `…` when cut.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::format::Format;
    use crate::sparql::prefixes::PrefixMap;
    use oxigraph::model::{Literal, NamedNode};

    fn options(prefixes: &PrefixMap) -> RenderOptions<'_> {
        RenderOptions {
            format: Format::Chart,
            prefixes,
            table: Default::default(),
            output_name: "test",
        }
    }

    fn row(label: &str, value: i64) -> Vec<Option<Term>> {
        vec![
            Some(Literal::new_simple_literal(label).into()),
            Some(Literal::from(value).into()),
        ]
    }

    #[test]
    fn bars_are_scaled_to_the_largest_and_fitted_to_the_width() {
        let prefixes = PrefixMap::default();
        let variables = ["country".to_owned(), "n".to_owned()];
        let rows = vec![row("Russia", 3417), row("Tunisia", 2926), row("Kosovo", 0)];
        let chart = Chart::of(&variables, &rows, 3, &options(&prefixes)).unwrap();
        let text = chart.text(60);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "?n by ?country");
        assert!(lines.iter().all(|l| l.chars().count() <= 60), "{text}");
        let full = |l: &str| l.chars().filter(|c| *c == '█').count();
        assert!(
            full(lines[1]) > full(lines[2]) && full(lines[2]) > 0,
            "{text}"
        );
        assert!(
            lines[1].ends_with(" 3417") && lines[3].ends_with("Kosovo   0"),
            "{text}"
        );
    }

    #[test]
    fn the_number_column_is_found_and_a_chart_without_one_is_refused() {
        let prefixes = PrefixMap::default();
        // The number may come first; a label that is an IRI is shown by its prefixed name.
        let variables = ["n".to_owned(), "c".to_owned()];
        let rows = vec![vec![
            Some(Literal::from(5).into()),
            Some(NamedNode::new_unchecked("https://w3id.org/ffkg/id/country/TUN").into()),
        ]];
        let chart = Chart::of(&variables, &rows, 1, &options(&prefixes)).unwrap();
        assert_eq!(chart.bars[0].label, "country:TUN");
        let words = vec![vec![Some(Literal::new_simple_literal("x").into()), None]];
        let e = Chart::of(&variables, &words, 1, &options(&prefixes)).unwrap_err();
        assert!(e.to_string().contains("a column of numbers"), "{e}");
        let e = Chart::of(&variables, &[], 0, &options(&prefixes)).unwrap_err();
        assert!(e.to_string().contains("no rows"), "{e}");
    }

    #[test]
    fn printed_numbers_are_read_and_labels_are_the_column_that_varies() {
        let prefixes = PrefixMap::default();
        let variables = ["about".to_owned(), "value".to_owned(), "source".to_owned()];
        let text = |s: &str| Some(Term::from(Literal::new_simple_literal(s)));
        let rows = vec![
            vec![text("Russia"), text("3,417"), text("Soufan")],
            vec![text("Russia"), text("~4,700"), text("Unipath")],
        ];
        let chart = Chart::of(&variables, &rows, 2, &options(&prefixes)).unwrap();
        assert_eq!(chart.title, "?value by ?source");
        assert_eq!(chart.bars[1].value, 4700.0);
        assert_eq!(chart.bars[1].shown, "~4,700");
    }

    #[test]
    fn svg_is_well_formed_and_says_what_it_left_out() {
        let prefixes = PrefixMap::default();
        let variables = ["label".to_owned(), "n".to_owned()];
        let rows = vec![row("a <b> & \"c\"", 1), row("d", 2)];
        let chart = Chart::of(&variables, &rows, 250, &options(&prefixes)).unwrap();
        let svg = chart.svg();
        assert!(svg.contains("a &lt;b&gt; &amp; &quot;c&quot;"), "{svg}");
        assert!(svg.contains("… and 248 more rows"), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.ends_with("</svg>\n"));
    }

    #[test]
    fn blocks_draw_eighths_and_a_mark_for_the_smallest() {
        assert_eq!(blocks(2.5), "██▌");
        assert_eq!(blocks(0.01), "▏");
        assert_eq!(blocks(3.0), "███");
    }
}
