//! Closing the connection: ours, the server's, crossing closes, timeouts.

use super::*;
use crate::codec::ShortStr;

#[test]
fn application_close_waits_for_close_ok() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let pending = h
        .conn
        .request(ch, BasicQos::default().into(), h.now)
        .unwrap()
        .unwrap();
    let close = h
        .conn
        .close(ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    let sent = h.sent_methods();
    assert!(
        matches!(sent.last(), Some(Method::ConnectionClose(c)) if c.reply_code == 200 && c.reply_text == "bye")
    );
    let ev = h.events();
    assert!(
        matches!(completed(&ev).as_slice(), [(id, Err(Error::ConnectionClosed { by: Initiator::Application, .. }))] if *id == pending)
    );
    h.feed(&[m(0, ConnectionCloseOk::default())]);
    let ev = h.events();
    assert!(matches!(&ev[0], Event::Completed { id, result: Ok(_) } if *id == close));
    assert!(matches!(
        &ev[1],
        Event::Closed(Error::ConnectionClosed {
            by: Initiator::Application,
            ..
        })
    ));
    assert!(h.conn.is_closed());
}

#[test]
fn close_without_close_ok_times_out() {
    let mut h = Harness::new();
    h.connect();
    let close = h
        .conn
        .close(ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    h.sent();
    let deadline = h.conn.poll_timeout().expect("close deadline");
    assert_eq!(deadline, h.now + Duration::from_secs(10));
    h.conn.handle_timeout(deadline);
    let ev = h.events();
    assert!(
        matches!(&ev[0], Event::Completed { id, result: Err(Error::Timeout(TimeoutKind::Close)) } if *id == close)
    );
    assert!(matches!(&ev[1], Event::Closed(_)));
}

#[test]
fn server_close_while_open_fails_everything() {
    let mut h = Harness::new();
    h.connect();
    let ch = h.open_channel();
    let pending = h
        .conn
        .request(ch, BasicQos::default().into(), h.now)
        .unwrap()
        .unwrap();
    h.sent();
    h.feed(&[m(
        0,
        ConnectionClose {
            reply_code: 320,
            reply_text: ShortStr::from_static(
                "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'",
            ),
            class_id: 0,
            method_id: 0,
        },
    )]);
    assert!(matches!(
        h.sent_methods().as_slice(),
        [Method::ConnectionCloseOk(_)]
    ));
    let ev = h.events();
    assert!(
        matches!(completed(&ev).as_slice(), [(id, Err(e))] if *id == pending && e.reply_code() == Some(ReplyCode::CONNECTION_FORCED))
    );
    assert!(matches!(
        ev.last(),
        Some(Event::Closed(Error::ConnectionClosed {
            by: Initiator::Server,
            ..
        }))
    ));
}

#[test]
fn the_close_timeout_counts_from_the_close_not_from_the_last_traffic() {
    let mut h = Harness::new();
    h.connect();
    // Idle for a minute, then close.
    h.now += Duration::from_secs(60);
    h.conn
        .close(ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    assert_eq!(h.conn.poll_timeout(), Some(h.now + Duration::from_secs(10)));
}

#[test]
fn a_crossing_server_close_ends_an_application_close_with_the_servers_reason() {
    let mut h = Harness::new();
    h.connect();
    let close = h
        .conn
        .close(ReplyCode::REPLY_SUCCESS, "bye", h.now)
        .unwrap();
    h.sent();
    h.feed(&[m(
        0,
        ConnectionClose {
            reply_code: 320,
            reply_text: ShortStr::from_static("CONNECTION_FORCED - shutdown"),
            class_id: 0,
            method_id: 0,
        },
    )]);
    let ev = h.events();
    assert!(
        matches!(&ev[0], Event::Completed { id, result: Err(e) } if *id == close && e.reply_code() == Some(ReplyCode::CONNECTION_FORCED)),
        "{ev:?}"
    );
    assert!(
        matches!(&ev[1], Event::Closed(e) if e.reply_code() == Some(ReplyCode::CONNECTION_FORCED))
    );
}
