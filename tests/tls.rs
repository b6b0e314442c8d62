//! amqps:// against the private RabbitMQ's TLS listener (127.0.0.1:5671),
//! with the CA and certificates `scripts/broker.sh` generates in
//! `target/rabbitmq/tls`: verification that passes, verification that must
//! fail (another CA, another name), and EXTERNAL authentication by client
//! certificate.
#![cfg(feature = "tls")]

mod common;

use std::path::PathBuf;

use amqp091::{AuthMechanism, BasicGetOptions, Connection, ConnectionOptions, Error};

fn tls_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/rabbitmq/tls")
}

/// Options for the TLS listener, after making sure the private broker (and
/// its certificates) are there.
fn tls_options() -> ConnectionOptions {
    let _ = common::broker_url();
    let dir = tls_dir();
    assert!(
        dir.join("ca.pem").exists() && std::net::TcpStream::connect("127.0.0.1:5671").is_ok(),
        "TLS tests need the project's private RabbitMQ with its TLS listener on 127.0.0.1:5671 \
         and its certificates in {}: run `scripts/broker.sh start` with no other broker on 5672",
        dir.display()
    );
    let mut o = ConnectionOptions::from_url("amqps://guest:guest@localhost:5671/%2f").unwrap();
    o.ca_file = Some(dir.join("ca.pem"));
    o
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqps_with_the_right_ca() {
    let conn = Connection::connect_with(tls_options())
        .await
        .expect("TLS connect");
    let ch = conn.open_channel().await.unwrap();
    let q = ch
        .queue_declare(
            "",
            amqp091::QueueDeclareOptions {
                exclusive: true,
                ..Default::default()
            },
            Default::default(),
        )
        .await
        .unwrap();
    let body = vec![7u8; 300_000]; // several TLS records and AMQP frames
    ch.basic_publish("", &q.name, Default::default(), &Default::default(), &body)
        .await
        .unwrap();
    let got = loop {
        if let Some(m) = ch
            .basic_get(&q.name, BasicGetOptions { no_ack: true })
            .await
            .unwrap()
        {
            break m;
        }
    };
    assert_eq!(got.body.len(), body.len());
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqps_url_parameters() {
    let _ = tls_options();
    let ca = tls_dir().join("ca.pem");
    let url = format!(
        "amqps://guest:guest@localhost:5671/%2f?cacertfile={}",
        ca.display()
    );
    let conn = Connection::connect(&url)
        .await
        .expect("TLS connect from the URL alone");
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_certificate_from_another_ca_is_refused() {
    let mut o = tls_options();
    o.ca_file = Some(tls_dir().join("other-ca.pem"));
    let err = Connection::connect_with(o).await.unwrap_err();
    let Error::Tls { reason } = &err else {
        panic!("{err}")
    };
    assert!(reason.contains("certificate"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_certificate_for_another_name_is_refused() {
    let mut o = tls_options();
    o.host = "127.0.0.1".into();
    o.server_name = Some("broker.example".into());
    let err = Connection::connect_with(o).await.unwrap_err();
    let Error::Tls { reason } = &err else {
        panic!("{err}")
    };
    assert!(reason.contains("certificate"), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn external_authentication_by_client_certificate() {
    let mut o = tls_options();
    o.cert_file = Some(tls_dir().join("client.pem"));
    o.key_file = Some(tls_dir().join("client.key"));
    o.auth_mechanism = AuthMechanism::External;
    o.password = String::new();
    let conn = Connection::connect_with(o)
        .await
        .expect("EXTERNAL login as the certificate's CN (guest)");
    conn.open_channel().await.unwrap();
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_files_are_named() {
    let mut o = tls_options();
    o.ca_file = Some("/nonexistent/ca.pem".into());
    let err = Connection::connect_with(o).await.unwrap_err();
    assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
    let mut o = tls_options();
    o.ca_file = None;
    let err = Connection::connect_with(o).await.unwrap_err();
    assert!(err.to_string().contains("cacertfile"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_amqp_to_the_tls_port_says_so() {
    let mut o = tls_options();
    o.tls = false;
    // Without TLS its CA file would be refused before connecting.
    o.ca_file = None;
    let err = Connection::connect_with(o).await.unwrap_err();
    assert!(
        matches!(&err, Error::Tls { reason } if reason.contains("use amqps://")),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_ca_file_fails_before_connecting() {
    let mut o = tls_options();
    o.ca_file = Some(tls_dir().join("no-such-ca.pem"));
    // A port nothing listens on: failing there would be an IO error instead.
    o.port = 1;
    let err = Connection::connect_with(o).await.unwrap_err();
    assert!(
        matches!(&err, Error::Tls { reason } if reason.contains("no-such-ca.pem")),
        "{err}"
    );
}
