//! Method arguments written field by field from the spec's description
//! ([`amqp091_codec::spec_info::METHODS`]): plausible values taken from the session model,
//! or boundary values (empty and 255-octet short strings, long strings
//! longer than the frame, tables with every tag, invalid tags, deep nesting,
//! extreme numbers), or values drawn from the codec's proptest strategies
//! ([`crate::drawn`]).

use amqp091_codec::spec_info::{ArgType, FieldInfo, MethodInfo};

use crate::drawn::Drawn;
use crate::model::Model;
use crate::rng::Rng;

/// Writes a short string (length octet, then bytes; cut at 255).
pub fn put_shortstr(out: &mut Vec<u8>, s: &[u8]) {
    let n = s.len().min(255);
    out.push(n as u8);
    out.extend_from_slice(&s[..n]);
}

fn put_longstr(out: &mut Vec<u8>, s: &[u8]) {
    out.extend_from_slice(&(s.len() as u32).to_be_bytes());
    out.extend_from_slice(s);
}

/// A table holding one value of every field-value tag.
fn every_tag_table() -> Vec<u8> {
    let mut t = Vec::new();
    let mut field = |name: &[u8], tag: u8, value: &[u8]| {
        put_shortstr(&mut t, name);
        t.push(tag);
        t.extend_from_slice(value);
    };
    field(b"t", b't', &[1]);
    field(b"b", b'b', &[0x80]);
    field(b"B", b'B', &[0xff]);
    field(b"s", b's', &[0x80, 0]);
    field(b"u", b'u', &[0xff, 0xff]);
    field(b"I", b'I', &[0x80, 0, 0, 0]);
    field(b"i", b'i', &[0xff; 4]);
    field(b"l", b'l', &[0x80, 0, 0, 0, 0, 0, 0, 0]);
    field(b"f", b'f', &[0x7f, 0xc0, 0, 0]);
    field(b"d", b'd', &[0x7f, 0xf8, 0, 0, 0, 0, 0, 0]);
    field(b"D", b'D', &[0xff, 0, 0, 0, 1]);
    field(b"S", b'S', &[0, 0, 0, 2, 0xff, 0xfe]);
    field(b"A", b'A', &[0, 0, 0, 2, b'V', b'V']);
    field(b"T", b'T', &[0xff; 8]);
    field(b"F", b'F', &[0, 0, 0, 0]);
    field(b"V", b'V', &[]);
    field(b"x", b'x', &[0, 0, 0, 1, 0]);
    let mut out = (t.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(&t);
    out
}

/// A boundary table: every tag, an invalid tag, deep nesting, a length past
/// the end, or an odd key.
fn boundary_table(rng: &mut Rng) -> Vec<u8> {
    match rng.below(5) {
        0 => every_tag_table(),
        1 => {
            let tag = *rng.pick(&[b'Z', 0, 0xff, b'?', b'c']);
            vec![0, 0, 0, 4, 1, b'k', tag, 0]
        }
        2 => {
            let depth = 1 + rng.below(64);
            let mut inner: Vec<u8> = vec![0, 0, 0, 0];
            for _ in 0..depth {
                let mut t = vec![1, b'n', b'F'];
                t.extend_from_slice(&inner);
                inner = (t.len() as u32).to_be_bytes().to_vec();
                inner.extend_from_slice(&t);
            }
            inner
        }
        3 => vec![0x7f, 0xff, 0xff, 0xff, 1, b'k', b'V'],
        _ => {
            let mut t = Vec::new();
            put_shortstr(&mut t, &[0xff; 200]);
            t.push(b'V');
            let mut out = (t.len() as u32).to_be_bytes().to_vec();
            out.extend_from_slice(&t);
            out
        }
    }
}

fn boundary_shortstr(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    match rng.below(5) {
        0 => put_shortstr(&mut out, b""),
        1 => put_shortstr(&mut out, &[b'a'; 255]),
        2 => put_shortstr(&mut out, &[0xff, 0xfe, 0x00]),
        3 => put_shortstr(&mut out, b"amq.fz"),
        // A length octet past the end of the arguments.
        _ => out.push(255),
    }
    out
}

fn boundary_longstr(rng: &mut Rng, frame_max: u32) -> Vec<u8> {
    let mut out = Vec::new();
    match rng.below(3) {
        0 => put_longstr(&mut out, b""),
        1 => out.extend_from_slice(&frame_max.saturating_add(1).to_be_bytes()),
        _ => out.extend_from_slice(&u32::MAX.to_be_bytes()),
    }
    out
}

fn plausible_shortstr(field: &FieldInfo, model: &Model, rng: &mut Rng) -> Vec<u8> {
    let v: String = match (field.domain, field.name) {
        ("queue-name", _) => model.queue(rng),
        ("exchange-name", _) => model.exchange(rng),
        ("consumer-tag", _) => model.consumer_tag(rng),
        (_, "type") => rng
            .pick(&["direct", "fanout", "topic", "headers", "x-fz"])
            .to_string(),
        (_, "routing-key") => model.queue(rng),
        ("path", _) => "/".into(),
        _ => String::new(),
    };
    let mut out = Vec::new();
    put_shortstr(&mut out, v.as_bytes());
    out
}

/// Whether a drawn value may go in `field`: not names of queues and
/// exchanges (the broker would keep every one: growth without bound).
fn drawable(field: &FieldInfo) -> bool {
    !matches!(field.domain, "queue-name" | "exchange-name")
}

/// A value drawn from the codec's strategies for a field of type `ty`
/// (none for a bit: bits are packed with their neighbours, never drawn).
fn drawn_value(ty: ArgType, drawn: &mut Drawn) -> Vec<u8> {
    match ty {
        ArgType::Bit => Vec::new(),
        ArgType::Octet => drawn.octets(1),
        ArgType::Short => drawn.octets(2),
        ArgType::Long => drawn.octets(4),
        ArgType::LongLong | ArgType::Timestamp => drawn.octets(8),
        ArgType::ShortStr => drawn.short_str(),
        ArgType::LongStr => drawn.long_str(),
        ArgType::Table => drawn.table(),
    }
}

/// Writes the arguments of `info`; with `boundary`, each field has one
/// chance in three of a boundary value, and otherwise one in three of a
/// value drawn from the codec's strategies (seeded from `rng`). `no-wait`
/// is off unless the field takes a boundary value (so that a synchronous
/// request is answered).
pub fn encode_args(info: &MethodInfo, model: &Model, rng: &mut Rng, boundary: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut bits: Option<(usize, u8)> = None;
    let mut drawn = boundary.then(|| Drawn::new(rng.next_u64()));
    for field in info.fields {
        let edge = boundary && rng.one_in(3);
        let draw = boundary && !edge && field.ty != ArgType::Bit && drawable(field);
        if let (true, Some(d)) = (draw && rng.one_in(3), drawn.as_mut()) {
            bits = None;
            out.extend(drawn_value(field.ty, d));
            continue;
        }
        if field.ty == ArgType::Bit {
            let (at, n) = match bits {
                Some((at, n)) if n < 8 => (at, n),
                _ => {
                    out.push(0);
                    (out.len() - 1, 0)
                }
            };
            let set = if field.name == "no-wait" || field.name == "nowait" {
                edge
            } else {
                edge || rng.one_in(4)
            };
            if set {
                out[at] |= 1 << n;
            }
            bits = Some((at, n + 1));
            continue;
        }
        bits = None;
        match field.ty {
            ArgType::Bit => {}
            ArgType::Octet => out.push(if edge { 0xff } else { 0 }),
            ArgType::Short => {
                let v: u16 = if edge {
                    *rng.pick(&[0, 1, u16::MAX, 0x8000])
                } else if field.name == "reply-code" {
                    200
                } else if field.name == "prefetch-count" {
                    rng.below(4) as u16
                } else {
                    0
                };
                out.extend_from_slice(&v.to_be_bytes());
            }
            ArgType::Long => {
                let v: u32 = if edge { u32::MAX } else { 0 };
                out.extend_from_slice(&v.to_be_bytes());
            }
            ArgType::LongLong | ArgType::Timestamp => {
                let v: u64 = if edge {
                    *rng.pick(&[0, u64::MAX, 1 << 63])
                } else if field.domain == "delivery-tag" {
                    model.delivery_tag(rng)
                } else {
                    0
                };
                out.extend_from_slice(&v.to_be_bytes());
            }
            ArgType::ShortStr => out.extend(if edge {
                boundary_shortstr(rng)
            } else {
                plausible_shortstr(field, model, rng)
            }),
            ArgType::LongStr => out.extend(if edge {
                boundary_longstr(rng, model.frame_max)
            } else {
                vec![0, 0, 0, 0]
            }),
            ArgType::Table => out.extend(if edge {
                boundary_table(rng)
            } else {
                vec![0, 0, 0, 0]
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use amqp091_codec::spec_info::METHODS;
    use amqp091_codec::Method;

    use super::encode_args;
    use crate::model::Model;
    use crate::rng::Rng;

    #[test]
    fn boundary_arguments_include_values_drawn_from_the_codec_strategies() {
        let info = METHODS
            .iter()
            .find(|m| m.full_name == "basic.consume")
            .expect("basic.consume in the spec");
        let model = Model::new(2047, 131_072);
        let fixed: BTreeSet<Vec<u8>> = ["", "amq.fz", "fz-c0", "fz-c1", "fz-c2", "fz-c3"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .chain([vec![b'a'; 255], vec![0xff, 0xfe, 0]])
            .collect();
        let mut rng = Rng::new(3);
        let mut drawn = BTreeSet::new();
        for _ in 0..300 {
            let mut payload = vec![0, 60, 0, 20];
            payload.extend(encode_args(info, &model, &mut rng, true));
            if let Ok(Method::BasicConsume(c)) = Method::decode(payload.into()) {
                let tag = c.consumer_tag.as_bytes().to_vec();
                if !fixed.contains(&tag) {
                    drawn.insert(tag);
                }
            }
        }
        assert!(drawn.len() > 10, "few consumer tags drawn: {drawn:?}");
    }
}
