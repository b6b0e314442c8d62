//! The codec against the XML: every class, method, field, property and
//! constant of `spec/amqp0-9-1.extended.xml` (plus the RabbitMQ extensions of
//! `spec/rabbitmq-extensions.xml`), and nothing else.
//!
//! Two kinds of check. The codec's own tables (`spec_info`) must equal the
//! XML. And the codec's behaviour must match it: for each method, this test
//! encodes a payload from the XML's field list with its own encoder (below,
//! independent of the codec), decodes it with the codec, and compares every
//! field by name and value, then re-encodes and compares bytes.
//!
//! The `synchronous` marks and responses are the extended XML's with the
//! 0-9-1 errata applied: where the full XML (`spec/amqp0-9-1.xml`) has the
//! method, its values. `protocol_facts.rs` checks the errata list itself.

use std::collections::BTreeSet;

use amqp091_codec::spec_info::{ArgType, CLASSES, CONSTANTS, METHODS};
use amqp091_codec::{
    ArgValue, ContentHeader, FieldTable, FieldValue, FrameType, Method, ReplyCode, FRAME_END,
    FRAME_MIN_SIZE,
};
use amqp091_spec::{Field, Spec};
use bytes::{BufMut, Bytes, BytesMut};

fn spec() -> Spec {
    let (extended, extensions, _) = amqp091_spec::read_xml().expect("read spec XML");
    let extensions: Vec<&str> = extensions.iter().map(String::as_str).collect();
    amqp091_spec::parse(&extended, &extensions, None).expect("parse spec XML")
}

/// The full XML (0-9-1 errata applied), parsed as the extended one is.
fn full_spec() -> Spec {
    let (_, _, full) = amqp091_spec::read_xml().expect("read spec XML");
    amqp091_spec::parse(&full, &[], None).expect("parse full XML")
}

/// `synchronous` and responses of `class.method` after the errata: the full
/// XML's when it has the method, else the extended XML's.
fn after_errata(full: &Spec, class: &str, m: &amqp091_spec::Method) -> (bool, Vec<String>) {
    full.classes
        .iter()
        .filter(|c| c.name == class)
        .flat_map(|c| &c.methods)
        .find(|f| f.name == m.name)
        .map_or_else(
            || (m.synchronous, m.responses.clone()),
            |f| (f.synchronous, f.responses.clone()),
        )
}

fn arg_type(ty: &str) -> ArgType {
    match ty {
        "bit" => ArgType::Bit,
        "octet" => ArgType::Octet,
        "short" => ArgType::Short,
        "long" => ArgType::Long,
        "longlong" => ArgType::LongLong,
        "shortstr" => ArgType::ShortStr,
        "longstr" => ArgType::LongStr,
        "timestamp" => ArgType::Timestamp,
        "table" => ArgType::Table,
        other => panic!("XML uses type {other} the test does not know"),
    }
}

fn check_fields(what: &str, xml: &[Field], codec: &[amqp091_codec::spec_info::FieldInfo]) {
    let xml: Vec<_> = xml
        .iter()
        .map(|f| {
            (
                f.name.as_str(),
                f.domain.as_str(),
                arg_type(&f.ty),
                f.reserved,
            )
        })
        .collect();
    let codec: Vec<_> = codec
        .iter()
        .map(|f| (f.name, f.domain, f.ty, f.reserved))
        .collect();
    assert_eq!(
        codec, xml,
        "fields of {what} (name, domain, type, reserved)"
    );
}

#[test]
fn classes_match() {
    let spec = spec();
    let xml: BTreeSet<_> = spec
        .classes
        .iter()
        .map(|c| (c.index, c.name.clone()))
        .collect();
    let codec: BTreeSet<_> = CLASSES.iter().map(|c| (c.id, c.name.to_string())).collect();
    assert_eq!(codec, xml);
    for c in &spec.classes {
        let ours = CLASSES.iter().find(|k| k.id == c.index).expect("class");
        check_fields(
            &format!("{} properties", c.name),
            &c.properties,
            ours.properties,
        );
    }
}

#[test]
fn methods_match() {
    let spec = spec();
    let full = full_spec();
    let mut xml = BTreeSet::new();
    for c in &spec.classes {
        for m in &c.methods {
            xml.insert((c.index, m.index, format!("{}.{}", c.name, m.name)));
            let ours = amqp091_codec::spec_info::method_info(c.index, m.index)
                .unwrap_or_else(|| panic!("codec lacks {}.{}", c.name, m.name));
            let what = format!("{}.{}", c.name, m.name);
            assert_eq!(ours.full_name, what);
            assert_eq!(ours.class_name, c.name);
            assert_eq!(ours.method_name, m.name);
            let (synchronous, responses) = after_errata(&full, &c.name, m);
            assert_eq!(
                ours.synchronous, synchronous,
                "synchronous flag of {what} (errata applied)"
            );
            assert_eq!(ours.content, m.content, "content flag of {what}");
            let responses: Vec<&str> = responses.iter().map(String::as_str).collect();
            assert_eq!(
                ours.responses,
                responses.as_slice(),
                "responses of {what} (errata applied)"
            );
            check_fields(&what, &m.fields, ours.fields);
        }
    }
    let codec: BTreeSet<_> = METHODS
        .iter()
        .map(|m| (m.class_id, m.method_id, m.full_name.to_string()))
        .collect();
    assert_eq!(codec, xml, "the codec has exactly the XML's methods");
}

#[test]
fn constants_match() {
    let spec = spec();
    let value = |name: &str| {
        spec.constants
            .iter()
            .find(|k| k.name == name)
            .unwrap_or_else(|| panic!("XML lacks constant {name}"))
            .value
    };
    assert_eq!(u32::from(FrameType::METHOD.0), value("frame-method"));
    assert_eq!(u32::from(FrameType::HEADER.0), value("frame-header"));
    assert_eq!(u32::from(FrameType::BODY.0), value("frame-body"));
    assert_eq!(u32::from(FrameType::HEARTBEAT.0), value("frame-heartbeat"));
    assert_eq!(u32::from(FRAME_END), value("frame-end"));
    assert_eq!(FRAME_MIN_SIZE, value("frame-min-size"));

    let codec: Vec<_> = CONSTANTS
        .iter()
        .map(|k| (k.name.to_string(), k.value, k.class.map(str::to_string)))
        .collect();
    let xml: Vec<_> = spec
        .constants
        .iter()
        .map(|k| (k.name.clone(), k.value, k.class.clone()))
        .collect();
    assert_eq!(codec, xml);

    // Reply codes: name, and soft/hard class, for every error constant.
    for k in &spec.constants {
        let Some(class) = &k.class else { continue };
        let code = ReplyCode(k.value as u16);
        assert_eq!(
            code.name(),
            Some(k.name.replace('-', "_").to_uppercase().as_str())
        );
        assert_eq!(code.is_hard_error(), class == "hard-error", "{}", k.name);
        assert_eq!(code.is_soft_error(), class == "soft-error", "{}", k.name);
    }
    assert_eq!(ReplyCode::NOT_FOUND, ReplyCode(value("not-found") as u16));
    assert_eq!(ReplyCode::REPLY_SUCCESS.name(), Some("REPLY_SUCCESS"));
}

/// What the test expects to read back for a field, by spec type.
#[derive(Debug, PartialEq)]
enum Expect {
    Bit(bool),
    Octet(u8),
    Short(u16),
    Long(u32),
    LongLong(u64),
    Timestamp(u64),
    Str(Vec<u8>),
    LongStr(Vec<u8>),
    Table(FieldTable),
}

fn seen(v: ArgValue<'_>) -> Expect {
    match v {
        ArgValue::Bit(b) => Expect::Bit(b),
        ArgValue::Octet(x) => Expect::Octet(x),
        ArgValue::Short(x) => Expect::Short(x),
        ArgValue::Long(x) => Expect::Long(x),
        ArgValue::LongLong(x) => Expect::LongLong(x),
        ArgValue::Timestamp(x) => Expect::Timestamp(x),
        ArgValue::ShortStr(s) => Expect::Str(s.as_bytes().to_vec()),
        ArgValue::LongStr(s) => Expect::LongStr(s.as_bytes().to_vec()),
        ArgValue::Table(t) => Expect::Table(t.clone()),
    }
}

/// Writes `fields` with distinct values per field, packing bits as the spec
/// says (consecutive bits share octets, first bit lowest). Returns the bytes
/// and the value of every field, by name.
fn encode_by_xml(fields: &[Field], seed: u64) -> (Vec<u8>, Vec<(String, Expect)>) {
    let mut out = Vec::new();
    let mut expect = Vec::new();
    let mut bit_index = 8; // > 7: start a new octet at the next bit
    for (i, f) in fields.iter().enumerate() {
        let n = seed.wrapping_mul(31).wrapping_add(i as u64 + 1);
        if f.ty != "bit" {
            bit_index = 8;
        }
        let e = match f.ty.as_str() {
            "bit" => {
                let v = !n.is_multiple_of(3);
                if bit_index > 7 {
                    out.push(0);
                    bit_index = 0;
                }
                if v {
                    *out.last_mut().expect("octet") |= 1 << bit_index;
                }
                bit_index += 1;
                Expect::Bit(v)
            }
            "octet" => {
                out.push(n as u8);
                Expect::Octet(n as u8)
            }
            "short" => {
                out.extend_from_slice(&(n as u16).to_be_bytes());
                Expect::Short(n as u16)
            }
            "long" => {
                out.extend_from_slice(&(n as u32 ^ 0x0102_0304).to_be_bytes());
                Expect::Long(n as u32 ^ 0x0102_0304)
            }
            "longlong" | "timestamp" => {
                let v = n ^ 0x0102_0304_0506_0708;
                out.extend_from_slice(&v.to_be_bytes());
                if f.ty == "timestamp" {
                    Expect::Timestamp(v)
                } else {
                    Expect::LongLong(v)
                }
            }
            "shortstr" => {
                let s = format!("{}-{n}", f.name).into_bytes();
                out.push(s.len() as u8);
                out.extend_from_slice(&s);
                Expect::Str(s)
            }
            "longstr" => {
                let s = format!("long {}-{n}", f.name).into_bytes();
                out.extend_from_slice(&(s.len() as u32).to_be_bytes());
                out.extend_from_slice(&s);
                Expect::LongStr(s)
            }
            "table" => {
                // One entry: name -> 'I' value, written by hand.
                let key = f.name.as_bytes();
                let mut body = vec![key.len() as u8];
                body.extend_from_slice(key);
                body.push(b'I');
                body.extend_from_slice(&(n as i32).to_be_bytes());
                out.extend_from_slice(&(body.len() as u32).to_be_bytes());
                out.extend_from_slice(&body);
                let mut t = FieldTable::new();
                t.insert(&f.name, FieldValue::I32(n as i32));
                Expect::Table(t)
            }
            other => panic!("type {other}"),
        };
        expect.push((f.name.clone(), e));
    }
    (out, expect)
}

#[test]
fn every_method_decodes_as_the_xml_lays_it_out() {
    let spec = spec();
    let mut checked = 0;
    for c in &spec.classes {
        for m in &c.methods {
            for seed in [1u64, 2, 7] {
                let (args, expect) = encode_by_xml(&m.fields, seed);
                let mut payload = BytesMut::new();
                payload.put_u16(c.index);
                payload.put_u16(m.index);
                payload.put_slice(&args);
                let payload = payload.freeze();
                let what = format!("{}.{}", c.name, m.name);
                let method = Method::decode(payload.clone())
                    .unwrap_or_else(|e| panic!("{what} does not decode: {e}"));
                assert!(
                    !matches!(method, Method::Unknown(_)),
                    "{what} decodes as unknown"
                );
                assert_eq!(method.name(), what);
                assert_eq!((method.class_id(), method.method_id()), (c.index, m.index));
                let got: Vec<(String, Expect)> = method
                    .fields()
                    .into_iter()
                    .map(|(n, v)| (n.to_string(), seen(v)))
                    .collect();
                assert_eq!(got, expect, "fields of {what}");
                let mut again = BytesMut::new();
                method.encode(&mut again);
                assert_eq!(
                    again.freeze(),
                    payload,
                    "{what} re-encodes to the same bytes"
                );
                assert_eq!(method.encoded_len(), payload.len(), "encoded_len of {what}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, METHODS.len());
}

#[test]
fn basic_properties_decode_as_the_xml_lays_them_out() {
    let spec = spec();
    let basic = spec
        .classes
        .iter()
        .find(|c| c.name == "basic")
        .expect("basic");
    let n = basic.properties.len();
    // Every subset pattern of a few kinds: all, none, alternate, each alone.
    let mut masks: Vec<Vec<bool>> = vec![vec![true; n], vec![false; n]];
    masks.push((0..n).map(|i| i % 2 == 0).collect());
    for i in 0..n {
        masks.push((0..n).map(|j| j == i).collect());
    }
    for mask in masks {
        let present: Vec<Field> = basic
            .properties
            .iter()
            .zip(&mask)
            .filter(|(_, m)| **m)
            .map(|(f, _)| f.clone())
            .collect();
        let (values, expect) = encode_by_xml(&present, 5);
        let mut flags = 0u16;
        for (i, m) in mask.iter().enumerate() {
            if *m {
                flags |= 1 << (15 - i);
            }
        }
        let mut payload = BytesMut::new();
        payload.put_u16(60);
        payload.put_u16(0);
        payload.put_u64(42);
        payload.put_u16(flags);
        payload.put_slice(&values);
        let payload: Bytes = payload.freeze();
        let header = ContentHeader::decode(payload.clone()).expect("header decodes");
        assert_eq!(header.body_size, 42);
        let got: Vec<(String, Expect)> = header
            .properties
            .fields()
            .into_iter()
            .map(|(n, v)| (n.to_string(), seen(v)))
            .collect();
        assert_eq!(got, expect, "properties with flags {flags:#06x}");
        let mut again = BytesMut::new();
        header.encode(&mut again);
        assert_eq!(again.freeze(), payload);
    }
}
