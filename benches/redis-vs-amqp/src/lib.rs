//! Nothing: the benchmark is `benches/pubsub.rs`.
