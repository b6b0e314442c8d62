//! What options ask of a transport without TLS: EXTERNAL authentication
//! (the client certificate is the credential) and the TLS files and server
//! name have no meaning there, and connecting anyway would send the
//! password in clear to a broker the application meant to verify. Both
//! front ends refuse such options before they connect.

use super::{AuthMechanism, ConnectionOptions};

impl ConnectionOptions {
    /// Why these options cannot go over a transport without TLS (`None`:
    /// they can). `tls` itself is the front end's to judge: `connect_with`
    /// speaks TLS for it, a plain stream cannot.
    pub(crate) fn refused_in_clear(&self) -> Option<String> {
        if self.auth_mechanism == AuthMechanism::External {
            return Some(
                "EXTERNAL authentication needs TLS (amqps:// with a client certificate)".into(),
            );
        }
        let tls_only = [
            ("ca_file (cacertfile)", self.ca_file.is_some()),
            ("cert_file (certfile)", self.cert_file.is_some()),
            ("key_file (keyfile)", self.key_file.is_some()),
            (
                "server_name (server_name_indication)",
                self.server_name.is_some(),
            ),
        ];
        let named: Vec<&str> = tls_only
            .iter()
            .filter(|(_, set)| *set)
            .map(|(name, _)| *name)
            .collect();
        if named.is_empty() {
            return None;
        }
        Some(format!(
            "{} set, which only TLS uses, but the options ask for no TLS: use amqps://",
            named.join(", ")
        ))
    }
}
