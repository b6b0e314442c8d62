//! Frames as one line of text, for transcripts and reports: the method by
//! spec name with every argument (`queue.declare queue="q" passive=true ...`),
//! content headers with their properties, body sizes.

use std::fmt::Write;

use amqp091_codec::{ArgValue, FieldArray, FieldTable, FieldValue, Frame};

/// One frame on one line.
pub fn describe_frame(frame: &Frame) -> String {
    match frame {
        Frame::Method { channel, method } => {
            let mut s = format!("ch{channel} {}", method.name());
            for (name, value) in method.fields() {
                if name.starts_with("reserved") {
                    continue;
                }
                let _ = write!(s, " {name}={}", arg(&value));
            }
            s
        }
        Frame::Header { channel, header } => {
            let mut s = format!(
                "ch{channel} content-header class={} body-size={}",
                header.class_id, header.body_size
            );
            for (name, value) in header.properties.fields() {
                let _ = write!(s, " {name}={}", arg(&value));
            }
            s
        }
        Frame::Body { channel, payload } => {
            let shown = String::from_utf8_lossy(&payload[..payload.len().min(32)]).into_owned();
            format!("ch{channel} content-body {} bytes {shown:?}", payload.len())
        }
        Frame::Heartbeat { channel } => format!("ch{channel} heartbeat"),
        Frame::Unknown(raw) => format!(
            "ch{} frame type {} ({} bytes)",
            raw.channel,
            raw.frame_type.0,
            raw.payload.len()
        ),
    }
}

fn arg(v: &ArgValue<'_>) -> String {
    match v {
        ArgValue::Bit(b) => b.to_string(),
        ArgValue::Octet(n) => n.to_string(),
        ArgValue::Short(n) => n.to_string(),
        ArgValue::Long(n) => n.to_string(),
        ArgValue::LongLong(n) | ArgValue::Timestamp(n) => n.to_string(),
        ArgValue::ShortStr(s) => format!("{:?}", String::from_utf8_lossy(s.as_bytes())),
        ArgValue::LongStr(s) => {
            let b = s.as_bytes();
            let shown = String::from_utf8_lossy(&b[..b.len().min(64)]).into_owned();
            format!("{shown:?}")
        }
        ArgValue::Table(t) => table(t),
    }
}

/// A field table as `{name:value, ...}`.
pub fn table(t: &FieldTable) -> String {
    let items: Vec<String> = t
        .iter()
        .map(|(k, v)| format!("{}:{}", String::from_utf8_lossy(k.as_bytes()), value(v)))
        .collect();
    format!("{{{}}}", items.join(", "))
}

fn array(a: &FieldArray) -> String {
    let items: Vec<String> = a.0.iter().map(value).collect();
    format!("[{}]", items.join(", "))
}

fn value(v: &FieldValue) -> String {
    match v {
        FieldValue::LongStr(s) => format!("{:?}", String::from_utf8_lossy(s.as_bytes())),
        FieldValue::Table(t) => table(t),
        FieldValue::Array(a) => array(a),
        FieldValue::Bool(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}
