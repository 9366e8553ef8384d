//! Query answers as comparable values: reading expected results (.srx, .srj, .tsv, result-set
//! graphs, RDF graphs) and ffkg's serialized output, and comparing them as the W3C test suite
//! says: solutions as multisets (in order when asked), blank nodes up to a consistent renaming,
//! literals by value, graphs and datasets up to blank-node isomorphism.

use anyhow::{Context, Result, bail};
use ffkg::data::graph::file_url;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{
    BlankNode, Dataset, Graph, Literal, NamedNodeRef, NamedOrBlankNode, Quad, Term, TermRef, Triple,
};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

/// One solution, its values in the order of the sorted variable names.
pub type Row = Vec<Option<Term>>;

/// The answer of a query, ready to compare.
#[derive(Debug)]
pub enum Answer {
    Boolean(bool),
    Solutions {
        /// Sorted: projection order does not matter.
        variables: Vec<String>,
        rows: Vec<Row>,
        /// The expected result lists its rows in order (`rs:index`).
        ordered: bool,
    },
    Graph(Graph),
}

impl Answer {
    fn describe(&self) -> &'static str {
        match self {
            Self::Boolean(_) => "a boolean",
            Self::Solutions { .. } => "solutions",
            Self::Graph(_) => "a graph",
        }
    }
}

const RS: &str = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#";

fn rs(local: &str) -> String {
    format!("{RS}{local}")
}

/// The RDF syntax of a file from its extension.
pub fn rdf_format(path: &Path) -> Option<RdfFormat> {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(RdfFormat::from_extension)
}

/// Reads an expected query result file.
pub fn load_expected(path: &Path) -> Result<Answer> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if let Some(format) = QueryResultsFormat::from_extension(extension) {
        return parse_results(format, &bytes)
            .with_context(|| format!("cannot parse {}", path.display()));
    }
    let Some(format) = rdf_format(path) else {
        bail!("{}: unknown result syntax", path.display());
    };
    let graph = parse_graph(format, &bytes, Some(file_url(path)?.as_str()))
        .with_context(|| format!("cannot parse {}", path.display()))?;
    Ok(result_set(&graph)?.unwrap_or(Answer::Graph(graph)))
}

/// Parses results in a W3C results format.
pub fn parse_results(format: QueryResultsFormat, bytes: &[u8]) -> Result<Answer> {
    Ok(
        match QueryResultsParser::from_format(format).for_slice(bytes)? {
            SliceQueryResultsParserOutput::Boolean(value) => Answer::Boolean(value),
            SliceQueryResultsParserOutput::Solutions(solutions) => {
                let names: Vec<String> = solutions
                    .variables()
                    .iter()
                    .map(|v| v.as_str().to_owned())
                    .collect();
                let mut rows = Vec::new();
                for solution in solutions {
                    let solution = solution?;
                    rows.push(
                        solution
                            .values()
                            .iter()
                            .map(|v| v.clone().map(canonical))
                            .collect::<Vec<_>>(),
                    );
                }
                sorted_solutions(names, rows, false)
            }
        },
    )
}

/// Reorders the columns by variable name.
fn sorted_solutions(names: Vec<String>, rows: Vec<Row>, ordered: bool) -> Answer {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|a, b| names[*a].cmp(&names[*b]));
    Answer::Solutions {
        variables: order.iter().map(|i| names[*i].clone()).collect(),
        rows: rows
            .into_iter()
            .map(|row| {
                order
                    .iter()
                    .map(|i| row.get(*i).cloned().flatten())
                    .collect()
            })
            .collect(),
        ordered,
    }
}

/// Parses an RDF graph (the default graph of the file).
pub fn parse_graph(format: RdfFormat, bytes: &[u8], base: Option<&str>) -> Result<Graph> {
    let mut parser = RdfParser::from_format(format);
    if let Some(base) = base {
        parser = parser.with_base_iri(base)?;
    }
    let mut graph = Graph::new();
    for quad in parser.for_slice(bytes) {
        graph.insert(&canonical_triple(Triple::from(quad?)));
    }
    Ok(graph)
}

/// Parses an N-Quads dump into a dataset.
pub fn parse_dataset(bytes: &[u8]) -> Result<Dataset> {
    let mut dataset = Dataset::new();
    for quad in RdfParser::from_format(RdfFormat::NQuads).for_slice(bytes) {
        let quad = quad?;
        let triple = canonical_triple(Triple::new(quad.subject, quad.predicate, quad.object));
        dataset.insert(&Quad::new(
            triple.subject,
            triple.predicate,
            triple.object,
            quad.graph_name,
        ));
    }
    Ok(dataset)
}

/// Reads a graph in the DAWG result-set vocabulary; `None` when it is a plain graph.
fn result_set(graph: &Graph) -> Result<Option<Answer>> {
    let rs_type = rs("ResultSet");
    let Some(set) = graph.subject_for_predicate_object(rdf::TYPE, NamedNodeRef::new(&rs_type)?)
    else {
        return Ok(None);
    };
    let set = set.into_owned();
    let property = |local: &str| rs(local);
    let boolean = property("boolean");
    if let Some(value) = graph.object_for_subject_predicate(&set, NamedNodeRef::new(&boolean)?) {
        let TermRef::Literal(value) = value else {
            bail!("rs:boolean is not a literal");
        };
        return Ok(Some(Answer::Boolean(value.value() == "true")));
    }
    let result_variable = property("resultVariable");
    let names: Vec<String> = graph
        .objects_for_subject_predicate(&set, NamedNodeRef::new(&result_variable)?)
        .filter_map(|t| match t {
            TermRef::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
        .collect();
    let (solution_p, binding_p, variable_p, value_p, index_p) = (
        property("solution"),
        property("binding"),
        property("variable"),
        property("value"),
        property("index"),
    );
    let mut solutions = Vec::new();
    for solution in graph.objects_for_subject_predicate(&set, NamedNodeRef::new(&solution_p)?) {
        let solution = match solution {
            TermRef::BlankNode(b) => NamedOrBlankNode::from(b.into_owned()),
            TermRef::NamedNode(n) => NamedOrBlankNode::from(n.into_owned()),
            _ => bail!("rs:solution is a literal"),
        };
        let mut row: Row = vec![None; names.len()];
        for binding in
            graph.objects_for_subject_predicate(&solution, NamedNodeRef::new(&binding_p)?)
        {
            let binding = match binding {
                TermRef::BlankNode(b) => NamedOrBlankNode::from(b.into_owned()),
                TermRef::NamedNode(n) => NamedOrBlankNode::from(n.into_owned()),
                _ => bail!("rs:binding is a literal"),
            };
            let variable = graph
                .object_for_subject_predicate(&binding, NamedNodeRef::new(&variable_p)?)
                .context("rs:binding without rs:variable")?;
            let value = graph
                .object_for_subject_predicate(&binding, NamedNodeRef::new(&value_p)?)
                .context("rs:binding without rs:value")?;
            let TermRef::Literal(variable) = variable else {
                bail!("rs:variable is not a literal");
            };
            let position = names
                .iter()
                .position(|n| n == variable.value())
                .with_context(|| format!("binding of undeclared ?{}", variable.value()))?;
            row[position] = Some(canonical(value.into_owned()));
        }
        let index = graph
            .object_for_subject_predicate(&solution, NamedNodeRef::new(&index_p)?)
            .and_then(|t| match t {
                TermRef::Literal(l) => l.value().parse::<u64>().ok(),
                _ => None,
            });
        solutions.push((index, row));
    }
    let ordered = !solutions.is_empty() && solutions.iter().all(|(index, _)| index.is_some());
    if ordered {
        solutions.sort_by_key(|(index, _)| *index);
    }
    Ok(Some(sorted_solutions(
        names,
        solutions.into_iter().map(|(_, row)| row).collect(),
        ordered,
    )))
}

/// Literals compared by value: numeric and boolean literals get their canonical lexical form
/// ("01"^^xsd:integer is "1"), as the test suite allows; ill-typed ones are left as they are.
pub fn canonical(term: Term) -> Term {
    match term {
        Term::Literal(literal) => Term::Literal(canonical_literal(literal)),
        other => other,
    }
}

fn canonical_triple(triple: Triple) -> Triple {
    Triple::new(triple.subject, triple.predicate, canonical(triple.object))
}

const INTEGER_TYPES: &[&str] = &[
    "integer",
    "long",
    "int",
    "short",
    "byte",
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
];

const DATE_TYPES: &[&str] = &[
    "dateTime",
    "dateTimeStamp",
    "date",
    "time",
    "gYear",
    "gYearMonth",
    "gMonth",
    "gMonthDay",
    "gDay",
];

fn canonical_literal(literal: Literal) -> Literal {
    let datatype = literal.datatype();
    let Some(local) = datatype
        .as_str()
        .strip_prefix("http://www.w3.org/2001/XMLSchema#")
    else {
        return literal;
    };
    let value = literal.value().trim();
    let canonical = if INTEGER_TYPES.contains(&local) {
        value.parse::<i128>().ok().map(|v| v.to_string())
    } else if datatype == xsd::DECIMAL {
        canonical_decimal(value)
    } else if datatype == xsd::DOUBLE || datatype == xsd::FLOAT {
        let parsed = match value {
            "INF" | "+INF" => Some(f64::INFINITY),
            "-INF" => Some(f64::NEG_INFINITY),
            "NaN" => Some(f64::NAN),
            v if v.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c)) => v.parse().ok(),
            _ => None,
        };
        parsed.map(|v: f64| {
            if datatype == xsd::FLOAT {
                format!("{:?}", v as f32)
            } else {
                format!("{v:?}")
            }
        })
    } else if DATE_TYPES.contains(&local) {
        // "+00:00" and "-00:00" are "Z" (the canonical form of the UTC time zone).
        value
            .strip_suffix("+00:00")
            .or_else(|| value.strip_suffix("-00:00"))
            .map(|rest| format!("{rest}Z"))
    } else if datatype == xsd::BOOLEAN {
        match value {
            "true" | "1" => Some("true".to_owned()),
            "false" | "0" => Some("false".to_owned()),
            _ => None,
        }
    } else {
        None
    };
    match canonical {
        Some(lexical) => Literal::new_typed_literal(lexical, datatype.into_owned()),
        None => literal,
    }
}

/// `+001.500` → `1.5`, `2` → `2.0`; `None` when it is not a decimal.
fn canonical_decimal(value: &str) -> Option<String> {
    let (negative, digits) = match value.as_bytes().first()? {
        b'-' => (true, &value[1..]),
        b'+' => (false, &value[1..]),
        _ => (false, value),
    };
    let (integer, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if integer.is_empty() && fraction.is_empty()
        || !integer
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let integer = integer.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    let integer = if integer.is_empty() { "0" } else { integer };
    let fraction = if fraction.is_empty() { "0" } else { fraction };
    let zero = integer == "0" && fraction == "0";
    let sign = if negative && !zero { "-" } else { "" };
    Some(format!("{sign}{integer}.{fraction}"))
}

/// Compares an actual answer with the expected one; the error says how they differ.
pub fn compare(expected: &Answer, actual: &Answer, ordered: bool, lax: bool) -> Result<(), String> {
    match (expected, actual) {
        (Answer::Boolean(e), Answer::Boolean(a)) if e == a => Ok(()),
        (Answer::Boolean(e), Answer::Boolean(a)) => Err(format!("expected {e}, got {a}")),
        (
            Answer::Solutions {
                variables: ev,
                rows: er,
                ordered: expected_order,
            },
            Answer::Solutions {
                variables: av,
                rows: ar,
                ..
            },
        ) => {
            if ev != av {
                return Err(format!(
                    "variables differ: expected {}, got {}",
                    show_variables(ev),
                    show_variables(av)
                ));
            }
            let ordered = ordered || *expected_order;
            let same = if lax && !ordered {
                lax_rows_match(er, ar)
            } else {
                rows_match(er, ar, ordered)
            };
            if same {
                Ok(())
            } else {
                Err(rows_diff(ev, er, ar, ordered))
            }
        }
        (Answer::Graph(e), Answer::Graph(a)) => {
            let (e, a) = (canonical_graph(e), canonical_graph(a));
            if e == a {
                Ok(())
            } else {
                Err(graph_diff(&e, &a))
            }
        }
        (e, a) => Err(format!("expected {}, got {}", e.describe(), a.describe())),
    }
}

/// Compares two datasets up to blank-node renaming.
pub fn compare_datasets(expected: &Dataset, actual: &Dataset) -> Result<(), String> {
    let mut e = expected.clone();
    let mut a = actual.clone();
    e.canonicalize(CanonicalizationAlgorithm::Unstable);
    a.canonicalize(CanonicalizationAlgorithm::Unstable);
    if e == a {
        return Ok(());
    }
    let missing: Vec<String> = e
        .iter()
        .filter(|q| !a.contains(*q))
        .map(|q| q.to_string())
        .collect();
    let extra: Vec<String> = a
        .iter()
        .filter(|q| !e.contains(*q))
        .map(|q| q.to_string())
        .collect();
    Err(format!(
        "datasets differ\n{}{}",
        listing("missing", &missing),
        listing("unexpected", &extra)
    ))
}

fn canonical_graph(graph: &Graph) -> Graph {
    let mut graph = graph.clone();
    graph.canonicalize(CanonicalizationAlgorithm::Unstable);
    graph
}

fn graph_diff(expected: &Graph, actual: &Graph) -> String {
    let missing: Vec<String> = expected
        .iter()
        .filter(|t| !actual.contains(*t))
        .map(|t| t.to_string())
        .collect();
    let extra: Vec<String> = actual
        .iter()
        .filter(|t| !expected.contains(*t))
        .map(|t| t.to_string())
        .collect();
    format!(
        "graphs differ (blank nodes canonicalized)\n{}{}",
        listing("missing", &missing),
        listing("unexpected", &extra)
    )
}

fn show_variables(variables: &[String]) -> String {
    let names: Vec<String> = variables.iter().map(|v| format!("?{v}")).collect();
    format!("[{}]", names.join(" "))
}

/// How many lines of a diff are shown.
const SHOWN: usize = 8;

fn listing(what: &str, lines: &[String]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut out = format!("  {what} ({}):\n", lines.len());
    for line in lines.iter().take(SHOWN) {
        let _ = writeln!(out, "    {line}");
    }
    if lines.len() > SHOWN {
        let _ = writeln!(out, "    …");
    }
    out
}

fn show_row(variables: &[String], row: &Row) -> String {
    let cells: Vec<String> = variables
        .iter()
        .zip(row)
        .filter_map(|(v, t)| t.as_ref().map(|t| format!("?{v}={t}")))
        .collect();
    format!("{{{}}}", cells.join(" "))
}

fn rows_diff(variables: &[String], expected: &[Row], actual: &[Row], ordered: bool) -> String {
    let shown_e: Vec<String> = expected.iter().map(|r| show_row(variables, r)).collect();
    let shown_a: Vec<String> = actual.iter().map(|r| show_row(variables, r)).collect();
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    for row in &shown_e {
        *counts.entry(row).or_default() += 1;
    }
    for row in &shown_a {
        *counts.entry(row).or_default() -= 1;
    }
    let missing: Vec<String> = counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(r, n)| {
            if *n > 1 {
                format!("{r} ×{n}")
            } else {
                (*r).to_owned()
            }
        })
        .collect();
    let extra: Vec<String> = counts
        .iter()
        .filter(|(_, n)| **n < 0)
        .map(|(r, n)| {
            if *n < -1 {
                format!("{r} ×{}", -n)
            } else {
                (*r).to_owned()
            }
        })
        .collect();
    let mut out = format!(
        "solutions differ: expected {} rows, got {}{}\n",
        expected.len(),
        actual.len(),
        if ordered { " (in order)" } else { "" }
    );
    if missing.is_empty() && extra.is_empty() {
        if ordered {
            out.push_str("  same rows in another order (or blank nodes that do not match):\n");
            out.push_str(&listing("expected order", &shown_e));
            out.push_str(&listing("actual order", &shown_a));
        } else {
            out.push_str("  the rows differ only in their blank nodes\n");
        }
    }
    out.push_str(&listing("missing", &missing));
    out.push_str(&listing("unexpected", &extra));
    out
}

fn has_blank_nodes(rows: &[Row]) -> bool {
    rows.iter()
        .flatten()
        .flatten()
        .any(|t| matches!(t, Term::BlankNode(_)))
}

/// A row's text, the key of the comparisons without blank nodes.
fn row_key(row: &Row) -> String {
    let mut key = String::new();
    for value in row {
        match value {
            Some(term) => {
                let _ = write!(key, "{term}\u{1}");
            }
            None => key.push('\u{1}'),
        }
    }
    key
}

/// Multiset (or sequence) equality of rows, blank nodes up to a consistent renaming.
pub fn rows_match(expected: &[Row], actual: &[Row], ordered: bool) -> bool {
    if expected.len() != actual.len() {
        return false;
    }
    if !has_blank_nodes(expected) && !has_blank_nodes(actual) {
        let mut e: Vec<String> = expected.iter().map(row_key).collect();
        let mut a: Vec<String> = actual.iter().map(row_key).collect();
        if !ordered {
            e.sort_unstable();
            a.sort_unstable();
        }
        return e == a;
    }
    let mut search = Search {
        expected,
        actual,
        ordered,
        used: vec![false; actual.len()],
        forward: HashMap::new(),
        backward: HashMap::new(),
        budget: 200_000,
    };
    search.from(0)
}

/// REDUCED: every expected solution at least once and at most as often as expected.
fn lax_rows_match(expected: &[Row], actual: &[Row]) -> bool {
    if has_blank_nodes(expected) || has_blank_nodes(actual) {
        return rows_match(expected, actual, false);
    }
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    for row in expected {
        counts.entry(row_key(row)).or_default().0 += 1;
    }
    for row in actual {
        counts.entry(row_key(row)).or_default().1 += 1;
    }
    counts.values().all(|(e, a)| *a >= 1 && a <= e)
}

/// A backtracking search for a row matching and a blank-node bijection.
struct Search<'a> {
    expected: &'a [Row],
    actual: &'a [Row],
    ordered: bool,
    used: Vec<bool>,
    forward: HashMap<BlankNode, BlankNode>,
    backward: HashMap<BlankNode, BlankNode>,
    /// Candidate rows tried before giving up, so a pathological case cannot hang the test.
    budget: usize,
}

impl Search<'_> {
    fn from(&mut self, i: usize) -> bool {
        if i == self.expected.len() {
            return true;
        }
        let candidates: Vec<usize> = if self.ordered {
            vec![i]
        } else {
            (0..self.actual.len()).collect()
        };
        for j in candidates {
            if self.used[j] {
                continue;
            }
            if self.budget == 0 {
                return false;
            }
            self.budget -= 1;
            let (forward, backward) = (self.forward.clone(), self.backward.clone());
            if self.unify(&self.expected[i], &self.actual[j]) {
                self.used[j] = true;
                if self.from(i + 1) {
                    return true;
                }
                self.used[j] = false;
            }
            self.forward = forward;
            self.backward = backward;
        }
        false
    }

    fn unify(&mut self, expected: &Row, actual: &Row) -> bool {
        expected.iter().zip(actual).all(|(e, a)| match (e, a) {
            (None, None) => true,
            (Some(Term::BlankNode(e)), Some(Term::BlankNode(a))) => {
                match (self.forward.get(e), self.backward.get(a)) {
                    (Some(mapped), _) => mapped == a,
                    (None, Some(_)) => false,
                    (None, None) => {
                        self.forward.insert(e.clone(), a.clone());
                        self.backward.insert(a.clone(), e.clone());
                        true
                    }
                }
            }
            (Some(e), Some(a)) => e == a,
            _ => false,
        })
    }
}

/// Compares CSV as text (CSV loses types): the same columns, matched by name, and the same
/// records with blank node labels up to a consistent renaming, in order when `ordered`.
pub fn compare_csv(expected: &str, actual: &str, ordered: bool) -> Result<(), String> {
    let e = csv_records(expected).map_err(|m| format!("expected CSV: {m}"))?;
    let a = csv_records(actual).map_err(|m| format!("ffkg's CSV: {m}"))?;
    let (Some((eh, er)), Some((ah, ar))) = (e.split_first(), a.split_first()) else {
        return Err("a CSV result without a header".to_owned());
    };
    // SELECT * leaves the order of its variables to the implementation (spargebra sorts
    // them), so columns are matched by name; everything else is compared as text.
    let mut sorted_e = eh.clone();
    let mut sorted_a = ah.clone();
    sorted_e.sort();
    sorted_a.sort();
    if sorted_e != sorted_a {
        return Err(format!("CSV headers differ: expected {eh:?}, got {ah:?}"));
    }
    let columns: Vec<usize> = eh
        .iter()
        .filter_map(|name| ah.iter().position(|a| a == name))
        .collect();
    let ar: Vec<Vec<String>> = ar
        .iter()
        .map(|fields| {
            columns
                .iter()
                .map(|i| fields.get(*i).cloned().unwrap_or_default())
                .collect()
        })
        .collect();
    let to_rows = |records: &[Vec<String>]| -> Vec<Row> {
        records
            .iter()
            .map(|fields| {
                fields
                    .iter()
                    .map(|f| {
                        Some(match f.strip_prefix("_:") {
                            Some(label) => Term::BlankNode(BlankNode::new_unchecked(label)),
                            None => Term::Literal(Literal::new_simple_literal(f)),
                        })
                    })
                    .collect()
            })
            .collect()
    };
    let (er, ar) = (to_rows(er), to_rows(&ar));
    if rows_match(&er, &ar, ordered) {
        Ok(())
    } else {
        let show = |text: &str| text.lines().map(str::to_owned).collect::<Vec<_>>();
        Err(format!(
            "CSV differs\n{}{}",
            listing("expected", &show(expected)),
            listing("got", &show(actual))
        ))
    }
}

/// Splits CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks) into records.
fn csv_records(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                other => field.push(other),
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_field_start = true;
            }
            other => {
                field.push(other);
                at_field_start = false;
            }
        }
    }
    if quoted {
        return Err("unterminated quoted field".to_owned());
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_and_numbers_compare_by_value() {
        assert_eq!(canonical_decimal("+001.500").as_deref(), Some("1.5"));
        assert_eq!(canonical_decimal("-0.0").as_deref(), Some("0.0"));
        assert_eq!(canonical_decimal("abc"), None);
        let one = Literal::new_typed_literal("01", xsd::INTEGER);
        assert_eq!(canonical_literal(one).value(), "1");
        let double = Literal::new_typed_literal("1.0E0", xsd::DOUBLE);
        assert_eq!(
            canonical_literal(double),
            canonical_literal(Literal::new_typed_literal("1", xsd::DOUBLE))
        );
    }

    #[test]
    fn blank_nodes_need_a_consistent_renaming() {
        let b = |l: &str| Some(Term::BlankNode(BlankNode::new_unchecked(l)));
        let expected = vec![vec![b("a"), b("a")], vec![b("b"), b("c")]];
        let good = vec![vec![b("y"), b("z")], vec![b("x"), b("x")]];
        let bad = vec![vec![b("x"), b("y")], vec![b("x"), b("z")]];
        assert!(rows_match(&expected, &good, false));
        assert!(!rows_match(&expected, &bad, false));
        assert!(!rows_match(&expected, &good, true));
    }

    #[test]
    fn csv_fields_may_be_quoted() {
        let records = csv_records("a,b\r\n\"x,\"\"y\"\"\",2\r\n").unwrap();
        assert_eq!(records, vec![vec!["a", "b"], vec!["x,\"y\"", "2"]]);
    }
}
