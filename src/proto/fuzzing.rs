//! The body of the `client_session` fuzz target (`fuzz/fuzz_targets/`),
//! here so that ordinary tests replay its corpus on stable Rust.
//!
//! An input whose first byte is 0xF0 or more configures the session from
//! its next bytes: the negotiated limits the server offers, the client's
//! maximum message size and delivery buffer, and whether the handshake is
//! scripted or fuzzed too (the server's bytes from the very first one).
//! Other inputs get a scripted handshake with fixed limits (the corpus of
//! earlier campaigns keeps its meaning). Then the input drives the session:
//! it alternates server bytes (anything at all, read only while the core
//! wants input, as a front end does), application commands, the passing of
//! time, and the application taking its deliveries.
//!
//! Whatever happens, the core must not panic, must only ever write valid
//! frames, must end up closed or still answering, and must never hold more
//! than its bounds allow: the deliveries it handed out stay within the
//! delivery buffer plus one message (and its decoded headers), and contents
//! in progress within the buffer plus the maximum message size.

use crate::codec::ShortStr;
use std::time::{Duration, Instant};

use bytes::BytesMut;

use super::{Config, Connection, Event};
use crate::codec::method::*;
use crate::codec::{Frame, FrameDecoder, Method, ReplyCode};
use crate::testing::frames::{connection_start, connection_tune};
use crate::testing::ServerHandshake;

/// Takes the core's events; returns the buffer cost of the deliveries.
fn drain(conn: &mut Connection) -> usize {
    let mut cost = 0;
    while let Some(event) = conn.poll_event() {
        match event {
            Event::Closed(_) => assert!(conn.is_closed(), "Closed event while not closed"),
            Event::Delivery(d) => cost += d.buffer_cost(),
            _ => {}
        }
    }
    cost
}

/// The memory oracle: what the core holds stays within its bounds.
fn check_bounds(conn: &Connection, held: usize, bound_held: usize, bound_partial: u64) {
    assert_eq!(
        conn.buffered_delivery_bytes(),
        held,
        "the core counts exactly the deliveries not yet released"
    );
    assert!(
        held <= bound_held,
        "{held} bytes of deliveries held, over the bound of {bound_held}"
    );
    assert!(
        conn.partial <= bound_partial,
        "{} bytes of contents in progress, over {bound_partial}",
        conn.partial
    );
}

fn server(conn: &mut Connection, frames: &[Frame], now: Instant) {
    let mut buf = BytesMut::new();
    for f in frames {
        f.encode(&mut buf);
    }
    conn.handle_input(&mut buf, now);
}

/// Checks that everything the client wrote since the last call is a whole
/// number of valid frames.
fn check_output(
    conn: &mut Connection,
    out: &mut BytesMut,
    decoder: &mut FrameDecoder,
    now: Instant,
) {
    while let Some(bytes) = conn.take_transmit(now) {
        out.extend_from_slice(&bytes);
    }
    loop {
        match decoder.decode_frame(out) {
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => panic!("the client wrote an invalid frame: {e}"),
        }
    }
}

/// Whether `client_session` on `data` ever has channel 1 open (for seeds).
#[cfg(test)]
fn reaches_open(data: &[u8]) -> bool {
    OPENED.with(|o| o.set(false));
    client_session(data);
    OPENED.with(|o| o.get())
}

#[cfg(test)]
thread_local! {
    static OPENED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static RECOVERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether `client_session` on `data` ever recovers a connection (for seeds).
#[cfg(test)]
fn recovers(data: &[u8]) -> bool {
    RECOVERED.with(|o| o.set(false));
    client_session(data);
    RECOVERED.with(|o| o.get())
}

/// The session's settings, from the input's first bytes or fixed.
struct Setup {
    tune: ConnectionTune,
    max_message_size: u64,
    delivery_buffer_bytes: usize,
    scripted_handshake: bool,
    /// Automatic recovery on: time ops may cut the transport and hand the
    /// core a new one (or fail to).
    recovery: bool,
}

impl Setup {
    /// Reads the settings an input starting with 0xF0.. carries; returns them
    /// and the rest of the input.
    fn from_input(data: &[u8]) -> (Setup, &[u8]) {
        let fixed = Setup {
            tune: connection_tune(8, 4096, 5),
            max_message_size: 64 * 1024,
            delivery_buffer_bytes: 64 * 1024 * 1024,
            scripted_handshake: true,
            recovery: false,
        };
        match data {
            [mode @ 0xF0..=0xFF, cm, fm, hb, mm, db, rest @ ..] => (
                Setup {
                    tune: connection_tune(
                        u16::from(*cm % 9),
                        match fm % 4 {
                            0 => 0,
                            n => 4096 * u32::from(n),
                        },
                        u16::from(hb % 8),
                    ),
                    max_message_size: 256 * u64::from(*mm).max(1),
                    delivery_buffer_bytes: 1024 * usize::from(*db),
                    scripted_handshake: mode & 1 == 0,
                    recovery: mode & 2 != 0,
                },
                rest,
            ),
            _ => (fixed, data),
        }
    }
}

/// Bytes of server input a front end reads at once here (the op's `arg`).
const MAX_READ: usize = 255;

/// Runs one fuzzed session. Panics on a bug.
pub fn client_session(data: &[u8]) {
    let mut now = Instant::now();
    let (setup, data) = Setup::from_input(data);
    let mut config = Config::from(crate::connection_options::ConnectionOptions {
        max_message_size: setup.max_message_size,
        ..Default::default()
    });
    config.delivery_buffer_bytes = setup.delivery_buffer_bytes;
    // Fixed seeds: a session is the same on every run (the defaults are random).
    config.seed = 0;
    if setup.recovery {
        config.recovery = Some(super::Recovery {
            hold_messages: 4,
            hold_bytes: 64 * 1024,
            seed: 0x5eed,
            ..Default::default()
        });
    }
    let mut conn = Connection::new(config, now);
    let mut out = BytesMut::new();
    let mut decoder = FrameDecoder::new(0);
    if let Some(header) = conn.take_transmit(now) {
        out.extend_from_slice(&header[8..]); // the protocol header is not a frame
    }
    if setup.scripted_handshake {
        let handshake = ServerHandshake::new(setup.tune.clone()).with_start(ConnectionStart {
            mechanisms: "PLAIN".into(),
            ..connection_start()
        });
        server(&mut conn, &handshake.script(), now);
    }
    for _ in 0..2 {
        if let Ok((ch, _)) = conn.open_channel(now) {
            server(
                &mut conn,
                &[Frame::Method {
                    channel: ch,
                    method: ChannelOpenOk::default().into(),
                }],
                now,
            );
        }
    }
    check_output(&mut conn, &mut out, &mut decoder, now);

    let mut input = BytesMut::new();
    let mut rest = data;
    let mut consumers = 0u32;
    // Deliveries handed out and not yet taken by the "application".
    let mut held = 0usize;
    let bound_held = setup.delivery_buffer_bytes + setup.max_message_size as usize + 256 * 1024;
    let bound_partial = setup.delivery_buffer_bytes as u64 + setup.max_message_size;
    while let Some((&op, tail)) = rest.split_first() {
        rest = tail;
        let arg = rest.first().copied().unwrap_or(0);
        let channel = u16::from(arg % 3); // 0, 1 or 2
        match op % 8 {
            // Server bytes: the next `arg` bytes, as one read (while the
            // core wants input; otherwise they wait, as in the socket).
            0..=2 => {
                let payload = rest.get(1..).unwrap_or(&[]);
                let n = usize::from(arg).min(payload.len()).min(MAX_READ);
                input.extend_from_slice(&payload[..n]);
                rest = &payload[n..];
                if conn.wants_input() {
                    conn.handle_input(&mut input, now);
                }
                held += drain(&mut conn);
                check_bounds(&conn, held, bound_held, bound_partial);
                continue;
            }
            3 => {
                let _ = conn.request(
                    channel,
                    QueueDeclare {
                        queue: ShortStr::from_static("q"),
                        no_wait: arg & 0x80 != 0,
                        ..Default::default()
                    }
                    .into(),
                    now,
                );
            }
            4 => {
                consumers += 1;
                let method: Method = match arg % 4 {
                    0 => BasicGet::default().into(),
                    1 => ConfirmSelect { nowait: false }.into(),
                    2 => BasicQos::default().into(),
                    _ => BasicConsume {
                        consumer_tag: crate::codec::ShortStr::copy_from_str(&format!(
                            "c{consumers}"
                        ))
                        .unwrap_or_default(),
                        ..Default::default()
                    }
                    .into(),
                };
                let _ = conn.request(channel, method, now);
            }
            5 => {
                let body = vec![arg; usize::from(arg) * 40];
                let _ =
                    conn.publish_str(channel, "", "q", false, false, &Default::default(), &body);
            }
            // Time passes; with an odd `arg` the application also takes
            // every delivery it was handed.
            // With recovery on, `arg & 4` also cuts the transport, and a
            // core that wants a new one gets it (`arg & 2` clear: its
            // handshake scripted when the mode scripts handshakes) or a failure.
            6 => {
                now += Duration::from_millis(u64::from(arg) * 50);
                conn.handle_timeout(now);
                if arg & 1 == 1 {
                    conn.release_deliveries(std::mem::take(&mut held));
                }
                if setup.recovery && arg & 4 != 0 {
                    conn.handle_io_error(std::io::Error::other("fuzzed cut"));
                    input.clear();
                }
                if conn.wants_transport().is_some() {
                    if arg & 2 == 0 {
                        conn.transport_ready(now);
                        out.clear();
                        decoder = FrameDecoder::new(0);
                        if let Some(first) = conn.take_transmit(now) {
                            out.extend_from_slice(first.get(8..).unwrap_or(&[]));
                        }
                        if setup.scripted_handshake {
                            let handshake = ServerHandshake::new(setup.tune.clone()).with_start(
                                ConnectionStart {
                                    mechanisms: "PLAIN".into(),
                                    ..connection_start()
                                },
                            );
                            server(&mut conn, &handshake.script(), now);
                        }
                    } else {
                        let refused = std::io::Error::other("fuzzed refusal");
                        conn.transport_failed(crate::Error::io(refused, None), now);
                    }
                }
            }
            _ => {
                let _ = match arg % 4 {
                    0 => conn.close(ReplyCode::REPLY_SUCCESS, "bye", now).map(|_| ()),
                    1 => conn.update_secret(b"s", "r", now).map(|_| ()),
                    3 => conn.open_channel(now).map(|_| ()),
                    _ => conn
                        .close_channel(channel, ReplyCode::REPLY_SUCCESS, "bye", now)
                        .map(|_| ()),
                };
            }
        }
        rest = rest.get(1..).unwrap_or(&[]);
        #[cfg(test)]
        if conn.channel_is_open(1) {
            OPENED.with(|o| o.set(true));
        }
        #[cfg(test)]
        if matches!(conn.state(), super::ConnectionState::Recovered { .. }) {
            RECOVERED.with(|o| o.set(true));
        }
        held += drain(&mut conn);
        check_bounds(&conn, held, bound_held, bound_partial);
        check_output(&mut conn, &mut out, &mut decoder, now);
    }
    drain(&mut conn);
    check_output(&mut conn, &mut out, &mut decoder, now);
    if conn.is_closed() {
        assert_eq!(
            conn.poll_timeout(),
            None,
            "a closed connection has no timers"
        );
    } else if conn.wants_transport().is_some() {
        // Connecting is the front end's, within its own timeout.
    } else {
        assert!(
            conn.poll_timeout().is_some(),
            "an open connection has a heartbeat or close deadline"
        );
    }
}

/// An input with recovery on: the transport is cut, a new one is given
/// (its handshake scripted), and the server answers the restore's two
/// `channel.open`s; then a declare and time, on the recovered connection.
pub fn recovery_seed() -> Vec<u8> {
    // Mode 0xF2: handshake scripted, recovery on; channel_max 4, frame_max
    // 8192, heartbeat 2, max message 64 KiB, delivery buffer 64 KiB.
    let mut seed = vec![0xF2, 4, 2, 2, 255, 64];
    // Time ops: 200 ms and a cut; 400 ms (past the backoff) and a new transport.
    seed.extend_from_slice(&[6, 4, 6, 8]);
    let mut opens = BytesMut::new();
    for ch in 1..=2 {
        Frame::Method {
            channel: ch,
            method: ChannelOpenOk::default().into(),
        }
        .encode(&mut opens);
    }
    seed.push(0);
    seed.push(opens.len() as u8);
    seed.extend_from_slice(&opens);
    seed.extend_from_slice(&[3, 1, 6, 1]);
    seed
}

/// An input for the configured mode with the handshake fuzzed: the
/// server's handshake as raw reads, then a declare, a publish and time.
pub fn fuzzed_handshake_seed() -> Vec<u8> {
    let handshake = ServerHandshake::new(connection_tune(4, 8192, 2)).with_start(ConnectionStart {
        mechanisms: "PLAIN".into(),
        ..connection_start()
    });
    let mut server_bytes = BytesMut::new();
    for f in handshake.script() {
        f.encode(&mut server_bytes);
    }
    // Mode 0xF1: handshake fuzzed; channel_max 4, frame_max 8192, heartbeat 2,
    // max message 64 KiB, delivery buffer 64 KiB.
    let mut seed = vec![0xF1, 4, 2, 2, 255, 64];
    for chunk in server_bytes.chunks(MAX_READ) {
        seed.push(0); // op: server bytes
        seed.push(chunk.len() as u8);
        seed.extend_from_slice(chunk);
    }
    // Open a channel, answer it, declare, publish, let time pass.
    seed.extend_from_slice(&[7, 3]);
    let mut open_ok = BytesMut::new();
    Frame::Method {
        channel: 1,
        method: ChannelOpenOk::default().into(),
    }
    .encode(&mut open_ok);
    seed.push(0);
    seed.push(open_ok.len() as u8);
    seed.extend_from_slice(&open_ok);
    seed.extend_from_slice(&[3, 1, 5, 1, 6, 41]);
    seed
}

#[cfg(test)]
mod tests {
    /// The seed is in the corpus (`WRITE_SEEDS=1 cargo test` writes it).
    #[test]
    fn the_fuzzed_handshake_seed_is_in_the_corpus() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fuzz/corpus/client_session/seed-fuzzed-handshake"
        );
        let seed = super::fuzzed_handshake_seed();
        if std::env::var_os("WRITE_SEEDS").is_some() {
            std::fs::write(path, &seed).expect("write the seed");
        }
        assert_eq!(
            std::fs::read(path).ok(),
            Some(seed),
            "run with WRITE_SEEDS=1"
        );
        super::client_session(&super::fuzzed_handshake_seed());
        assert!(
            super::reaches_open(&super::fuzzed_handshake_seed()),
            "the seed gets past the handshake"
        );
    }

    /// The recovery seed recovers, and is in the corpus.
    #[test]
    fn the_recovery_seed_recovers_and_is_in_the_corpus() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fuzz/corpus/client_session/seed-recovery"
        );
        let seed = super::recovery_seed();
        if std::env::var_os("WRITE_SEEDS").is_some() {
            std::fs::write(path, &seed).expect("write the seed");
        }
        assert_eq!(
            std::fs::read(path).ok(),
            Some(seed.clone()),
            "run with WRITE_SEEDS=1"
        );
        assert!(
            super::recovers(&seed),
            "the seed reaches a recovered connection"
        );
    }
}
