//! How a resource card is written as text for the terminal: the title, then each section's
//! fields with their values aligned in a column and wrapped under themselves.

use super::card::show;
#[allow(unused_imports)]
use super::*;

impl Description {
    /// The card's text, wrapped to `width` columns.
    pub fn card(&self, width: usize, prefixes: &PrefixMap) -> String {
        let mut card = Card::new(width);
        let name = name_of(&self.node, prefixes);
        match &self.title {
            Some(title) if *title != name => card.line(&format!("{name} — {title}")),
            _ => card.line(&name),
        }
        if prefixes.shorten(self.node.as_str()).is_some() {
            card.line(&format!("  <{}>", self.node.as_str()));
        }
        for section in &self.sections {
            if let Some(heading) = &section.heading {
                card.blank();
                card.line(heading);
            }
            let text = |value: &Value| match value {
                Value::Term(term, label) => show(term, label.as_deref(), prefixes),
                Value::Quote(quote, _) => format!("“{quote}”"),
                Value::Text(text) => text.clone(),
            };
            if !section.lists {
                for field in &section.fields {
                    let values: Vec<String> = field.values.iter().map(text).collect();
                    card.field(&field.label, &values.join(", "));
                }
                continue;
            }
            let labels: Vec<String> = section.fields.iter().map(|f| f.label.clone()).collect();
            let pad = column(&labels);
            for field in &section.fields {
                let values: Vec<String> = field.values.iter().map(text).collect();
                card.list(&field.label, &values, field.more.as_ref(), pad);
            }
        }
        card.finish()
    }
}

/// A card's text: fields aligned in a column, long values wrapped under themselves.
struct Card {
    text: String,
    width: usize,
}

/// Where values start on a card line.
const LABEL_WIDTH: usize = 16;

impl Card {
    fn new(width: usize) -> Self {
        Self {
            text: String::new(),
            width: width.max(40),
        }
    }

    fn line(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push('\n');
    }

    fn blank(&mut self) {
        self.text.push('\n');
    }

    /// `  label         value`, skipped when the value is empty.
    fn field(&mut self, label: &str, value: &str) {
        let pad = pad_for(label);
        self.field_padded(label, value, pad);
    }

    fn field_padded(&mut self, label: &str, value: &str, pad: usize) {
        if value.is_empty() {
            return;
        }
        let lines = wrap(value, self.width.saturating_sub(pad).max(20));
        for (i, line) in lines.iter().enumerate() {
            if i == 0 {
                let _ = writeln!(self.text, "  {label:<w$} {line}", w = pad - 3);
            } else {
                let _ = writeln!(self.text, "{:pad$}{line}", "");
            }
        }
    }

    /// Several values under one label, then how many more there are and the query that lists
    /// them.
    fn list(&mut self, label: &str, values: &[String], more: Option<&(u64, String)>, pad: usize) {
        for (i, value) in values.iter().enumerate() {
            self.field_padded(if i == 0 { label } else { "" }, value, pad);
        }
        if let Some((more, query)) = more {
            let text = if query.is_empty() {
                format!("… {more} more")
            } else {
                format!("… {more} more: {query}")
            };
            self.field_padded(if values.is_empty() { label } else { "" }, &text, pad);
        }
    }

    fn finish(self) -> String {
        self.text
    }
}

/// Where the values of a label start: a common column unless the label is longer.
fn pad_for(label: &str) -> usize {
    LABEL_WIDTH.max(label.chars().count() + 3)
}

/// Where the values of a section start: after its longest label, within reason.
fn column(labels: &[String]) -> usize {
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    LABEL_WIDTH.max(longest.min(32) + 3)
}
