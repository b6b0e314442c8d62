//! proptest strategies for every frame, method, property set and field
//! value (feature `proptest`). The fuzz targets and the property tests use
//! them; so can users testing their own code against the codec.

use bytes::Bytes;
use proptest::collection::vec;
use proptest::prelude::*;

use crate::{
    spec_info, BasicProperties, ContentHeader, FieldArray, FieldTable, FieldValue, Frame,
    FrameType, LongStr, Method, RawFrame, ShortStr, UnknownMethod,
};

#[path = "generated_strategies.rs"]
mod generated;
pub use generated::*;

/// Any short string (0..=255 bytes, mostly short, any bytes).
pub fn short_str() -> impl Strategy<Value = ShortStr> {
    prop_oneof![
        4 => "[a-zA-Z0-9._-]{0,16}".prop_map(|s| ShortStr::new(s).unwrap_or_default()),
        1 => vec(any::<u8>(), 0..=255).prop_map(|v| ShortStr::new(v).unwrap_or_default()),
    ]
}

/// Any long string (up to 512 bytes here; length is not what is being tested).
pub fn long_str() -> impl Strategy<Value = LongStr> {
    vec(any::<u8>(), 0..512).prop_map(LongStr::from)
}

/// Any scalar (non-nested) field value.
pub fn scalar_field_value() -> impl Strategy<Value = FieldValue> {
    prop_oneof![
        any::<bool>().prop_map(FieldValue::Bool),
        any::<i8>().prop_map(FieldValue::I8),
        any::<u8>().prop_map(FieldValue::U8),
        any::<i16>().prop_map(FieldValue::I16),
        any::<u16>().prop_map(FieldValue::U16),
        any::<i32>().prop_map(FieldValue::I32),
        any::<u32>().prop_map(FieldValue::U32),
        any::<i64>().prop_map(FieldValue::I64),
        any::<u64>().prop_map(FieldValue::U64),
        any::<u32>().prop_map(|b| FieldValue::F32(f32::from_bits(b))),
        any::<u64>().prop_map(|b| FieldValue::F64(f64::from_bits(b))),
        (any::<u8>(), any::<u32>()).prop_map(|(scale, value)| FieldValue::Decimal { scale, value }),
        vec(any::<u8>(), 0..64).prop_map(|v| FieldValue::LongStr(LongStr::from(v))),
        vec(any::<u8>(), 0..64).prop_map(|v| FieldValue::Bytes(Bytes::from(v))),
        any::<u64>().prop_map(FieldValue::Timestamp),
        Just(FieldValue::Void),
    ]
}

/// Any field value, nesting tables and arrays a few levels deep.
pub fn field_value() -> impl Strategy<Value = FieldValue> {
    scalar_field_value().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(|v| FieldValue::Array(FieldArray(v))),
            vec((short_str(), inner), 0..6).prop_map(|e| FieldValue::Table(FieldTable(e))),
        ]
    })
}

/// Any field table (duplicate names included).
pub fn field_table() -> impl Strategy<Value = FieldTable> {
    vec((short_str(), field_value()), 0..8).prop_map(FieldTable)
}

/// Any basic property set (each property present or not).
pub fn basic_properties() -> impl Strategy<Value = BasicProperties> {
    let strings = (
        proptest::option::of(short_str()),
        proptest::option::of(short_str()),
        proptest::option::of(short_str()),
        proptest::option::of(short_str()),
        proptest::option::of(short_str()),
        proptest::option::of(short_str()),
    );
    let more = (
        proptest::option::of(short_str()),
        proptest::option::of(short_str()),
        proptest::option::of(short_str()),
        proptest::option::of(short_str()),
    );
    let others = (
        proptest::option::of(field_table()),
        proptest::option::of(any::<u8>()),
        proptest::option::of(any::<u8>()),
        proptest::option::of(any::<u64>()),
    );
    (strings, more, others).prop_map(
        |(
            (content_type, content_encoding, correlation_id, reply_to, expiration, message_id),
            (message_type, user_id, app_id, cluster_id),
            (headers, delivery_mode, priority, timestamp),
        )| BasicProperties {
            content_type,
            content_encoding,
            headers,
            delivery_mode,
            priority,
            correlation_id,
            reply_to,
            expiration,
            message_id,
            timestamp,
            message_type,
            user_id,
            app_id,
            cluster_id,
        },
    )
}

/// Any content header.
pub fn content_header() -> impl Strategy<Value = ContentHeader> {
    (any::<u16>(), any::<u16>(), any::<u64>(), basic_properties()).prop_map(
        |(class_id, weight, body_size, properties)| ContentHeader {
            class_id,
            weight,
            body_size,
            properties: crate::Properties::new(properties),
        },
    )
}

/// A method with ids the spec does not define and arbitrary argument bytes.
pub fn unknown_method() -> impl Strategy<Value = Method> {
    (any::<u16>(), any::<u16>(), vec(any::<u8>(), 0..64))
        .prop_filter("ids defined by the spec", |(c, m, _)| {
            spec_info::method_info(*c, *m).is_none()
        })
        .prop_map(|(class_id, method_id, args)| {
            Method::Unknown(UnknownMethod {
                class_id,
                method_id,
                args: Bytes::from(args),
            })
        })
}

/// Any method: mostly those of the spec, sometimes an unknown one.
pub fn method() -> impl Strategy<Value = Method> {
    prop_oneof![9 => known_method(), 1 => unknown_method()]
}

/// Any frame, unknown frame types included.
pub fn frame() -> impl Strategy<Value = Frame> {
    prop_oneof![
        4 => (any::<u16>(), method()).prop_map(|(channel, method)| Frame::Method { channel, method }),
        2 => (any::<u16>(), content_header()).prop_map(|(channel, header)| Frame::Header { channel, header }),
        2 => (any::<u16>(), vec(any::<u8>(), 0..256))
            .prop_map(|(channel, b)| Frame::Body { channel, payload: Bytes::from(b) }),
        1 => any::<u16>().prop_map(|channel| Frame::Heartbeat { channel }),
        1 => (any::<u8>(), any::<u16>(), vec(any::<u8>(), 0..64))
            .prop_filter("known frame type", |(t, _, _)| FrameType(*t).name().is_none())
            .prop_map(|(t, channel, p)| Frame::Unknown(RawFrame {
                frame_type: FrameType(t),
                channel,
                payload: Bytes::from(p),
            })),
    ]
}
