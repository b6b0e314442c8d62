//! amqps:// for the blocking client (feature `rustls`): the rustls client
//! configuration the options describe (the same as the tokio client's: CA
//! file, optional client certificate and key, the name to verify, ring),
//! and a transport that lets the reader and the writer threads use one TLS
//! session at once. The session sits behind a mutex that is never held
//! across a socket read; records are written in the order they were sealed.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::{ClientConfig, ClientConnection};
use rustls_pki_types::ServerName;

use super::io::Transport;
use super::sync::lock;
pub(crate) use crate::tls_config::client_config;
use crate::tls_config::tls_error;
use crate::{ConnectionOptions, Error};

/// Runs the TLS handshake over a connected socket, within `timeout`.
pub(crate) fn handshake(
    mut tcp: TcpStream,
    config: ClientConfig,
    opts: &ConnectionOptions,
    timeout: Duration,
) -> Result<Arc<dyn Transport>, Error> {
    let name = opts
        .server_name
        .clone()
        .unwrap_or_else(|| opts.host.clone());
    let name = ServerName::try_from(name).map_err(|e| tls_error(format!("server name: {e}")))?;
    let mut conn = ClientConnection::new(Arc::new(config), name)
        .map_err(|e| tls_error(format!("TLS handshake: {e}")))?;
    if timeout.is_zero() {
        return Err(Error::Timeout(crate::TimeoutKind::Connect));
    }
    let timed_out = |e: &io::Error| {
        matches!(
            e.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        )
    };
    let _ = tcp.set_read_timeout(Some(timeout));
    let _ = tcp.set_write_timeout(Some(timeout));
    while conn.is_handshaking() {
        match conn.complete_io(&mut tcp) {
            Ok(_) => {}
            Err(e) if timed_out(&e) => return Err(Error::Timeout(crate::TimeoutKind::Connect)),
            Err(e) => return Err(tls_error(format!("TLS handshake: {e}"))),
        }
    }
    let _ = tcp.set_read_timeout(None);
    let _ = tcp.set_write_timeout(None);
    Ok(Arc::new(TlsTransport {
        tcp,
        session: Mutex::new(conn),
        rx: Mutex::new(Rx {
            raw: vec![0; 32 * 1024],
            pending: Vec::new(),
        }),
        tx: Mutex::new(()),
    }))
}

/// The reader's buffers: raw bytes read and raw bytes not yet fed to rustls.
struct Rx {
    raw: Vec<u8>,
    pending: Vec<u8>,
}

struct TlsTransport {
    tcp: TcpStream,
    session: Mutex<ClientConnection>,
    rx: Mutex<Rx>,
    /// Held while sealed records are written, taken before the session is
    /// let go: records reach the socket in the order they were sealed.
    tx: Mutex<()>,
}

fn invalid(e: rustls::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

impl TlsTransport {
    /// Writes what the session has sealed, releasing the session first.
    fn send_sealed(
        &self,
        mut session: std::sync::MutexGuard<'_, ClientConnection>,
    ) -> io::Result<()> {
        let mut out = Vec::new();
        while session.wants_write() {
            session.write_tls(&mut out)?;
        }
        if out.is_empty() {
            return Ok(());
        }
        let _order = lock(&self.tx);
        drop(session);
        Write::write_all(&mut &self.tcp, &out)
    }
}

impl Transport for TlsTransport {
    fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        let mut rx = lock(&self.rx);
        loop {
            let mut session = lock(&self.session);
            while !rx.pending.is_empty() {
                let mut rd = &rx.pending[..];
                match session.read_tls(&mut rd) {
                    Ok(0) => break,
                    Ok(n) => {
                        rx.pending.drain(..n);
                        session.process_new_packets().map_err(invalid)?;
                    }
                    // The plaintext buffer is full: the caller reads it first.
                    Err(e) if e.kind() == io::ErrorKind::Other => break,
                    Err(e) => return Err(e),
                }
            }
            let plain = session.reader().read(buf);
            self.send_sealed(session)?; // alerts, key updates
            match plain {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                // The peer closed without close_notify: the end of the stream.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(0),
                Err(e) => return Err(e),
            }
            let Rx { raw, pending } = &mut *rx;
            let n = Read::read(&mut &self.tcp, raw)?;
            if n == 0 {
                return Ok(0);
            }
            pending.extend_from_slice(&raw[..n]);
        }
    }

    fn write_all(&self, buf: &[u8]) -> io::Result<()> {
        for chunk in buf.chunks(64 * 1024) {
            let mut session = lock(&self.session);
            session.writer().write_all(chunk)?;
            self.send_sealed(session)?;
        }
        Ok(())
    }

    fn shutdown(&self) {
        let _ = self.tcp.shutdown(std::net::Shutdown::Both);
    }
}
