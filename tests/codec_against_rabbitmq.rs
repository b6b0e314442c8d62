//! The codec against a real broker: a whole session (examples/codec_session.rs)
//! in which RabbitMQ must accept every frame the codec writes and the codec
//! must decode every frame RabbitMQ writes.

mod common;

#[allow(dead_code)]
#[path = "../examples/codec_session.rs"]
mod codec_session;

use amqp091::codec::FieldValue;

#[test]
fn rabbitmq_accepts_what_the_codec_writes_and_the_codec_reads_its_answers() {
    let url = common::broker_url();
    let mut log = Vec::new();
    let summary = codec_session::run(&url, &mut |line| log.push(line))
        .unwrap_or_else(|e| panic!("session failed: {e}\n{}", log.join("\n")));
    assert!(summary.server.starts_with("RabbitMQ"), "{}", summary.server);
    assert!(summary.queue.starts_with("amq.gen-"), "{}", summary.queue);
    assert_eq!(&summary.body[..], b"hello from amqp091-codec");
    let props = &summary.properties;
    assert_eq!(
        props.content_type.as_ref().and_then(|c| c.as_str()),
        Some("text/plain")
    );
    assert_eq!(props.delivery_mode, Some(1));
    let headers = props.headers.as_ref().expect("headers came back");
    assert_eq!(headers.get("x-example"), Some(&FieldValue::I32(42)));
    assert!(summary.frame_max >= 4096);
}
