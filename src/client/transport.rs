//! Transports for the tokio driver: a boxed stream (TCP, or TLS over TCP),
//! and the connector that opens one to an address, used for the first
//! connect and by recovery for every later one.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf, ReadHalf, WriteHalf};
use tokio::net::{tcp, TcpStream};

use crate::uri::Address;
use crate::{ConnectionOptions, Error, TimeoutKind};

/// A byte stream the driver runs AMQP over.
pub(crate) trait Transport: AsyncRead + AsyncWrite + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + 'static> Transport for T {}

pub(crate) type BoxedStream = Pin<Box<dyn Transport>>;

/// A transport the driver runs AMQP over: plain TCP, whose halves need no
/// lock between them (the reader and a writer use the socket at the same
/// time), or any other stream (TLS, a caller's), split behind tokio's lock.
pub(crate) enum Stream {
    Tcp(TcpStream),
    Other(BoxedStream),
}

impl Stream {
    /// The read and write halves.
    pub(crate) fn split(self) -> (ReadPart, WritePart) {
        match self {
            Stream::Tcp(tcp) => {
                let (rd, wr) = tcp.into_split();
                (ReadPart::Tcp(rd), WritePart::Tcp(wr))
            }
            Stream::Other(stream) => {
                let (rd, wr) = tokio::io::split(stream);
                (ReadPart::Other(rd), WritePart::Other(wr))
            }
        }
    }
}

/// The read half of a [`Stream`].
pub(crate) enum ReadPart {
    Tcp(tcp::OwnedReadHalf),
    Other(ReadHalf<BoxedStream>),
}

/// The write half of a [`Stream`].
pub(crate) enum WritePart {
    Tcp(tcp::OwnedWriteHalf),
    Other(WriteHalf<BoxedStream>),
}

impl AsyncRead for ReadPart {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            ReadPart::Tcp(rd) => Pin::new(rd).poll_read(cx, buf),
            ReadPart::Other(rd) => Pin::new(rd).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for WritePart {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            WritePart::Tcp(wr) => Pin::new(wr).poll_write(cx, buf),
            WritePart::Other(wr) => Pin::new(wr).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            WritePart::Tcp(wr) => Pin::new(wr).poll_flush(cx),
            WritePart::Other(wr) => Pin::new(wr).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            WritePart::Tcp(wr) => Pin::new(wr).poll_shutdown(cx),
            WritePart::Other(wr) => Pin::new(wr).poll_shutdown(cx),
        }
    }
}

type Connecting = Pin<Box<dyn Future<Output = Result<Stream, Error>> + Send>>;

/// Opens a transport to an address (within the connection timeout).
pub(crate) type Connector = Arc<dyn Fn(Address) -> Connecting + Send + Sync>;

/// The connector for `opts`: TCP with `TCP_NODELAY`, then TLS when the
/// options ask for it (the certificate is checked against the address's
/// host unless the options name the server). The timeout bounds both.
pub(crate) fn connector(opts: &ConnectionOptions) -> Result<Connector, Error> {
    #[cfg(feature = "tls")]
    let tls_config = match opts.tls {
        true => Some(super::tls::client_config(opts)?),
        false => None,
    };
    let opts = Arc::new(opts.clone());
    Ok(Arc::new(move |address: Address| {
        let opts = opts.clone();
        #[cfg(feature = "tls")]
        let tls_config = tls_config.clone();
        Box::pin(async move {
            let timeout = opts.connection_timeout;
            let connect = async {
                let tcp = TcpStream::connect((address.host.as_str(), address.port))
                    .await
                    .map_err(|e| Error::io(e, Some("TCP connect")))?;
                let _ = tcp.set_nodelay(true);
                #[cfg(feature = "tls")]
                if let Some(config) = tls_config {
                    let name = opts.server_name.clone().unwrap_or(address.host.clone());
                    let tls = super::tls::handshake(tcp, config, &name).await?;
                    return Ok(Stream::Other(Box::pin(tls)));
                }
                Ok(Stream::Tcp(tcp))
            };
            match tokio::time::timeout(timeout, connect).await {
                Ok(result) => result,
                Err(_) => Err(Error::Timeout(TimeoutKind::Connect)),
            }
        }) as Connecting
    }))
}

/// Time left of `total` after `spent`.
pub(crate) fn left(total: Duration, spent: Duration) -> Duration {
    total.saturating_sub(spent)
}
