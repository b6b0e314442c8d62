//! Replays the checked-in fuzz corpus (`fuzz/corpus/<target>/`) through the
//! functions the fuzz targets call, on stable Rust.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut count = 0;
    for entry in entries {
        let path = entry.expect("corpus entry").path();
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        run(&data);
        count += 1;
    }
    assert!(count >= 20, "corpus of {target} has only {count} inputs");
}

#[test]
fn frame_stream_corpus() {
    replay("frame_stream", amqp091_codec::fuzzing::frame_stream);
}

#[test]
fn round_trip_corpus() {
    replay("round_trip", amqp091_codec::fuzzing::round_trip);
}
