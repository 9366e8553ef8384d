//! The Turtle window scanner that lets a file be parsed on several cores: wherever it cuts, the
//! pieces, each parsed with the directives before it, must give exactly the triples the whole
//! gives — a wrong cut that still parses would change a user's data.
#![no_main]

use ffkg::data::split::{self, Segment};
use libfuzzer_sys::fuzz_target;
use oxttl::TurtleParser;

/// The triples of `text`, or None when it does not parse.
fn count(text: &[u8]) -> Option<usize> {
    let mut n = 0;
    for triple in TurtleParser::new().for_slice(text) {
        triple.ok()?;
        n += 1;
    }
    Some(n)
}

fuzz_target!(|input: &[u8]| {
    let Some((&step, bytes)) = input.split_first() else {
        return;
    };
    let scan = split::turtle(bytes, usize::from(step).max(1));
    assert!(scan.end <= bytes.len());
    let mut directives = Vec::new();
    let mut pieces = Vec::new();
    let mut at = 0;
    for segment in &scan.segments {
        match segment {
            Segment::Directive(range) => {
                assert!(range.start >= at && range.end <= scan.end);
                directives.extend_from_slice(&bytes[range.clone()]);
                directives.push(b'\n');
                at = range.end;
                // As the reader does: a directive that states a triple means the scan went
                // wrong, and the file is read again whole.
                if count(&directives) != Some(0) {
                    return;
                }
            }
            Segment::Statements(range) => {
                assert!(range.start >= at && range.end <= scan.end);
                at = range.end;
                let mut start = range.start;
                let cuts = scan.cuts.iter().filter(|&&c| c > range.start && c < range.end);
                for &cut in cuts.chain(std::iter::once(&range.end)) {
                    let mut piece = directives.clone();
                    piece.extend_from_slice(&bytes[start..cut]);
                    pieces.push(piece);
                    start = cut;
                }
            }
        }
    }
    let Some(whole) = count(&bytes[..scan.end]) else {
        return;
    };
    // A piece that fails is read again with the whole file; pieces that all parse must agree.
    let parts: Option<Vec<usize>> = pieces.iter().map(|p| count(p)).collect();
    if let Some(parts) = parts {
        assert_eq!(parts.iter().sum::<usize>(), whole, "cut at {:?}", scan.cuts);
    }
});
