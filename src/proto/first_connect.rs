//! The first connect along several brokers: which address is tried next
//! and what the connect fails with, the same for both front ends (they
//! only open transports and run the handshake's timer).

use crate::connection_options::Address;
use crate::error::{Error, TimeoutKind};

use super::Config;

/// The first connect's walk along the addresses of a [`Config`]
/// ([`Config::addresses`]: `host:port`, then
/// [`more_addresses`](crate::ConnectionOptions::more_addresses), shuffled
/// when asked). Each address is tried once, in order, and each attempt
/// gets the whole connection timeout for its TCP connect, TLS and AMQP
/// handshake. Any failure of an attempt moves on to the next address, as
/// the Java client and pika do: a peer that accepts TCP and then closes,
/// sends garbage or never answers, and also a refusal of the credentials
/// (403 ACCESS_REFUSED) or of the virtual host (530 NOT_ALLOWED), since
/// the brokers of a list may differ (a node whose users or vhosts are not
/// in sync yet). The connect fails with the last attempt's error when
/// every address failed.
#[derive(Debug)]
pub struct FirstConnect {
    addresses: Vec<Address>,
    next: usize,
    last: Option<Error>,
}

impl FirstConnect {
    /// The walk along `config`'s addresses, none tried yet.
    pub fn new(config: &Config) -> Self {
        FirstConnect {
            addresses: config.addresses(),
            next: 0,
            last: None,
        }
    }

    /// The next address to try, with its index in
    /// [`Config::addresses`] (what
    /// [`set_address_index`](super::Connection::set_address_index) takes
    /// once it connects); `None` when every address was tried.
    pub fn next_address(&mut self) -> Option<(usize, Address)> {
        let index = self.next;
        let address = self.addresses.get(index)?.clone();
        self.next += 1;
        Some((index, address))
    }

    /// The attempt on the last address given failed with `error` (the
    /// TCP connect, TLS, or the AMQP handshake, its timeout included):
    /// the next address is tried, whatever the error (see the type's docs).
    pub fn failed(&mut self, error: Error) {
        self.last = Some(error);
    }

    /// What the connect fails with once no address is left: the last
    /// attempt's error (a connect timeout if none was tried).
    pub fn into_error(self) -> Error {
        self.last.unwrap_or(Error::Timeout(TimeoutKind::Connect))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::ReplyCode;
    use crate::error::{CloseReason, Initiator};

    fn config(urls: &str) -> Config {
        Config::from(crate::ConnectionOptions::from_urls(urls).expect("urls"))
    }

    fn refused(code: ReplyCode) -> Error {
        Error::ConnectionClosed {
            reason: CloseReason {
                code,
                text: "refused".into(),
                class_id: 0,
                method_id: 0,
            },
            by: Initiator::Server,
        }
    }

    #[test]
    fn every_address_is_tried_once_in_order_whatever_each_failure() {
        let mut walk = FirstConnect::new(&config("amqp://a:1,amqp://b:2,amqp://c:3,amqp://d:4"));
        let failures = [
            Error::Timeout(TimeoutKind::Connect),
            refused(ReplyCode::ACCESS_REFUSED),
            refused(ReplyCode::NOT_ALLOWED),
        ];
        let mut tried = Vec::new();
        for failure in failures {
            let (index, address) = walk.next_address().expect("an address is left");
            tried.push((index, address.to_string()));
            walk.failed(failure);
        }
        let (index, address) = walk.next_address().expect("the last address");
        tried.push((index, address.to_string()));
        assert_eq!(
            tried,
            [
                (0, "a:1".to_string()),
                (1, "b:2".to_string()),
                (2, "c:3".to_string()),
                (3, "d:4".to_string())
            ]
        );
    }

    #[test]
    fn when_every_address_failed_the_connect_fails_with_the_last_error() {
        let mut walk = FirstConnect::new(&config("amqp://a:1,amqp://b:2"));
        walk.next_address();
        walk.failed(Error::Timeout(TimeoutKind::Connect));
        walk.next_address();
        walk.failed(refused(ReplyCode::ACCESS_REFUSED));
        assert!(walk.next_address().is_none());
        assert!(matches!(
            walk.into_error(),
            Error::ConnectionClosed { reason, .. } if reason.code == ReplyCode::ACCESS_REFUSED
        ));
    }

    #[test]
    fn the_walk_follows_the_order_the_core_is_given() {
        let mut config = config("amqp://a:1,amqp://b:2,amqp://c:3,amqp://d:4,amqp://e:5");
        config.options.shuffle_addresses = true;
        config.seed = 42;
        let mut walk = FirstConnect::new(&config);
        let order: Vec<Address> =
            std::iter::from_fn(|| walk.next_address().map(|(_, a)| a)).collect();
        assert_eq!(order, config.options.addresses(42));
        let core = super::super::Connection::new(config, std::time::Instant::now());
        assert_eq!(core.addresses(), order.as_slice());
    }
}
