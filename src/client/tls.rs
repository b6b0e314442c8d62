//! amqps://: the TLS handshake with rustls (feature `tls`), configured from
//! [`ConnectionOptions`]: the CA file that signs the server's certificate,
//! an optional client certificate and key (for brokers that ask for one and
//! for EXTERNAL authentication), and the name to verify.

use std::sync::Arc;

use rustls_pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::ClientConfig;
use tokio_rustls::TlsConnector;

pub(crate) use crate::tls_config::client_config;
use crate::tls_config::tls_error;
use crate::Error;

/// Runs the TLS handshake over a connected socket.
/// `name`: what the server's certificate must be for (the options'
/// server name, or the host connected to).
pub(crate) async fn handshake(
    tcp: TcpStream,
    config: ClientConfig,
    name: &str,
) -> Result<TlsStream<TcpStream>, Error> {
    let name = name.to_owned();
    let name = ServerName::try_from(name).map_err(|e| tls_error(format!("server name: {e}")))?;
    TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|e| tls_error(format!("TLS handshake: {e}")))
}
