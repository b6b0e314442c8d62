//! Heartbeats and timers.

use super::*;
use crate::codec::ShortStr;

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

fn declare(h: &mut Harness, ch: u16) -> Option<RequestId> {
    let declare = QueueDeclare {
        queue: ShortStr::from_static("q"),
        ..Default::default()
    };
    h.conn.request(ch, declare.into(), h.now).unwrap()
}

#[test]
fn an_unanswered_request_times_out_and_its_channel_is_closed() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let first = declare(&mut h, ch).unwrap();
    h.now += Duration::from_secs(1);
    let second = declare(&mut h, ch).unwrap();
    h.sent();
    let timeout = Duration::from_secs(60);
    h.now += timeout - Duration::from_secs(2);
    h.conn.handle_timeout(h.now);
    assert!(completed(&h.events()).is_empty(), "not yet");
    h.now += Duration::from_secs(1);
    h.conn.handle_timeout(h.now);
    let done = completed(&h.events());
    assert!(
        matches!(done.as_slice(), [(a, Err(Error::Timeout(TimeoutKind::Request))), (b, Err(Error::ChannelClosed { by: Initiator::Library, .. }))] if *a == first && *b == second),
        "{done:?}"
    );
    let sent = h.sent_methods();
    assert!(
        matches!(sent.as_slice(), [Method::ChannelClose(_)]),
        "{sent:?}"
    );
    assert!(!h.conn.channel_is_open(ch));
    h.feed(&[m(ch, ChannelCloseOk::default())]);
    let ev = h.events();
    assert!(
        matches!(
            ev.as_slice(),
            [Event::ChannelClosed {
                error: Error::ChannelClosed {
                    by: Initiator::Library,
                    ..
                },
                ..
            }]
        ),
        "{ev:?}"
    );
    assert!(h.conn.is_open(), "the connection goes on");
}

#[test]
fn an_unanswered_channel_open_times_out() {
    let mut h = Harness::new();
    h.connect();
    let (ch, id) = h.conn.open_channel(h.now).unwrap();
    h.sent();
    h.now += Duration::from_secs(60);
    h.conn.handle_timeout(h.now);
    let done = completed(&h.events());
    assert!(
        matches!(done.as_slice(), [(got, Err(Error::Timeout(TimeoutKind::Request)))] if *got == id),
        "{done:?}"
    );
    assert!(matches!(
        h.sent_methods().as_slice(),
        [Method::ChannelClose(_)]
    ));
    // A late open-ok is ignored; close-ok ends the channel.
    h.feed(&[
        m(ch, ChannelOpenOk::default()),
        m(ch, ChannelCloseOk::default()),
    ]);
    assert!(h.conn.is_open());
    assert!(h
        .events()
        .iter()
        .any(|e| matches!(e, Event::ChannelClosed { .. })));
}

/// Connected without heartbeats (the server proposes none, the client
/// turns them off), with this request timeout, and a channel open.
fn quiet(request_timeout: Option<Duration>) -> (Harness, u16) {
    let mut config = Config::default();
    config.options.request_timeout = request_timeout;
    config.options.heartbeat = Some(0);
    let mut h = Harness::with(config);
    let mut hs = ServerHandshake::new(tune(2047, 131_072, 0));
    let mut replies = hs.handle(b"AMQP\x00\x00\x09\x01").unwrap();
    h.conn.handle_input(&mut replies, h.now);
    hs.drive(&mut h.conn, h.now).unwrap();
    h.events();
    let ch = h.open_channel();
    (h, ch)
}

#[test]
fn the_next_timer_is_the_oldest_requests_deadline() {
    let (mut h, ch) = quiet(Some(Duration::from_secs(5)));
    assert_eq!(h.conn.poll_timeout(), None, "nothing waits");
    let made = h.now;
    declare(&mut h, ch).unwrap();
    h.now += Duration::from_secs(2);
    declare(&mut h, ch).unwrap();
    assert_eq!(h.conn.poll_timeout(), Some(made + Duration::from_secs(5)));
}

#[test]
fn without_a_request_timeout_requests_wait_forever() {
    let (mut h, ch) = quiet(None);
    declare(&mut h, ch).unwrap();
    assert_eq!(h.conn.poll_timeout(), None, "no heartbeat, no deadline");
    h.now += Duration::from_secs(24 * 3600);
    h.conn.handle_timeout(h.now);
    assert!(completed(&h.events()).is_empty());
}

#[test]
fn an_unanswered_update_secret_fails_and_the_connection_goes_on() {
    let mut h = Harness::new();
    h.connect();
    let id = h.conn.update_secret(b"token", "refresh", h.now).unwrap();
    h.now += Duration::from_secs(60);
    h.conn.handle_timeout(h.now);
    let done = completed(&h.events());
    assert!(
        matches!(done.as_slice(), [(got, Err(Error::Timeout(TimeoutKind::Request)))] if *got == id)
    );
    assert!(h.conn.is_open());
}

#[test]
fn publishers_held_at_the_high_water_mark_do_not_stop_reading() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let body = vec![0u8; 64 * 1024];
    // The server reads nothing: the output piles up until publishers must wait.
    while h.conn.publish_ready(ch) {
        h.conn
            .publish(
                ch,
                &BasicPublish::default(),
                &BasicProperties::default(),
                &body[..],
            )
            .unwrap();
    }
    assert!(h.conn.pending_transmit() >= crate::proto::WRITE_HIGH_WATER);
    // Reading goes on, so a server that also stopped sending is found out
    // by its missed heartbeats (a paused reader could not tell).
    assert!(h.conn.wants_input());
}

#[test]
fn a_command_never_sets_a_deadline_before_wake_at() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    h.sent();
    let wake = h.conn.wake_at(h.now).unwrap();
    // Whatever comes later, a request's timeout and a close's come after it.
    h.now += Duration::from_millis(1);
    declare(&mut h, ch).unwrap();
    assert!(h.conn.poll_timeout().unwrap() >= wake);
    h.conn
        .close_channel(ch, ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    assert!(h.conn.poll_timeout().unwrap() >= wake);
    // And the reader does wake by then: the horizon is a real deadline.
    assert!(wake <= h.now + Duration::from_secs(60));
}
