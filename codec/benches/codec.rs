//! Codec benchmark: encode and decode of publish and deliver triplets
//! (method + header + body) and of a properties-heavy header.
//!
//! `cargo bench -p amqp091-codec --bench codec` prints, per case, the median
//! ns/message over several runs (with min and max), and heap allocations per
//! message counted with a counting global allocator. Decoding works as the
//! client does: many messages sit in one read buffer and are split off it.

use std::hint::black_box;
use std::time::Instant;

use amqp091_codec::method::{BasicDeliver, BasicPublish};
use amqp091_codec::{
    encode_content, encode_method, BasicProperties, ContentHeader, FieldArray, FieldTable,
    FieldValue, Frame, FrameDecoder, ShortStr,
};
use bytes::{Bytes, BytesMut};

const RUNS: usize = 15;
const FRAME_MAX: u32 = 131_072;

struct Case {
    name: &'static str,
    messages: usize,
    encode: Box<dyn Fn(&mut BytesMut)>,
}

fn publish(body: Bytes) -> impl Fn(&mut BytesMut) {
    let method = BasicPublish {
        exchange: ShortStr::from_static("amq.direct"),
        routing_key: ShortStr::from_static("bench.key"),
        ..Default::default()
    };
    let props = BasicProperties::default().with_delivery_mode(2);
    move |buf: &mut BytesMut| {
        encode_method(buf, 1, &method);
        encode_content(buf, 1, &props, &body, FRAME_MAX);
    }
}

fn deliver(body: Bytes) -> impl Fn(&mut BytesMut) {
    deliver_with(body, BasicProperties::default().with_delivery_mode(2))
}

fn deliver_with(body: Bytes, props: BasicProperties) -> impl Fn(&mut BytesMut) {
    let method = std::cell::RefCell::new(BasicDeliver {
        consumer_tag: ShortStr::from_static("amq.ctag-Zq1xYp5kL2mE8wQ0nB7vRg"),
        delivery_tag: 0,
        exchange: ShortStr::from_static("amq.direct"),
        routing_key: ShortStr::from_static("bench.key"),
        ..Default::default()
    });
    move |buf: &mut BytesMut| {
        let mut method = method.borrow_mut();
        method.delivery_tag += 1;
        encode_method(buf, 1, &*method);
        encode_content(buf, 1, &props, &body, FRAME_MAX);
    }
}

fn heavy_properties() -> BasicProperties {
    let mut headers = FieldTable::new();
    headers.insert("x-retry-count", FieldValue::I32(3));
    headers.insert("x-tenant", FieldValue::LongStr("acme-corp".into()));
    headers.insert("x-priority-boost", FieldValue::Bool(true));
    headers.insert("x-created-ms", FieldValue::I64(1_764_000_000_123));
    headers.insert("x-ratio", FieldValue::F64(0.75));
    headers.insert("x-origin", FieldValue::LongStr("eu-west-1/ingest-7".into()));
    headers.insert(
        "x-tags",
        FieldValue::Array(FieldArray(vec![
            FieldValue::LongStr("a".into()),
            FieldValue::LongStr("b".into()),
        ])),
    );
    headers.insert("x-sent-at", FieldValue::Timestamp(1_764_000_000));
    BasicProperties::default()
        .with_content_type(ShortStr::from_static("application/json"))
        .with_headers(headers)
        .with_timestamp(1_764_000_000)
        .with_message_id(ShortStr::from_static(
            "0b7e3a9c-5f2d-4c1e-9a8b-6d4f2e1c0a9b",
        ))
        .with_delivery_mode(2)
}

fn header_only(props: BasicProperties) -> impl Fn(&mut BytesMut) {
    let frame = Frame::Header {
        channel: 1,
        header: ContentHeader::basic(16, props),
    };
    move |buf: &mut BytesMut| frame.encode(buf)
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

/// Encodes `messages` messages into a buffer that is reused (cleared, not
/// freed) between runs, as a connection's write buffer is.
fn bench_encode(case: &Case) -> ((f64, f64, f64), f64) {
    let mut buf = BytesMut::with_capacity(1 << 20);
    let mut times = Vec::new();
    for _ in 0..RUNS {
        buf.clear();
        let start = Instant::now();
        for _ in 0..case.messages {
            (case.encode)(&mut buf);
            if buf.len() > (1 << 20) - 16_384 {
                black_box(&buf);
                buf.clear();
            }
        }
        black_box(&buf);
        times.push(start.elapsed().as_nanos() as f64 / case.messages as f64);
    }
    buf.clear();
    let allocs = allocation_counter::measure(|| {
        for _ in 0..case.messages {
            (case.encode)(&mut buf);
            if buf.len() > (1 << 20) - 16_384 {
                buf.clear();
            }
        }
    });
    (
        median(times),
        allocs.count_total as f64 / case.messages as f64,
    )
}

/// Decodes `messages` messages (all their frames, to typed frames) from one
/// buffer holding them all, as a read buffer full of frames.
fn bench_decode(case: &Case) -> ((f64, f64, f64), f64) {
    let mut wire = BytesMut::new();
    for _ in 0..case.messages {
        (case.encode)(&mut wire);
    }
    let wire = wire.freeze();
    let decode_all = |buf: &mut BytesMut| {
        let mut decoder = FrameDecoder::new(FRAME_MAX);
        let mut frames = 0usize;
        // As the client's read loop: `match`, the frame handled in place.
        // (`while let Some(frame) = ….expect(…)` moved each 144-byte frame
        // twice more, two `memcpy` calls per frame in the loop, not in the codec.)
        loop {
            match decoder.decode_frame(buf) {
                Ok(Some(frame)) => {
                    black_box(&frame);
                    frames += 1;
                }
                Ok(None) => break,
                Err(e) => panic!("valid input: {e}"),
            }
        }
        frames
    };
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let mut buf = BytesMut::from(&wire[..]);
        let start = Instant::now();
        black_box(decode_all(&mut buf));
        times.push(start.elapsed().as_nanos() as f64 / case.messages as f64);
    }
    let mut buf = BytesMut::from(&wire[..]);
    let allocs = allocation_counter::measure(|| {
        black_box(decode_all(&mut buf));
    });
    (
        median(times),
        allocs.count_total as f64 / case.messages as f64,
    )
}

fn main() {
    let filter = std::env::args().nth(1).filter(|a| !a.starts_with('-'));
    let body16 = Bytes::from(vec![b'x'; 16]);
    let body4k = Bytes::from(vec![b'x'; 4096]);
    let cases = vec![
        Case {
            name: "publish 16 B",
            messages: 20_000,
            encode: Box::new(publish(body16.clone())),
        },
        Case {
            name: "publish 4 KiB",
            messages: 5_000,
            encode: Box::new(publish(body4k.clone())),
        },
        Case {
            name: "deliver 16 B",
            messages: 20_000,
            encode: Box::new(deliver(body16.clone())),
        },
        Case {
            name: "deliver 16 B, no properties",
            messages: 20_000,
            encode: Box::new(deliver_with(body16, BasicProperties::default())),
        },
        Case {
            name: "deliver 4 KiB",
            messages: 5_000,
            encode: Box::new(deliver(body4k)),
        },
        Case {
            name: "properties-heavy header",
            messages: 20_000,
            encode: Box::new(header_only(heavy_properties())),
        },
    ];
    println!(
        "{:<26} {:>7} {:>22} {:>10}",
        "case", "op", "ns/msg median [min-max]", "allocs/msg"
    );
    for case in &cases {
        if filter.as_deref().is_some_and(|f| !case.name.contains(f)) {
            continue;
        }
        for op in ["encode", "decode"] {
            let ((med, lo, hi), allocs) = if op == "encode" {
                bench_encode(case)
            } else {
                bench_decode(case)
            };
            println!(
                "{:<26} {:>7} {:>8.1} [{:>6.1}-{:>6.1}] {:>10.2}",
                case.name, op, med, lo, hi, allocs
            );
        }
    }
}
