//! Inputs for the handshake: what a broker reads before connection.open-ok,
//! from a peer it has not authenticated yet (the surface anyone who can
//! reach the port has). The stage says where the normal handshake stops;
//! the steps take over there: protocol headers right and wrong, start-ok,
//! secure-ok, tune-ok and connection.open with boundary arguments, a
//! handshake method twice or out of order, and the methods of an open
//! connection before it is open.

use amqp091_codec::spec_info::{MethodInfo, METHODS};
use amqp091_codec::ProtocolHeader;
use bytes::BytesMut;

use crate::model::{Input, Model, Stage, Step};
use crate::rng::Rng;
use crate::values::encode_args;

/// The handshake methods a client sends.
const CLIENT_METHODS: &[&str] = &[
    "connection.start-ok",
    "connection.secure-ok",
    "connection.tune-ok",
    "connection.open",
    "connection.close",
];

fn info(name: &str) -> &'static MethodInfo {
    METHODS
        .iter()
        .find(|m| m.full_name == name)
        .expect("a method of the spec")
}

/// A handshake method on channel 0 (or, once in eight, on channel 1),
/// with plausible or boundary arguments.
fn handshake_method(model: &Model, rng: &mut Rng) -> Step {
    let m = info(CLIENT_METHODS[rng.below(CLIENT_METHODS.len())]);
    let boundary = !rng.one_in(3);
    let args = encode_args(m, model, rng, boundary);
    let channel = if rng.one_in(8) { 1 } else { 0 };
    let mut b = BytesMut::new();
    amqp091_codec::raw::write_method_payload(&mut b, channel, m.class_id, m.method_id, &args);
    let kind = format!(
        "handshake {}{}",
        if boundary { "boundary " } else { "" },
        m.full_name
    );
    Step::defect(b.to_vec(), kind, None)
}

/// A protocol header: the right one, another version or protocol, cut
/// short, or not a header at all.
fn protocol_header(rng: &mut Rng) -> Step {
    let right = ProtocolHeader::AMQP_0_9_1.to_bytes().to_vec();
    let (bytes, kind): (Vec<u8>, &str) = match rng.below(8) {
        0 | 1 => (right, "protocol header"),
        2 => (
            b"AMQP\x01\x01\x00\x09".to_vec(),
            "protocol header 0-9 (old form)",
        ),
        3 => (b"AMQP\x00\x01\x00\x00".to_vec(), "protocol header 1-0"),
        4 => (b"AMQP\x00\x00\x09\x02".to_vec(), "protocol header 0-9-2"),
        5 => (right[..rng.below(8)].to_vec(), "protocol header cut short"),
        6 => (b"GET / HTTP/1.1\r\n\r\n".to_vec(), "not a protocol header"),
        _ => {
            let mut twice = right.clone();
            twice.extend_from_slice(&right);
            (twice, "protocol header twice")
        }
    };
    Step::defect(bytes, kind, None)
}

/// A fresh input that starts at a pre-open stage.
pub fn generate(rng: &mut Rng, channel_max: u16, frame_max: u32) -> Input {
    let stage = *rng.pick(&[Stage::TuneOk, Stage::StartOk, Stage::Tcp]);
    let model = Model::new(channel_max, frame_max);
    let mut steps = Vec::new();
    if stage == Stage::Tcp {
        steps.push(protocol_header(rng));
    }
    for _ in 0..1 + rng.below(3) {
        steps.extend(match rng.below(3) {
            // The methods of an open connection, before it is open.
            0 => crate::gen::next_steps(&model, rng),
            _ => vec![handshake_method(&model, rng)],
        });
    }
    Input { steps, stage }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_open_inputs_come_in_every_stage_and_a_tcp_one_starts_with_a_header() {
        let mut rng = Rng::new(4);
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..200 {
            let input = generate(&mut rng, 2047, 131_072);
            assert_ne!(input.stage, Stage::Open);
            assert!(!input.steps.is_empty());
            if input.stage == Stage::Tcp {
                assert!(
                    input.steps[0].kind.contains("header"),
                    "{:?}",
                    input.steps[0]
                );
            }
            // Nothing before open-ok is judged by the hang or code oracles.
            assert!(!input.wants_reply() && input.expected_code().is_none());
            seen.insert(input.stage.name());
        }
        assert_eq!(seen.len(), 3, "{seen:?}");
    }

    #[test]
    fn a_stage_survives_repro_json() {
        let mut rng = Rng::new(9);
        for _ in 0..20 {
            let input = generate(&mut rng, 16, 4096);
            let back = Input::from_json(&input.to_json()).expect("parses");
            assert_eq!(back, input);
        }
    }
}
