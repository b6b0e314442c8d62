//! Generation at four levels from the session model, and mutation of
//! corpus entries: frames (type, channel, declared size, frame-end,
//! truncation, splits), methods (known and unknown ids, argument bytes,
//! boundary values), content (header and body mismatches, missing, extra and
//! interleaved bodies) and sequences (wrong state, unopened channels, above
//! channel-max, duplicates, unknown acks).

use amqp091_codec::raw::{write_frame_with, write_method_payload};
use amqp091_codec::spec_info::{MethodInfo, METHODS};
use bytes::BytesMut;

use crate::model::{Input, Model, Step};
use crate::rng::Rng;
use crate::values::encode_args;

fn info(name: &str) -> &'static MethodInfo {
    METHODS
        .iter()
        .find(|m| m.full_name == name)
        .expect("a method of the spec")
}

fn frame(ty: u8, channel: u16, payload: &[u8]) -> Vec<u8> {
    let mut b = BytesMut::new();
    write_frame_with(&mut b, ty, channel, None, payload, 0xCE);
    b.to_vec()
}

fn method_bytes(channel: u16, m: &MethodInfo, args: &[u8]) -> Vec<u8> {
    let mut b = BytesMut::new();
    write_method_payload(&mut b, channel, m.class_id, m.method_id, args);
    b.to_vec()
}

/// A well-formed method with plausible arguments.
fn method_step(m: &'static MethodInfo, channel: u16, model: &Model, rng: &mut Rng) -> Step {
    let args = encode_args(m, model, rng, false);
    let wants = m.synchronous && !m.reply_ids.is_empty();
    Step::valid(
        method_bytes(channel, m, &args),
        format!("method {}", m.full_name),
        wants,
    )
}

fn header_payload(class: u16, size: u64) -> Vec<u8> {
    let mut p = class.to_be_bytes().to_vec();
    p.extend_from_slice(&[0, 0]);
    p.extend_from_slice(&size.to_be_bytes());
    p.extend_from_slice(&[0, 0]);
    p
}

/// basic.publish and its content, maybe broken.
fn content(model: &Model, rng: &mut Rng) -> Vec<Step> {
    let ch = model.channel(rng);
    let mut steps = vec![method_step(info("basic.publish"), ch, model, rng)];
    let size = *rng.pick(&[0u64, 1, 10, model.frame_max as u64]);
    let body = vec![b'x'; (size as usize).min(4096)];
    let fm = (model.frame_max as usize).saturating_sub(8).max(1);
    match rng.below(7) {
        0 => {
            steps.push(Step::valid(
                frame(2, ch, &header_payload(60, size)),
                "header",
                false,
            ));
            for chunk in body.chunks(fm) {
                steps.push(Step::valid(frame(3, ch, chunk), "body", false));
            }
        }
        1 => {
            let class = *rng.pick(&[10u16, 20, 0, 0xffff]);
            let s = Step::defect(
                frame(2, ch, &header_payload(class, size)),
                "header class",
                None,
            );
            steps.push(s);
        }
        2 => {
            let s = Step::defect(
                frame(2, ch, &header_payload(60, size + 5)),
                "header size",
                None,
            );
            steps.push(s);
            steps.push(Step::valid(frame(3, ch, &body), "body", false));
        }
        3 => {
            steps.push(Step::valid(
                frame(2, ch, &header_payload(60, 0)),
                "header",
                false,
            ));
            steps.push(Step::defect(frame(3, ch, b"extra"), "extra body", None));
        }
        4 => {
            // The body on another channel, or the next method before it.
            steps.push(Step::valid(
                frame(2, ch, &header_payload(60, 4)),
                "header",
                false,
            ));
            let other = ch.wrapping_add(1);
            steps.push(Step::defect(
                frame(3, other, b"four"),
                "body other channel",
                None,
            ));
        }
        5 => steps.push(Step::defect(
            frame(3, ch, b"body"),
            "body without header",
            None,
        )),
        _ => {
            let p = header_payload(60, 3);
            steps.push(Step::valid(frame(2, ch, &p), "header", false));
            let next = method_step(info("basic.qos"), ch, model, rng);
            steps.push(Step::defect(next.bytes, "method inside content", None));
        }
    }
    steps
}

/// Mostly methods the client sends in a valid session.
const USEFUL: &[&str] = &[
    "channel.open",
    "channel.close",
    "channel.flow",
    "exchange.declare",
    "exchange.delete",
    "exchange.bind",
    "queue.declare",
    "queue.bind",
    "queue.unbind",
    "queue.purge",
    "queue.delete",
    "basic.qos",
    "basic.consume",
    "basic.cancel",
    "basic.get",
    "basic.ack",
    "basic.reject",
    "basic.nack",
    "basic.recover",
    "tx.select",
    "tx.commit",
    "tx.rollback",
    "confirm.select",
];

/// One valid method a client sends, in whatever state the session is in
/// (channel.open mostly on a channel not open yet).
pub fn sound_step(model: &Model, rng: &mut Rng) -> Step {
    let m = info(useful(rng));
    if m.full_name == "channel.open" && !rng.one_in(3) {
        return method_step(m, model.unopened(), model, rng);
    }
    method_step(m, model.channel(rng), model, rng)
}

/// The next step (or steps) for a session in state `model`.
pub fn next_steps(model: &Model, rng: &mut Rng) -> Vec<Step> {
    let ch = model.channel(rng);
    match rng.below(12) {
        // Sequences: valid methods in whatever state the session is in.
        0..=3 => vec![sound_step(model, rng)],
        4 => {
            let m = rng.pick(METHODS);
            let mut s = method_step(m, ch, model, rng);
            s.wants_reply = false;
            s.defective = !USEFUL.contains(&m.full_name);
            vec![s]
        }
        5 => {
            // A rule of the spec whose reply code is known, broken.
            if rng.one_in(3) {
                if let Some(s) = crate::rules::step(model, rng) {
                    return vec![s];
                }
            }
            // Wrong state: an unopened channel, above channel-max, a second open.
            let m = info(useful(rng));
            let (chan, code, kind) = match rng.below(3) {
                0 if m.full_name != "channel.open" => {
                    (model.unopened(), Some(504), "unopened channel")
                }
                1 => (
                    model.channel_max.saturating_add(1).max(1),
                    None,
                    "above channel-max",
                ),
                _ if !model.open.is_empty() => (ch, Some(504), "second channel.open"),
                _ => (model.unopened(), None, "unopened channel"),
            };
            let m = if kind == "second channel.open" {
                info("channel.open")
            } else {
                m
            };
            let s = method_step(m, chan, model, rng);
            vec![Step::defect(
                s.bytes,
                format!("{kind} {}", m.full_name),
                code,
            )]
        }
        6 => content(model, rng),
        7 => {
            // Methods: boundary argument values.
            let m = info(useful(rng));
            let args = encode_args(m, model, rng, true);
            let kind = format!("boundary {}", m.full_name);
            vec![Step::defect(method_bytes(ch, m, &args), kind, None)]
        }
        8 => {
            // Methods: unknown ids, or a known one with its arguments cut.
            let (c, mid) = match rng.below(3) {
                0 => (rng.below(0x10000) as u16, rng.below(0x10000) as u16),
                1 => (60, 200 + rng.below(50) as u16),
                _ => {
                    let m = rng.pick(METHODS);
                    (m.class_id, m.method_id)
                }
            };
            let args = vec![0u8; rng.below(6)];
            vec![Step::defect(
                method_bytes(ch, &fake(c, mid), &args),
                "method ids",
                None,
            )]
        }
        9 => {
            let s = Step::valid(frame(8, 0, &[]), "heartbeat", false);
            let ty = *rng.pick(&[0u8, 4, 7, 9, 0xff]);
            let t = Step::defect(frame(ty, ch, b"\0\0\0\0"), format!("frame type {ty}"), None);
            vec![if rng.one_in(2) { s } else { t }]
        }
        _ => {
            // Frames: a valid method broken at the frame level.
            let mut s = method_step(info(useful(rng)), ch, model, rng);
            frame_mutation(&mut s, model, rng);
            vec![s]
        }
    }
}

fn fake(class_id: u16, method_id: u16) -> MethodInfo {
    MethodInfo {
        class_id,
        method_id,
        ..METHODS[0]
    }
}

/// Breaks `s` at the frame level (declared size, frame-end, truncation,
/// channel, size at frame-max, split across writes).
pub fn frame_mutation(s: &mut Step, model: &Model, rng: &mut Rng) {
    let n = s.bytes.len();
    if n < 8 {
        return;
    }
    let kind = s.kind.clone();
    s.expect_code = None;
    match rng.below(6) {
        0 => {
            let end = *rng.pick(&[0u8, 0xCD, 0xCF, 0xff]);
            s.bytes[n - 1] = end;
            s.kind = format!("bad frame-end {kind}");
            s.expect_code = Some(501);
        }
        1 => {
            let size = *rng.pick(&[0u32, 1, model.frame_max - 7, model.frame_max, u32::MAX]);
            s.bytes[3..7].copy_from_slice(&size.to_be_bytes());
            s.kind = format!("declared size {kind}");
        }
        2 => {
            s.bytes.truncate(rng.below(n));
            s.kind = format!("truncated {kind}");
        }
        3 => {
            let c = *rng.pick(&[0u16, u16::MAX, model.channel_max.saturating_add(1)]);
            s.bytes[1..3].copy_from_slice(&c.to_be_bytes());
            s.kind = format!("channel {c} {kind}");
        }
        4 => {
            // Padded to exactly frame-max, or one octet past it.
            let target = model.frame_max as usize + rng.below(2);
            let pad = target.saturating_sub(n);
            let end = s.bytes.pop().unwrap_or(0xCE);
            s.bytes.extend(std::iter::repeat_n(0, pad));
            s.bytes.push(end);
            let size = (s.bytes.len() - 8) as u32;
            s.bytes[3..7].copy_from_slice(&size.to_be_bytes());
            s.kind = format!("frame-max padding {kind}");
        }
        _ => {
            s.split = Some(1 + rng.below(n - 1));
            return;
        }
    }
    s.defective = true;
    s.wants_reply = false;
}

/// A fresh input: a short valid prefix (channel, queue, consumer), then a
/// few generated steps, the model followed all along (one in eight is a
/// handshake input instead, [`crate::handshake`]). A third are sound
/// throughout (valid methods only): the hang oracle judges only those, and
/// a defect in a sequence usually closes the channel before its deep states.
pub fn generate(rng: &mut Rng, channel_max: u16, frame_max: u32) -> Input {
    // One in eight fuzzes the handshake instead (`handshake.rs`).
    if rng.one_in(8) {
        return crate::handshake::generate(rng, channel_max, frame_max);
    }
    let mut model = Model::new(channel_max, frame_max);
    let mut steps = Vec::new();
    let prefix = ["channel.open", "queue.declare", "basic.consume"];
    for name in &prefix[..rng.below(prefix.len() + 1)] {
        let ch = if *name == "channel.open" {
            1
        } else {
            model.channel(rng)
        };
        steps.push(method_step(info(name), ch, &model, rng));
        model = Model::after(&steps, channel_max, frame_max);
    }
    let sound = rng.one_in(3);
    for _ in 0..1 + rng.below(4) {
        match sound {
            true => steps.push(sound_step(&model, rng)),
            false => steps.extend(next_steps(&model, rng)),
        }
        model = Model::after(&steps, channel_max, frame_max);
    }
    Input {
        steps,
        ..Default::default()
    }
}

/// A mutation of a corpus entry: a step inserted, deleted, replaced,
/// broken at the frame level, a byte changed, or another entry spliced in.
pub fn mutate(
    input: &Input,
    other: &Input,
    rng: &mut Rng,
    channel_max: u16,
    frame_max: u32,
) -> Input {
    let mut steps = input.steps.clone();
    let at = rng.below(steps.len() + 1);
    let model = Model::after(&steps[..at], channel_max, frame_max);
    let sound = steps.iter().all(|s| !s.defective);
    match rng.below(6) {
        // A sound input mostly stays sound, so it can still hang.
        0 | 1 if sound && !rng.one_in(3) => {
            steps.insert(at, sound_step(&model, rng));
        }
        0 | 1 => {
            let new = next_steps(&model, rng);
            steps.splice(at..at, new);
        }
        2 if !steps.is_empty() => {
            steps.remove(at.min(steps.len() - 1));
        }
        3 if at < steps.len() => frame_mutation(&mut steps[at], &model, rng),
        4 if at < steps.len() && !steps[at].bytes.is_empty() => {
            let s = &mut steps[at];
            let i = rng.below(s.bytes.len());
            s.bytes[i] ^= 1 << rng.below(8);
            s.kind = format!("byte-flipped {}", s.kind);
            s.defective = true;
            s.wants_reply = false;
            s.expect_code = None;
        }
        _ => steps.extend(other.steps.iter().take(3).cloned()),
    }
    steps.truncate(16);
    Input {
        steps,
        stage: input.stage,
    }
}

fn useful(rng: &mut Rng) -> &'static str {
    USEFUL[rng.below(USEFUL.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_decides_the_inputs() {
        let run = |seed| {
            let mut rng = Rng::new(seed);
            let a = generate(&mut rng, 2047, 131_072);
            let b = generate(&mut rng, 2047, 131_072);
            let m = mutate(&a, &b, &mut rng, 2047, 131_072);
            (a, b, m)
        };
        assert_eq!(run(5), run(5));
        assert_ne!(run(5), run(6));
    }

    #[test]
    fn inputs_survive_repro_json() {
        let mut rng = Rng::new(3);
        for _ in 0..50 {
            let input = generate(&mut rng, 16, 4096);
            let back = Input::from_json(&input.to_json()).expect("parses");
            assert_eq!(back, input);
        }
    }

    #[test]
    fn the_model_follows_valid_methods() {
        let mut rng = Rng::new(1);
        let model = Model::new(16, 4096);
        let open = method_step(info("channel.open"), 3, &model, &mut rng);
        let q = method_step(info("queue.declare"), 3, &model, &mut rng);
        let m = Model::after(&[open, q], 16, 4096);
        assert_eq!(m.open, vec![3]);
        assert_eq!(m.queues.len(), 1);
        assert_eq!(m.unopened(), 1);
    }
}
