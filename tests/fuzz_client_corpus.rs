//! Replays the `client_session` fuzz corpus (`fuzz/corpus/client_session/`)
//! through the function the fuzz target calls, on stable Rust.

#[test]
fn client_session_corpus() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/client_session");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("corpus directory") {
        let path = entry.expect("corpus entry").path();
        let data = std::fs::read(&path).expect("corpus file");
        amqp091::proto::fuzzing::client_session(&data);
        count += 1;
    }
    assert!(
        count >= 10,
        "the client_session corpus has only {count} inputs"
    );
}
