//! Heartbeats and timers.

use super::*;

#[test]
fn heartbeats_are_sent_when_quiet_and_silence_fails_the_connection() {
    let mut h = Harness::new();
    h.feed(&[
        m(0, start()),
        m(0, tune(2047, 131_072, 10)),
        m(0, ConnectionOpenOk::default()),
    ]);
    h.sent();
    h.events();
    let t0 = h.now;
    // Next deadline: send a heartbeat after 5 s of write silence.
    assert_eq!(h.conn.poll_timeout(), Some(t0 + Duration::from_secs(5)));
    h.now = t0 + Duration::from_secs(5);
    h.conn.handle_timeout(h.now);
    assert!(matches!(
        h.sent().as_slice(),
        [Frame::Heartbeat { channel: 0 }]
    ));
    // The server's heartbeats keep it alive.
    h.now = t0 + Duration::from_secs(15);
    h.feed(&[Frame::Heartbeat { channel: 0 }]);
    h.conn.handle_timeout(h.now);
    assert!(!h.conn.is_closed());
    // 20 s (two intervals) without anything from the server.
    h.now = t0 + Duration::from_secs(35);
    h.conn.handle_timeout(h.now);
    let ev = h.events();
    assert!(
        matches!(
            ev.as_slice(),
            [Event::Closed(Error::Timeout(TimeoutKind::Heartbeat))]
        ),
        "{ev:?}"
    );
}

#[test]
fn no_busy_timer_while_output_waits_for_the_writer() {
    let mut h = Harness::new();
    h.feed(&[
        m(0, start()),
        m(0, tune(2047, 131_072, 10)),
        m(0, ConnectionOpenOk::default()),
    ]);
    h.sent();
    h.events();
    let ch = h.open_channel();
    // Bytes queued but not taken by a (stalled) writer, past the send deadline.
    h.conn
        .publish(
            ch,
            &BasicPublish::default(),
            &BasicProperties::default(),
            b"x",
        )
        .unwrap();
    // Past the send deadline: the timer fires once, then moves on.
    let later = h.now + Duration::from_secs(6);
    h.conn.handle_timeout(later);
    let t = h.conn.poll_timeout().unwrap();
    assert!(
        t > later,
        "the next deadline is in the future: {:?}",
        t - later
    );
}
