//! The body of the `client_session` fuzz target (`fuzz/fuzz_targets/`),
//! here so that ordinary tests replay its corpus on stable Rust.
//!
//! After a correct handshake and two open channels, the input drives the
//! session: it alternates server bytes (anything at all), application
//! commands and the passing of time. Whatever happens, the core must not
//! panic, must only ever write valid frames, and must end up closed or
//! still answering.

use std::time::{Duration, Instant};

use bytes::BytesMut;

use super::{Config, Connection, Event};
use crate::codec::method::*;
use crate::codec::{Frame, FrameDecoder, Method, ReplyCode};
use crate::testing::frames::{connection_start, connection_tune};
use crate::testing::ServerHandshake;

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

/// Runs one fuzzed session. Panics on a bug.
pub fn client_session(data: &[u8]) {
    let mut now = Instant::now();
    let config = Config::from(crate::uri::ConnectionOptions {
        max_message_size: 64 * 1024,
        ..Default::default()
    });
    let mut conn = Connection::new(config, now);
    let mut out = BytesMut::new();
    let mut decoder = FrameDecoder::new(0);
    if let Some(header) = conn.take_transmit(now) {
        out.extend_from_slice(&header[8..]); // the protocol header is not a frame
    }
    let handshake = ServerHandshake::new(connection_tune(8, 4096, 5)).with_start(ConnectionStart {
        mechanisms: "PLAIN".into(),
        ..connection_start()
    });
    server(&mut conn, &handshake.script(), now);
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
    while let Some((&op, tail)) = rest.split_first() {
        rest = tail;
        let arg = rest.first().copied().unwrap_or(0);
        let channel = u16::from(arg % 3); // 0, 1 or 2
        match op % 8 {
            // Server bytes: the next `arg` bytes, as one read.
            0..=2 => {
                let payload = rest.get(1..).unwrap_or(&[]);
                let n = usize::from(arg).min(payload.len());
                input.extend_from_slice(&payload[..n]);
                rest = &payload[n..];
                conn.handle_input(&mut input, now);
                continue;
            }
            3 => {
                let _ = conn.request(
                    channel,
                    QueueDeclare {
                        queue: "q".into(),
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
            6 => {
                now += Duration::from_millis(u64::from(arg) * 50);
                conn.handle_timeout(now);
            }
            _ => {
                let _ = match arg % 4 {
                    0 => conn.close(ReplyCode::REPLY_SUCCESS, "bye", now).map(|_| ()),
                    1 => conn.update_secret(b"s", "r", now).map(|_| ()),
                    _ => conn
                        .close_channel(channel, ReplyCode::REPLY_SUCCESS, "bye", now)
                        .map(|_| ()),
                };
            }
        }
        rest = rest.get(1..).unwrap_or(&[]);
        while let Some(event) = conn.poll_event() {
            if let Event::Closed(_) = event {
                assert!(conn.is_closed(), "Closed event while not closed");
            }
        }
        check_output(&mut conn, &mut out, &mut decoder, now);
    }
    while conn.poll_event().is_some() {}
    check_output(&mut conn, &mut out, &mut decoder, now);
    if conn.is_closed() {
        assert_eq!(
            conn.poll_timeout(),
            None,
            "a closed connection has no timers"
        );
    } else {
        assert!(
            conn.poll_timeout().is_some(),
            "an open connection has a heartbeat or close deadline"
        );
    }
}
