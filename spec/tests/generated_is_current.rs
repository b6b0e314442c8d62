//! The checked-in generated code is what the generator makes from the XML
//! today. Run `cargo run -p amqp091-spec --bin generate` when this fails.

#[test]
fn generated_files_are_current() {
    let (methods, strategies) = amqp091_spec::generate_all().expect("generate");
    for (path, want) in [
        (amqp091_spec::generated_path(), methods),
        (amqp091_spec::generated_strategies_path(), strategies),
    ] {
        let have = std::fs::read_to_string(&path).expect("read generated file");
        assert!(
            have == want,
            "{} is stale or edited by hand: run `cargo run -p amqp091-spec --bin generate`",
            path.display()
        );
    }
}
