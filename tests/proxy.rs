//! The fault-injecting proxy (`amqp091::testing::proxy`) on its own, with
//! plain TCP peers on loopback: what each fault does to each side.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use amqp091::testing::proxy::{Fault, Proxy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Bounds every wait, so that a bug fails the test instead of hanging it.
async fn within<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(10), f).await {
        Ok(v) => v,
        Err(_) => panic!("{what}: nothing within 10 s"),
    }
}

/// An echo server on loopback: each connection gets back what it sends.
async fn echo_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (mut r, mut w) = s.split();
                let _ = tokio::io::copy(&mut r, &mut w).await;
            });
        }
    });
    addr
}

/// A server whose connections the test drives itself, and a proxy to it.
async fn proxy_to_listener() -> (Proxy, TcpListener) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let proxy = Proxy::start(listener.local_addr().expect("addr"))
        .await
        .expect("start the proxy");
    (proxy, listener)
}

/// A client through the proxy and the server's end of the same connection.
async fn pair(proxy: &Proxy, listener: &TcpListener) -> (TcpStream, TcpStream) {
    let client = TcpStream::connect(proxy.addr()).await.expect("connect");
    let (server, _) = within("the upstream accept", listener.accept())
        .await
        .expect("accept");
    (client, server)
}

async fn round_trip(s: &mut TcpStream, msg: &[u8]) -> Vec<u8> {
    s.write_all(msg).await.expect("write");
    let mut back = vec![0; msg.len()];
    within("the echo", s.read_exact(&mut back))
        .await
        .expect("read the echo");
    back
}

/// Reads until the end of stream or an error; what came, and how it ended.
async fn read_to_end(s: &mut TcpStream) -> (Vec<u8>, io::Result<()>) {
    let mut got = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match within("the end of the stream", s.read(&mut buf)).await {
            Ok(0) => return (got, Ok(())),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => return (got, Err(e)),
        }
    }
}

#[tokio::test]
async fn forwards_both_ways_and_counts_accepted_connections() {
    let proxy = Proxy::start(echo_server().await).await.expect("start");
    assert_eq!(proxy.accepted(), 0);
    let mut a = TcpStream::connect(proxy.addr()).await.expect("connect");
    let mut b = TcpStream::connect(proxy.addr()).await.expect("connect");
    within("two accepts", proxy.wait_accepted(2)).await;
    assert_eq!(round_trip(&mut a, b"hello").await, b"hello");
    assert_eq!(round_trip(&mut b, b"world").await, b"world");
    // Larger than the proxy's chunks and its buffer: order and content kept.
    let big: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
    assert_eq!(round_trip(&mut a, &big).await, big);
    assert_eq!(proxy.accepted(), 2);
    drop(a);
    within("the first connection's end", proxy.wait_ended(1)).await;
}

#[tokio::test]
async fn refuses_upstreams_off_this_machine() {
    // TEST-NET addresses: nothing is sent, the check comes first.
    let off: SocketAddr = "192.0.2.1:5672".parse().expect("addr");
    let err = Proxy::start(off).await.expect_err("a remote upstream");
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    let proxy = Proxy::start(echo_server().await).await.expect("start");
    let err = proxy.set_upstream(off).expect_err("a remote upstream");
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(proxy.upstream().ip().is_loopback());
    assert!(proxy.addr().ip().is_loopback());
}

#[tokio::test]
async fn reset_gives_both_peers_a_connection_reset() {
    let (proxy, listener) = proxy_to_listener().await;
    let (mut client, mut server) = pair(&proxy, &listener).await;
    assert_eq!(proxy.inject(Fault::Reset), 1);
    let (_, client_end) = read_to_end(&mut client).await;
    let (_, server_end) = read_to_end(&mut server).await;
    assert_eq!(
        client_end.expect_err("reset").kind(),
        io::ErrorKind::ConnectionReset
    );
    assert_eq!(
        server_end.expect_err("reset").kind(),
        io::ErrorKind::ConnectionReset
    );
    within("the link's end", proxy.wait_ended(1)).await;
}

#[tokio::test]
async fn blackhole_forwards_and_closes_nothing_until_healed() {
    let proxy = Proxy::start(echo_server().await).await.expect("start");
    let mut client = TcpStream::connect(proxy.addr()).await.expect("connect");
    assert_eq!(round_trip(&mut client, b"before").await, b"before");
    assert_eq!(proxy.inject(Fault::Blackhole), 1);
    client.write_all(b"ping").await.expect("write");
    // Proving an absence takes a bounded wait: no echo, and no end of stream.
    let mut buf = [0; 4];
    let silent = tokio::time::timeout(Duration::from_millis(300), client.read(&mut buf)).await;
    assert!(silent.is_err(), "the black hole let through {silent:?}");
    assert_eq!(proxy.ended(), 0);
    proxy.heal();
    within("the held bytes", client.read_exact(&mut buf))
        .await
        .expect("read");
    assert_eq!(&buf, b"ping");
}

#[tokio::test]
async fn delay_holds_back_each_direction_by_the_delay() {
    let proxy = Proxy::start(echo_server().await).await.expect("start");
    let mut client = TcpStream::connect(proxy.addr()).await.expect("connect");
    within("the accept", proxy.wait_accepted(1)).await;
    let delay = Duration::from_millis(100);
    assert_eq!(proxy.inject(Fault::Delay(delay)), 1);
    let started = Instant::now();
    assert_eq!(round_trip(&mut client, b"slow").await, b"slow");
    let took = started.elapsed();
    assert!(
        took >= 2 * delay,
        "a round trip took {took:?}, under 2 × {delay:?}"
    );
    // A delay is latency, not a throughput limit: 40 chunks back to back
    // take about one delay each way, not forty.
    let many: Vec<u8> = (0..40 * 16 * 1024u32).map(|i| (i % 253) as u8).collect();
    let started = Instant::now();
    assert_eq!(round_trip(&mut client, &many).await, many);
    let took = started.elapsed();
    assert!(took < 40 * delay, "{} bytes took {took:?}", many.len());
}

#[tokio::test]
async fn half_close_ends_the_clients_stream_and_keeps_forwarding_its_writes() {
    let (proxy, listener) = proxy_to_listener().await;
    let (mut client, mut server) = pair(&proxy, &listener).await;
    assert_eq!(proxy.inject(Fault::HalfClose), 1);
    let (got, end) = read_to_end(&mut client).await;
    assert!(got.is_empty() && end.is_ok(), "{got:?} {end:?}");
    // The client can still talk; the server's answers go nowhere.
    client.write_all(b"still here").await.expect("write");
    let mut buf = [0; 10];
    within("the forwarded write", server.read_exact(&mut buf))
        .await
        .expect("read");
    assert_eq!(&buf, b"still here");
    server.write_all(b"dropped").await.expect("write");
    drop(client);
    let (got, _) = read_to_end(&mut server).await;
    assert!(got.is_empty());
    // The link ends once both peers have closed.
    drop(server);
    within("the link's end", proxy.wait_ended(1)).await;
}

#[tokio::test]
async fn cut_after_forwards_exactly_that_many_server_bytes_then_closes_both() {
    let (proxy, listener) = proxy_to_listener().await;
    let (mut client, mut server) = pair(&proxy, &listener).await;
    assert_eq!(
        proxy.inject(Fault::CutAfter {
            bytes_from_server: 7
        }),
        1
    );
    server.write_all(b"0123456789abcdef").await.expect("write");
    let (got, end) = read_to_end(&mut client).await;
    assert_eq!(got, b"0123456");
    assert!(end.is_ok(), "an end of stream after the bytes: {end:?}");
    let (got, end) = read_to_end(&mut server).await;
    assert!(got.is_empty() && end.is_ok(), "{got:?} {end:?}");
    assert_eq!(proxy.ended(), 0, "the link waits for both peers to close");
    drop(client);
    drop(server);
    within("the link's end", proxy.wait_ended(1)).await;
}

#[tokio::test]
async fn refuse_resets_new_connections_until_turned_off() {
    let proxy = Proxy::start(echo_server().await).await.expect("start");
    proxy.refuse(true);
    let mut refused = TcpStream::connect(proxy.addr()).await.expect("connect");
    let (got, end) = read_to_end(&mut refused).await;
    assert!(got.is_empty());
    assert_eq!(
        end.expect_err("reset").kind(),
        io::ErrorKind::ConnectionReset
    );
    assert_eq!(proxy.accepted(), 1);
    within("the refused one's end", proxy.wait_ended(1)).await;
    proxy.refuse(false);
    let mut client = TcpStream::connect(proxy.addr()).await.expect("connect");
    assert_eq!(round_trip(&mut client, b"up again").await, b"up again");
    assert_eq!(proxy.accepted(), 2);
}

#[tokio::test]
async fn set_upstream_moves_new_connections_and_leaves_open_ones() {
    let (proxy, first) = proxy_to_listener().await;
    let (mut old_client, mut old_server) = pair(&proxy, &first).await;
    let second = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    proxy
        .set_upstream(second.local_addr().expect("addr"))
        .expect("a loopback upstream");
    let (mut new_client, mut new_server) = pair(&proxy, &second).await;
    old_client.write_all(b"old").await.expect("write");
    new_client.write_all(b"new").await.expect("write");
    let mut buf = [0; 3];
    within("old", old_server.read_exact(&mut buf))
        .await
        .expect("read");
    assert_eq!(&buf, b"old");
    within("new", new_server.read_exact(&mut buf))
        .await
        .expect("read");
    assert_eq!(&buf, b"new");
}

#[tokio::test]
async fn inject_reaches_open_connections_and_inject_persistent_later_ones_too() {
    let proxy = Proxy::start(echo_server().await).await.expect("start");
    let mut open = TcpStream::connect(proxy.addr()).await.expect("connect");
    within("the accept", proxy.wait_accepted(1)).await;
    assert_eq!(proxy.inject(Fault::Reset), 1, "the open connection");
    let (_, end) = read_to_end(&mut open).await;
    assert_eq!(
        end.expect_err("reset").kind(),
        io::ErrorKind::ConnectionReset
    );
    // `inject` does not outlive the connections it reached…
    let mut later = TcpStream::connect(proxy.addr()).await.expect("connect");
    assert_eq!(round_trip(&mut later, b"fine").await, b"fine");
    // …`inject_persistent` does, until healed.
    within("the second accept", proxy.wait_accepted(2)).await;
    assert_eq!(proxy.inject_persistent(Fault::Reset), 1, "the second one");
    let (_, end) = read_to_end(&mut later).await;
    assert_eq!(
        end.expect_err("reset").kind(),
        io::ErrorKind::ConnectionReset
    );
    let mut doomed = TcpStream::connect(proxy.addr()).await.expect("connect");
    let (_, end) = read_to_end(&mut doomed).await;
    assert_eq!(
        end.expect_err("reset").kind(),
        io::ErrorKind::ConnectionReset
    );
    proxy.heal();
    let mut healed = TcpStream::connect(proxy.addr()).await.expect("connect");
    assert_eq!(round_trip(&mut healed, b"healed").await, b"healed");
    assert_eq!(proxy.accepted(), 4);
}

#[tokio::test]
async fn a_client_that_does_not_read_stops_the_server_within_bounded_buffers() {
    let (proxy, listener) = proxy_to_listener().await;
    let (mut client, mut server) = pair(&proxy, &listener).await;
    // Far more than the kernel's socket buffers and the proxy's together.
    const TOTAL: usize = 128 * 1024 * 1024;
    let writer = tokio::spawn(async move {
        let chunk: Vec<u8> = (0..1024 * 1024u32).map(|i| (i % 241) as u8).collect();
        for _ in 0..TOTAL / chunk.len() {
            server.write_all(&chunk).await?;
        }
        io::Result::Ok(server)
    });
    let mut writer = writer;
    let blocked = tokio::time::timeout(Duration::from_millis(500), &mut writer).await;
    assert!(
        blocked.is_err(),
        "the server wrote {TOTAL} bytes nobody read"
    );
    let mut buf = vec![0; 1024 * 1024];
    let mut read = 0;
    while read < TOTAL {
        let n = within("the held bytes", client.read(&mut buf))
            .await
            .expect("read");
        assert!(n > 0, "an end of stream after {read} bytes");
        for (i, b) in buf[..n].iter().enumerate() {
            assert_eq!(*b, (((read + i) % (1024 * 1024)) % 241) as u8);
        }
        read += n;
    }
    within("the writer", writer)
        .await
        .expect("join")
        .expect("write");
}

#[tokio::test]
async fn dropping_the_proxy_closes_its_connections() {
    let (proxy, listener) = proxy_to_listener().await;
    let (mut client, mut server) = pair(&proxy, &listener).await;
    drop(proxy);
    // An end of stream or a reset, not silence.
    let _ = read_to_end(&mut client).await;
    let _ = read_to_end(&mut server).await;
}
