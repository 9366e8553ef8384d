//! The readers of ffkg's binary indexes on any bytes: the term-and-quad layout (the embedded
//! graph, `ffkg index`'s files after their checksums), an `.ffx` file, and the full-text index.
//! Bytes they accept must then be readable to their end without a panic.
#![no_main]

use ffkg::data::blob::{Order, Owned};
use libfuzzer_sys::fuzz_target;
use std::io::Write;

fuzz_target!(|bytes: &[u8]| {
    if let Some(owned) = Owned::from_bytes(bytes.to_vec()) {
        let blob = owned.view();
        for id in 0..blob.term_count().min(10_000) {
            let _ = blob.term(u32::try_from(id).expect("fits"));
        }
        for order in [Order::Spo, Order::Pos, Order::Osp] {
            for i in 0..blob.quad_count().min(10_000) {
                let _ = blob.key(order, i);
            }
            let _ = blob.range(order, &[0]);
        }
        let _ = blob.graphs().count();
    }
    let _ = ffkg::search::TextIndex::read(bytes);
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    file.write_all(bytes).expect("writes");
    let _ = ffkg::data::ffx::read(file.path());
});
