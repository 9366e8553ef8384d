//! A user's file read into the files' index (`--data`), in each syntax ffkg reads and gzipped:
//! a clear error or the same triples oxigraph's own loader finds, never a panic.
#![no_main]

use ffkg::data::graph::DatasetSpec;
use ffkg::data::overlay::Overlay;
use libfuzzer_sys::fuzz_target;
use std::io::Write;

const EXTENSIONS: [&str; 6] = ["ttl", "nt", "nq", "trig", "rdf", "jsonld"];

fuzz_target!(|input: &[u8]| {
    let Some((&choice, bytes)) = input.split_first() else {
        return;
    };
    let extension = EXTENSIONS[usize::from(choice) % EXTENSIONS.len()];
    let gzip = choice & 0x80 != 0;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let name = if gzip {
        format!("data.{extension}.gz")
    } else {
        format!("data.{extension}")
    };
    let path = dir.path().join(name);
    let mut file = std::fs::File::create(&path).expect("writable");
    if gzip {
        let mut encoder = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        encoder.write_all(bytes).expect("writes");
        encoder.finish().expect("writes");
    } else {
        file.write_all(bytes).expect("writes");
    }
    let spec = DatasetSpec {
        embedded: false,
        data: vec![path],
        ..DatasetSpec::default()
    };
    let index = Overlay::load(&spec);
    let store = oxigraph::store::Store::new().expect("a store");
    let loaded = ffkg::data::graph::load_user_files(&store, &spec);
    match (index, loaded) {
        (Ok(index), Ok(_)) => assert_eq!(
            index.quads().count(),
            store.len().expect("counted"),
            "the index and the store hold the same quads"
        ),
        (Err(_), Err(_)) => {}
        (index, loaded) => panic!(
            "the index and the store disagree: {:?} / {:?}",
            index.err(),
            loaded.err()
        ),
    }
});
