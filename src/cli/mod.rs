//! Support code of the `amqp091` binary (cargo feature `cli`), in the
//! library so that fuzz targets and tests reach it: the output conventions
//! and the `frames` dissector. Not a stable interface.

pub mod frames;
pub mod fuzzing;
pub mod output;
