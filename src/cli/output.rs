//! Output: the error type, the stdout writer, how values, tables,
//! properties and messages look as text and as JSON, base64, and the
//! progress line.
//!
//! JSON conventions (shared by messages and frames):
//!
//! * names are the spec's with `-` turned into `_` (`routing_key`, `content_type`);
//! * a `shortstr`/`longstr` is a JSON string when it is UTF-8, else
//!   `{"base64": "..."}`; a byte array (`x`) is always `{"base64": "..."}`;
//! * a field table is an array of `{"name", "type", "value"}` in wire order
//!   (order, duplicates and type tags kept), `type` being the one-letter tag;
//!   an array (`A`) holds `{"type", "value"}` items;
//! * a decimal is `{"scale", "value"}`, a void is `null`, a float that is
//!   not finite is the string `"NaN"`, `"inf"` or `"-inf"`;
//! * a message body is `"body"` (text) when it is UTF-8, else `"body_base64"`.

use std::io::{BufWriter, IsTerminal, Write};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::codec::{ArgValue, ShortStr};
use crate::{BasicProperties, FieldTable, FieldValue};

/// A signal that stops a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interrupt {
    /// SIGINT (Ctrl-C): exit code 130.
    Int,
    /// SIGTERM: exit code 143.
    Term,
}

impl Interrupt {
    /// The shell's exit code for death by this signal (128 + its number).
    pub fn exit_code(self) -> u8 {
        match self {
            Interrupt::Int => 130,
            Interrupt::Term => 143,
        }
    }
}

/// Why the command failed.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The client library's error (its Display names code, text and method).
    #[error("{0}")]
    Amqp(#[from] crate::Error),
    /// Anything else, already worded.
    #[error("{0}")]
    Message(String),
    /// Standard output was closed, or its reader went away (`| head`).
    #[error("standard output was closed")]
    BrokenPipe,
    /// A signal asked the command to stop.
    #[error("interrupted")]
    Interrupted(Interrupt),
}

impl From<crate::UriError> for Failure {
    fn from(e: crate::UriError) -> Self {
        Failure::Amqp(e.into())
    }
}

impl Failure {
    /// A failure with this text.
    pub fn msg(text: impl Into<String>) -> Self {
        Failure::Message(text.into())
    }

    /// A failure to write the output.
    pub fn output(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Message(format!("cannot write to standard output: {e}"))
        }
    }
}

/// Standard output (or any writer), buffered; text or JSON lines. Counts
/// the bytes written, so that a caller can tell when a reader has read
/// past a point.
pub struct Out {
    w: BufWriter<Box<dyn Write + Send>>,
    written: u64,
    /// Print JSON lines instead of text.
    pub json: bool,
}

impl Out {
    /// Stdout in the chosen mode.
    pub fn new(json: bool) -> Self {
        Out::to_writer(Box::new(std::io::stdout()), json)
    }

    /// Any writer in the chosen mode.
    pub fn to_writer(w: Box<dyn Write + Send>, json: bool) -> Self {
        Out {
            w: BufWriter::with_capacity(64 * 1024, w),
            written: 0,
            json,
        }
    }

    /// Writes text as is.
    pub fn text(&mut self, s: &str) -> Result<(), Failure> {
        self.w.write_all(s.as_bytes()).map_err(Failure::output)?;
        self.written += s.len() as u64;
        Ok(())
    }

    /// Writes one JSON object and a newline.
    pub fn json_line(&mut self, v: &Value) -> Result<(), Failure> {
        let mut line = v.to_string();
        line.push('\n');
        self.text(&line)
    }

    /// Pushes everything written so far out.
    pub fn flush(&mut self) -> Result<(), Failure> {
        self.w.flush().map_err(Failure::output)
    }

    /// Bytes written so far (buffered or not).
    pub fn written(&self) -> u64 {
        self.written
    }
}

// ----- JSON -----

/// A spec name as a JSON key: `routing-key` → `routing_key`.
pub fn json_key(spec_name: &str) -> String {
    spec_name.replace('-', "_")
}

/// Text when UTF-8, else `{"base64": ...}`.
pub fn bytes_json(b: &[u8]) -> Value {
    match std::str::from_utf8(b) {
        Ok(s) => Value::String(s.to_string()),
        Err(_) => json!({ "base64": base64(b) }),
    }
}

/// A short string (text, or base64 when not UTF-8).
fn short_json(s: &ShortStr) -> Value {
    bytes_json(s.as_bytes())
}

/// A float as a JSON number; `NaN` and infinities as strings.
fn float_json(x: f64, shortest: Option<String>) -> Value {
    if x.is_nan() {
        return json!("NaN");
    }
    if x.is_infinite() {
        return json!(if x > 0.0 { "inf" } else { "-inf" });
    }
    // An f32 as its shortest decimal (1.1, not 1.100000023841858).
    let x = shortest.and_then(|s| s.parse::<f64>().ok()).unwrap_or(x);
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// A method argument or property value.
pub fn arg_json(v: &ArgValue<'_>) -> Value {
    match v {
        ArgValue::Bit(b) => json!(b),
        ArgValue::Octet(n) => json!(n),
        ArgValue::Short(n) => json!(n),
        ArgValue::Long(n) => json!(n),
        ArgValue::LongLong(n) | ArgValue::Timestamp(n) => json!(n),
        ArgValue::ShortStr(s) => short_json(s),
        ArgValue::LongStr(s) => bytes_json(s.as_bytes()),
        ArgValue::Table(t) => table_json(t),
    }
}

/// The one-letter type tag of a field value, as a string.
pub fn tag(v: &FieldValue) -> String {
    char::from(v.tag()).to_string()
}

/// A field value without its tag.
pub fn value_json(v: &FieldValue) -> Value {
    match v {
        FieldValue::Bool(b) => json!(b),
        FieldValue::I8(n) => json!(n),
        FieldValue::U8(n) => json!(n),
        FieldValue::I16(n) => json!(n),
        FieldValue::U16(n) => json!(n),
        FieldValue::I32(n) => json!(n),
        FieldValue::U32(n) => json!(n),
        FieldValue::I64(n) => json!(n),
        FieldValue::U64(n) => json!(n),
        FieldValue::F32(x) => float_json(f64::from(*x), Some(x.to_string())),
        FieldValue::F64(x) => float_json(*x, None),
        FieldValue::Decimal { scale, value } => json!({ "scale": scale, "value": value }),
        FieldValue::LongStr(s) => bytes_json(s.as_bytes()),
        FieldValue::Bytes(b) => json!({ "base64": base64(b) }),
        FieldValue::Array(a) => Value::Array(
            a.0.iter()
                .map(|v| json!({ "type": tag(v), "value": value_json(v) }))
                .collect(),
        ),
        FieldValue::Timestamp(t) => json!(t),
        FieldValue::Table(t) => table_json(t),
        FieldValue::Void => Value::Null,
    }
}

/// A field table: `[{"name", "type", "value"}, ...]` in wire order.
pub fn table_json(t: &FieldTable) -> Value {
    Value::Array(
        t.iter()
            .map(|(k, v)| json!({ "name": short_json(k), "type": tag(v), "value": value_json(v) }))
            .collect(),
    )
}

/// `(spec name, value)` pairs as an object with JSON keys, in order.
pub fn fields_json(fields: &[(&'static str, ArgValue<'_>)]) -> Value {
    let mut m = Map::new();
    for (name, v) in fields {
        m.insert(json_key(name), arg_json(v));
    }
    Value::Object(m)
}

/// The present properties.
pub fn properties_json(p: &BasicProperties) -> Value {
    fields_json(&p.fields())
}

/// Adds `"body"` (UTF-8) or `"body_base64"` to an object.
pub fn put_body(m: &mut Map<String, Value>, body: &[u8]) {
    match std::str::from_utf8(body) {
        Ok(s) => m.insert("body".into(), json!(s)),
        Err(_) => m.insert("body_base64".into(), json!(base64(body))),
    };
}

// ----- text -----

/// A string for people: quoted with escapes when UTF-8, else `b"..."`
/// with `\xNN` escapes.
pub fn quote(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => format!("{s:?}"),
        Err(_) => format!("b\"{}\"", b.escape_ascii()),
    }
}

/// A readable name of a field value type tag.
fn type_name(tag: u8) -> &'static str {
    match tag {
        b't' => "bool",
        b'b' => "i8",
        b'B' => "u8",
        b's' => "i16",
        b'u' => "u16",
        b'I' => "i32",
        b'i' => "u32",
        b'l' => "i64",
        b'L' => "u64",
        b'f' => "f32",
        b'd' => "f64",
        b'D' => "decimal",
        b'S' => "longstr",
        b'x' => "bytes",
        b'A' => "array",
        b'T' => "timestamp",
        b'F' => "table",
        b'V' => "void",
        _ => "?",
    }
}

/// Indents by `indent` spaces.
fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// One field value after `label`, as `label (T, type): value`, nested
/// tables and arrays on the following lines, indented.
fn value_text(out: &mut String, indent: usize, label: &str, v: &FieldValue) {
    pad(out, indent);
    let t = v.tag();
    out.push_str(&format!("{label} ({}, {}):", char::from(t), type_name(t)));
    let scalar = match v {
        FieldValue::Bool(b) => b.to_string(),
        FieldValue::I8(n) => n.to_string(),
        FieldValue::U8(n) => n.to_string(),
        FieldValue::I16(n) => n.to_string(),
        FieldValue::U16(n) => n.to_string(),
        FieldValue::I32(n) => n.to_string(),
        FieldValue::U32(n) => n.to_string(),
        FieldValue::I64(n) => n.to_string(),
        FieldValue::U64(n) => n.to_string(),
        FieldValue::F32(x) => x.to_string(),
        FieldValue::F64(x) => x.to_string(),
        FieldValue::Decimal { scale, value } => format!("{value}e-{scale}"),
        FieldValue::LongStr(s) => quote(s.as_bytes()),
        FieldValue::Bytes(b) => format!("{} bytes: {}", b.len(), hex(b)),
        FieldValue::Timestamp(t) => t.to_string(),
        FieldValue::Void => "(void)".into(),
        FieldValue::Array(a) if a.0.is_empty() => "[]".into(),
        FieldValue::Table(t) if t.is_empty() => "{}".into(),
        FieldValue::Array(a) => {
            out.push('\n');
            for (i, item) in a.0.iter().enumerate() {
                value_text(out, indent + 2, &format!("[{i}]"), item);
            }
            return;
        }
        FieldValue::Table(t) => {
            out.push('\n');
            table_text(out, indent + 2, t);
            return;
        }
    };
    out.push(' ');
    out.push_str(&scalar);
    out.push('\n');
}

/// Every entry of a table, one per line (nested ones indented further).
pub fn table_text(out: &mut String, indent: usize, t: &FieldTable) {
    for (k, v) in t.iter() {
        let name = match k.as_str() {
            Some(s)
                if !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c.is_control()) =>
            {
                s.to_string()
            }
            _ => quote(k.as_bytes()),
        };
        value_text(out, indent, &name, v);
    }
}

/// `(spec name, value)` pairs, one per line: `name: value`.
pub fn fields_text(out: &mut String, indent: usize, fields: &[(&'static str, ArgValue<'_>)]) {
    for (name, v) in fields {
        pad(out, indent);
        out.push_str(name);
        out.push(':');
        match v {
            ArgValue::Table(t) if t.is_empty() => out.push_str(" {}\n"),
            ArgValue::Table(t) => {
                out.push('\n');
                table_text(out, indent + 2, t);
            }
            other => {
                out.push(' ');
                out.push_str(&arg_text(other));
                out.push('\n');
            }
        }
    }
}

/// A scalar method argument or property as text.
fn arg_text(v: &ArgValue<'_>) -> String {
    match v {
        ArgValue::Bit(b) => b.to_string(),
        ArgValue::Octet(n) => n.to_string(),
        ArgValue::Short(n) => n.to_string(),
        ArgValue::Long(n) => n.to_string(),
        ArgValue::LongLong(n) | ArgValue::Timestamp(n) => n.to_string(),
        ArgValue::ShortStr(s) => quote(s.as_bytes()),
        ArgValue::LongStr(s) => quote(s.as_bytes()),
        ArgValue::Table(_) => "(table)".into(),
    }
}

/// Lowercase hex.
pub fn hex(b: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for &byte in b {
        s.push(char::from(DIGITS[usize::from(byte >> 4)]));
        s.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    s
}

/// Whether a character must not reach a terminal as is: C0 and C1 controls
/// and DEL (escape sequences, carriage returns, bells), and the Unicode
/// bidirectional overrides that reorder what is displayed.
fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text for a terminal: every control character (but a line feed and a tab
/// when `keep_lines`) written as an escape (`\x1b`, `\u{9b}`).
pub fn escape_controls(s: &str, keep_lines: bool) -> std::borrow::Cow<'_, str> {
    let keep = |c: char| keep_lines && matches!(c, '\n' | '\t');
    if !s.chars().any(|c| is_unsafe_for_terminal(c) && !keep(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe_for_terminal(c) && !keep(c) {
            match u32::from(c) {
                n @ 0..=0x7f => out.push_str(&format!("\\x{n:02x}")),
                n => out.push_str(&format!("\\u{{{n:x}}}")),
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Standard base64 (RFC 4648, with padding).
pub fn base64(b: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(b.len().div_ceil(3) * 4);
    for chunk in b.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(chunk.get(1).copied().unwrap_or(0)) << 8)
            | u32::from(chunk.get(2).copied().unwrap_or(0));
        let sextet = |i: u32| char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]);
        s.push(sextet(0));
        s.push(sextet(1));
        s.push(if chunk.len() > 1 { sextet(2) } else { '=' });
        s.push(if chunk.len() > 2 { sextet(3) } else { '=' });
    }
    s
}

// ----- messages -----

/// A fetched or delivered message, whichever way it came.
pub struct MessageView<'a> {
    /// Tag to acknowledge it with.
    pub delivery_tag: u64,
    /// Delivered before and not acknowledged.
    pub redelivered: bool,
    /// Exchange it was published to.
    pub exchange: &'a ShortStr,
    /// Routing key it was published with.
    pub routing_key: &'a ShortStr,
    /// `basic.get-ok`: messages left in the queue.
    pub message_count: Option<u32>,
    /// `basic.deliver`: the consumer.
    pub consumer_tag: Option<&'a ShortStr>,
    /// Its properties.
    pub properties: &'a BasicProperties,
    /// Its body.
    pub body: &'a [u8],
}

impl MessageView<'_> {
    /// The message as one JSON object.
    pub fn json(&self) -> Value {
        let mut m = Map::new();
        m.insert("delivery_tag".into(), json!(self.delivery_tag));
        m.insert("exchange".into(), short_json(self.exchange));
        m.insert("routing_key".into(), short_json(self.routing_key));
        m.insert("redelivered".into(), json!(self.redelivered));
        if let Some(n) = self.message_count {
            m.insert("message_count".into(), json!(n));
        }
        if let Some(tag) = self.consumer_tag {
            m.insert("consumer_tag".into(), short_json(tag));
        }
        m.insert("properties".into(), properties_json(self.properties));
        m.insert("body_size".into(), json!(self.body.len()));
        put_body(&mut m, self.body);
        Value::Object(m)
    }

    /// The message as text: its envelope and present properties one per
    /// line, then the body (as text when UTF-8, else hex), then a blank line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "delivery-tag: {}\nexchange: {}\nrouting-key: {}\nredelivered: {}\n",
            self.delivery_tag,
            quote(self.exchange.as_bytes()),
            quote(self.routing_key.as_bytes()),
            self.redelivered
        ));
        if let Some(n) = self.message_count {
            out.push_str(&format!("message-count: {n}\n"));
        }
        if let Some(tag) = self.consumer_tag {
            out.push_str(&format!("consumer-tag: {}\n", quote(tag.as_bytes())));
        }
        let props = self.properties.fields();
        if !props.is_empty() {
            out.push_str("properties:\n");
            fields_text(&mut out, 2, &props);
        }
        body_text(&mut out, self.body);
        out.push('\n');
        out
    }
}

/// `body (N bytes): text` (one line), or the text or hex on the lines after.
fn body_text(out: &mut String, body: &[u8]) {
    let n = count_of(body.len() as u64, "byte");
    match std::str::from_utf8(body) {
        Ok("") => out.push_str("body (0 bytes)\n"),
        Ok(s) if !s.contains(['\n', '\r']) => {
            out.push_str(&format!("body ({n}): {}\n", escape_controls(s, false)));
        }
        Ok(s) => {
            out.push_str(&format!("body ({n}):\n{}", escape_controls(s, true)));
            if !s.ends_with('\n') {
                out.push('\n');
            }
        }
        Err(_) => {
            out.push_str(&format!("body ({n}, not UTF-8, in hex):\n"));
            for line in body.chunks(32) {
                out.push_str(&hex(line));
                out.push('\n');
            }
        }
    }
}

/// `1 message`, `2 messages`.
pub fn count_of(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

// ----- progress -----

/// A `\r`-overwritten progress line on stderr (count and rate), redrawn at
/// most five times a second; silent unless stderr is a terminal.
pub struct Progress {
    enabled: bool,
    /// Stdout is the same terminal: clear the line before output goes there.
    clear_for_stdout: bool,
    verb: &'static str,
    total: Option<u64>,
    count: u64,
    started: Instant,
    last_draw: Option<Instant>,
    drawn: bool,
}

/// Least time between two redraws of the progress line.
const REDRAW: Duration = Duration::from_millis(200);

impl Progress {
    /// A progress line for `verb` ("published"), out of `total` if known.
    pub fn new(verb: &'static str, total: Option<u64>) -> Self {
        let enabled = std::io::stderr().is_terminal();
        Progress {
            enabled,
            clear_for_stdout: enabled && std::io::stdout().is_terminal(),
            verb,
            total,
            count: 0,
            started: Instant::now(),
            last_draw: None,
            drawn: false,
        }
    }

    /// A progress line that never shows.
    pub fn off() -> Self {
        Progress {
            enabled: false,
            clear_for_stdout: false,
            ..Progress::new("", None)
        }
    }

    /// Counts one more; redraws when the last draw is old enough.
    pub fn tick(&mut self) {
        self.count += 1;
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self
            .last_draw
            .is_none_or(|t| now.duration_since(t) >= REDRAW)
        {
            self.draw(now);
        }
    }

    /// Clears the line before something is written to a terminal stdout.
    pub fn before_output(&mut self) {
        if self.clear_for_stdout && self.drawn {
            eprint!("\r\x1b[K");
            self.drawn = false;
        }
    }

    fn draw(&mut self, now: Instant) {
        let secs = now.duration_since(self.started).as_secs_f64();
        let rate = if secs > 0.0 {
            self.count as f64 / secs
        } else {
            0.0
        };
        let count = match self.total {
            Some(t) => format!("{}/{}", self.count, count_of(t, "message")),
            None => count_of(self.count, "message"),
        };
        eprint!("\r\x1b[K{} {count} ({rate:.0}/s)", self.verb);
        self.last_draw = Some(now);
        self.drawn = true;
    }

    /// Draws the final count and ends the line.
    pub fn finish(&mut self) {
        if self.enabled && self.count > 0 {
            self.draw(Instant::now());
            eprintln!();
            self.drawn = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn tables_keep_order_types_and_nesting() {
        let mut inner = FieldTable::new();
        inner.insert("b", true);
        let mut t = FieldTable::new();
        t.insert("s", "x");
        t.insert("n", 5i32);
        t.insert("f", 1.1f32);
        t.insert("in", inner);
        t.insert("nan", f64::NAN);
        let v = table_json(&t);
        assert_eq!(
            v,
            json!([
                {"name": "s", "type": "S", "value": "x"},
                {"name": "n", "type": "I", "value": 5},
                {"name": "f", "type": "f", "value": 1.1},
                {"name": "in", "type": "F", "value": [{"name": "b", "type": "t", "value": true}]},
                {"name": "nan", "type": "d", "value": "NaN"},
            ])
        );
        let mut text = String::new();
        table_text(&mut text, 0, &t);
        assert_eq!(
            text,
            "s (S, longstr): \"x\"\nn (I, i32): 5\nf (f, f32): 1.1\nin (F, table):\n  b (t, bool): true\nnan (d, f64): NaN\n"
        );
    }

    #[test]
    fn bodies() {
        let mut m = Map::new();
        put_body(&mut m, b"hi");
        put_body(&mut m, &[0xff]);
        assert_eq!(
            Value::Object(m),
            json!({"body": "hi", "body_base64": "/w=="})
        );
        assert_eq!(quote(b"a\"b"), "\"a\\\"b\"");
        assert_eq!(quote(&[0xff, b'a']), "b\"\\xffa\"");
    }

    #[test]
    fn escape_controls_leaves_no_control_character_but_kept_lines() {
        assert_eq!(escape_controls("plain", false), "plain");
        assert_eq!(
            escape_controls("a\x1b[31mb\rc\u{9b}2J\u{202e}", false),
            "a\\x1b[31mb\\x0dc\\u{9b}2J\\u{202e}"
        );
        assert_eq!(escape_controls("a\nb\tc\x07", true), "a\nb\tc\\x07");
        assert_eq!(escape_controls("a\nb", false), "a\\x0ab");
    }

    #[test]
    fn message_text_escapes_terminal_sequences_in_the_body() {
        let exchange = ShortStr::from_static("");
        let key = ShortStr::from_static("q");
        let props = BasicProperties::default();
        for body in [&b"\x1b]0;pwned\x07\x1b[2J"[..], b"line\n\x1b[31mred\r\n"] {
            let view = MessageView {
                delivery_tag: 1,
                redelivered: false,
                exchange: &exchange,
                routing_key: &key,
                message_count: None,
                consumer_tag: None,
                properties: &props,
                body,
            };
            let text = view.text();
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{text:?}"
            );
            assert!(text.contains("\\x1b"), "{text:?}");
        }
    }
}
