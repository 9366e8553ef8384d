//! `--param NAME=VALUE` binding: a library query's text, then lines of `name=value`, parted by
//! a NUL byte. A bound query must still be one statement that parses, or an error.
#![no_main]

use ffkg::sparql::prefixes::PrefixMap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let (text, params) = input.split_once('\0').unwrap_or((input, ""));
    let params: Vec<(String, String)> = params
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    let _ = ffkg::library::header(text);
    let _ = ffkg::library::bind(text, &params, &PrefixMap::default());
});
