//! `frames`: a dissector of raw AMQP bytes (one direction of a TCP stream).
//!
//! Input is read in chunks and decoded as it arrives, so it also works on a
//! live pipe. The leading protocol header is optional. Decoding uses the
//! codec's [`FrameDecoder`] with a frame size limit
//! ([`Dissect::max_frame_size`]); the first malformed byte stops it (its
//! [`DecodeError`] says where and why), and so does a last frame the input
//! ends inside of: nothing after an error is guessed.
//!
//! Memory stays bounded whatever the input announces: a frame larger than
//! the limit is an error before any of it is buffered, and body frames and
//! frames of unknown type larger than [`Dissect::stream_above`] are streamed
//! (their payload is read and dropped chunk by chunk, keeping only what is
//! shown). What is shown of a payload (a body with `--body`, an unknown
//! frame, an unknown method's arguments) is at most [`SHOW_MAX`] bytes.

use std::io::Read;

use bytes::{Buf, BytesMut};
use serde_json::{json, Map, Value};

use super::output::{self, Failure, Out};
use crate::codec::{
    ContentHeader, DecodeError, DecodeErrorKind, ErrorContext, Frame, FrameDecoder, FrameType,
    Method, ProtocolHeader, FRAME_END, FRAME_OVERHEAD,
};

/// Bytes read at a time.
pub const CHUNK: usize = 64 * 1024;

/// Default frame size limit (whole frames, as `frame_max` counts them):
/// 16 MiB, far above what brokers negotiate (RabbitMQ's default
/// `frame_max` is 128 KiB).
pub const DEFAULT_MAX_FRAME_SIZE: u32 = 16 * 1024 * 1024;

/// Most payload bytes shown of one frame; the rest is counted, not shown.
pub const SHOW_MAX: usize = 4096;

/// How to dissect.
#[derive(Debug, Clone)]
pub struct Dissect {
    /// Show body frames' bytes.
    pub show_body: bool,
    /// Largest frame accepted, in bytes with header and frame-end (`0`: no
    /// limit; a method or content header frame is held whole in memory).
    pub max_frame_size: u32,
    /// Body and unknown frames with a payload larger than this are streamed.
    pub stream_above: usize,
    /// Bytes read at a time.
    pub chunk: usize,
}

impl Default for Dissect {
    fn default() -> Self {
        Dissect {
            show_body: false,
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
            stream_above: CHUNK,
            chunk: CHUNK,
        }
    }
}

/// How the input ended, when not cleanly after a frame.
enum Stop {
    /// Malformed bytes.
    Malformed {
        frame_offset: u64,
        error: DecodeError,
    },
    /// The input ended `available` bytes into a unit of `needed` bytes.
    Truncated {
        offset: u64,
        what: &'static str,
        available: u64,
        needed: u64,
    },
}

/// Dissects everything `input` yields.
pub fn dissect(mut input: impl Read, how: &Dissect, out: &mut Out) -> Result<(), Failure> {
    let chunk = how.chunk.max(1);
    let mut buf = BytesMut::with_capacity(chunk);
    let mut decoder = FrameDecoder::new(how.max_frame_size);
    let mut eof = false;
    let mut at_start = true;
    loop {
        if at_start {
            if buf.is_empty() && eof {
                return Ok(());
            }
            if !buf.is_empty() && !ProtocolHeader::starts(&buf) {
                at_start = false;
            } else if buf.len() >= 8 {
                match ProtocolHeader::decode(&mut buf) {
                    Ok(Some(header)) => {
                        decoder.skip(8);
                        print_protocol_header(out, header)?;
                    }
                    Ok(None) => {}
                    Err(error) => {
                        return stop(
                            out,
                            Stop::Malformed {
                                frame_offset: 0,
                                error,
                            },
                        )
                    }
                }
                at_start = false;
            } else if eof {
                return stop(
                    out,
                    Stop::Truncated {
                        offset: 0,
                        what: "protocol header",
                        available: buf.len() as u64,
                        needed: 8,
                    },
                );
            }
        }
        if !at_start {
            loop {
                let offset = decoder.position();
                if let Some(header) = streamable(&buf, how) {
                    match stream_frame(&mut input, &mut buf, chunk, header, &mut eof)? {
                        Streamed::Whole(preview) => {
                            decoder.skip(header.size as usize + FRAME_OVERHEAD);
                            let payload = Payload {
                                size: header.size as usize,
                                shown: &preview,
                            };
                            print_payload_frame(out, offset, &header, &payload, how.show_body)?;
                            continue;
                        }
                        Streamed::BadEnd { found } => {
                            let error = DecodeError {
                                kind: DecodeErrorKind::BadFrameEnd { found },
                                offset: offset + 7 + header.size,
                                context: ErrorContext {
                                    frame_type: Some(header.frame_type),
                                    channel: Some(header.channel),
                                    ..ErrorContext::default()
                                },
                            };
                            return stop(
                                out,
                                Stop::Malformed {
                                    frame_offset: offset,
                                    error,
                                },
                            );
                        }
                        Streamed::Truncated { available } => {
                            return stop(
                                out,
                                Stop::Truncated {
                                    offset,
                                    what: "frame",
                                    available,
                                    needed: header.size + FRAME_OVERHEAD as u64,
                                },
                            );
                        }
                    }
                }
                match decoder.decode_frame(&mut buf) {
                    Ok(Some(frame)) => print_frame(out, offset, &frame, how.show_body)?,
                    Ok(None) => break,
                    Err(error) => {
                        return stop(
                            out,
                            Stop::Malformed {
                                frame_offset: offset,
                                error,
                            },
                        )
                    }
                }
            }
            if eof {
                if buf.is_empty() {
                    return Ok(());
                }
                let (what, needed) = match buf.get(3..7) {
                    Some(&[a, b, c, d]) => {
                        ("frame", u64::from(u32::from_be_bytes([a, b, c, d])) + 8)
                    }
                    _ => ("frame header", 7),
                };
                return stop(
                    out,
                    Stop::Truncated {
                        offset: decoder.position(),
                        what,
                        available: buf.len() as u64,
                        needed,
                    },
                );
            }
        }
        if !eof {
            eof = read_chunk(&mut input, &mut buf, chunk)?;
        }
    }
}

/// The 7-byte header of a frame.
#[derive(Debug, Clone, Copy)]
struct FrameHeader {
    frame_type: u8,
    channel: u16,
    size: u64,
}

/// The header of the frame at the front of `buf` if that frame is to be
/// streamed: a body or unknown frame larger than `stream_above`, within the
/// size limit (a frame over the limit is left to the decoder, which reports
/// it without buffering it).
fn streamable(buf: &[u8], how: &Dissect) -> Option<FrameHeader> {
    let &[frame_type, c0, c1, s0, s1, s2, s3] = buf.get(..7)? else {
        return None;
    };
    let size = u64::from(u32::from_be_bytes([s0, s1, s2, s3]));
    let kind = FrameType(frame_type);
    let known_whole = matches!(
        kind,
        FrameType::METHOD | FrameType::HEADER | FrameType::HEARTBEAT
    );
    let over_limit =
        how.max_frame_size != 0 && size + FRAME_OVERHEAD as u64 > u64::from(how.max_frame_size);
    // A frame already whole in the buffer costs nothing more to decode whole.
    let buffered = (buf.len() as u64) >= size + FRAME_OVERHEAD as u64;
    (!known_whole && !over_limit && !buffered && size > how.stream_above as u64).then(|| {
        FrameHeader {
            frame_type,
            channel: u16::from_be_bytes([c0, c1]),
            size,
        }
    })
}

/// How a streamed frame ended.
enum Streamed {
    /// Complete, with the first [`SHOW_MAX`] bytes of its payload.
    Whole(Vec<u8>),
    /// Its frame-end octet is wrong.
    BadEnd { found: u8 },
    /// The input ended after `available` bytes of the frame.
    Truncated { available: u64 },
}

/// Reads the frame at the front of `buf` (header already checked) through
/// to its frame-end octet, keeping only the start of its payload.
fn stream_frame(
    input: &mut impl Read,
    buf: &mut BytesMut,
    chunk: usize,
    header: FrameHeader,
    eof: &mut bool,
) -> Result<Streamed, Failure> {
    buf.advance(7);
    let mut consumed: u64 = 7;
    let mut remaining = header.size;
    let mut preview = Vec::with_capacity(SHOW_MAX.min(header.size as usize));
    loop {
        let take = remaining.min(buf.len() as u64) as usize;
        let keep = take.min(SHOW_MAX - preview.len());
        preview.extend_from_slice(&buf[..keep]);
        buf.advance(take);
        remaining -= take as u64;
        consumed += take as u64;
        if remaining == 0 {
            if let Some(&end) = buf.first() {
                if end != FRAME_END {
                    return Ok(Streamed::BadEnd { found: end });
                }
                buf.advance(1);
                return Ok(Streamed::Whole(preview));
            }
        }
        if *eof {
            return Ok(Streamed::Truncated {
                available: consumed,
            });
        }
        *eof = read_chunk(input, buf, chunk)?;
    }
}

/// Appends up to one chunk of input; `true` at the end of the input.
fn read_chunk(input: &mut impl Read, buf: &mut BytesMut, chunk: usize) -> Result<bool, Failure> {
    let start = buf.len();
    buf.resize(start + chunk, 0);
    loop {
        match input.read(&mut buf[start..]) {
            Ok(n) => {
                buf.truncate(start + n);
                return Ok(n == 0);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                buf.truncate(start);
                return Err(Failure::msg(format!("cannot read the input: {e}")));
            }
        }
    }
}

/// Reports why dissection stopped (a JSON record on stdout with --json) and
/// fails with the one-line reason.
fn stop(out: &mut Out, why: Stop) -> Result<(), Failure> {
    let (record, line) = match why {
        Stop::Malformed {
            frame_offset,
            error,
        } => (
            json!({
                "offset": error.offset,
                "type": "error",
                "frame_offset": frame_offset,
                "error": error.to_string(),
                "reason": error.kind.to_string(),
            }),
            format!("malformed input in the frame at offset {frame_offset}: {error}"),
        ),
        Stop::Truncated {
            offset,
            what,
            available,
            needed,
        } => (
                json!({
                    "offset": offset,
                    "type": "truncated",
                    "what": what,
                    "available": available,
                    "needed": needed,
                }),
            format!(
                "truncated {what} at offset {offset}: the input ends after {available} of its {needed} bytes"
            ),
        ),
    };
    if out.json {
        out.json_line(&record)?;
    }
    Err(Failure::Message(line))
}

/// Prints the leading protocol header.
fn print_protocol_header(out: &mut Out, h: ProtocolHeader) -> Result<(), Failure> {
    if out.json {
        out.json_line(&json!({
            "offset": 0,
            "type": "protocol-header",
            "protocol": h.to_string(),
            "protocol_id": h.protocol_id,
            "major": h.major,
            "minor": h.minor,
            "revision": h.revision,
        }))
    } else {
        out.text(&format!("offset 0: protocol header {h}\n"))
    }
}

/// The payload of a body or unknown frame: its size, and what is shown of it.
struct Payload<'a> {
    size: usize,
    /// At most [`SHOW_MAX`] bytes from its start.
    shown: &'a [u8],
}

/// Prints one frame that starts at stream offset `offset`.
fn print_frame(out: &mut Out, offset: u64, frame: &Frame, show_body: bool) -> Result<(), Failure> {
    let size = frame.encoded_len().saturating_sub(FRAME_OVERHEAD);
    let channel = frame.channel();
    let raw_payload = match frame {
        Frame::Body { payload, .. } => Some(payload),
        Frame::Unknown(raw) => Some(&raw.payload),
        _ => None,
    };
    if let Some(payload) = raw_payload {
        let header = FrameHeader {
            frame_type: frame.frame_type().0,
            channel,
            size: size as u64,
        };
        let payload = Payload {
            size,
            shown: &payload[..payload.len().min(SHOW_MAX)],
        };
        return print_payload_frame(out, offset, &header, &payload, show_body);
    }
    if out.json {
        let mut m = Map::new();
        m.insert("offset".into(), json!(offset));
        m.insert("channel".into(), json!(channel));
        m.insert("type".into(), json!(frame.frame_type().to_string()));
        m.insert("size".into(), json!(size));
        match frame {
            Frame::Method { method, .. } => method_json(&mut m, method),
            Frame::Header { header, .. } => header_json(&mut m, header),
            _ => {}
        }
        return out.json_line(&Value::Object(m));
    }
    let mut text = format!("offset {offset}: channel {channel}, ");
    match frame {
        Frame::Method { method, .. } => method_text(&mut text, method, size),
        Frame::Header { header, .. } => {
            let class = crate::codec::spec_info::CLASSES
                .iter()
                .find(|c| c.id == header.class_id)
                .map_or_else(
                    || format!("class {}", header.class_id),
                    |c| c.name.to_string(),
                );
            text.push_str(&format!(
                "content header, {class}, body-size {}, weight {}, {size} bytes\n",
                header.body_size, header.weight
            ));
            output::fields_text(&mut text, 2, &header.properties.fields());
        }
        _ => text.push_str("heartbeat\n"),
    }
    out.text(&text)
}

/// Prints a body frame or a frame of unknown type, whole or streamed alike.
fn print_payload_frame(
    out: &mut Out,
    offset: u64,
    header: &FrameHeader,
    payload: &Payload<'_>,
    show_body: bool,
) -> Result<(), Failure> {
    let kind = FrameType(header.frame_type);
    let is_body = kind == FrameType::BODY;
    let size = payload.size;
    let hidden = size - payload.shown.len();
    if out.json {
        let mut m = Map::new();
        m.insert("offset".into(), json!(offset));
        m.insert("channel".into(), json!(header.channel));
        m.insert("type".into(), json!(kind.to_string()));
        m.insert("size".into(), json!(size));
        if is_body {
            if show_body {
                output::put_body(&mut m, payload.shown);
                if hidden > 0 {
                    m.insert("body_bytes_not_shown".into(), json!(hidden));
                }
            }
        } else {
            m.insert("frame_type".into(), json!(header.frame_type));
            m.insert(
                "payload".into(),
                json!({ "base64": output::base64(payload.shown) }),
            );
            if hidden > 0 {
                m.insert("payload_bytes_not_shown".into(), json!(hidden));
            }
        }
        return out.json_line(&Value::Object(m));
    }
    let mut text = format!("offset {offset}: channel {}, ", header.channel);
    let more = not_shown(hidden);
    if is_body {
        text.push_str(&format!("body, {size} bytes\n"));
        if show_body {
            match std::str::from_utf8(payload.shown) {
                Ok(s) => text.push_str(&format!("  text: {s:?}{more}\n")),
                Err(_) => text.push_str(&format!("  hex: {}{more}\n", output::hex(payload.shown))),
            }
        }
    } else {
        text.push_str(&format!(
            "frame of unknown type {}, {size} bytes: {}{more}\n",
            header.frame_type,
            output::hex(payload.shown)
        ));
    }
    out.text(&text)
}

/// ` ... (N more bytes not shown)`, or nothing when all was shown.
fn not_shown(hidden: usize) -> String {
    match hidden {
        0 => String::new(),
        1 => " ... (1 more byte not shown)".to_owned(),
        n => format!(" ... ({n} more bytes not shown)"),
    }
}

/// A method's ids, name and arguments (raw, for a method the spec does not define).
fn method_json(m: &mut Map<String, Value>, method: &Method) {
    m.insert("class_id".into(), json!(method.class_id()));
    m.insert("method_id".into(), json!(method.method_id()));
    m.insert("method".into(), json!(method.name()));
    match method {
        Method::Unknown(u) => {
            let shown = &u.args[..u.args.len().min(SHOW_MAX)];
            m.insert(
                "raw_arguments".into(),
                json!({ "base64": output::base64(shown) }),
            );
            if shown.len() < u.args.len() {
                m.insert(
                    "raw_argument_bytes_not_shown".into(),
                    json!(u.args.len() - shown.len()),
                );
            }
        }
        known => {
            m.insert("arguments".into(), output::fields_json(&known.fields()));
        }
    }
}

/// A method's name and ids, then its arguments one per line.
fn method_text(text: &mut String, method: &Method, size: usize) {
    match method {
        Method::Unknown(u) => {
            let shown = &u.args[..u.args.len().min(SHOW_MAX)];
            let more = not_shown(u.args.len() - shown.len());
            text.push_str(&format!(
                "method {} (not in the spec), {size} bytes, arguments: {}{more}\n",
                method.name(),
                output::hex(shown)
            ));
        }
        known => {
            text.push_str(&format!(
                "method {} ({}, {}), {size} bytes\n",
                known.name(),
                known.class_id(),
                known.method_id()
            ));
            output::fields_text(text, 2, &known.fields());
        }
    }
}

/// A content header's class, weight, body size and properties.
fn header_json(m: &mut Map<String, Value>, header: &ContentHeader) {
    m.insert("class_id".into(), json!(header.class_id));
    if let Some(c) = crate::codec::spec_info::CLASSES
        .iter()
        .find(|c| c.id == header.class_id)
    {
        m.insert("class".into(), json!(c.name));
    }
    m.insert("weight".into(), json!(header.weight));
    m.insert("body_size".into(), json!(header.body_size));
    m.insert(
        "properties".into(),
        output::properties_json(&header.properties),
    );
}
