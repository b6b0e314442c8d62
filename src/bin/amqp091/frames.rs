//! `frames`: a dissector of raw AMQP bytes (one direction of a TCP stream).
//!
//! Input is read in chunks and decoded as it arrives, so it also works on a
//! live pipe. The leading protocol header is optional. Decoding uses the
//! codec's [`FrameDecoder`] with no frame size limit; the first malformed
//! byte stops it (its [`DecodeError`] says where and why), and so does a
//! last frame the input ends inside of: nothing after an error is guessed.

use std::io::Read;

use amqp091::codec::{ContentHeader, DecodeError, Frame, FrameDecoder, Method, ProtocolHeader};
use bytes::BytesMut;
use serde_json::{json, Map, Value};

use crate::args::FramesArgs;
use crate::output::{self, Failure, Out};

/// Bytes read at a time.
const CHUNK: usize = 64 * 1024;

/// Dissects the file (or stdin) onto `out`.
pub fn run(args: &FramesArgs, out: &mut Out) -> Result<(), Failure> {
    let result = match &args.file {
        Some(path) => {
            let file = std::fs::File::open(path)
                .map_err(|e| Failure::msg(format!("cannot open {}: {e}", path.display())))?;
            dissect(file, args.body, out)
        }
        None => dissect(std::io::stdin().lock(), args.body, out),
    };
    // What was printed before a failure stays printed.
    let flushed = out.flush();
    result.and(flushed)
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
        available: usize,
        needed: u64,
    },
}

/// Dissects everything `input` yields.
pub fn dissect(mut input: impl Read, show_body: bool, out: &mut Out) -> Result<(), Failure> {
    let mut buf = BytesMut::with_capacity(CHUNK);
    let mut decoder = FrameDecoder::new(0);
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
                        available: buf.len(),
                        needed: 8,
                    },
                );
            }
        }
        if !at_start {
            loop {
                let offset = decoder.position();
                match decoder.decode_frame(&mut buf) {
                    Ok(Some(frame)) => print_frame(out, offset, &frame, show_body)?,
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
                        available: buf.len(),
                        needed,
                    },
                );
            }
        }
        if !eof {
            eof = read_chunk(&mut input, &mut buf)?;
        }
    }
}

/// Appends up to one chunk of input; `true` at the end of the input.
fn read_chunk(input: &mut impl Read, buf: &mut BytesMut) -> Result<bool, Failure> {
    let start = buf.len();
    buf.resize(start + CHUNK, 0);
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

/// Prints one frame that starts at stream offset `offset`.
fn print_frame(out: &mut Out, offset: u64, frame: &Frame, show_body: bool) -> Result<(), Failure> {
    let size = frame
        .encoded_len()
        .saturating_sub(amqp091::codec::FRAME_OVERHEAD);
    let channel = frame.channel();
    if out.json {
        let mut m = Map::new();
        m.insert("offset".into(), json!(offset));
        m.insert("channel".into(), json!(channel));
        m.insert("type".into(), json!(frame.frame_type().to_string()));
        m.insert("size".into(), json!(size));
        match frame {
            Frame::Method { method, .. } => method_json(&mut m, method),
            Frame::Header { header, .. } => header_json(&mut m, header),
            Frame::Body { payload, .. } => {
                if show_body {
                    output::put_body(&mut m, payload);
                }
            }
            Frame::Heartbeat { .. } => {}
            Frame::Unknown(raw) => {
                m.insert("frame_type".into(), json!(raw.frame_type.0));
                m.insert(
                    "payload".into(),
                    json!({ "base64": output::base64(&raw.payload) }),
                );
            }
        }
        return out.json_line(&Value::Object(m));
    }
    let mut text = format!("offset {offset}: channel {channel}, ");
    match frame {
        Frame::Method { method, .. } => method_text(&mut text, method, size),
        Frame::Header { header, .. } => {
            let class = amqp091::codec::spec_info::CLASSES
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
        Frame::Body { payload, .. } => {
            text.push_str(&format!("body, {size} bytes\n"));
            if show_body {
                match std::str::from_utf8(payload) {
                    Ok(s) => text.push_str(&format!("  text: {s:?}\n")),
                    Err(_) => text.push_str(&format!("  hex: {}\n", output::hex(payload))),
                }
            }
        }
        Frame::Heartbeat { .. } => text.push_str("heartbeat\n"),
        Frame::Unknown(raw) => text.push_str(&format!(
            "frame of unknown type {}, {size} bytes: {}\n",
            raw.frame_type.0,
            output::hex(&raw.payload)
        )),
    }
    out.text(&text)
}

/// A method's ids, name and arguments (raw, for a method the spec does not define).
fn method_json(m: &mut Map<String, Value>, method: &Method) {
    m.insert("class_id".into(), json!(method.class_id()));
    m.insert("method_id".into(), json!(method.method_id()));
    m.insert("method".into(), json!(method.name()));
    match method {
        Method::Unknown(u) => {
            m.insert(
                "raw_arguments".into(),
                json!({ "base64": output::base64(&u.args) }),
            );
        }
        known => {
            m.insert("arguments".into(), output::fields_json(&known.fields()));
        }
    }
}

/// A method's name and ids, then its arguments one per line.
fn method_text(text: &mut String, method: &Method, size: usize) {
    match method {
        Method::Unknown(u) => text.push_str(&format!(
            "method {} (not in the spec), {size} bytes, arguments: {}\n",
            method.name(),
            output::hex(&u.args)
        )),
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
    if let Some(c) = amqp091::codec::spec_info::CLASSES
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
