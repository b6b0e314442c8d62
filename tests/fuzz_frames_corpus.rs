//! Replays the `frames` fuzz corpus (`fuzz/corpus/frames/`) through the
//! function the fuzz target calls, on stable Rust: the dissector prints the
//! same whether it streams or not, and its text output holds no raw control
//! character.
#![cfg(feature = "cli")]

#[test]
fn frames_corpus_prints_the_same_streamed_or_whole_and_escaped() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/frames");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("corpus directory") {
        let path = entry.expect("corpus entry").path();
        let data = std::fs::read(&path).expect("corpus file");
        let result = std::panic::catch_unwind(|| amqp091::cli::fuzzing::frames(&data));
        assert!(result.is_ok(), "{} fails the oracle", path.display());
        count += 1;
    }
    assert!(count >= 10, "the frames corpus has only {count} inputs");
}
