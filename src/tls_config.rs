//! The rustls client configuration `amqps://` options describe (feature
//! `rustls`): the CA file that signs the server's certificate, an optional
//! client certificate and key (for brokers that ask for one and for
//! EXTERNAL authentication), with the ring provider. Both front ends use it.

use std::sync::Arc;

use rustls::{ClientConfig, RootCertStore};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::{ConnectionOptions, Error};

pub(crate) fn tls_error(reason: impl std::fmt::Display) -> Error {
    Error::Tls {
        reason: reason.to_string(),
    }
}

/// Builds the rustls client configuration the options describe.
pub(crate) fn client_config(opts: &ConnectionOptions) -> Result<ClientConfig, Error> {
    let ca_file = opts.ca_file.as_ref().ok_or_else(|| {
        tls_error(
            "amqps:// needs a CA file (cacertfile= in the URL, or ConnectionOptions::ca_file)",
        )
    })?;
    let mut roots = RootCertStore::empty();
    let certs = CertificateDer::pem_file_iter(ca_file)
        .map_err(|e| tls_error(format!("reading CA file {}: {e}", ca_file.display())))?;
    for cert in certs {
        let cert = cert.map_err(|e| tls_error(format!("CA file {}: {e}", ca_file.display())))?;
        roots
            .add(cert)
            .map_err(|e| tls_error(format!("CA file {}: {e}", ca_file.display())))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_root_certificates(roots);
    match (&opts.cert_file, &opts.key_file) {
        (Some(cert_file), Some(key_file)) => {
            let chain = CertificateDer::pem_file_iter(cert_file)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| {
                    tls_error(format!("client certificate {}: {e}", cert_file.display()))
                })?;
            let key = PrivateKeyDer::from_pem_file(key_file)
                .map_err(|e| tls_error(format!("client key {}: {e}", key_file.display())))?;
            builder.with_client_auth_cert(chain, key).map_err(tls_error)
        }
        (None, None) => Ok(builder.with_no_client_auth()),
        _ => Err(tls_error(
            "a client certificate needs both certfile and keyfile",
        )),
    }
}
