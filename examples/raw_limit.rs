//! The broker's limit: the scenarios of `perf.rs` (and of rabbitmq-c's
//! bench-c) with no client library in the way. Every frame of the timed part
//! is encoded with the codec before the timer starts; the timed part writes
//! those bytes to a blocking `std::net::TcpStream` and parses what comes back
//! by hand (frame headers, the few method fields it needs, the body stamp).
//! What a client costs on top of this, and what share of this rate it gets,
//! is what `scripts/bench-compare.sh` reports.
//!
//! ```sh
//! cargo run --release --example raw_limit -- consume 16 200000   # scenario, body size, count
//! ```
//!
//! Output: the line format of `perf.rs` (scenario, bytes, msgs, msgs/s,
//! client CPU µs per message from `/proc/self/stat`, p50 and p99 µs).
//! Scenarios (bench-c's policy): `publish` (ends when a passive
//! queue.declare, polled every 50 ms, counts every message), `confirm` (at
//! most 1000 unconfirmed, ends at the last confirm), `consume` (prefetch
//! 1000, ack multiple=true every 100 and on the last, ends with a passive
//! declare after the last ack), `get` (basic.get then basic.ack, one message
//! at a time; latency: get sent to body received), `roundtrip` (publish one,
//! wait for its delivery, ack it; latency: publish to delivery). In `get` and
//! `roundtrip` each ack leaves in one write with the next request, as a
//! client that writes what it has queued does. Bodies carry
//! bench-c's stamp (little-endian sequence number, 0xA5 filler, the number's
//! low byte last) and every one is checked.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use amqp091::codec::method::{
    BasicAck, BasicConsume, BasicGet, BasicPublish, BasicQos, ChannelOpen, ConfirmSelect,
    ConnectionOpen, ConnectionStartOk, ConnectionTuneOk, QueueDeclare,
};
use amqp091::codec::{
    encode_content, encode_method, BasicProperties, FieldTable, LongStr, MethodArgs,
    ProtocolHeader, ShortStr,
};
use amqp091::ConnectionOptions;
use bytes::BytesMut;

#[path = "common/cpu.rs"]
mod cpu;
use cpu::cpu_time;

type Result<T> = std::result::Result<T, String>;

const CH: u16 = 1;
const FRAME_MAX: u32 = 131_072;
const WINDOW: usize = 1000;
const ACK_EVERY: usize = 100;

fn be_u16(b: &[u8], at: usize) -> Result<u16> {
    b.get(at..at + 2)
        .map(|s| u16::from_be_bytes([s[0], s[1]]))
        .ok_or_else(|| "short frame".to_string())
}

fn be_u64(b: &[u8], at: usize) -> Result<u64> {
    let s = b.get(at..at + 8).ok_or("short frame")?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Ok(u64::from_be_bytes(a))
}

/// Skips a short string at `at`, returning the offset after it.
fn skip_shortstr(b: &[u8], at: usize) -> Result<usize> {
    let len = *b.get(at).ok_or("short frame")? as usize;
    Ok(at + 1 + len)
}

/// bench-c's body: the sequence number little-endian, 0xA5, its low byte last.
fn body(size: usize, seq: u64) -> Vec<u8> {
    let mut b = vec![0xA5; size];
    b[..8].copy_from_slice(&seq.to_le_bytes());
    b[size - 1] = seq as u8;
    b
}

fn check_body(b: &[u8], size: usize, seq: u64) -> Result<()> {
    let ok = b.len() == size
        && b[..8] == seq.to_le_bytes()
        && b[size - 1] == seq as u8
        && b[8..size - 1].iter().all(|&x| x == 0xA5);
    if ok {
        Ok(())
    } else {
        Err(format!("message {seq}: wrong body ({} bytes)", b.len()))
    }
}

/// A message as the hand parser sees it: method payload range, body range.
struct Message {
    class_method: (u16, u16),
    tag: u64,
    body_at: usize,
    body_len: usize,
}

/// One connection: a blocking socket and a read buffer parsed in place.
struct Raw {
    sock: TcpStream,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    queue: String,
}

impl Raw {
    fn connect(url: &str) -> Result<Raw> {
        let o = ConnectionOptions::from_url(url).map_err(|e| e.to_string())?;
        let sock = TcpStream::connect((o.host.as_str(), o.port)).map_err(|e| e.to_string())?;
        sock.set_nodelay(true).map_err(|e| e.to_string())?;
        let mut raw = Raw {
            sock,
            buf: vec![0; 1 << 20],
            start: 0,
            end: 0,
            queue: String::new(),
        };
        raw.write(&ProtocolHeader::AMQP_0_9_1.to_bytes())?;
        raw.expect_method((10, 10))?; // connection.start
        let mut response = vec![0u8];
        response.extend_from_slice(o.username.as_bytes());
        response.push(0);
        response.extend_from_slice(o.password.as_bytes());
        raw.send(
            0,
            &ConnectionStartOk {
                client_properties: FieldTable::new(),
                mechanism: ShortStr::from_static("PLAIN"),
                response: LongStr::from(response),
                locale: ShortStr::from_static("en_US"),
            },
        )?;
        raw.expect_method((10, 30))?; // connection.tune
        raw.send(
            0,
            &ConnectionTuneOk {
                channel_max: 16,
                frame_max: FRAME_MAX,
                heartbeat: 0,
            },
        )?;
        let vhost = ShortStr::copy_from_str(&o.vhost).map_err(|e| e.to_string())?;
        raw.send(
            0,
            &ConnectionOpen {
                virtual_host: vhost,
                ..Default::default()
            },
        )?;
        raw.expect_method((10, 41))?;
        raw.send(CH, &ChannelOpen::default())?;
        raw.expect_method((20, 11))?;
        let declare = QueueDeclare {
            exclusive: true,
            ..Default::default()
        };
        raw.send(CH, &declare)?;
        let (at, len) = raw.expect_method((50, 11))?;
        let name_len = *raw.buf.get(at + 4).ok_or("short declare-ok")? as usize;
        let name = raw.buf.get(at + 5..at + 5 + name_len).ok_or("short")?;
        raw.queue = String::from_utf8_lossy(name).into_owned();
        debug_assert!(len >= 5 + name_len);
        Ok(raw)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.sock.write_all(bytes).map_err(|e| e.to_string())
    }

    /// Encodes and sends one method (setup, outside the timed part).
    fn send<M: MethodArgs>(&mut self, channel: u16, m: &M) -> Result<()> {
        let mut b = BytesMut::new();
        encode_method(&mut b, channel, m);
        self.write(&b)
    }

    /// The next frame: (type, channel, payload offset, payload length).
    /// The payload stays valid until the next call.
    fn frame(&mut self) -> Result<(u8, u16, usize, usize)> {
        loop {
            let avail = self.end - self.start;
            if avail >= 7 {
                let h = &self.buf[self.start..self.start + 7];
                let size = u32::from_be_bytes([h[3], h[4], h[5], h[6]]) as usize;
                if size + 8 > FRAME_MAX as usize {
                    return Err(format!("frame of {size} bytes"));
                }
                if avail >= size + 8 {
                    let (ty, ch) = (h[0], u16::from_be_bytes([h[1], h[2]]));
                    let at = self.start + 7;
                    if self.buf[at + size] != 0xCE {
                        return Err("bad frame end".into());
                    }
                    self.start = at + size + 1;
                    return Ok((ty, ch, at, size));
                }
            }
            if self.buf.len() - self.end < FRAME_MAX as usize {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            let n = self
                .sock
                .read(&mut self.buf[self.end..])
                .map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("connection closed by the broker".into());
            }
            self.end += n;
        }
    }

    /// Whether a whole frame is in the buffer (the next `frame` reads nothing).
    fn has_frame(&self) -> bool {
        let avail = self.end - self.start;
        avail >= 7 && {
            let h = &self.buf[self.start..self.start + 7];
            avail >= u32::from_be_bytes([h[3], h[4], h[5], h[6]]) as usize + 8
        }
    }

    /// The next method frame, which must be `want`: its payload's place.
    fn expect_method(&mut self, want: (u16, u16)) -> Result<(usize, usize)> {
        let (ty, _, at, len) = self.frame()?;
        let p = &self.buf[at..at + len];
        let got = (be_u16(p, 0)?, be_u16(p, 2)?);
        if ty != 1 || got != want {
            return Err(self.unexpected(ty, got, at, len));
        }
        Ok((at, len))
    }

    fn unexpected(&self, ty: u8, got: (u16, u16), at: usize, len: usize) -> String {
        let p = &self.buf[at..at + len];
        if ty == 1 && (got == (10, 50) || got == (20, 40)) {
            let code = be_u16(p, 4).unwrap_or(0);
            let text_len = p.get(6).copied().unwrap_or(0) as usize;
            let text = p.get(7..7 + text_len).unwrap_or(b"");
            return format!(
                "closed by the broker: {code} {}",
                String::from_utf8_lossy(text)
            );
        }
        format!("unexpected frame type {ty} method {got:?}")
    }

    /// A method with content (deliver, get-ok): method, header, body frames.
    fn message(&mut self) -> Result<Message> {
        let (ty, _, at, len) = self.frame()?;
        let p = &self.buf[at..at + len];
        let cm = (be_u16(p, 0)?, be_u16(p, 2)?);
        let tag = match cm {
            (60, 60) => be_u64(p, skip_shortstr(p, 4)?)?, // deliver: consumer tag first
            (60, 71) => be_u64(p, 4)?,                    // get-ok
            _ => return Err(self.unexpected(ty, cm, at, len)),
        };
        let (ty, _, at, len) = self.frame()?;
        if ty != 2 {
            return Err(format!("frame type {ty} instead of a content header"));
        }
        let size = be_u64(&self.buf[at..at + len], 4)? as usize;
        // One body frame for every size these scenarios use (below frame_max).
        let (body_at, body_len) = if size == 0 {
            (at, 0)
        } else {
            let (ty, _, at, len) = self.frame()?;
            if ty != 3 || len != size {
                return Err(format!("body frame type {ty}, {len} of {size} bytes"));
            }
            (at, len)
        };
        Ok(Message {
            class_method: cm,
            tag,
            body_at,
            body_len,
        })
    }

    fn body(&self, m: &Message) -> &[u8] {
        &self.buf[m.body_at..m.body_at + m.body_len]
    }

    /// Message count of the queue, by a passive queue.declare (pre-encoded).
    fn count(&mut self, declare: &[u8]) -> Result<u32> {
        self.write(declare)?;
        let (at, _) = self.expect_method((50, 11))?;
        let p = &self.buf[at..];
        let after = skip_shortstr(p, 4)?;
        let c = p.get(after..after + 4).ok_or("short declare-ok")?;
        Ok(u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
    }

    fn wait_count(&mut self, declare: &[u8], n: usize) -> Result<()> {
        let start = Instant::now();
        loop {
            let c = self.count(declare)? as usize;
            if c == n {
                return Ok(());
            }
            if c > n || start.elapsed() > Duration::from_secs(60) {
                return Err(format!("queue holds {c} messages, expected {n}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Pre-encoded frames of one run.
struct Frames {
    /// The publishes, back to back; message `i` is at `i * publish_len`.
    publishes: Vec<u8>,
    publish_len: usize,
    /// `basic.ack` for delivery tag `t` (multiple as the scenario wants) at `(t - 1) * ACK_LEN`.
    acks: Vec<u8>,
    passive: Vec<u8>,
    get: Vec<u8>,
    qos_consume: Vec<u8>,
}

const ACK_LEN: usize = 21;

impl Frames {
    fn new(queue: &str, size: usize, count: usize, multiple: bool) -> Result<Frames> {
        let q = ShortStr::copy_from_str(queue).map_err(|e| e.to_string())?;
        let publish = BasicPublish {
            routing_key: q.clone(),
            ..Default::default()
        };
        let mut publishes = BytesMut::new();
        let props = BasicProperties::default();
        for i in 0..count {
            encode_method(&mut publishes, CH, &publish);
            encode_content(&mut publishes, CH, &props, &body(size, i as u64), FRAME_MAX);
        }
        let mut acks = BytesMut::with_capacity(count * ACK_LEN);
        for tag in 1..=count as u64 {
            encode_method(
                &mut acks,
                CH,
                &BasicAck {
                    delivery_tag: tag,
                    multiple,
                },
            );
        }
        let one = |m: &dyn Fn(&mut BytesMut)| {
            let mut b = BytesMut::new();
            m(&mut b);
            b.to_vec()
        };
        let passive = QueueDeclare {
            queue: q.clone(),
            passive: true,
            ..Default::default()
        };
        let get = BasicGet {
            queue: q.clone(),
            ..Default::default()
        };
        let qos = BasicQos {
            prefetch_count: WINDOW as u16,
            ..Default::default()
        };
        let consume = BasicConsume {
            queue: q,
            ..Default::default()
        };
        Ok(Frames {
            publish_len: publishes.len() / count.max(1),
            publishes: publishes.to_vec(),
            acks: acks.to_vec(),
            passive: one(&|b| encode_method(b, CH, &passive)),
            get: one(&|b| encode_method(b, CH, &get)),
            qos_consume: one(&|b| {
                encode_method(b, CH, &qos);
                encode_method(b, CH, &consume)
            }),
        })
    }

    fn publishes(&self, from: usize, to: usize) -> &[u8] {
        &self.publishes[from * self.publish_len..to * self.publish_len]
    }

    fn ack(&self, tag: u64) -> &[u8] {
        let at = (tag as usize - 1) * ACK_LEN;
        &self.acks[at..at + ACK_LEN]
    }
}

/// One write per step of a request/response loop, pre-encoded: the ack of
/// message `i - 1` (none before the first) and request `i`, so that the ack
/// leaves with the next request instead of in a write of its own.
struct Chain {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Chain {
    fn new<'a>(f: &'a Frames, count: usize, request: impl Fn(usize) -> &'a [u8]) -> Chain {
        let (mut bytes, mut ends) = (Vec::new(), Vec::with_capacity(count));
        for i in 0..count {
            if i > 0 {
                bytes.extend_from_slice(f.ack(i as u64));
            }
            bytes.extend_from_slice(request(i));
            ends.push(bytes.len());
        }
        Chain { bytes, ends }
    }

    fn step(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }
}

/// Consumes `count` messages (prefetch 1000, ack every 100 and the last),
/// checking each; ends after a passive declare shows the queue empty.
fn consume(raw: &mut Raw, f: &Frames, size: usize, count: usize) -> Result<()> {
    raw.write(&f.qos_consume)?;
    raw.expect_method((60, 11))?;
    raw.expect_method((60, 21))?;
    for i in 0..count {
        let m = raw.message()?;
        check_body(raw.body(&m), size, i as u64)?;
        if m.class_method != (60, 60) || m.tag != i as u64 + 1 {
            return Err(format!("delivery {i}: tag {}", m.tag));
        }
        if (i + 1) % ACK_EVERY == 0 || i + 1 == count {
            raw.write(f.ack(m.tag))?;
        }
    }
    raw.wait_count(&f.passive, 0)
}

fn run(
    url: &str,
    scenario: &str,
    size: usize,
    count: usize,
) -> Result<(Duration, Duration, Vec<Duration>)> {
    let mut raw = Raw::connect(url)?;
    // Consumers ack with multiple=true; get and roundtrip ack each message.
    let multiple = !matches!(scenario, "get" | "roundtrip");
    let f = Frames::new(&raw.queue.clone(), size, count, multiple)?;
    let mut lat = Vec::new();
    let fill = |raw: &mut Raw| -> Result<()> {
        raw.write(f.publishes(0, count))?;
        raw.wait_count(&f.passive, count)
    };
    let t0c0: (Instant, Duration);
    match scenario {
        "publish" => {
            t0c0 = (Instant::now(), cpu_time());
            fill(&mut raw)?;
        }
        "confirm" => {
            raw.send(CH, &ConfirmSelect::default())?;
            raw.expect_method((85, 11))?;
            t0c0 = (Instant::now(), cpu_time());
            let (mut sent, mut confirmed) = (0usize, 0usize);
            while confirmed < count {
                // Write when every confirm read so far is handled.
                if sent < count && sent - confirmed < WINDOW && !raw.has_frame() {
                    let to = count.min(confirmed + WINDOW);
                    raw.write(f.publishes(sent, to))?;
                    sent = to;
                }
                let (ty, _, at, len) = raw.frame()?;
                let p = &raw.buf[at..at + len];
                let cm = (be_u16(p, 0)?, be_u16(p, 2)?);
                if ty != 1 || cm != (60, 80) {
                    return Err(raw.unexpected(ty, cm, at, len));
                }
                let tag = be_u64(p, 4)? as usize;
                let multiple = p.get(12).is_some_and(|b| b & 1 == 1);
                if tag > sent || tag <= confirmed && !multiple {
                    return Err(format!("confirm for tag {tag}, {confirmed} of {sent} done"));
                }
                // RabbitMQ confirms in order: a single ack is the next one.
                confirmed = if multiple {
                    tag.max(confirmed)
                } else {
                    confirmed + 1
                };
            }
        }
        "consume" => {
            fill(&mut raw)?;
            t0c0 = (Instant::now(), cpu_time());
            consume(&mut raw, &f, size, count)?;
        }
        "get" => {
            fill(&mut raw)?;
            lat.reserve(count);
            let chain = Chain::new(&f, count, |_| &f.get);
            t0c0 = (Instant::now(), cpu_time());
            for i in 0..count {
                let start = Instant::now();
                raw.write(chain.step(i))?; // the previous message's ack, then the get
                let m = raw.message()?;
                lat.push(start.elapsed());
                check_body(raw.body(&m), size, i as u64)?;
                if m.class_method != (60, 71) || m.tag != i as u64 + 1 {
                    return Err(format!("get {i}: {:?} tag {}", m.class_method, m.tag));
                }
            }
            raw.write(f.ack(count as u64))?;
            raw.wait_count(&f.passive, 0)?;
        }
        "roundtrip" => {
            raw.write(&f.qos_consume)?;
            raw.expect_method((60, 11))?;
            raw.expect_method((60, 21))?;
            lat.reserve(count);
            let chain = Chain::new(&f, count, |i| f.publishes(i, i + 1));
            t0c0 = (Instant::now(), cpu_time());
            for i in 0..count {
                let start = Instant::now();
                raw.write(chain.step(i))?; // the previous delivery's ack, then the publish
                let m = raw.message()?;
                lat.push(start.elapsed());
                check_body(raw.body(&m), size, i as u64)?;
                if m.class_method != (60, 60) || m.tag != i as u64 + 1 {
                    return Err(format!("roundtrip {i}: tag {}", m.tag));
                }
            }
            raw.write(f.ack(count as u64))?;
            raw.wait_count(&f.passive, 0)?;
        }
        other => return Err(format!("unknown scenario {other}")),
    }
    let (elapsed, cpu) = (t0c0.0.elapsed(), cpu_time() - t0c0.1);
    if scenario == "publish" || scenario == "confirm" {
        // Untimed: every body arrived intact (deliveries' tags start at 1).
        raw.wait_count(&f.passive, count)?;
        consume(&mut raw, &f, size, count)?;
    }
    Ok((elapsed, cpu, lat))
}

fn main() -> std::process::ExitCode {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scenario = args.first().map_or("consume", String::as_str).to_string();
    let size: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(16)
        .max(16);
    let default = match scenario.as_str() {
        "get" | "roundtrip" => 20_000,
        _ if size >= 4096 => 50_000,
        _ => 200_000,
    };
    let count: usize = args.get(2).and_then(|c| c.parse().ok()).unwrap_or(default);
    match run(&url, &scenario, size, count) {
        Ok((elapsed, cpu, mut lat)) => {
            lat.sort();
            let pct = |p: f64| -> String {
                if lat.is_empty() {
                    return "-".into();
                }
                let i = ((lat.len() as f64 * p) as usize).min(lat.len() - 1);
                format!("{:.0}", lat[i].as_secs_f64() * 1e6)
            };
            println!(
                "{:<10} {:>6} {:>8} {:>12} {:>12} {:>9} {:>9}",
                "scenario", "bytes", "msgs", "msgs/s", "cpu µs/msg", "p50 µs", "p99 µs"
            );
            println!(
                "{:<10} {:>6} {:>8} {:>12.0} {:>12.2} {:>9} {:>9}",
                scenario,
                size,
                count,
                count as f64 / elapsed.as_secs_f64(),
                cpu.as_secs_f64() * 1e6 / count as f64,
                pct(0.5),
                pct(0.99)
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("raw_limit {scenario}: FAILED: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
