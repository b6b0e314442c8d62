//! Regenerates `codec/src/generated.rs` and `codec/src/generated_strategies.rs`
//! from the XML in `spec/`.

fn main() -> Result<(), String> {
    let (methods, strategies) = amqp091_spec::generate_all()?;
    for (path, text) in [
        (amqp091_spec::generated_path(), methods),
        (amqp091_spec::generated_strategies_path(), strategies),
    ] {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
