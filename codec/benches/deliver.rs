//! The codec goal of issue 16, alone: decoding 16 B `basic.deliver`
//! messages (method + header + body frames, no properties) to typed frames,
//! as the client's read loop does. Many repetitions of a 20 000-message
//! buffer, so that `perf record` sees decoding and little else.
//!
//! ```sh
//! cargo bench -p amqp091-codec --bench deliver            # ns/msg: min, median over 200 runs
//! cargo bench -p amqp091-codec --bench deliver -- props   # with delivery-mode 2 (one allocation)
//! ```

use std::hint::black_box;
use std::time::Instant;

use amqp091_codec::method::BasicDeliver;
use amqp091_codec::{encode_content, encode_method, BasicProperties, FrameDecoder, ShortStr};
use bytes::BytesMut;

const MESSAGES: usize = 20_000;
const RUNS: usize = 200;
const FRAME_MAX: u32 = 131_072;

fn main() {
    let props = if std::env::args().any(|a| a == "props") {
        BasicProperties::default().with_delivery_mode(2)
    } else {
        BasicProperties::default()
    };
    let mut wire = BytesMut::new();
    for tag in 1..=MESSAGES as u64 {
        let method = BasicDeliver {
            consumer_tag: ShortStr::from_static("amq.ctag-Zq1xYp5kL2mE8wQ0nB7vRg"),
            delivery_tag: tag,
            exchange: ShortStr::from_static("amq.direct"),
            routing_key: ShortStr::from_static("bench.key"),
            ..Default::default()
        };
        encode_method(&mut wire, 1, &method);
        encode_content(&mut wire, 1, &props, &[b'x'; 16], FRAME_MAX);
    }
    let wire = wire.freeze();
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let mut buf = BytesMut::from(&wire[..]);
        let mut decoder = FrameDecoder::new(FRAME_MAX);
        let start = Instant::now();
        let mut frames = 0usize;
        // As the client's read loop does (`match`, the frame handled in place).
        loop {
            match decoder.decode_frame(&mut buf) {
                Ok(Some(frame)) => {
                    black_box(&frame);
                    frames += 1;
                }
                Ok(None) => break,
                Err(e) => panic!("valid input: {e}"),
            }
        }
        times.push(start.elapsed().as_nanos() as f64 / MESSAGES as f64);
        assert_eq!(frames, 3 * MESSAGES);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "deliver 16 B{} decode: min {:.1} ns/msg, median {:.1}, p90 {:.1} ({RUNS} runs of {MESSAGES})",
        if std::env::args().any(|a| a == "props") { " (delivery-mode 2)" } else { ", no properties" },
        times[0],
        times[RUNS / 2],
        times[RUNS * 9 / 10]
    );
}
