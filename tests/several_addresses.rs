//! The first connect along several addresses, for both clients: each
//! address gets the whole connection timeout, and an address that accepts
//! TCP but fails the handshake (never answers, closes at once, answers
//! garbage) is passed over for the next one, a scripted broker on
//! 127.0.0.1.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use amqp091::testing::{Peer, ServerHandshake};
use amqp091::uri::Address;
use amqp091::ConnectionOptions;

/// Short, so that the tests are fast; the margin absorbs a loaded machine.
const TIMEOUT: Duration = Duration::from_millis(400);
const MARGIN: Duration = Duration::from_secs(3);

/// A listener that never accepts: the kernel completes the TCP connect
/// (the backlog) and nothing ever answers the client.
fn black_hole() -> (TcpListener, Address) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("local address").port();
    (listener, Address::new("127.0.0.1", port))
}

/// Options for `first`, then `second`, with the short timeout.
fn options(first: &Address, second: &Address) -> ConnectionOptions {
    ConnectionOptions {
        host: first.host.clone(),
        port: first.port,
        more_addresses: vec![second.clone()],
        connection_timeout: TIMEOUT,
        ..ConnectionOptions::default()
    }
}

/// Connects with `options` and checks that it lands on `broker`, having
/// spent at least `at_least` and at most that plus one timeout and the margin.
async fn connects_to(options: ConnectionOptions, broker: &Address, at_least: Duration) {
    let started = Instant::now();
    let conn = amqp091::Connection::connect_with(options)
        .await
        .expect("the second address connects");
    let took = started.elapsed();
    assert_eq!(conn.address().as_ref(), Some(broker));
    assert!(
        took >= at_least && took < at_least + TIMEOUT + MARGIN,
        "connected after {took:?}"
    );
}

/// A scripted broker (tokio) that completes one handshake and then holds
/// the connection.
async fn tokio_broker() -> Address {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("local address").port();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.expect("accept");
        let mut peer = Peer::new(stream);
        peer.handshake().await;
        // Holds the socket until the client goes.
        while peer.recv().await.is_some() {}
    });
    Address::new("127.0.0.1", port)
}

#[tokio::test]
async fn tokio_a_black_holed_first_address_leaves_the_second_its_whole_timeout() {
    let (_hole, first) = black_hole();
    let broker = tokio_broker().await;
    connects_to(options(&first, &broker), &broker, TIMEOUT).await;
}

#[tokio::test]
async fn tokio_a_first_address_that_closes_after_accepting_is_passed_over() {
    let closing = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let first = Address::new("127.0.0.1", closing.local_addr().expect("address").port());
    tokio::spawn(async move {
        let (stream, _) = closing.accept().await.expect("accept");
        drop(stream);
    });
    let broker = tokio_broker().await;
    connects_to(options(&first, &broker), &broker, Duration::ZERO).await;
}

#[tokio::test]
async fn tokio_a_first_address_that_answers_garbage_is_passed_over() {
    let garbage = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let first = Address::new("127.0.0.1", garbage.local_addr().expect("address").port());
    tokio::spawn(async move {
        let (mut stream, _) = garbage.accept().await.expect("accept");
        let _ = tokio::io::AsyncWriteExt::write_all(
            &mut stream,
            b"HTTP/1.1 400 Bad Request\r\n\r\nnot a broker, not at all",
        )
        .await;
        // Holds the socket: the client must give up on the bytes alone.
        let _ = tokio::io::AsyncReadExt::read_to_end(&mut stream, &mut Vec::new()).await;
    });
    let broker = tokio_broker().await;
    connects_to(options(&first, &broker), &broker, Duration::ZERO).await;
}

/// A scripted broker on std threads that completes one handshake and
/// then holds the connection until the client goes.
fn std_broker() -> Address {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("local address").port();
    std::thread::spawn(move || {
        let Ok((mut io, _)) = listener.accept() else {
            return;
        };
        let _ = io.set_read_timeout(Some(Duration::from_secs(30)));
        let mut server = ServerHandshake::default();
        let mut chunk = [0u8; 4096];
        loop {
            let n = match io.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if server.is_done() {
                continue;
            }
            let Ok(reply) = server.handle(&chunk[..n]) else {
                return;
            };
            if io.write_all(&reply).is_err() {
                return;
            }
        }
    });
    Address::new("127.0.0.1", port)
}

/// [`connects_to`] for the blocking client.
fn blocking_connects_to(options: ConnectionOptions, broker: &Address, at_least: Duration) {
    let started = Instant::now();
    let conn =
        amqp091::blocking::Connection::connect_with(options).expect("the second address connects");
    let took = started.elapsed();
    assert_eq!(conn.address().as_ref(), Some(broker));
    assert!(
        took >= at_least && took < at_least + TIMEOUT + MARGIN,
        "connected after {took:?}"
    );
}

#[test]
fn blocking_a_black_holed_first_address_leaves_the_second_its_whole_timeout() {
    let (_hole, first) = black_hole();
    let broker = std_broker();
    blocking_connects_to(options(&first, &broker), &broker, TIMEOUT);
}

#[test]
fn blocking_a_first_address_that_closes_after_accepting_is_passed_over() {
    let closing = TcpListener::bind("127.0.0.1:0").expect("bind");
    let first = Address::new("127.0.0.1", closing.local_addr().expect("address").port());
    std::thread::spawn(move || {
        if let Ok((stream, _)) = closing.accept() {
            drop(stream);
        }
    });
    let broker = std_broker();
    blocking_connects_to(options(&first, &broker), &broker, Duration::ZERO);
}
