//! The body of the `frames` fuzz target (`fuzz/fuzz_targets/frames.rs`),
//! here so that ordinary tests replay its corpus on stable Rust
//! (`tests/fuzz_frames_corpus.rs`).
//!
//! The input is dissected as `amqp091 frames` would, in text and in JSON,
//! with and without bodies, twice each: once read in large chunks with no
//! streaming, once read in small chunks (sizes taken from the input) with
//! every body and unknown frame larger than a few bytes streamed. The
//! oracle: no panic; both runs print exactly the same and stop the same
//! way; every JSON line parses; text output holds no control character
//! but line feeds (a peer's bytes never reach a terminal raw).

use std::io::Write;
use std::sync::{Arc, Mutex};

use super::frames::{dissect, Dissect};
use super::output::Out;

/// A writer whose bytes can be read back after the [`Out`] owning it is gone.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Dissects `data`; returns the output and the failure text, if any.
fn run(data: &[u8], how: &Dissect, json: bool) -> (Vec<u8>, Option<String>) {
    let sink = Shared::default();
    let mut out = Out::to_writer(Box::new(sink.clone()), json);
    let result = dissect(data, how, &mut out);
    let flushed = out.flush();
    drop(out);
    assert!(flushed.is_ok(), "writing to memory failed");
    let bytes = sink.0.lock().map(|v| v.clone()).unwrap_or_default();
    (bytes, result.err().map(|e| e.to_string()))
}

/// Runs one fuzz input; panics when the oracle fails.
pub fn frames(data: &[u8]) {
    let (settings, input) = match data {
        [a, b, rest @ ..] => ((*a, *b), rest),
        _ => ((0, 0), data),
    };
    let small_chunk = 1 + usize::from(settings.0 % 16);
    let stream_above = usize::from(settings.1 % 8);
    // A low limit too, so that the limit's error is reached.
    let max_frame_size = if settings.1 & 0x80 != 0 { 64 } else { 1 << 20 };
    for show_body in [false, true] {
        for json in [false, true] {
            let whole = Dissect {
                show_body,
                max_frame_size,
                stream_above: usize::MAX,
                chunk: 1 << 16,
            };
            let streamed = Dissect {
                stream_above,
                chunk: small_chunk,
                ..whole.clone()
            };
            let (a, a_err) = run(input, &whole, json);
            let (b, b_err) = run(input, &streamed, json);
            assert_eq!(a_err, b_err, "streaming changes how dissection stops");
            assert!(a == b, "streaming changes the output");
            let text = String::from_utf8(a).expect("the output is UTF-8");
            if json {
                for line in text.lines() {
                    assert!(
                        serde_json::from_str::<serde_json::Value>(line).is_ok(),
                        "not JSON: {line:?}"
                    );
                }
            } else {
                assert!(
                    !text.chars().any(|c| c.is_control() && c != '\n'),
                    "a control character in the text output: {text:?}"
                );
            }
        }
    }
}
