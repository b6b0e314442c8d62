// GENERATED FILE - DO NOT EDIT.
// Made by `cargo run -p amqp091-spec --bin generate` from spec/amqp0-9-1.extended.xml
// and spec/rabbitmq-extensions.xml (doc text and errata from spec/amqp0-9-1.xml); spec/tests/generated_is_current.rs fails when it is stale.

//! Every class and method of the extended AMQP 0-9-1 definition, the basic
//! content properties, and the tables describing them.

use bytes::{BufMut, BytesMut};

use crate::error::DecodeError;
use crate::method::{ArgValue, MethodArgs};
use crate::spec_info::{ArgType, ClassInfo, ConstantInfo, Erratum, FieldInfo, MethodInfo};
use crate::table::FieldTable;
use crate::types::{LongStr, Reader, ShortStr};

/// `connection.start` (class 10, method 10, synchronous).
///
/// Start connection negotiation.
///
/// This method starts the connection negotiation process by telling the client the protocol version that the server proposes, along with a list of security mechanisms which the client can use for authentication.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionStart {
    /// Protocol major version.
    ///
    /// The major version number can take any value from 0 to 99 as defined in the AMQP specification.
    pub version_major: u8,
    /// Protocol minor version.
    ///
    /// The minor version number can take any value from 0 to 99 as defined in the AMQP specification.
    pub version_minor: u8,
    /// Server properties.
    pub server_properties: FieldTable,
    /// Available security mechanisms.
    ///
    /// A list of the security mechanisms that the server supports, delimited by spaces.
    pub mechanisms: LongStr,
    /// Available message locales.
    ///
    /// A list of the message locales that the server supports, delimited by spaces. The locale defines the language in which the server will send reply texts.
    pub locales: LongStr,
}

impl ConnectionStart {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let version_major = r.octet().map_err(|e| e.in_field("version-major"))?;
        let version_minor = r.octet().map_err(|e| e.in_field("version-minor"))?;
        let server_properties =
            FieldTable::decode(r).map_err(|e| e.in_field("server-properties"))?;
        let mechanisms = r.longstr().map_err(|e| e.in_field("mechanisms"))?;
        let locales = r.longstr().map_err(|e| e.in_field("locales"))?;
        Ok(ConnectionStart {
            version_major,
            version_minor,
            server_properties,
            mechanisms,
            locales,
        })
    }
}

impl MethodArgs for ConnectionStart {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 10;
    const NAME: &'static str = "connection.start";

    fn encoded_len(&self) -> usize {
        6 + self.server_properties.encoded_len()
            + 4
            + self.mechanisms.len()
            + 4
            + self.locales.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(10);
        buf.put_u8(self.version_major);
        buf.put_u8(self.version_minor);
        self.server_properties.encode(buf);
        self.mechanisms.encode(buf);
        self.locales.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("version-major", ArgValue::Octet(self.version_major)),
            ("version-minor", ArgValue::Octet(self.version_minor)),
            (
                "server-properties",
                ArgValue::Table(&self.server_properties),
            ),
            ("mechanisms", ArgValue::LongStr(&self.mechanisms)),
            ("locales", ArgValue::LongStr(&self.locales)),
        ]
    }
}

/// `connection.start-ok` (class 10, method 11, synchronous).
///
/// Select security mechanism and locale.
///
/// This method selects a SASL security mechanism.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionStartOk {
    /// Client properties.
    pub client_properties: FieldTable,
    /// Selected security mechanism.
    ///
    /// A single security mechanisms selected by the client, which must be one of those specified by the server.
    pub mechanism: ShortStr,
    /// Security response data.
    ///
    /// A block of opaque data passed to the security mechanism. The contents of this data are defined by the SASL security mechanism.
    pub response: LongStr,
    /// Selected message locale.
    ///
    /// A single message locale selected by the client, which must be one of those specified by the server.
    pub locale: ShortStr,
}

impl ConnectionStartOk {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let client_properties =
            FieldTable::decode(r).map_err(|e| e.in_field("client-properties"))?;
        let mechanism = r.shortstr().map_err(|e| e.in_field("mechanism"))?;
        let response = r.longstr().map_err(|e| e.in_field("response"))?;
        let locale = r.shortstr().map_err(|e| e.in_field("locale"))?;
        Ok(ConnectionStartOk {
            client_properties,
            mechanism,
            response,
            locale,
        })
    }
}

impl MethodArgs for ConnectionStartOk {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 11;
    const NAME: &'static str = "connection.start-ok";

    fn encoded_len(&self) -> usize {
        4 + self.client_properties.encoded_len()
            + 1
            + self.mechanism.len()
            + 4
            + self.response.len()
            + 1
            + self.locale.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(11);
        self.client_properties.encode(buf);
        self.mechanism.encode(buf);
        self.response.encode(buf);
        self.locale.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            (
                "client-properties",
                ArgValue::Table(&self.client_properties),
            ),
            ("mechanism", ArgValue::ShortStr(&self.mechanism)),
            ("response", ArgValue::LongStr(&self.response)),
            ("locale", ArgValue::ShortStr(&self.locale)),
        ]
    }
}

/// `connection.secure` (class 10, method 20, synchronous).
///
/// Security mechanism challenge.
///
/// The SASL protocol works by exchanging challenges and responses until both peers have received sufficient information to authenticate each other. This method challenges the client to provide more information.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionSecure {
    /// Security challenge data.
    ///
    /// Challenge information, a block of opaque binary data passed to the security mechanism.
    pub challenge: LongStr,
}

impl ConnectionSecure {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let challenge = r.longstr().map_err(|e| e.in_field("challenge"))?;
        Ok(ConnectionSecure { challenge })
    }
}

impl MethodArgs for ConnectionSecure {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 20;
    const NAME: &'static str = "connection.secure";

    fn encoded_len(&self) -> usize {
        4 + 4 + self.challenge.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(20);
        self.challenge.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("challenge", ArgValue::LongStr(&self.challenge))]
    }
}

/// `connection.secure-ok` (class 10, method 21, synchronous).
///
/// Security mechanism response.
///
/// This method attempts to authenticate, passing a block of SASL data for the security mechanism at the server side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionSecureOk {
    /// Security response data.
    ///
    /// A block of opaque data passed to the security mechanism. The contents of this data are defined by the SASL security mechanism.
    pub response: LongStr,
}

impl ConnectionSecureOk {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let response = r.longstr().map_err(|e| e.in_field("response"))?;
        Ok(ConnectionSecureOk { response })
    }
}

impl MethodArgs for ConnectionSecureOk {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 21;
    const NAME: &'static str = "connection.secure-ok";

    fn encoded_len(&self) -> usize {
        4 + 4 + self.response.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(21);
        self.response.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("response", ArgValue::LongStr(&self.response))]
    }
}

/// `connection.tune` (class 10, method 30, synchronous).
///
/// Propose connection tuning parameters.
///
/// This method proposes a set of connection configuration values to the client. The client can accept and/or adjust these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionTune {
    /// Proposed maximum channels.
    ///
    /// Specifies highest channel number that the server permits.  Usable channel numbers are in the range 1..channel-max.  Zero indicates no specified limit.
    pub channel_max: u16,
    /// Proposed maximum frame size.
    ///
    /// The largest frame size that the server proposes for the connection, including frame header and end-byte.  The client can negotiate a lower value. Zero means that the server does not impose any specific limit but may reject very large frames if it cannot allocate resources for them.
    pub frame_max: u32,
    /// Desired heartbeat delay.
    ///
    /// The delay, in seconds, of the connection heartbeat that the server wants. Zero means the server does not want a heartbeat.
    pub heartbeat: u16,
}

impl ConnectionTune {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let channel_max = r.short().map_err(|e| e.in_field("channel-max"))?;
        let frame_max = r.long().map_err(|e| e.in_field("frame-max"))?;
        let heartbeat = r.short().map_err(|e| e.in_field("heartbeat"))?;
        Ok(ConnectionTune {
            channel_max,
            frame_max,
            heartbeat,
        })
    }
}

impl MethodArgs for ConnectionTune {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 30;
    const NAME: &'static str = "connection.tune";

    fn encoded_len(&self) -> usize {
        12
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(30);
        buf.put_u16(self.channel_max);
        buf.put_u32(self.frame_max);
        buf.put_u16(self.heartbeat);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("channel-max", ArgValue::Short(self.channel_max)),
            ("frame-max", ArgValue::Long(self.frame_max)),
            ("heartbeat", ArgValue::Short(self.heartbeat)),
        ]
    }
}

/// `connection.tune-ok` (class 10, method 31, synchronous).
///
/// Negotiate connection tuning parameters.
///
/// This method sends the client's connection tuning parameters to the server. Certain fields are negotiated, others provide capability information.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionTuneOk {
    /// Negotiated maximum channels.
    ///
    /// The maximum total number of channels that the client will use per connection.
    pub channel_max: u16,
    /// Negotiated maximum frame size.
    ///
    /// The largest frame size that the client and server will use for the connection. Zero means that the client does not impose any specific limit but may reject very large frames if it cannot allocate resources for them. Note that the frame-max limit applies principally to content frames, where large contents can be broken into frames of arbitrary size.
    pub frame_max: u32,
    /// Desired heartbeat delay.
    ///
    /// The delay, in seconds, of the connection heartbeat that the client wants. Zero means the client does not want a heartbeat.
    pub heartbeat: u16,
}

impl ConnectionTuneOk {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let channel_max = r.short().map_err(|e| e.in_field("channel-max"))?;
        let frame_max = r.long().map_err(|e| e.in_field("frame-max"))?;
        let heartbeat = r.short().map_err(|e| e.in_field("heartbeat"))?;
        Ok(ConnectionTuneOk {
            channel_max,
            frame_max,
            heartbeat,
        })
    }
}

impl MethodArgs for ConnectionTuneOk {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 31;
    const NAME: &'static str = "connection.tune-ok";

    fn encoded_len(&self) -> usize {
        12
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(31);
        buf.put_u16(self.channel_max);
        buf.put_u32(self.frame_max);
        buf.put_u16(self.heartbeat);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("channel-max", ArgValue::Short(self.channel_max)),
            ("frame-max", ArgValue::Long(self.frame_max)),
            ("heartbeat", ArgValue::Short(self.heartbeat)),
        ]
    }
}

/// `connection.open` (class 10, method 40, synchronous).
///
/// Open connection to virtual host.
///
/// This method opens a connection to a virtual host, which is a collection of resources, and acts to separate multiple application domains within a server. The server may apply arbitrary limits per virtual host, such as the number of each type of entity that may be used, per connection and/or in total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionOpen {
    /// Virtual host name.
    ///
    /// The name of the virtual host to work with.
    pub virtual_host: ShortStr,
    /// Reserved (shortstr); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: ShortStr,
    /// Reserved (bit); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_2: bool,
}

impl ConnectionOpen {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let virtual_host = r.shortstr().map_err(|e| e.in_field("virtual-host"))?;
        let reserved_1 = r.shortstr().map_err(|e| e.in_field("reserved-1"))?;
        let bits = r.octet().map_err(|e| e.in_field("reserved-2"))?;
        let reserved_2 = bits & 1 != 0;
        Ok(ConnectionOpen {
            virtual_host,
            reserved_1,
            reserved_2,
        })
    }
}

impl MethodArgs for ConnectionOpen {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 40;
    const NAME: &'static str = "connection.open";

    fn encoded_len(&self) -> usize {
        5 + 1 + self.virtual_host.len() + 1 + self.reserved_1.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(40);
        self.virtual_host.encode(buf);
        self.reserved_1.encode(buf);
        buf.put_u8(u8::from(self.reserved_2));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("virtual-host", ArgValue::ShortStr(&self.virtual_host)),
            ("reserved-1", ArgValue::ShortStr(&self.reserved_1)),
            ("reserved-2", ArgValue::Bit(self.reserved_2)),
        ]
    }
}

/// `connection.open-ok` (class 10, method 41, synchronous).
///
/// Signal that connection is ready.
///
/// This method signals to the client that the connection is ready for use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionOpenOk {
    /// Reserved (shortstr); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: ShortStr,
}

impl ConnectionOpenOk {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.shortstr().map_err(|e| e.in_field("reserved-1"))?;
        Ok(ConnectionOpenOk { reserved_1 })
    }
}

impl MethodArgs for ConnectionOpenOk {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 41;
    const NAME: &'static str = "connection.open-ok";

    fn encoded_len(&self) -> usize {
        4 + 1 + self.reserved_1.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(41);
        self.reserved_1.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("reserved-1", ArgValue::ShortStr(&self.reserved_1))]
    }
}

/// `connection.close` (class 10, method 50, synchronous).
///
/// Request a connection close.
///
/// This method indicates that the sender wants to close the connection. This may be due to internal conditions (e.g. a forced shut-down) or due to an error handling a specific method, i.e. an exception. When a close is due to an exception, the sender provides the class and method id of the method which caused the exception.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionClose {
    /// The `reply-code` field (reply-code).
    pub reply_code: u16,
    /// The `reply-text` field (reply-text).
    pub reply_text: ShortStr,
    /// Failing method class.
    ///
    /// When the close is provoked by a method exception, this is the class of the method.
    pub class_id: u16,
    /// Failing method ID.
    ///
    /// When the close is provoked by a method exception, this is the ID of the method.
    pub method_id: u16,
}

impl ConnectionClose {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reply_code = r.short().map_err(|e| e.in_field("reply-code"))?;
        let reply_text = r.shortstr().map_err(|e| e.in_field("reply-text"))?;
        let class_id = r.short().map_err(|e| e.in_field("class-id"))?;
        let method_id = r.short().map_err(|e| e.in_field("method-id"))?;
        Ok(ConnectionClose {
            reply_code,
            reply_text,
            class_id,
            method_id,
        })
    }
}

impl MethodArgs for ConnectionClose {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 50;
    const NAME: &'static str = "connection.close";

    fn encoded_len(&self) -> usize {
        10 + 1 + self.reply_text.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(50);
        buf.put_u16(self.reply_code);
        self.reply_text.encode(buf);
        buf.put_u16(self.class_id);
        buf.put_u16(self.method_id);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reply-code", ArgValue::Short(self.reply_code)),
            ("reply-text", ArgValue::ShortStr(&self.reply_text)),
            ("class-id", ArgValue::Short(self.class_id)),
            ("method-id", ArgValue::Short(self.method_id)),
        ]
    }
}

/// `connection.close-ok` (class 10, method 51, synchronous).
///
/// Confirm a connection close.
///
/// This method confirms a Connection.Close method and tells the recipient that it is safe to release resources for the connection and close the socket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionCloseOk {}

impl ConnectionCloseOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ConnectionCloseOk {})
    }
}

impl MethodArgs for ConnectionCloseOk {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 51;
    const NAME: &'static str = "connection.close-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(51);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `connection.blocked` (class 10, method 60).
///
/// The server stopped reading from this connection.
///
/// The server sends this when a resource alarm (memory or disk) makes it stop reading from publishing connections. The reason says which alarm.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionBlocked {
    /// The `reason` field (shortstr).
    pub reason: ShortStr,
}

impl ConnectionBlocked {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reason = r.shortstr().map_err(|e| e.in_field("reason"))?;
        Ok(ConnectionBlocked { reason })
    }
}

impl MethodArgs for ConnectionBlocked {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 60;
    const NAME: &'static str = "connection.blocked";

    fn encoded_len(&self) -> usize {
        4 + 1 + self.reason.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(60);
        self.reason.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("reason", ArgValue::ShortStr(&self.reason))]
    }
}

/// `connection.unblocked` (class 10, method 61).
///
/// The server reads again.
///
/// The server sends this when the alarm that blocked the connection has cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionUnblocked {}

impl ConnectionUnblocked {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ConnectionUnblocked {})
    }
}

impl MethodArgs for ConnectionUnblocked {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 61;
    const NAME: &'static str = "connection.unblocked";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(61);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `connection.update-secret` (class 10, method 70, synchronous).
///
/// Update the connection's secret.
///
/// The client sends new credentials (an OAuth 2 token, say) for the connection to go on with after the current ones expire.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionUpdateSecret {
    /// The `new-secret` field (longstr).
    pub new_secret: LongStr,
    /// The `reason` field (shortstr).
    pub reason: ShortStr,
}

impl ConnectionUpdateSecret {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let new_secret = r.longstr().map_err(|e| e.in_field("new-secret"))?;
        let reason = r.shortstr().map_err(|e| e.in_field("reason"))?;
        Ok(ConnectionUpdateSecret { new_secret, reason })
    }
}

impl MethodArgs for ConnectionUpdateSecret {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 70;
    const NAME: &'static str = "connection.update-secret";

    fn encoded_len(&self) -> usize {
        4 + 4 + self.new_secret.len() + 1 + self.reason.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(70);
        self.new_secret.encode(buf);
        self.reason.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("new-secret", ArgValue::LongStr(&self.new_secret)),
            ("reason", ArgValue::ShortStr(&self.reason)),
        ]
    }
}

/// `connection.update-secret-ok` (class 10, method 71, synchronous).
///
/// The new secret is accepted.
///
/// The server accepted the new secret.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionUpdateSecretOk {}

impl ConnectionUpdateSecretOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ConnectionUpdateSecretOk {})
    }
}

impl MethodArgs for ConnectionUpdateSecretOk {
    const CLASS_ID: u16 = 10;
    const METHOD_ID: u16 = 71;
    const NAME: &'static str = "connection.update-secret-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(10);
        buf.put_u16(71);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `channel.open` (class 20, method 10, synchronous).
///
/// Open a channel for use.
///
/// This method opens a channel to the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelOpen {
    /// Reserved (shortstr); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: ShortStr,
}

impl ChannelOpen {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.shortstr().map_err(|e| e.in_field("reserved-1"))?;
        Ok(ChannelOpen { reserved_1 })
    }
}

impl MethodArgs for ChannelOpen {
    const CLASS_ID: u16 = 20;
    const METHOD_ID: u16 = 10;
    const NAME: &'static str = "channel.open";

    fn encoded_len(&self) -> usize {
        4 + 1 + self.reserved_1.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(20);
        buf.put_u16(10);
        self.reserved_1.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("reserved-1", ArgValue::ShortStr(&self.reserved_1))]
    }
}

/// `channel.open-ok` (class 20, method 11, synchronous).
///
/// Signal that the channel is ready.
///
/// This method signals to the client that the channel is ready for use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelOpenOk {
    /// Reserved (longstr); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: LongStr,
}

impl ChannelOpenOk {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.longstr().map_err(|e| e.in_field("reserved-1"))?;
        Ok(ChannelOpenOk { reserved_1 })
    }
}

impl MethodArgs for ChannelOpenOk {
    const CLASS_ID: u16 = 20;
    const METHOD_ID: u16 = 11;
    const NAME: &'static str = "channel.open-ok";

    fn encoded_len(&self) -> usize {
        4 + 4 + self.reserved_1.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(20);
        buf.put_u16(11);
        self.reserved_1.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("reserved-1", ArgValue::LongStr(&self.reserved_1))]
    }
}

/// `channel.flow` (class 20, method 20, synchronous).
///
/// Enable/disable flow from peer.
///
/// This method asks the peer to pause or restart the flow of content data sent by a consumer. This is a simple flow-control mechanism that a peer can use to avoid overflowing its queues or otherwise finding itself receiving more messages than it can process. Note that this method is not intended for window control. It does not affect contents returned by Basic.Get-Ok methods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelFlow {
    /// Start/stop content frames.
    ///
    /// If 1, the peer starts sending content frames. If 0, the peer stops sending content frames.
    pub active: bool,
}

impl ChannelFlow {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let bits = r.octet().map_err(|e| e.in_field("active"))?;
        let active = bits & 1 != 0;
        Ok(ChannelFlow { active })
    }
}

impl MethodArgs for ChannelFlow {
    const CLASS_ID: u16 = 20;
    const METHOD_ID: u16 = 20;
    const NAME: &'static str = "channel.flow";

    fn encoded_len(&self) -> usize {
        5
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(20);
        buf.put_u16(20);
        buf.put_u8(u8::from(self.active));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("active", ArgValue::Bit(self.active))]
    }
}

/// `channel.flow-ok` (class 20, method 21, synchronous).
///
/// Confirm a flow method.
///
/// Confirms to the peer that a flow command was received and processed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelFlowOk {
    /// Current flow setting.
    ///
    /// Confirms the setting of the processed flow method: 1 means the peer will start sending or continue to send content frames; 0 means it will not.
    pub active: bool,
}

impl ChannelFlowOk {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let bits = r.octet().map_err(|e| e.in_field("active"))?;
        let active = bits & 1 != 0;
        Ok(ChannelFlowOk { active })
    }
}

impl MethodArgs for ChannelFlowOk {
    const CLASS_ID: u16 = 20;
    const METHOD_ID: u16 = 21;
    const NAME: &'static str = "channel.flow-ok";

    fn encoded_len(&self) -> usize {
        5
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(20);
        buf.put_u16(21);
        buf.put_u8(u8::from(self.active));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("active", ArgValue::Bit(self.active))]
    }
}

/// `channel.close` (class 20, method 40, synchronous).
///
/// Request a channel close.
///
/// This method indicates that the sender wants to close the channel. This may be due to internal conditions (e.g. a forced shut-down) or due to an error handling a specific method, i.e. an exception. When a close is due to an exception, the sender provides the class and method id of the method which caused the exception.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelClose {
    /// The `reply-code` field (reply-code).
    pub reply_code: u16,
    /// The `reply-text` field (reply-text).
    pub reply_text: ShortStr,
    /// Failing method class.
    ///
    /// When the close is provoked by a method exception, this is the class of the method.
    pub class_id: u16,
    /// Failing method ID.
    ///
    /// When the close is provoked by a method exception, this is the ID of the method.
    pub method_id: u16,
}

impl ChannelClose {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reply_code = r.short().map_err(|e| e.in_field("reply-code"))?;
        let reply_text = r.shortstr().map_err(|e| e.in_field("reply-text"))?;
        let class_id = r.short().map_err(|e| e.in_field("class-id"))?;
        let method_id = r.short().map_err(|e| e.in_field("method-id"))?;
        Ok(ChannelClose {
            reply_code,
            reply_text,
            class_id,
            method_id,
        })
    }
}

impl MethodArgs for ChannelClose {
    const CLASS_ID: u16 = 20;
    const METHOD_ID: u16 = 40;
    const NAME: &'static str = "channel.close";

    fn encoded_len(&self) -> usize {
        10 + 1 + self.reply_text.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(20);
        buf.put_u16(40);
        buf.put_u16(self.reply_code);
        self.reply_text.encode(buf);
        buf.put_u16(self.class_id);
        buf.put_u16(self.method_id);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reply-code", ArgValue::Short(self.reply_code)),
            ("reply-text", ArgValue::ShortStr(&self.reply_text)),
            ("class-id", ArgValue::Short(self.class_id)),
            ("method-id", ArgValue::Short(self.method_id)),
        ]
    }
}

/// `channel.close-ok` (class 20, method 41, synchronous).
///
/// Confirm a channel close.
///
/// This method confirms a Channel.Close method and tells the recipient that it is safe to release resources for the channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelCloseOk {}

impl ChannelCloseOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ChannelCloseOk {})
    }
}

impl MethodArgs for ChannelCloseOk {
    const CLASS_ID: u16 = 20;
    const METHOD_ID: u16 = 41;
    const NAME: &'static str = "channel.close-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(20);
        buf.put_u16(41);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `exchange.declare` (class 40, method 10, synchronous).
///
/// Verify exchange exists, create if needed.
///
/// This method creates an exchange if it does not already exist, and if the exchange exists, verifies that it is of the correct and expected class.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeDeclare {
    /// Reserved (short); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: u16,
    /// The `exchange` field (exchange-name).
    pub exchange: ShortStr,
    /// Exchange type.
    ///
    /// Each exchange belongs to one of a set of exchange types implemented by the server. The exchange types define the functionality of the exchange - i.e. how messages are routed through it. It is not valid or meaningful to attempt to change the type of an existing exchange.
    pub kind: ShortStr,
    /// Do not create exchange.
    ///
    /// If set, the server will reply with Declare-Ok if the exchange already exists with the same name, and raise an error if not.  The client can use this to check whether an exchange exists without modifying the server state. When set, all other method fields except name and no-wait are ignored.  A declare with both passive and no-wait has no effect. Arguments are compared for semantic equivalence.
    pub passive: bool,
    /// Request a durable exchange.
    ///
    /// If set when creating a new exchange, the exchange will be marked as durable. Durable exchanges remain active when a server restarts. Non-durable exchanges (transient exchanges) are purged if/when a server restarts.
    pub durable: bool,
    /// The `auto-delete` field (bit).
    pub auto_delete: bool,
    /// The `internal` field (bit).
    pub internal: bool,
    /// The `no-wait` field (no-wait).
    pub no_wait: bool,
    /// Arguments for declaration.
    ///
    /// A set of arguments for the declaration. The syntax and semantics of these arguments depends on the server implementation.
    pub arguments: FieldTable,
}

impl ExchangeDeclare {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.short().map_err(|e| e.in_field("reserved-1"))?;
        let exchange = r.shortstr().map_err(|e| e.in_field("exchange"))?;
        let kind = r.shortstr().map_err(|e| e.in_field("type"))?;
        let bits = r.octet().map_err(|e| e.in_field("passive"))?;
        let passive = bits & 1 != 0;
        let durable = bits & 2 != 0;
        let auto_delete = bits & 4 != 0;
        let internal = bits & 8 != 0;
        let no_wait = bits & 16 != 0;
        let arguments = FieldTable::decode(r).map_err(|e| e.in_field("arguments"))?;
        Ok(ExchangeDeclare {
            reserved_1,
            exchange,
            kind,
            passive,
            durable,
            auto_delete,
            internal,
            no_wait,
            arguments,
        })
    }
}

impl MethodArgs for ExchangeDeclare {
    const CLASS_ID: u16 = 40;
    const METHOD_ID: u16 = 10;
    const NAME: &'static str = "exchange.declare";

    fn encoded_len(&self) -> usize {
        7 + 1 + self.exchange.len() + 1 + self.kind.len() + self.arguments.encoded_len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(40);
        buf.put_u16(10);
        buf.put_u16(self.reserved_1);
        self.exchange.encode(buf);
        self.kind.encode(buf);
        buf.put_u8(
            u8::from(self.passive)
                | (u8::from(self.durable) << 1)
                | (u8::from(self.auto_delete) << 2)
                | (u8::from(self.internal) << 3)
                | (u8::from(self.no_wait) << 4),
        );
        self.arguments.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reserved-1", ArgValue::Short(self.reserved_1)),
            ("exchange", ArgValue::ShortStr(&self.exchange)),
            ("type", ArgValue::ShortStr(&self.kind)),
            ("passive", ArgValue::Bit(self.passive)),
            ("durable", ArgValue::Bit(self.durable)),
            ("auto-delete", ArgValue::Bit(self.auto_delete)),
            ("internal", ArgValue::Bit(self.internal)),
            ("no-wait", ArgValue::Bit(self.no_wait)),
            ("arguments", ArgValue::Table(&self.arguments)),
        ]
    }
}

/// `exchange.declare-ok` (class 40, method 11, synchronous).
///
/// Confirm exchange declaration.
///
/// This method confirms a Declare method and confirms the name of the exchange, essential for automatically-named exchanges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeDeclareOk {}

impl ExchangeDeclareOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ExchangeDeclareOk {})
    }
}

impl MethodArgs for ExchangeDeclareOk {
    const CLASS_ID: u16 = 40;
    const METHOD_ID: u16 = 11;
    const NAME: &'static str = "exchange.declare-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(40);
        buf.put_u16(11);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `exchange.delete` (class 40, method 20, synchronous).
///
/// Delete an exchange.
///
/// This method deletes an exchange. When an exchange is deleted all queue bindings on the exchange are cancelled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeDelete {
    /// Reserved (short); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: u16,
    /// The `exchange` field (exchange-name).
    pub exchange: ShortStr,
    /// Delete only if unused.
    ///
    /// If set, the server will only delete the exchange if it has no queue bindings. If the exchange has queue bindings the server does not delete it but raises a channel exception instead.
    pub if_unused: bool,
    /// The `no-wait` field (no-wait).
    pub no_wait: bool,
}

impl ExchangeDelete {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.short().map_err(|e| e.in_field("reserved-1"))?;
        let exchange = r.shortstr().map_err(|e| e.in_field("exchange"))?;
        let bits = r.octet().map_err(|e| e.in_field("if-unused"))?;
        let if_unused = bits & 1 != 0;
        let no_wait = bits & 2 != 0;
        Ok(ExchangeDelete {
            reserved_1,
            exchange,
            if_unused,
            no_wait,
        })
    }
}

impl MethodArgs for ExchangeDelete {
    const CLASS_ID: u16 = 40;
    const METHOD_ID: u16 = 20;
    const NAME: &'static str = "exchange.delete";

    fn encoded_len(&self) -> usize {
        7 + 1 + self.exchange.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(40);
        buf.put_u16(20);
        buf.put_u16(self.reserved_1);
        self.exchange.encode(buf);
        buf.put_u8(u8::from(self.if_unused) | (u8::from(self.no_wait) << 1));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reserved-1", ArgValue::Short(self.reserved_1)),
            ("exchange", ArgValue::ShortStr(&self.exchange)),
            ("if-unused", ArgValue::Bit(self.if_unused)),
            ("no-wait", ArgValue::Bit(self.no_wait)),
        ]
    }
}

/// `exchange.delete-ok` (class 40, method 21, synchronous).
///
/// Confirm deletion of an exchange.
///
/// This method confirms the deletion of an exchange.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeDeleteOk {}

impl ExchangeDeleteOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ExchangeDeleteOk {})
    }
}

impl MethodArgs for ExchangeDeleteOk {
    const CLASS_ID: u16 = 40;
    const METHOD_ID: u16 = 21;
    const NAME: &'static str = "exchange.delete-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(40);
        buf.put_u16(21);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `exchange.bind` (class 40, method 30, synchronous).
///
/// A RabbitMQ extension to 0-9-1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeBind {
    /// Reserved (short); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: u16,
    /// The `destination` field (exchange-name).
    pub destination: ShortStr,
    /// The `source` field (exchange-name).
    pub source: ShortStr,
    /// The `routing-key` field (shortstr).
    pub routing_key: ShortStr,
    /// The `no-wait` field (no-wait).
    pub no_wait: bool,
    /// The `arguments` field (table).
    pub arguments: FieldTable,
}

impl ExchangeBind {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.short().map_err(|e| e.in_field("reserved-1"))?;
        let destination = r.shortstr().map_err(|e| e.in_field("destination"))?;
        let source = r.shortstr().map_err(|e| e.in_field("source"))?;
        let routing_key = r.shortstr().map_err(|e| e.in_field("routing-key"))?;
        let bits = r.octet().map_err(|e| e.in_field("no-wait"))?;
        let no_wait = bits & 1 != 0;
        let arguments = FieldTable::decode(r).map_err(|e| e.in_field("arguments"))?;
        Ok(ExchangeBind {
            reserved_1,
            destination,
            source,
            routing_key,
            no_wait,
            arguments,
        })
    }
}

impl MethodArgs for ExchangeBind {
    const CLASS_ID: u16 = 40;
    const METHOD_ID: u16 = 30;
    const NAME: &'static str = "exchange.bind";

    fn encoded_len(&self) -> usize {
        7 + 1
            + self.destination.len()
            + 1
            + self.source.len()
            + 1
            + self.routing_key.len()
            + self.arguments.encoded_len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(40);
        buf.put_u16(30);
        buf.put_u16(self.reserved_1);
        self.destination.encode(buf);
        self.source.encode(buf);
        self.routing_key.encode(buf);
        buf.put_u8(u8::from(self.no_wait));
        self.arguments.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reserved-1", ArgValue::Short(self.reserved_1)),
            ("destination", ArgValue::ShortStr(&self.destination)),
            ("source", ArgValue::ShortStr(&self.source)),
            ("routing-key", ArgValue::ShortStr(&self.routing_key)),
            ("no-wait", ArgValue::Bit(self.no_wait)),
            ("arguments", ArgValue::Table(&self.arguments)),
        ]
    }
}

/// `exchange.bind-ok` (class 40, method 31, synchronous).
///
/// A RabbitMQ extension to 0-9-1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeBindOk {}

impl ExchangeBindOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ExchangeBindOk {})
    }
}

impl MethodArgs for ExchangeBindOk {
    const CLASS_ID: u16 = 40;
    const METHOD_ID: u16 = 31;
    const NAME: &'static str = "exchange.bind-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(40);
        buf.put_u16(31);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `exchange.unbind` (class 40, method 40, synchronous).
///
/// A RabbitMQ extension to 0-9-1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeUnbind {
    /// Reserved (short); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: u16,
    /// The `destination` field (exchange-name).
    pub destination: ShortStr,
    /// The `source` field (exchange-name).
    pub source: ShortStr,
    /// The `routing-key` field (shortstr).
    pub routing_key: ShortStr,
    /// The `no-wait` field (no-wait).
    pub no_wait: bool,
    /// The `arguments` field (table).
    pub arguments: FieldTable,
}

impl ExchangeUnbind {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.short().map_err(|e| e.in_field("reserved-1"))?;
        let destination = r.shortstr().map_err(|e| e.in_field("destination"))?;
        let source = r.shortstr().map_err(|e| e.in_field("source"))?;
        let routing_key = r.shortstr().map_err(|e| e.in_field("routing-key"))?;
        let bits = r.octet().map_err(|e| e.in_field("no-wait"))?;
        let no_wait = bits & 1 != 0;
        let arguments = FieldTable::decode(r).map_err(|e| e.in_field("arguments"))?;
        Ok(ExchangeUnbind {
            reserved_1,
            destination,
            source,
            routing_key,
            no_wait,
            arguments,
        })
    }
}

impl MethodArgs for ExchangeUnbind {
    const CLASS_ID: u16 = 40;
    const METHOD_ID: u16 = 40;
    const NAME: &'static str = "exchange.unbind";

    fn encoded_len(&self) -> usize {
        7 + 1
            + self.destination.len()
            + 1
            + self.source.len()
            + 1
            + self.routing_key.len()
            + self.arguments.encoded_len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(40);
        buf.put_u16(40);
        buf.put_u16(self.reserved_1);
        self.destination.encode(buf);
        self.source.encode(buf);
        self.routing_key.encode(buf);
        buf.put_u8(u8::from(self.no_wait));
        self.arguments.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reserved-1", ArgValue::Short(self.reserved_1)),
            ("destination", ArgValue::ShortStr(&self.destination)),
            ("source", ArgValue::ShortStr(&self.source)),
            ("routing-key", ArgValue::ShortStr(&self.routing_key)),
            ("no-wait", ArgValue::Bit(self.no_wait)),
            ("arguments", ArgValue::Table(&self.arguments)),
        ]
    }
}

/// `exchange.unbind-ok` (class 40, method 51, synchronous).
///
/// A RabbitMQ extension to 0-9-1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeUnbindOk {}

impl ExchangeUnbindOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ExchangeUnbindOk {})
    }
}

impl MethodArgs for ExchangeUnbindOk {
    const CLASS_ID: u16 = 40;
    const METHOD_ID: u16 = 51;
    const NAME: &'static str = "exchange.unbind-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(40);
        buf.put_u16(51);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `queue.declare` (class 50, method 10, synchronous).
///
/// Declare queue, create if needed.
///
/// This method creates or checks a queue. When creating a new queue the client can specify various properties that control the durability of the queue and its contents, and the level of sharing for the queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueDeclare {
    /// Reserved (short); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: u16,
    /// The `queue` field (queue-name).
    pub queue: ShortStr,
    /// Do not create queue.
    ///
    /// If set, the server will reply with Declare-Ok if the queue already exists with the same name, and raise an error if not.  The client can use this to check whether a queue exists without modifying the server state.  When set, all other method fields except name and no-wait are ignored.  A declare with both passive and no-wait has no effect. Arguments are compared for semantic equivalence.
    pub passive: bool,
    /// Request a durable queue.
    ///
    /// If set when creating a new queue, the queue will be marked as durable. Durable queues remain active when a server restarts. Non-durable queues (transient queues) are purged if/when a server restarts. Note that durable queues do not necessarily hold persistent messages, although it does not make sense to send persistent messages to a transient queue.
    pub durable: bool,
    /// Request an exclusive queue.
    ///
    /// Exclusive queues may only be accessed by the current connection, and are deleted when that connection closes.  Passive declaration of an exclusive queue by other connections are not allowed.
    pub exclusive: bool,
    /// Auto-delete queue when unused.
    ///
    /// If set, the queue is deleted when all consumers have finished using it.  The last consumer can be cancelled either explicitly or because its channel is closed. If there was no consumer ever on the queue, it won't be deleted.  Applications can explicitly delete auto-delete queues using the Delete method as normal.
    pub auto_delete: bool,
    /// The `no-wait` field (no-wait).
    pub no_wait: bool,
    /// Arguments for declaration.
    ///
    /// A set of arguments for the declaration. The syntax and semantics of these arguments depends on the server implementation.
    pub arguments: FieldTable,
}

impl QueueDeclare {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.short().map_err(|e| e.in_field("reserved-1"))?;
        let queue = r.shortstr().map_err(|e| e.in_field("queue"))?;
        let bits = r.octet().map_err(|e| e.in_field("passive"))?;
        let passive = bits & 1 != 0;
        let durable = bits & 2 != 0;
        let exclusive = bits & 4 != 0;
        let auto_delete = bits & 8 != 0;
        let no_wait = bits & 16 != 0;
        let arguments = FieldTable::decode(r).map_err(|e| e.in_field("arguments"))?;
        Ok(QueueDeclare {
            reserved_1,
            queue,
            passive,
            durable,
            exclusive,
            auto_delete,
            no_wait,
            arguments,
        })
    }
}

impl MethodArgs for QueueDeclare {
    const CLASS_ID: u16 = 50;
    const METHOD_ID: u16 = 10;
    const NAME: &'static str = "queue.declare";

    fn encoded_len(&self) -> usize {
        7 + 1 + self.queue.len() + self.arguments.encoded_len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(50);
        buf.put_u16(10);
        buf.put_u16(self.reserved_1);
        self.queue.encode(buf);
        buf.put_u8(
            u8::from(self.passive)
                | (u8::from(self.durable) << 1)
                | (u8::from(self.exclusive) << 2)
                | (u8::from(self.auto_delete) << 3)
                | (u8::from(self.no_wait) << 4),
        );
        self.arguments.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reserved-1", ArgValue::Short(self.reserved_1)),
            ("queue", ArgValue::ShortStr(&self.queue)),
            ("passive", ArgValue::Bit(self.passive)),
            ("durable", ArgValue::Bit(self.durable)),
            ("exclusive", ArgValue::Bit(self.exclusive)),
            ("auto-delete", ArgValue::Bit(self.auto_delete)),
            ("no-wait", ArgValue::Bit(self.no_wait)),
            ("arguments", ArgValue::Table(&self.arguments)),
        ]
    }
}

/// `queue.declare-ok` (class 50, method 11, synchronous).
///
/// Confirms a queue definition.
///
/// This method confirms a Declare method and confirms the name of the queue, essential for automatically-named queues.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueDeclareOk {
    /// Reports the name of the queue. If the server generated a queue name, this field contains that name.
    pub queue: ShortStr,
    /// The `message-count` field (message-count).
    pub message_count: u32,
    /// Number of consumers.
    ///
    /// Reports the number of active consumers for the queue. Note that consumers can suspend activity (Channel.Flow) in which case they do not appear in this count.
    pub consumer_count: u32,
}

impl QueueDeclareOk {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let queue = r.shortstr().map_err(|e| e.in_field("queue"))?;
        let message_count = r.long().map_err(|e| e.in_field("message-count"))?;
        let consumer_count = r.long().map_err(|e| e.in_field("consumer-count"))?;
        Ok(QueueDeclareOk {
            queue,
            message_count,
            consumer_count,
        })
    }
}

impl MethodArgs for QueueDeclareOk {
    const CLASS_ID: u16 = 50;
    const METHOD_ID: u16 = 11;
    const NAME: &'static str = "queue.declare-ok";

    fn encoded_len(&self) -> usize {
        12 + 1 + self.queue.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(50);
        buf.put_u16(11);
        self.queue.encode(buf);
        buf.put_u32(self.message_count);
        buf.put_u32(self.consumer_count);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("queue", ArgValue::ShortStr(&self.queue)),
            ("message-count", ArgValue::Long(self.message_count)),
            ("consumer-count", ArgValue::Long(self.consumer_count)),
        ]
    }
}

/// `queue.bind` (class 50, method 20, synchronous).
///
/// Bind queue to an exchange.
///
/// This method binds a queue to an exchange. Until a queue is bound it will not receive any messages. In a classic messaging model, store-and-forward queues are bound to a direct exchange and subscription queues are bound to a topic exchange.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueBind {
    /// Reserved (short); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: u16,
    /// Specifies the name of the queue to bind.
    pub queue: ShortStr,
    /// Name of the exchange to bind to.
    pub exchange: ShortStr,
    /// Message routing key.
    ///
    /// Specifies the routing key for the binding. The routing key is used for routing messages depending on the exchange configuration. Not all exchanges use a routing key - refer to the specific exchange documentation.  If the queue name is empty, the server uses the last queue declared on the channel.  If the routing key is also empty, the server uses this queue name for the routing key as well.  If the queue name is provided but the routing key is empty, the server does the binding with that empty routing key.  The meaning of empty routing keys depends on the exchange implementation.
    pub routing_key: ShortStr,
    /// The `no-wait` field (no-wait).
    pub no_wait: bool,
    /// Arguments for binding.
    ///
    /// A set of arguments for the binding. The syntax and semantics of these arguments depends on the exchange class.
    pub arguments: FieldTable,
}

impl QueueBind {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.short().map_err(|e| e.in_field("reserved-1"))?;
        let queue = r.shortstr().map_err(|e| e.in_field("queue"))?;
        let exchange = r.shortstr().map_err(|e| e.in_field("exchange"))?;
        let routing_key = r.shortstr().map_err(|e| e.in_field("routing-key"))?;
        let bits = r.octet().map_err(|e| e.in_field("no-wait"))?;
        let no_wait = bits & 1 != 0;
        let arguments = FieldTable::decode(r).map_err(|e| e.in_field("arguments"))?;
        Ok(QueueBind {
            reserved_1,
            queue,
            exchange,
            routing_key,
            no_wait,
            arguments,
        })
    }
}

impl MethodArgs for QueueBind {
    const CLASS_ID: u16 = 50;
    const METHOD_ID: u16 = 20;
    const NAME: &'static str = "queue.bind";

    fn encoded_len(&self) -> usize {
        7 + 1
            + self.queue.len()
            + 1
            + self.exchange.len()
            + 1
            + self.routing_key.len()
            + self.arguments.encoded_len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(50);
        buf.put_u16(20);
        buf.put_u16(self.reserved_1);
        self.queue.encode(buf);
        self.exchange.encode(buf);
        self.routing_key.encode(buf);
        buf.put_u8(u8::from(self.no_wait));
        self.arguments.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reserved-1", ArgValue::Short(self.reserved_1)),
            ("queue", ArgValue::ShortStr(&self.queue)),
            ("exchange", ArgValue::ShortStr(&self.exchange)),
            ("routing-key", ArgValue::ShortStr(&self.routing_key)),
            ("no-wait", ArgValue::Bit(self.no_wait)),
            ("arguments", ArgValue::Table(&self.arguments)),
        ]
    }
}

/// `queue.bind-ok` (class 50, method 21, synchronous).
///
/// Confirm bind successful.
///
/// This method confirms that the bind was successful.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueBindOk {}

impl QueueBindOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(QueueBindOk {})
    }
}

impl MethodArgs for QueueBindOk {
    const CLASS_ID: u16 = 50;
    const METHOD_ID: u16 = 21;
    const NAME: &'static str = "queue.bind-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(50);
        buf.put_u16(21);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `queue.unbind` (class 50, method 50, synchronous).
///
/// Unbind a queue from an exchange.
///
/// This method unbinds a queue from an exchange.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueUnbind {
    /// Reserved (short); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: u16,
    /// Specifies the name of the queue to unbind.
    pub queue: ShortStr,
    /// The name of the exchange to unbind from.
    pub exchange: ShortStr,
    /// Routing key of binding.
    ///
    /// Specifies the routing key of the binding to unbind.
    pub routing_key: ShortStr,
    /// Arguments of binding.
    ///
    /// Specifies the arguments of the binding to unbind.
    pub arguments: FieldTable,
}

impl QueueUnbind {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.short().map_err(|e| e.in_field("reserved-1"))?;
        let queue = r.shortstr().map_err(|e| e.in_field("queue"))?;
        let exchange = r.shortstr().map_err(|e| e.in_field("exchange"))?;
        let routing_key = r.shortstr().map_err(|e| e.in_field("routing-key"))?;
        let arguments = FieldTable::decode(r).map_err(|e| e.in_field("arguments"))?;
        Ok(QueueUnbind {
            reserved_1,
            queue,
            exchange,
            routing_key,
            arguments,
        })
    }
}

impl MethodArgs for QueueUnbind {
    const CLASS_ID: u16 = 50;
    const METHOD_ID: u16 = 50;
    const NAME: &'static str = "queue.unbind";

    fn encoded_len(&self) -> usize {
        6 + 1
            + self.queue.len()
            + 1
            + self.exchange.len()
            + 1
            + self.routing_key.len()
            + self.arguments.encoded_len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(50);
        buf.put_u16(50);
        buf.put_u16(self.reserved_1);
        self.queue.encode(buf);
        self.exchange.encode(buf);
        self.routing_key.encode(buf);
        self.arguments.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reserved-1", ArgValue::Short(self.reserved_1)),
            ("queue", ArgValue::ShortStr(&self.queue)),
            ("exchange", ArgValue::ShortStr(&self.exchange)),
            ("routing-key", ArgValue::ShortStr(&self.routing_key)),
            ("arguments", ArgValue::Table(&self.arguments)),
        ]
    }
}

/// `queue.unbind-ok` (class 50, method 51, synchronous).
///
/// Confirm unbind successful.
///
/// This method confirms that the unbind was successful.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueUnbindOk {}

impl QueueUnbindOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(QueueUnbindOk {})
    }
}

impl MethodArgs for QueueUnbindOk {
    const CLASS_ID: u16 = 50;
    const METHOD_ID: u16 = 51;
    const NAME: &'static str = "queue.unbind-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(50);
        buf.put_u16(51);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `queue.purge` (class 50, method 30, synchronous).
///
/// Purge a queue.
///
/// This method removes all messages from a queue which are not awaiting acknowledgment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueuePurge {
    /// Reserved (short); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: u16,
    /// Specifies the name of the queue to purge.
    pub queue: ShortStr,
    /// The `no-wait` field (no-wait).
    pub no_wait: bool,
}

impl QueuePurge {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.short().map_err(|e| e.in_field("reserved-1"))?;
        let queue = r.shortstr().map_err(|e| e.in_field("queue"))?;
        let bits = r.octet().map_err(|e| e.in_field("no-wait"))?;
        let no_wait = bits & 1 != 0;
        Ok(QueuePurge {
            reserved_1,
            queue,
            no_wait,
        })
    }
}

impl MethodArgs for QueuePurge {
    const CLASS_ID: u16 = 50;
    const METHOD_ID: u16 = 30;
    const NAME: &'static str = "queue.purge";

    fn encoded_len(&self) -> usize {
        7 + 1 + self.queue.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(50);
        buf.put_u16(30);
        buf.put_u16(self.reserved_1);
        self.queue.encode(buf);
        buf.put_u8(u8::from(self.no_wait));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reserved-1", ArgValue::Short(self.reserved_1)),
            ("queue", ArgValue::ShortStr(&self.queue)),
            ("no-wait", ArgValue::Bit(self.no_wait)),
        ]
    }
}

/// `queue.purge-ok` (class 50, method 31, synchronous).
///
/// Confirms a queue purge.
///
/// This method confirms the purge of a queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueuePurgeOk {
    /// Reports the number of messages purged.
    pub message_count: u32,
}

impl QueuePurgeOk {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let message_count = r.long().map_err(|e| e.in_field("message-count"))?;
        Ok(QueuePurgeOk { message_count })
    }
}

impl MethodArgs for QueuePurgeOk {
    const CLASS_ID: u16 = 50;
    const METHOD_ID: u16 = 31;
    const NAME: &'static str = "queue.purge-ok";

    fn encoded_len(&self) -> usize {
        8
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(50);
        buf.put_u16(31);
        buf.put_u32(self.message_count);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("message-count", ArgValue::Long(self.message_count))]
    }
}

/// `queue.delete` (class 50, method 40, synchronous).
///
/// Delete a queue.
///
/// This method deletes a queue. When a queue is deleted any pending messages are sent to a dead-letter queue if this is defined in the server configuration, and all consumers on the queue are cancelled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueDelete {
    /// Reserved (short); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: u16,
    /// Specifies the name of the queue to delete.
    pub queue: ShortStr,
    /// Delete only if unused.
    ///
    /// If set, the server will only delete the queue if it has no consumers. If the queue has consumers the server does does not delete it but raises a channel exception instead.
    pub if_unused: bool,
    /// Delete only if empty.
    ///
    /// If set, the server will only delete the queue if it has no messages.
    pub if_empty: bool,
    /// The `no-wait` field (no-wait).
    pub no_wait: bool,
}

impl QueueDelete {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.short().map_err(|e| e.in_field("reserved-1"))?;
        let queue = r.shortstr().map_err(|e| e.in_field("queue"))?;
        let bits = r.octet().map_err(|e| e.in_field("if-unused"))?;
        let if_unused = bits & 1 != 0;
        let if_empty = bits & 2 != 0;
        let no_wait = bits & 4 != 0;
        Ok(QueueDelete {
            reserved_1,
            queue,
            if_unused,
            if_empty,
            no_wait,
        })
    }
}

impl MethodArgs for QueueDelete {
    const CLASS_ID: u16 = 50;
    const METHOD_ID: u16 = 40;
    const NAME: &'static str = "queue.delete";

    fn encoded_len(&self) -> usize {
        7 + 1 + self.queue.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(50);
        buf.put_u16(40);
        buf.put_u16(self.reserved_1);
        self.queue.encode(buf);
        buf.put_u8(
            u8::from(self.if_unused)
                | (u8::from(self.if_empty) << 1)
                | (u8::from(self.no_wait) << 2),
        );
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reserved-1", ArgValue::Short(self.reserved_1)),
            ("queue", ArgValue::ShortStr(&self.queue)),
            ("if-unused", ArgValue::Bit(self.if_unused)),
            ("if-empty", ArgValue::Bit(self.if_empty)),
            ("no-wait", ArgValue::Bit(self.no_wait)),
        ]
    }
}

/// `queue.delete-ok` (class 50, method 41, synchronous).
///
/// Confirm deletion of a queue.
///
/// This method confirms the deletion of a queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueDeleteOk {
    /// Reports the number of messages deleted.
    pub message_count: u32,
}

impl QueueDeleteOk {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let message_count = r.long().map_err(|e| e.in_field("message-count"))?;
        Ok(QueueDeleteOk { message_count })
    }
}

impl MethodArgs for QueueDeleteOk {
    const CLASS_ID: u16 = 50;
    const METHOD_ID: u16 = 41;
    const NAME: &'static str = "queue.delete-ok";

    fn encoded_len(&self) -> usize {
        8
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(50);
        buf.put_u16(41);
        buf.put_u32(self.message_count);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("message-count", ArgValue::Long(self.message_count))]
    }
}

/// `basic.qos` (class 60, method 10, synchronous).
///
/// Specify quality of service.
///
/// This method requests a specific quality of service. The QoS can be specified for the current channel or for all channels on the connection. The particular properties and semantics of a qos method always depend on the content class semantics. Though the qos method could in principle apply to both peers, it is currently meaningful only for the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicQos {
    /// Prefetch window in octets.
    ///
    /// The client can request that messages be sent in advance so that when the client finishes processing a message, the following message is already held locally, rather than needing to be sent down the channel. Prefetching gives a performance improvement. This field specifies the prefetch window size in octets. The server will send a message in advance if it is equal to or smaller in size than the available prefetch size (and also falls into other prefetch limits). May be set to zero, meaning "no specific limit", although other prefetch limits may still apply. The prefetch-size is ignored if the no-ack option is set.
    pub prefetch_size: u32,
    /// Prefetch window in messages.
    ///
    /// Specifies a prefetch window in terms of whole messages. This field may be used in combination with the prefetch-size field; a message will only be sent in advance if both prefetch windows (and those at the channel and connection level) allow it. The prefetch-count is ignored if the no-ack option is set.
    pub prefetch_count: u16,
    /// Apply to entire connection.
    ///
    /// By default the QoS settings apply to the current channel only. If this field is set, they are applied to the entire connection.
    pub global: bool,
}

impl BasicQos {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let prefetch_size = r.long().map_err(|e| e.in_field("prefetch-size"))?;
        let prefetch_count = r.short().map_err(|e| e.in_field("prefetch-count"))?;
        let bits = r.octet().map_err(|e| e.in_field("global"))?;
        let global = bits & 1 != 0;
        Ok(BasicQos {
            prefetch_size,
            prefetch_count,
            global,
        })
    }
}

impl MethodArgs for BasicQos {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 10;
    const NAME: &'static str = "basic.qos";

    fn encoded_len(&self) -> usize {
        11
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(10);
        buf.put_u32(self.prefetch_size);
        buf.put_u16(self.prefetch_count);
        buf.put_u8(u8::from(self.global));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("prefetch-size", ArgValue::Long(self.prefetch_size)),
            ("prefetch-count", ArgValue::Short(self.prefetch_count)),
            ("global", ArgValue::Bit(self.global)),
        ]
    }
}

/// `basic.qos-ok` (class 60, method 11, synchronous).
///
/// Confirm the requested qos.
///
/// This method tells the client that the requested QoS levels could be handled by the server. The requested QoS applies to all active consumers until a new QoS is defined.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicQosOk {}

impl BasicQosOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(BasicQosOk {})
    }
}

impl MethodArgs for BasicQosOk {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 11;
    const NAME: &'static str = "basic.qos-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(11);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `basic.consume` (class 60, method 20, synchronous).
///
/// Start a queue consumer.
///
/// This method asks the server to start a "consumer", which is a transient request for messages from a specific queue. Consumers last as long as the channel they were declared on, or until the client cancels them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicConsume {
    /// Reserved (short); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: u16,
    /// Specifies the name of the queue to consume from.
    pub queue: ShortStr,
    /// Specifies the identifier for the consumer. The consumer tag is local to a channel, so two clients can use the same consumer tags. If this field is empty the server will generate a unique tag.
    pub consumer_tag: ShortStr,
    /// The `no-local` field (no-local).
    pub no_local: bool,
    /// The `no-ack` field (no-ack).
    pub no_ack: bool,
    /// Request exclusive access.
    ///
    /// Request exclusive consumer access, meaning only this consumer can access the queue.
    pub exclusive: bool,
    /// The `no-wait` field (no-wait).
    pub no_wait: bool,
    /// Arguments for declaration.
    ///
    /// A set of arguments for the consume. The syntax and semantics of these arguments depends on the server implementation.
    pub arguments: FieldTable,
}

impl BasicConsume {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.short().map_err(|e| e.in_field("reserved-1"))?;
        let queue = r.shortstr().map_err(|e| e.in_field("queue"))?;
        let consumer_tag = r.shortstr().map_err(|e| e.in_field("consumer-tag"))?;
        let bits = r.octet().map_err(|e| e.in_field("no-local"))?;
        let no_local = bits & 1 != 0;
        let no_ack = bits & 2 != 0;
        let exclusive = bits & 4 != 0;
        let no_wait = bits & 8 != 0;
        let arguments = FieldTable::decode(r).map_err(|e| e.in_field("arguments"))?;
        Ok(BasicConsume {
            reserved_1,
            queue,
            consumer_tag,
            no_local,
            no_ack,
            exclusive,
            no_wait,
            arguments,
        })
    }
}

impl MethodArgs for BasicConsume {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 20;
    const NAME: &'static str = "basic.consume";

    fn encoded_len(&self) -> usize {
        7 + 1 + self.queue.len() + 1 + self.consumer_tag.len() + self.arguments.encoded_len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(20);
        buf.put_u16(self.reserved_1);
        self.queue.encode(buf);
        self.consumer_tag.encode(buf);
        buf.put_u8(
            u8::from(self.no_local)
                | (u8::from(self.no_ack) << 1)
                | (u8::from(self.exclusive) << 2)
                | (u8::from(self.no_wait) << 3),
        );
        self.arguments.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reserved-1", ArgValue::Short(self.reserved_1)),
            ("queue", ArgValue::ShortStr(&self.queue)),
            ("consumer-tag", ArgValue::ShortStr(&self.consumer_tag)),
            ("no-local", ArgValue::Bit(self.no_local)),
            ("no-ack", ArgValue::Bit(self.no_ack)),
            ("exclusive", ArgValue::Bit(self.exclusive)),
            ("no-wait", ArgValue::Bit(self.no_wait)),
            ("arguments", ArgValue::Table(&self.arguments)),
        ]
    }
}

/// `basic.consume-ok` (class 60, method 21, synchronous).
///
/// Confirm a new consumer.
///
/// The server provides the client with a consumer tag, which is used by the client for methods called on the consumer at a later stage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicConsumeOk {
    /// Holds the consumer tag specified by the client or provided by the server.
    pub consumer_tag: ShortStr,
}

impl BasicConsumeOk {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let consumer_tag = r.shortstr().map_err(|e| e.in_field("consumer-tag"))?;
        Ok(BasicConsumeOk { consumer_tag })
    }
}

impl MethodArgs for BasicConsumeOk {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 21;
    const NAME: &'static str = "basic.consume-ok";

    fn encoded_len(&self) -> usize {
        4 + 1 + self.consumer_tag.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(21);
        self.consumer_tag.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("consumer-tag", ArgValue::ShortStr(&self.consumer_tag))]
    }
}

/// `basic.cancel` (class 60, method 30, synchronous).
///
/// End a queue consumer.
///
/// This method cancels a consumer. This does not affect already delivered messages, but it does mean the server will not send any more messages for that consumer. The client may receive an arbitrary number of messages in between sending the cancel method and receiving the cancel-ok reply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicCancel {
    /// The `consumer-tag` field (consumer-tag).
    pub consumer_tag: ShortStr,
    /// The `no-wait` field (no-wait).
    pub no_wait: bool,
}

impl BasicCancel {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let consumer_tag = r.shortstr().map_err(|e| e.in_field("consumer-tag"))?;
        let bits = r.octet().map_err(|e| e.in_field("no-wait"))?;
        let no_wait = bits & 1 != 0;
        Ok(BasicCancel {
            consumer_tag,
            no_wait,
        })
    }
}

impl MethodArgs for BasicCancel {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 30;
    const NAME: &'static str = "basic.cancel";

    fn encoded_len(&self) -> usize {
        5 + 1 + self.consumer_tag.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(30);
        self.consumer_tag.encode(buf);
        buf.put_u8(u8::from(self.no_wait));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("consumer-tag", ArgValue::ShortStr(&self.consumer_tag)),
            ("no-wait", ArgValue::Bit(self.no_wait)),
        ]
    }
}

/// `basic.cancel-ok` (class 60, method 31, synchronous).
///
/// Confirm a cancelled consumer.
///
/// This method confirms that the cancellation was completed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicCancelOk {
    /// The `consumer-tag` field (consumer-tag).
    pub consumer_tag: ShortStr,
}

impl BasicCancelOk {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let consumer_tag = r.shortstr().map_err(|e| e.in_field("consumer-tag"))?;
        Ok(BasicCancelOk { consumer_tag })
    }
}

impl MethodArgs for BasicCancelOk {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 31;
    const NAME: &'static str = "basic.cancel-ok";

    fn encoded_len(&self) -> usize {
        4 + 1 + self.consumer_tag.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(31);
        self.consumer_tag.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("consumer-tag", ArgValue::ShortStr(&self.consumer_tag))]
    }
}

/// `basic.publish` (class 60, method 40, carries content).
///
/// Publish a message.
///
/// This method publishes a message to a specific exchange. The message will be routed to queues as defined by the exchange configuration and distributed to any active consumers when the transaction, if any, is committed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicPublish {
    /// Reserved (short); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: u16,
    /// Specifies the name of the exchange to publish to. The exchange name can be empty, meaning the default exchange. If the exchange name is specified, and that exchange does not exist, the server will raise a channel exception.
    pub exchange: ShortStr,
    /// Message routing key.
    ///
    /// Specifies the routing key for the message. The routing key is used for routing messages depending on the exchange configuration.
    pub routing_key: ShortStr,
    /// Indicate mandatory routing.
    ///
    /// This flag tells the server how to react if the message cannot be routed to a queue. If this flag is set, the server will return an unroutable message with a Return method. If this flag is zero, the server silently drops the message.
    pub mandatory: bool,
    /// Request immediate delivery.
    ///
    /// This flag tells the server how to react if the message cannot be routed to a queue consumer immediately. If this flag is set, the server will return an undeliverable message with a Return method. If this flag is zero, the server will queue the message, but with no guarantee that it will ever be consumed.
    pub immediate: bool,
}

impl BasicPublish {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.short().map_err(|e| e.in_field("reserved-1"))?;
        let exchange = r.shortstr().map_err(|e| e.in_field("exchange"))?;
        let routing_key = r.shortstr().map_err(|e| e.in_field("routing-key"))?;
        let bits = r.octet().map_err(|e| e.in_field("mandatory"))?;
        let mandatory = bits & 1 != 0;
        let immediate = bits & 2 != 0;
        Ok(BasicPublish {
            reserved_1,
            exchange,
            routing_key,
            mandatory,
            immediate,
        })
    }
}

impl MethodArgs for BasicPublish {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 40;
    const NAME: &'static str = "basic.publish";

    fn encoded_len(&self) -> usize {
        7 + 1 + self.exchange.len() + 1 + self.routing_key.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(40);
        buf.put_u16(self.reserved_1);
        self.exchange.encode(buf);
        self.routing_key.encode(buf);
        buf.put_u8(u8::from(self.mandatory) | (u8::from(self.immediate) << 1));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reserved-1", ArgValue::Short(self.reserved_1)),
            ("exchange", ArgValue::ShortStr(&self.exchange)),
            ("routing-key", ArgValue::ShortStr(&self.routing_key)),
            ("mandatory", ArgValue::Bit(self.mandatory)),
            ("immediate", ArgValue::Bit(self.immediate)),
        ]
    }
}

/// `basic.return` (class 60, method 50, carries content).
///
/// Return a failed message.
///
/// This method returns an undeliverable message that was published with the "immediate" flag set, or an unroutable message published with the "mandatory" flag set. The reply code and text provide information about the reason that the message was undeliverable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicReturn {
    /// The `reply-code` field (reply-code).
    pub reply_code: u16,
    /// The `reply-text` field (reply-text).
    pub reply_text: ShortStr,
    /// Specifies the name of the exchange that the message was originally published to.  May be empty, meaning the default exchange.
    pub exchange: ShortStr,
    /// Message routing key.
    ///
    /// Specifies the routing key name specified when the message was published.
    pub routing_key: ShortStr,
}

impl BasicReturn {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reply_code = r.short().map_err(|e| e.in_field("reply-code"))?;
        let reply_text = r.shortstr().map_err(|e| e.in_field("reply-text"))?;
        let exchange = r.shortstr().map_err(|e| e.in_field("exchange"))?;
        let routing_key = r.shortstr().map_err(|e| e.in_field("routing-key"))?;
        Ok(BasicReturn {
            reply_code,
            reply_text,
            exchange,
            routing_key,
        })
    }
}

impl MethodArgs for BasicReturn {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 50;
    const NAME: &'static str = "basic.return";

    fn encoded_len(&self) -> usize {
        6 + 1 + self.reply_text.len() + 1 + self.exchange.len() + 1 + self.routing_key.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(50);
        buf.put_u16(self.reply_code);
        self.reply_text.encode(buf);
        self.exchange.encode(buf);
        self.routing_key.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reply-code", ArgValue::Short(self.reply_code)),
            ("reply-text", ArgValue::ShortStr(&self.reply_text)),
            ("exchange", ArgValue::ShortStr(&self.exchange)),
            ("routing-key", ArgValue::ShortStr(&self.routing_key)),
        ]
    }
}

/// `basic.deliver` (class 60, method 60, carries content).
///
/// Notify the client of a consumer message.
///
/// This method delivers a message to the client, via a consumer. In the asynchronous message delivery model, the client starts a consumer using the Consume method, then the server responds with Deliver methods as and when messages arrive for that consumer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicDeliver {
    /// The `consumer-tag` field (consumer-tag).
    pub consumer_tag: ShortStr,
    /// The `delivery-tag` field (delivery-tag).
    pub delivery_tag: u64,
    /// The `redelivered` field (redelivered).
    pub redelivered: bool,
    /// Specifies the name of the exchange that the message was originally published to. May be empty, indicating the default exchange.
    pub exchange: ShortStr,
    /// Message routing key.
    ///
    /// Specifies the routing key name specified when the message was published.
    pub routing_key: ShortStr,
}

impl BasicDeliver {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let consumer_tag = r.shortstr().map_err(|e| e.in_field("consumer-tag"))?;
        let delivery_tag = r.longlong().map_err(|e| e.in_field("delivery-tag"))?;
        let bits = r.octet().map_err(|e| e.in_field("redelivered"))?;
        let redelivered = bits & 1 != 0;
        let exchange = r.shortstr().map_err(|e| e.in_field("exchange"))?;
        let routing_key = r.shortstr().map_err(|e| e.in_field("routing-key"))?;
        Ok(BasicDeliver {
            consumer_tag,
            delivery_tag,
            redelivered,
            exchange,
            routing_key,
        })
    }
}

impl MethodArgs for BasicDeliver {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 60;
    const NAME: &'static str = "basic.deliver";

    fn encoded_len(&self) -> usize {
        13 + 1 + self.consumer_tag.len() + 1 + self.exchange.len() + 1 + self.routing_key.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(60);
        self.consumer_tag.encode(buf);
        buf.put_u64(self.delivery_tag);
        buf.put_u8(u8::from(self.redelivered));
        self.exchange.encode(buf);
        self.routing_key.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("consumer-tag", ArgValue::ShortStr(&self.consumer_tag)),
            ("delivery-tag", ArgValue::LongLong(self.delivery_tag)),
            ("redelivered", ArgValue::Bit(self.redelivered)),
            ("exchange", ArgValue::ShortStr(&self.exchange)),
            ("routing-key", ArgValue::ShortStr(&self.routing_key)),
        ]
    }
}

/// `basic.get` (class 60, method 70, synchronous).
///
/// Direct access to a queue.
///
/// This method provides a direct access to the messages in a queue using a synchronous dialogue that is designed for specific types of application where synchronous functionality is more important than performance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicGet {
    /// Reserved (short); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: u16,
    /// Specifies the name of the queue to get a message from.
    pub queue: ShortStr,
    /// The `no-ack` field (no-ack).
    pub no_ack: bool,
}

impl BasicGet {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.short().map_err(|e| e.in_field("reserved-1"))?;
        let queue = r.shortstr().map_err(|e| e.in_field("queue"))?;
        let bits = r.octet().map_err(|e| e.in_field("no-ack"))?;
        let no_ack = bits & 1 != 0;
        Ok(BasicGet {
            reserved_1,
            queue,
            no_ack,
        })
    }
}

impl MethodArgs for BasicGet {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 70;
    const NAME: &'static str = "basic.get";

    fn encoded_len(&self) -> usize {
        7 + 1 + self.queue.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(70);
        buf.put_u16(self.reserved_1);
        self.queue.encode(buf);
        buf.put_u8(u8::from(self.no_ack));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("reserved-1", ArgValue::Short(self.reserved_1)),
            ("queue", ArgValue::ShortStr(&self.queue)),
            ("no-ack", ArgValue::Bit(self.no_ack)),
        ]
    }
}

/// `basic.get-ok` (class 60, method 71, synchronous, carries content).
///
/// Provide client with a message.
///
/// This method delivers a message to the client following a get method. A message delivered by 'get-ok' must be acknowledged unless the no-ack option was set in the get method.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicGetOk {
    /// The `delivery-tag` field (delivery-tag).
    pub delivery_tag: u64,
    /// The `redelivered` field (redelivered).
    pub redelivered: bool,
    /// Specifies the name of the exchange that the message was originally published to. If empty, the message was published to the default exchange.
    pub exchange: ShortStr,
    /// Message routing key.
    ///
    /// Specifies the routing key name specified when the message was published.
    pub routing_key: ShortStr,
    /// The `message-count` field (message-count).
    pub message_count: u32,
}

impl BasicGetOk {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let delivery_tag = r.longlong().map_err(|e| e.in_field("delivery-tag"))?;
        let bits = r.octet().map_err(|e| e.in_field("redelivered"))?;
        let redelivered = bits & 1 != 0;
        let exchange = r.shortstr().map_err(|e| e.in_field("exchange"))?;
        let routing_key = r.shortstr().map_err(|e| e.in_field("routing-key"))?;
        let message_count = r.long().map_err(|e| e.in_field("message-count"))?;
        Ok(BasicGetOk {
            delivery_tag,
            redelivered,
            exchange,
            routing_key,
            message_count,
        })
    }
}

impl MethodArgs for BasicGetOk {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 71;
    const NAME: &'static str = "basic.get-ok";

    fn encoded_len(&self) -> usize {
        17 + 1 + self.exchange.len() + 1 + self.routing_key.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(71);
        buf.put_u64(self.delivery_tag);
        buf.put_u8(u8::from(self.redelivered));
        self.exchange.encode(buf);
        self.routing_key.encode(buf);
        buf.put_u32(self.message_count);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("delivery-tag", ArgValue::LongLong(self.delivery_tag)),
            ("redelivered", ArgValue::Bit(self.redelivered)),
            ("exchange", ArgValue::ShortStr(&self.exchange)),
            ("routing-key", ArgValue::ShortStr(&self.routing_key)),
            ("message-count", ArgValue::Long(self.message_count)),
        ]
    }
}

/// `basic.get-empty` (class 60, method 72, synchronous).
///
/// Indicate no messages available.
///
/// This method tells the client that the queue has no messages available for the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicGetEmpty {
    /// Reserved (shortstr); a correct peer sends it empty or zero. Kept so that tests can send other values.
    pub reserved_1: ShortStr,
}

impl BasicGetEmpty {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let reserved_1 = r.shortstr().map_err(|e| e.in_field("reserved-1"))?;
        Ok(BasicGetEmpty { reserved_1 })
    }
}

impl MethodArgs for BasicGetEmpty {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 72;
    const NAME: &'static str = "basic.get-empty";

    fn encoded_len(&self) -> usize {
        4 + 1 + self.reserved_1.len()
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(72);
        self.reserved_1.encode(buf);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("reserved-1", ArgValue::ShortStr(&self.reserved_1))]
    }
}

/// `basic.ack` (class 60, method 80).
///
/// Acknowledge one or more messages.
///
/// This method acknowledges one or more messages delivered via the Deliver or Get-Ok methods. The client can ask to confirm a single message or a set of messages up to and including a specific message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicAck {
    /// The `delivery-tag` field (delivery-tag).
    pub delivery_tag: u64,
    /// Acknowledge multiple messages.
    ///
    /// If set to 1, the delivery tag is treated as "up to and including", so that the client can acknowledge multiple messages with a single method. If set to zero, the delivery tag refers to a single message. If the multiple field is 1, and the delivery tag is zero, tells the server to acknowledge all outstanding messages.
    pub multiple: bool,
}

impl BasicAck {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let delivery_tag = r.longlong().map_err(|e| e.in_field("delivery-tag"))?;
        let bits = r.octet().map_err(|e| e.in_field("multiple"))?;
        let multiple = bits & 1 != 0;
        Ok(BasicAck {
            delivery_tag,
            multiple,
        })
    }
}

impl MethodArgs for BasicAck {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 80;
    const NAME: &'static str = "basic.ack";

    fn encoded_len(&self) -> usize {
        13
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(80);
        buf.put_u64(self.delivery_tag);
        buf.put_u8(u8::from(self.multiple));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("delivery-tag", ArgValue::LongLong(self.delivery_tag)),
            ("multiple", ArgValue::Bit(self.multiple)),
        ]
    }
}

/// `basic.reject` (class 60, method 90).
///
/// Reject an incoming message.
///
/// This method allows a client to reject a message. It can be used to interrupt and cancel large incoming messages, or return untreatable messages to their original queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicReject {
    /// The `delivery-tag` field (delivery-tag).
    pub delivery_tag: u64,
    /// Requeue the message.
    ///
    /// If requeue is true, the server will attempt to requeue the message.  If requeue is false or the requeue  attempt fails the messages are discarded or dead-lettered.
    pub requeue: bool,
}

impl BasicReject {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let delivery_tag = r.longlong().map_err(|e| e.in_field("delivery-tag"))?;
        let bits = r.octet().map_err(|e| e.in_field("requeue"))?;
        let requeue = bits & 1 != 0;
        Ok(BasicReject {
            delivery_tag,
            requeue,
        })
    }
}

impl MethodArgs for BasicReject {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 90;
    const NAME: &'static str = "basic.reject";

    fn encoded_len(&self) -> usize {
        13
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(90);
        buf.put_u64(self.delivery_tag);
        buf.put_u8(u8::from(self.requeue));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("delivery-tag", ArgValue::LongLong(self.delivery_tag)),
            ("requeue", ArgValue::Bit(self.requeue)),
        ]
    }
}

/// `basic.recover-async` (class 60, method 100).
///
/// Redeliver unacknowledged messages.
///
/// This method asks the server to redeliver all unacknowledged messages on a specified channel. Zero or more messages may be redelivered.  This method is deprecated in favour of the synchronous Recover/Recover-Ok.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicRecoverAsync {
    /// Requeue the message.
    ///
    /// If this field is zero, the message will be redelivered to the original recipient. If this bit is 1, the server will attempt to requeue the message, potentially then delivering it to an alternative subscriber.
    pub requeue: bool,
}

impl BasicRecoverAsync {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let bits = r.octet().map_err(|e| e.in_field("requeue"))?;
        let requeue = bits & 1 != 0;
        Ok(BasicRecoverAsync { requeue })
    }
}

impl MethodArgs for BasicRecoverAsync {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 100;
    const NAME: &'static str = "basic.recover-async";

    fn encoded_len(&self) -> usize {
        5
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(100);
        buf.put_u8(u8::from(self.requeue));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("requeue", ArgValue::Bit(self.requeue))]
    }
}

/// `basic.recover` (class 60, method 110, synchronous).
///
/// Redeliver unacknowledged messages.
///
/// This method asks the server to redeliver all unacknowledged messages on a specified channel. Zero or more messages may be redelivered.  This method replaces the asynchronous Recover.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicRecover {
    /// Requeue the message.
    ///
    /// If this field is zero, the message will be redelivered to the original recipient. If this bit is 1, the server will attempt to requeue the message, potentially then delivering it to an alternative subscriber.
    pub requeue: bool,
}

impl BasicRecover {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let bits = r.octet().map_err(|e| e.in_field("requeue"))?;
        let requeue = bits & 1 != 0;
        Ok(BasicRecover { requeue })
    }
}

impl MethodArgs for BasicRecover {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 110;
    const NAME: &'static str = "basic.recover";

    fn encoded_len(&self) -> usize {
        5
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(110);
        buf.put_u8(u8::from(self.requeue));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("requeue", ArgValue::Bit(self.requeue))]
    }
}

/// `basic.recover-ok` (class 60, method 111, synchronous).
///
/// Confirm recovery.
///
/// This method acknowledges a Basic.Recover method.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicRecoverOk {}

impl BasicRecoverOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(BasicRecoverOk {})
    }
}

impl MethodArgs for BasicRecoverOk {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 111;
    const NAME: &'static str = "basic.recover-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(111);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `basic.nack` (class 60, method 120).
///
/// A RabbitMQ extension to 0-9-1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicNack {
    /// The `delivery-tag` field (delivery-tag).
    pub delivery_tag: u64,
    /// The `multiple` field (bit).
    pub multiple: bool,
    /// The `requeue` field (bit).
    pub requeue: bool,
}

impl BasicNack {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let delivery_tag = r.longlong().map_err(|e| e.in_field("delivery-tag"))?;
        let bits = r.octet().map_err(|e| e.in_field("multiple"))?;
        let multiple = bits & 1 != 0;
        let requeue = bits & 2 != 0;
        Ok(BasicNack {
            delivery_tag,
            multiple,
            requeue,
        })
    }
}

impl MethodArgs for BasicNack {
    const CLASS_ID: u16 = 60;
    const METHOD_ID: u16 = 120;
    const NAME: &'static str = "basic.nack";

    fn encoded_len(&self) -> usize {
        13
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(60);
        buf.put_u16(120);
        buf.put_u64(self.delivery_tag);
        buf.put_u8(u8::from(self.multiple) | (u8::from(self.requeue) << 1));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![
            ("delivery-tag", ArgValue::LongLong(self.delivery_tag)),
            ("multiple", ArgValue::Bit(self.multiple)),
            ("requeue", ArgValue::Bit(self.requeue)),
        ]
    }
}

/// `tx.select` (class 90, method 10, synchronous).
///
/// Select standard transaction mode.
///
/// This method sets the channel to use standard transactions. The client must use this method at least once on a channel before using the Commit or Rollback methods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxSelect {}

impl TxSelect {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(TxSelect {})
    }
}

impl MethodArgs for TxSelect {
    const CLASS_ID: u16 = 90;
    const METHOD_ID: u16 = 10;
    const NAME: &'static str = "tx.select";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(90);
        buf.put_u16(10);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `tx.select-ok` (class 90, method 11, synchronous).
///
/// Confirm transaction mode.
///
/// This method confirms to the client that the channel was successfully set to use standard transactions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxSelectOk {}

impl TxSelectOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(TxSelectOk {})
    }
}

impl MethodArgs for TxSelectOk {
    const CLASS_ID: u16 = 90;
    const METHOD_ID: u16 = 11;
    const NAME: &'static str = "tx.select-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(90);
        buf.put_u16(11);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `tx.commit` (class 90, method 20, synchronous).
///
/// Commit the current transaction.
///
/// This method commits all message publications and acknowledgments performed in the current transaction.  A new transaction starts immediately after a commit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxCommit {}

impl TxCommit {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(TxCommit {})
    }
}

impl MethodArgs for TxCommit {
    const CLASS_ID: u16 = 90;
    const METHOD_ID: u16 = 20;
    const NAME: &'static str = "tx.commit";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(90);
        buf.put_u16(20);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `tx.commit-ok` (class 90, method 21, synchronous).
///
/// Confirm a successful commit.
///
/// This method confirms to the client that the commit succeeded. Note that if a commit fails, the server raises a channel exception.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxCommitOk {}

impl TxCommitOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(TxCommitOk {})
    }
}

impl MethodArgs for TxCommitOk {
    const CLASS_ID: u16 = 90;
    const METHOD_ID: u16 = 21;
    const NAME: &'static str = "tx.commit-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(90);
        buf.put_u16(21);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `tx.rollback` (class 90, method 30, synchronous).
///
/// Abandon the current transaction.
///
/// This method abandons all message publications and acknowledgments performed in the current transaction. A new transaction starts immediately after a rollback. Note that unacked messages will not be automatically redelivered by rollback; if that is required an explicit recover call should be issued.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxRollback {}

impl TxRollback {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(TxRollback {})
    }
}

impl MethodArgs for TxRollback {
    const CLASS_ID: u16 = 90;
    const METHOD_ID: u16 = 30;
    const NAME: &'static str = "tx.rollback";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(90);
        buf.put_u16(30);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `tx.rollback-ok` (class 90, method 31, synchronous).
///
/// Confirm successful rollback.
///
/// This method confirms to the client that the rollback succeeded. Note that if an rollback fails, the server raises a channel exception.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxRollbackOk {}

impl TxRollbackOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(TxRollbackOk {})
    }
}

impl MethodArgs for TxRollbackOk {
    const CLASS_ID: u16 = 90;
    const METHOD_ID: u16 = 31;
    const NAME: &'static str = "tx.rollback-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(90);
        buf.put_u16(31);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// `confirm.select` (class 85, method 10, synchronous).
///
/// A RabbitMQ extension to 0-9-1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfirmSelect {
    /// The `nowait` field (bit).
    pub nowait: bool,
}

impl ConfirmSelect {
    pub(crate) fn decode_args(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let bits = r.octet().map_err(|e| e.in_field("nowait"))?;
        let nowait = bits & 1 != 0;
        Ok(ConfirmSelect { nowait })
    }
}

impl MethodArgs for ConfirmSelect {
    const CLASS_ID: u16 = 85;
    const METHOD_ID: u16 = 10;
    const NAME: &'static str = "confirm.select";

    fn encoded_len(&self) -> usize {
        5
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(85);
        buf.put_u16(10);
        buf.put_u8(u8::from(self.nowait));
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![("nowait", ArgValue::Bit(self.nowait))]
    }
}

/// `confirm.select-ok` (class 85, method 11, synchronous).
///
/// A RabbitMQ extension to 0-9-1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfirmSelectOk {}

impl ConfirmSelectOk {
    pub(crate) fn decode_args(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ConfirmSelectOk {})
    }
}

impl MethodArgs for ConfirmSelectOk {
    const CLASS_ID: u16 = 85;
    const METHOD_ID: u16 = 11;
    const NAME: &'static str = "confirm.select-ok";

    fn encoded_len(&self) -> usize {
        4
    }

    fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(85);
        buf.put_u16(11);
    }

    fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        vec![]
    }
}

/// Any method: one variant per method of the spec, plus [`Method::Unknown`] for
/// class and method ids the spec does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// `connection.start`
    ConnectionStart(ConnectionStart),
    /// `connection.start-ok` (boxed: its arguments are large and rare)
    ConnectionStartOk(Box<ConnectionStartOk>),
    /// `connection.secure`
    ConnectionSecure(ConnectionSecure),
    /// `connection.secure-ok`
    ConnectionSecureOk(ConnectionSecureOk),
    /// `connection.tune`
    ConnectionTune(ConnectionTune),
    /// `connection.tune-ok`
    ConnectionTuneOk(ConnectionTuneOk),
    /// `connection.open`
    ConnectionOpen(ConnectionOpen),
    /// `connection.open-ok`
    ConnectionOpenOk(ConnectionOpenOk),
    /// `connection.close`
    ConnectionClose(ConnectionClose),
    /// `connection.close-ok`
    ConnectionCloseOk(ConnectionCloseOk),
    /// `connection.blocked`
    ConnectionBlocked(ConnectionBlocked),
    /// `connection.unblocked`
    ConnectionUnblocked(ConnectionUnblocked),
    /// `connection.update-secret`
    ConnectionUpdateSecret(ConnectionUpdateSecret),
    /// `connection.update-secret-ok`
    ConnectionUpdateSecretOk(ConnectionUpdateSecretOk),
    /// `channel.open`
    ChannelOpen(ChannelOpen),
    /// `channel.open-ok`
    ChannelOpenOk(ChannelOpenOk),
    /// `channel.flow`
    ChannelFlow(ChannelFlow),
    /// `channel.flow-ok`
    ChannelFlowOk(ChannelFlowOk),
    /// `channel.close`
    ChannelClose(ChannelClose),
    /// `channel.close-ok`
    ChannelCloseOk(ChannelCloseOk),
    /// `exchange.declare`
    ExchangeDeclare(ExchangeDeclare),
    /// `exchange.declare-ok`
    ExchangeDeclareOk(ExchangeDeclareOk),
    /// `exchange.delete`
    ExchangeDelete(ExchangeDelete),
    /// `exchange.delete-ok`
    ExchangeDeleteOk(ExchangeDeleteOk),
    /// `exchange.bind` (boxed: its arguments are large and rare)
    ExchangeBind(Box<ExchangeBind>),
    /// `exchange.bind-ok`
    ExchangeBindOk(ExchangeBindOk),
    /// `exchange.unbind` (boxed: its arguments are large and rare)
    ExchangeUnbind(Box<ExchangeUnbind>),
    /// `exchange.unbind-ok`
    ExchangeUnbindOk(ExchangeUnbindOk),
    /// `queue.declare`
    QueueDeclare(QueueDeclare),
    /// `queue.declare-ok`
    QueueDeclareOk(QueueDeclareOk),
    /// `queue.bind` (boxed: its arguments are large and rare)
    QueueBind(Box<QueueBind>),
    /// `queue.bind-ok`
    QueueBindOk(QueueBindOk),
    /// `queue.unbind` (boxed: its arguments are large and rare)
    QueueUnbind(Box<QueueUnbind>),
    /// `queue.unbind-ok`
    QueueUnbindOk(QueueUnbindOk),
    /// `queue.purge`
    QueuePurge(QueuePurge),
    /// `queue.purge-ok`
    QueuePurgeOk(QueuePurgeOk),
    /// `queue.delete`
    QueueDelete(QueueDelete),
    /// `queue.delete-ok`
    QueueDeleteOk(QueueDeleteOk),
    /// `basic.qos`
    BasicQos(BasicQos),
    /// `basic.qos-ok`
    BasicQosOk(BasicQosOk),
    /// `basic.consume`
    BasicConsume(BasicConsume),
    /// `basic.consume-ok`
    BasicConsumeOk(BasicConsumeOk),
    /// `basic.cancel`
    BasicCancel(BasicCancel),
    /// `basic.cancel-ok`
    BasicCancelOk(BasicCancelOk),
    /// `basic.publish`
    BasicPublish(BasicPublish),
    /// `basic.return`
    BasicReturn(BasicReturn),
    /// `basic.deliver`
    BasicDeliver(BasicDeliver),
    /// `basic.get`
    BasicGet(BasicGet),
    /// `basic.get-ok`
    BasicGetOk(BasicGetOk),
    /// `basic.get-empty`
    BasicGetEmpty(BasicGetEmpty),
    /// `basic.ack`
    BasicAck(BasicAck),
    /// `basic.reject`
    BasicReject(BasicReject),
    /// `basic.recover-async`
    BasicRecoverAsync(BasicRecoverAsync),
    /// `basic.recover`
    BasicRecover(BasicRecover),
    /// `basic.recover-ok`
    BasicRecoverOk(BasicRecoverOk),
    /// `basic.nack`
    BasicNack(BasicNack),
    /// `tx.select`
    TxSelect(TxSelect),
    /// `tx.select-ok`
    TxSelectOk(TxSelectOk),
    /// `tx.commit`
    TxCommit(TxCommit),
    /// `tx.commit-ok`
    TxCommitOk(TxCommitOk),
    /// `tx.rollback`
    TxRollback(TxRollback),
    /// `tx.rollback-ok`
    TxRollbackOk(TxRollbackOk),
    /// `confirm.select`
    ConfirmSelect(ConfirmSelect),
    /// `confirm.select-ok`
    ConfirmSelectOk(ConfirmSelectOk),
    /// A class/method pair the spec does not define, with its raw arguments.
    Unknown(crate::method::UnknownMethod),
}

impl From<ConnectionStart> for Method {
    fn from(m: ConnectionStart) -> Self {
        Method::ConnectionStart(m)
    }
}

impl From<ConnectionStartOk> for Method {
    fn from(m: ConnectionStartOk) -> Self {
        Method::ConnectionStartOk(Box::new(m))
    }
}

impl From<ConnectionSecure> for Method {
    fn from(m: ConnectionSecure) -> Self {
        Method::ConnectionSecure(m)
    }
}

impl From<ConnectionSecureOk> for Method {
    fn from(m: ConnectionSecureOk) -> Self {
        Method::ConnectionSecureOk(m)
    }
}

impl From<ConnectionTune> for Method {
    fn from(m: ConnectionTune) -> Self {
        Method::ConnectionTune(m)
    }
}

impl From<ConnectionTuneOk> for Method {
    fn from(m: ConnectionTuneOk) -> Self {
        Method::ConnectionTuneOk(m)
    }
}

impl From<ConnectionOpen> for Method {
    fn from(m: ConnectionOpen) -> Self {
        Method::ConnectionOpen(m)
    }
}

impl From<ConnectionOpenOk> for Method {
    fn from(m: ConnectionOpenOk) -> Self {
        Method::ConnectionOpenOk(m)
    }
}

impl From<ConnectionClose> for Method {
    fn from(m: ConnectionClose) -> Self {
        Method::ConnectionClose(m)
    }
}

impl From<ConnectionCloseOk> for Method {
    fn from(m: ConnectionCloseOk) -> Self {
        Method::ConnectionCloseOk(m)
    }
}

impl From<ConnectionBlocked> for Method {
    fn from(m: ConnectionBlocked) -> Self {
        Method::ConnectionBlocked(m)
    }
}

impl From<ConnectionUnblocked> for Method {
    fn from(m: ConnectionUnblocked) -> Self {
        Method::ConnectionUnblocked(m)
    }
}

impl From<ConnectionUpdateSecret> for Method {
    fn from(m: ConnectionUpdateSecret) -> Self {
        Method::ConnectionUpdateSecret(m)
    }
}

impl From<ConnectionUpdateSecretOk> for Method {
    fn from(m: ConnectionUpdateSecretOk) -> Self {
        Method::ConnectionUpdateSecretOk(m)
    }
}

impl From<ChannelOpen> for Method {
    fn from(m: ChannelOpen) -> Self {
        Method::ChannelOpen(m)
    }
}

impl From<ChannelOpenOk> for Method {
    fn from(m: ChannelOpenOk) -> Self {
        Method::ChannelOpenOk(m)
    }
}

impl From<ChannelFlow> for Method {
    fn from(m: ChannelFlow) -> Self {
        Method::ChannelFlow(m)
    }
}

impl From<ChannelFlowOk> for Method {
    fn from(m: ChannelFlowOk) -> Self {
        Method::ChannelFlowOk(m)
    }
}

impl From<ChannelClose> for Method {
    fn from(m: ChannelClose) -> Self {
        Method::ChannelClose(m)
    }
}

impl From<ChannelCloseOk> for Method {
    fn from(m: ChannelCloseOk) -> Self {
        Method::ChannelCloseOk(m)
    }
}

impl From<ExchangeDeclare> for Method {
    fn from(m: ExchangeDeclare) -> Self {
        Method::ExchangeDeclare(m)
    }
}

impl From<ExchangeDeclareOk> for Method {
    fn from(m: ExchangeDeclareOk) -> Self {
        Method::ExchangeDeclareOk(m)
    }
}

impl From<ExchangeDelete> for Method {
    fn from(m: ExchangeDelete) -> Self {
        Method::ExchangeDelete(m)
    }
}

impl From<ExchangeDeleteOk> for Method {
    fn from(m: ExchangeDeleteOk) -> Self {
        Method::ExchangeDeleteOk(m)
    }
}

impl From<ExchangeBind> for Method {
    fn from(m: ExchangeBind) -> Self {
        Method::ExchangeBind(Box::new(m))
    }
}

impl From<ExchangeBindOk> for Method {
    fn from(m: ExchangeBindOk) -> Self {
        Method::ExchangeBindOk(m)
    }
}

impl From<ExchangeUnbind> for Method {
    fn from(m: ExchangeUnbind) -> Self {
        Method::ExchangeUnbind(Box::new(m))
    }
}

impl From<ExchangeUnbindOk> for Method {
    fn from(m: ExchangeUnbindOk) -> Self {
        Method::ExchangeUnbindOk(m)
    }
}

impl From<QueueDeclare> for Method {
    fn from(m: QueueDeclare) -> Self {
        Method::QueueDeclare(m)
    }
}

impl From<QueueDeclareOk> for Method {
    fn from(m: QueueDeclareOk) -> Self {
        Method::QueueDeclareOk(m)
    }
}

impl From<QueueBind> for Method {
    fn from(m: QueueBind) -> Self {
        Method::QueueBind(Box::new(m))
    }
}

impl From<QueueBindOk> for Method {
    fn from(m: QueueBindOk) -> Self {
        Method::QueueBindOk(m)
    }
}

impl From<QueueUnbind> for Method {
    fn from(m: QueueUnbind) -> Self {
        Method::QueueUnbind(Box::new(m))
    }
}

impl From<QueueUnbindOk> for Method {
    fn from(m: QueueUnbindOk) -> Self {
        Method::QueueUnbindOk(m)
    }
}

impl From<QueuePurge> for Method {
    fn from(m: QueuePurge) -> Self {
        Method::QueuePurge(m)
    }
}

impl From<QueuePurgeOk> for Method {
    fn from(m: QueuePurgeOk) -> Self {
        Method::QueuePurgeOk(m)
    }
}

impl From<QueueDelete> for Method {
    fn from(m: QueueDelete) -> Self {
        Method::QueueDelete(m)
    }
}

impl From<QueueDeleteOk> for Method {
    fn from(m: QueueDeleteOk) -> Self {
        Method::QueueDeleteOk(m)
    }
}

impl From<BasicQos> for Method {
    fn from(m: BasicQos) -> Self {
        Method::BasicQos(m)
    }
}

impl From<BasicQosOk> for Method {
    fn from(m: BasicQosOk) -> Self {
        Method::BasicQosOk(m)
    }
}

impl From<BasicConsume> for Method {
    fn from(m: BasicConsume) -> Self {
        Method::BasicConsume(m)
    }
}

impl From<BasicConsumeOk> for Method {
    fn from(m: BasicConsumeOk) -> Self {
        Method::BasicConsumeOk(m)
    }
}

impl From<BasicCancel> for Method {
    fn from(m: BasicCancel) -> Self {
        Method::BasicCancel(m)
    }
}

impl From<BasicCancelOk> for Method {
    fn from(m: BasicCancelOk) -> Self {
        Method::BasicCancelOk(m)
    }
}

impl From<BasicPublish> for Method {
    fn from(m: BasicPublish) -> Self {
        Method::BasicPublish(m)
    }
}

impl From<BasicReturn> for Method {
    fn from(m: BasicReturn) -> Self {
        Method::BasicReturn(m)
    }
}

impl From<BasicDeliver> for Method {
    fn from(m: BasicDeliver) -> Self {
        Method::BasicDeliver(m)
    }
}

impl From<BasicGet> for Method {
    fn from(m: BasicGet) -> Self {
        Method::BasicGet(m)
    }
}

impl From<BasicGetOk> for Method {
    fn from(m: BasicGetOk) -> Self {
        Method::BasicGetOk(m)
    }
}

impl From<BasicGetEmpty> for Method {
    fn from(m: BasicGetEmpty) -> Self {
        Method::BasicGetEmpty(m)
    }
}

impl From<BasicAck> for Method {
    fn from(m: BasicAck) -> Self {
        Method::BasicAck(m)
    }
}

impl From<BasicReject> for Method {
    fn from(m: BasicReject) -> Self {
        Method::BasicReject(m)
    }
}

impl From<BasicRecoverAsync> for Method {
    fn from(m: BasicRecoverAsync) -> Self {
        Method::BasicRecoverAsync(m)
    }
}

impl From<BasicRecover> for Method {
    fn from(m: BasicRecover) -> Self {
        Method::BasicRecover(m)
    }
}

impl From<BasicRecoverOk> for Method {
    fn from(m: BasicRecoverOk) -> Self {
        Method::BasicRecoverOk(m)
    }
}

impl From<BasicNack> for Method {
    fn from(m: BasicNack) -> Self {
        Method::BasicNack(m)
    }
}

impl From<TxSelect> for Method {
    fn from(m: TxSelect) -> Self {
        Method::TxSelect(m)
    }
}

impl From<TxSelectOk> for Method {
    fn from(m: TxSelectOk) -> Self {
        Method::TxSelectOk(m)
    }
}

impl From<TxCommit> for Method {
    fn from(m: TxCommit) -> Self {
        Method::TxCommit(m)
    }
}

impl From<TxCommitOk> for Method {
    fn from(m: TxCommitOk) -> Self {
        Method::TxCommitOk(m)
    }
}

impl From<TxRollback> for Method {
    fn from(m: TxRollback) -> Self {
        Method::TxRollback(m)
    }
}

impl From<TxRollbackOk> for Method {
    fn from(m: TxRollbackOk) -> Self {
        Method::TxRollbackOk(m)
    }
}

impl From<ConfirmSelect> for Method {
    fn from(m: ConfirmSelect) -> Self {
        Method::ConfirmSelect(m)
    }
}

impl From<ConfirmSelectOk> for Method {
    fn from(m: ConfirmSelectOk) -> Self {
        Method::ConfirmSelectOk(m)
    }
}

impl Method {
    pub(crate) fn decode_known(
        class_id: u16,
        method_id: u16,
        r: &mut Reader<'_>,
    ) -> Option<Result<Method, DecodeError>> {
        Some(match (class_id, method_id) {
            (10, 10) => ConnectionStart::decode_args(r).map(Method::ConnectionStart),
            (10, 11) => {
                ConnectionStartOk::decode_args(r).map(|m| Method::ConnectionStartOk(Box::new(m)))
            }
            (10, 20) => ConnectionSecure::decode_args(r).map(Method::ConnectionSecure),
            (10, 21) => ConnectionSecureOk::decode_args(r).map(Method::ConnectionSecureOk),
            (10, 30) => ConnectionTune::decode_args(r).map(Method::ConnectionTune),
            (10, 31) => ConnectionTuneOk::decode_args(r).map(Method::ConnectionTuneOk),
            (10, 40) => ConnectionOpen::decode_args(r).map(Method::ConnectionOpen),
            (10, 41) => ConnectionOpenOk::decode_args(r).map(Method::ConnectionOpenOk),
            (10, 50) => ConnectionClose::decode_args(r).map(Method::ConnectionClose),
            (10, 51) => ConnectionCloseOk::decode_args(r).map(Method::ConnectionCloseOk),
            (10, 60) => ConnectionBlocked::decode_args(r).map(Method::ConnectionBlocked),
            (10, 61) => ConnectionUnblocked::decode_args(r).map(Method::ConnectionUnblocked),
            (10, 70) => ConnectionUpdateSecret::decode_args(r).map(Method::ConnectionUpdateSecret),
            (10, 71) => {
                ConnectionUpdateSecretOk::decode_args(r).map(Method::ConnectionUpdateSecretOk)
            }
            (20, 10) => ChannelOpen::decode_args(r).map(Method::ChannelOpen),
            (20, 11) => ChannelOpenOk::decode_args(r).map(Method::ChannelOpenOk),
            (20, 20) => ChannelFlow::decode_args(r).map(Method::ChannelFlow),
            (20, 21) => ChannelFlowOk::decode_args(r).map(Method::ChannelFlowOk),
            (20, 40) => ChannelClose::decode_args(r).map(Method::ChannelClose),
            (20, 41) => ChannelCloseOk::decode_args(r).map(Method::ChannelCloseOk),
            (40, 10) => ExchangeDeclare::decode_args(r).map(Method::ExchangeDeclare),
            (40, 11) => ExchangeDeclareOk::decode_args(r).map(Method::ExchangeDeclareOk),
            (40, 20) => ExchangeDelete::decode_args(r).map(Method::ExchangeDelete),
            (40, 21) => ExchangeDeleteOk::decode_args(r).map(Method::ExchangeDeleteOk),
            (40, 30) => ExchangeBind::decode_args(r).map(|m| Method::ExchangeBind(Box::new(m))),
            (40, 31) => ExchangeBindOk::decode_args(r).map(Method::ExchangeBindOk),
            (40, 40) => ExchangeUnbind::decode_args(r).map(|m| Method::ExchangeUnbind(Box::new(m))),
            (40, 51) => ExchangeUnbindOk::decode_args(r).map(Method::ExchangeUnbindOk),
            (50, 10) => QueueDeclare::decode_args(r).map(Method::QueueDeclare),
            (50, 11) => QueueDeclareOk::decode_args(r).map(Method::QueueDeclareOk),
            (50, 20) => QueueBind::decode_args(r).map(|m| Method::QueueBind(Box::new(m))),
            (50, 21) => QueueBindOk::decode_args(r).map(Method::QueueBindOk),
            (50, 50) => QueueUnbind::decode_args(r).map(|m| Method::QueueUnbind(Box::new(m))),
            (50, 51) => QueueUnbindOk::decode_args(r).map(Method::QueueUnbindOk),
            (50, 30) => QueuePurge::decode_args(r).map(Method::QueuePurge),
            (50, 31) => QueuePurgeOk::decode_args(r).map(Method::QueuePurgeOk),
            (50, 40) => QueueDelete::decode_args(r).map(Method::QueueDelete),
            (50, 41) => QueueDeleteOk::decode_args(r).map(Method::QueueDeleteOk),
            (60, 10) => BasicQos::decode_args(r).map(Method::BasicQos),
            (60, 11) => BasicQosOk::decode_args(r).map(Method::BasicQosOk),
            (60, 20) => BasicConsume::decode_args(r).map(Method::BasicConsume),
            (60, 21) => BasicConsumeOk::decode_args(r).map(Method::BasicConsumeOk),
            (60, 30) => BasicCancel::decode_args(r).map(Method::BasicCancel),
            (60, 31) => BasicCancelOk::decode_args(r).map(Method::BasicCancelOk),
            (60, 40) => BasicPublish::decode_args(r).map(Method::BasicPublish),
            (60, 50) => BasicReturn::decode_args(r).map(Method::BasicReturn),
            (60, 60) => BasicDeliver::decode_args(r).map(Method::BasicDeliver),
            (60, 70) => BasicGet::decode_args(r).map(Method::BasicGet),
            (60, 71) => BasicGetOk::decode_args(r).map(Method::BasicGetOk),
            (60, 72) => BasicGetEmpty::decode_args(r).map(Method::BasicGetEmpty),
            (60, 80) => BasicAck::decode_args(r).map(Method::BasicAck),
            (60, 90) => BasicReject::decode_args(r).map(Method::BasicReject),
            (60, 100) => BasicRecoverAsync::decode_args(r).map(Method::BasicRecoverAsync),
            (60, 110) => BasicRecover::decode_args(r).map(Method::BasicRecover),
            (60, 111) => BasicRecoverOk::decode_args(r).map(Method::BasicRecoverOk),
            (60, 120) => BasicNack::decode_args(r).map(Method::BasicNack),
            (90, 10) => TxSelect::decode_args(r).map(Method::TxSelect),
            (90, 11) => TxSelectOk::decode_args(r).map(Method::TxSelectOk),
            (90, 20) => TxCommit::decode_args(r).map(Method::TxCommit),
            (90, 21) => TxCommitOk::decode_args(r).map(Method::TxCommitOk),
            (90, 30) => TxRollback::decode_args(r).map(Method::TxRollback),
            (90, 31) => TxRollbackOk::decode_args(r).map(Method::TxRollbackOk),
            (85, 10) => ConfirmSelect::decode_args(r).map(Method::ConfirmSelect),
            (85, 11) => ConfirmSelectOk::decode_args(r).map(Method::ConfirmSelectOk),
            _ => return None,
        })
    }

    /// Class id.
    pub fn class_id(&self) -> u16 {
        match self {
            Method::ConnectionStart(_) => ConnectionStart::CLASS_ID,
            Method::ConnectionStartOk(_) => ConnectionStartOk::CLASS_ID,
            Method::ConnectionSecure(_) => ConnectionSecure::CLASS_ID,
            Method::ConnectionSecureOk(_) => ConnectionSecureOk::CLASS_ID,
            Method::ConnectionTune(_) => ConnectionTune::CLASS_ID,
            Method::ConnectionTuneOk(_) => ConnectionTuneOk::CLASS_ID,
            Method::ConnectionOpen(_) => ConnectionOpen::CLASS_ID,
            Method::ConnectionOpenOk(_) => ConnectionOpenOk::CLASS_ID,
            Method::ConnectionClose(_) => ConnectionClose::CLASS_ID,
            Method::ConnectionCloseOk(_) => ConnectionCloseOk::CLASS_ID,
            Method::ConnectionBlocked(_) => ConnectionBlocked::CLASS_ID,
            Method::ConnectionUnblocked(_) => ConnectionUnblocked::CLASS_ID,
            Method::ConnectionUpdateSecret(_) => ConnectionUpdateSecret::CLASS_ID,
            Method::ConnectionUpdateSecretOk(_) => ConnectionUpdateSecretOk::CLASS_ID,
            Method::ChannelOpen(_) => ChannelOpen::CLASS_ID,
            Method::ChannelOpenOk(_) => ChannelOpenOk::CLASS_ID,
            Method::ChannelFlow(_) => ChannelFlow::CLASS_ID,
            Method::ChannelFlowOk(_) => ChannelFlowOk::CLASS_ID,
            Method::ChannelClose(_) => ChannelClose::CLASS_ID,
            Method::ChannelCloseOk(_) => ChannelCloseOk::CLASS_ID,
            Method::ExchangeDeclare(_) => ExchangeDeclare::CLASS_ID,
            Method::ExchangeDeclareOk(_) => ExchangeDeclareOk::CLASS_ID,
            Method::ExchangeDelete(_) => ExchangeDelete::CLASS_ID,
            Method::ExchangeDeleteOk(_) => ExchangeDeleteOk::CLASS_ID,
            Method::ExchangeBind(_) => ExchangeBind::CLASS_ID,
            Method::ExchangeBindOk(_) => ExchangeBindOk::CLASS_ID,
            Method::ExchangeUnbind(_) => ExchangeUnbind::CLASS_ID,
            Method::ExchangeUnbindOk(_) => ExchangeUnbindOk::CLASS_ID,
            Method::QueueDeclare(_) => QueueDeclare::CLASS_ID,
            Method::QueueDeclareOk(_) => QueueDeclareOk::CLASS_ID,
            Method::QueueBind(_) => QueueBind::CLASS_ID,
            Method::QueueBindOk(_) => QueueBindOk::CLASS_ID,
            Method::QueueUnbind(_) => QueueUnbind::CLASS_ID,
            Method::QueueUnbindOk(_) => QueueUnbindOk::CLASS_ID,
            Method::QueuePurge(_) => QueuePurge::CLASS_ID,
            Method::QueuePurgeOk(_) => QueuePurgeOk::CLASS_ID,
            Method::QueueDelete(_) => QueueDelete::CLASS_ID,
            Method::QueueDeleteOk(_) => QueueDeleteOk::CLASS_ID,
            Method::BasicQos(_) => BasicQos::CLASS_ID,
            Method::BasicQosOk(_) => BasicQosOk::CLASS_ID,
            Method::BasicConsume(_) => BasicConsume::CLASS_ID,
            Method::BasicConsumeOk(_) => BasicConsumeOk::CLASS_ID,
            Method::BasicCancel(_) => BasicCancel::CLASS_ID,
            Method::BasicCancelOk(_) => BasicCancelOk::CLASS_ID,
            Method::BasicPublish(_) => BasicPublish::CLASS_ID,
            Method::BasicReturn(_) => BasicReturn::CLASS_ID,
            Method::BasicDeliver(_) => BasicDeliver::CLASS_ID,
            Method::BasicGet(_) => BasicGet::CLASS_ID,
            Method::BasicGetOk(_) => BasicGetOk::CLASS_ID,
            Method::BasicGetEmpty(_) => BasicGetEmpty::CLASS_ID,
            Method::BasicAck(_) => BasicAck::CLASS_ID,
            Method::BasicReject(_) => BasicReject::CLASS_ID,
            Method::BasicRecoverAsync(_) => BasicRecoverAsync::CLASS_ID,
            Method::BasicRecover(_) => BasicRecover::CLASS_ID,
            Method::BasicRecoverOk(_) => BasicRecoverOk::CLASS_ID,
            Method::BasicNack(_) => BasicNack::CLASS_ID,
            Method::TxSelect(_) => TxSelect::CLASS_ID,
            Method::TxSelectOk(_) => TxSelectOk::CLASS_ID,
            Method::TxCommit(_) => TxCommit::CLASS_ID,
            Method::TxCommitOk(_) => TxCommitOk::CLASS_ID,
            Method::TxRollback(_) => TxRollback::CLASS_ID,
            Method::TxRollbackOk(_) => TxRollbackOk::CLASS_ID,
            Method::ConfirmSelect(_) => ConfirmSelect::CLASS_ID,
            Method::ConfirmSelectOk(_) => ConfirmSelectOk::CLASS_ID,
            Method::Unknown(m) => m.class_id,
        }
    }

    /// Method id.
    pub fn method_id(&self) -> u16 {
        match self {
            Method::ConnectionStart(_) => ConnectionStart::METHOD_ID,
            Method::ConnectionStartOk(_) => ConnectionStartOk::METHOD_ID,
            Method::ConnectionSecure(_) => ConnectionSecure::METHOD_ID,
            Method::ConnectionSecureOk(_) => ConnectionSecureOk::METHOD_ID,
            Method::ConnectionTune(_) => ConnectionTune::METHOD_ID,
            Method::ConnectionTuneOk(_) => ConnectionTuneOk::METHOD_ID,
            Method::ConnectionOpen(_) => ConnectionOpen::METHOD_ID,
            Method::ConnectionOpenOk(_) => ConnectionOpenOk::METHOD_ID,
            Method::ConnectionClose(_) => ConnectionClose::METHOD_ID,
            Method::ConnectionCloseOk(_) => ConnectionCloseOk::METHOD_ID,
            Method::ConnectionBlocked(_) => ConnectionBlocked::METHOD_ID,
            Method::ConnectionUnblocked(_) => ConnectionUnblocked::METHOD_ID,
            Method::ConnectionUpdateSecret(_) => ConnectionUpdateSecret::METHOD_ID,
            Method::ConnectionUpdateSecretOk(_) => ConnectionUpdateSecretOk::METHOD_ID,
            Method::ChannelOpen(_) => ChannelOpen::METHOD_ID,
            Method::ChannelOpenOk(_) => ChannelOpenOk::METHOD_ID,
            Method::ChannelFlow(_) => ChannelFlow::METHOD_ID,
            Method::ChannelFlowOk(_) => ChannelFlowOk::METHOD_ID,
            Method::ChannelClose(_) => ChannelClose::METHOD_ID,
            Method::ChannelCloseOk(_) => ChannelCloseOk::METHOD_ID,
            Method::ExchangeDeclare(_) => ExchangeDeclare::METHOD_ID,
            Method::ExchangeDeclareOk(_) => ExchangeDeclareOk::METHOD_ID,
            Method::ExchangeDelete(_) => ExchangeDelete::METHOD_ID,
            Method::ExchangeDeleteOk(_) => ExchangeDeleteOk::METHOD_ID,
            Method::ExchangeBind(_) => ExchangeBind::METHOD_ID,
            Method::ExchangeBindOk(_) => ExchangeBindOk::METHOD_ID,
            Method::ExchangeUnbind(_) => ExchangeUnbind::METHOD_ID,
            Method::ExchangeUnbindOk(_) => ExchangeUnbindOk::METHOD_ID,
            Method::QueueDeclare(_) => QueueDeclare::METHOD_ID,
            Method::QueueDeclareOk(_) => QueueDeclareOk::METHOD_ID,
            Method::QueueBind(_) => QueueBind::METHOD_ID,
            Method::QueueBindOk(_) => QueueBindOk::METHOD_ID,
            Method::QueueUnbind(_) => QueueUnbind::METHOD_ID,
            Method::QueueUnbindOk(_) => QueueUnbindOk::METHOD_ID,
            Method::QueuePurge(_) => QueuePurge::METHOD_ID,
            Method::QueuePurgeOk(_) => QueuePurgeOk::METHOD_ID,
            Method::QueueDelete(_) => QueueDelete::METHOD_ID,
            Method::QueueDeleteOk(_) => QueueDeleteOk::METHOD_ID,
            Method::BasicQos(_) => BasicQos::METHOD_ID,
            Method::BasicQosOk(_) => BasicQosOk::METHOD_ID,
            Method::BasicConsume(_) => BasicConsume::METHOD_ID,
            Method::BasicConsumeOk(_) => BasicConsumeOk::METHOD_ID,
            Method::BasicCancel(_) => BasicCancel::METHOD_ID,
            Method::BasicCancelOk(_) => BasicCancelOk::METHOD_ID,
            Method::BasicPublish(_) => BasicPublish::METHOD_ID,
            Method::BasicReturn(_) => BasicReturn::METHOD_ID,
            Method::BasicDeliver(_) => BasicDeliver::METHOD_ID,
            Method::BasicGet(_) => BasicGet::METHOD_ID,
            Method::BasicGetOk(_) => BasicGetOk::METHOD_ID,
            Method::BasicGetEmpty(_) => BasicGetEmpty::METHOD_ID,
            Method::BasicAck(_) => BasicAck::METHOD_ID,
            Method::BasicReject(_) => BasicReject::METHOD_ID,
            Method::BasicRecoverAsync(_) => BasicRecoverAsync::METHOD_ID,
            Method::BasicRecover(_) => BasicRecover::METHOD_ID,
            Method::BasicRecoverOk(_) => BasicRecoverOk::METHOD_ID,
            Method::BasicNack(_) => BasicNack::METHOD_ID,
            Method::TxSelect(_) => TxSelect::METHOD_ID,
            Method::TxSelectOk(_) => TxSelectOk::METHOD_ID,
            Method::TxCommit(_) => TxCommit::METHOD_ID,
            Method::TxCommitOk(_) => TxCommitOk::METHOD_ID,
            Method::TxRollback(_) => TxRollback::METHOD_ID,
            Method::TxRollbackOk(_) => TxRollbackOk::METHOD_ID,
            Method::ConfirmSelect(_) => ConfirmSelect::METHOD_ID,
            Method::ConfirmSelectOk(_) => ConfirmSelectOk::METHOD_ID,
            Method::Unknown(m) => m.method_id,
        }
    }

    /// Encoded size of the method frame payload (ids and arguments).
    pub fn encoded_len(&self) -> usize {
        match self {
            Method::ConnectionStart(m) => m.encoded_len(),
            Method::ConnectionStartOk(m) => m.encoded_len(),
            Method::ConnectionSecure(m) => m.encoded_len(),
            Method::ConnectionSecureOk(m) => m.encoded_len(),
            Method::ConnectionTune(m) => m.encoded_len(),
            Method::ConnectionTuneOk(m) => m.encoded_len(),
            Method::ConnectionOpen(m) => m.encoded_len(),
            Method::ConnectionOpenOk(m) => m.encoded_len(),
            Method::ConnectionClose(m) => m.encoded_len(),
            Method::ConnectionCloseOk(m) => m.encoded_len(),
            Method::ConnectionBlocked(m) => m.encoded_len(),
            Method::ConnectionUnblocked(m) => m.encoded_len(),
            Method::ConnectionUpdateSecret(m) => m.encoded_len(),
            Method::ConnectionUpdateSecretOk(m) => m.encoded_len(),
            Method::ChannelOpen(m) => m.encoded_len(),
            Method::ChannelOpenOk(m) => m.encoded_len(),
            Method::ChannelFlow(m) => m.encoded_len(),
            Method::ChannelFlowOk(m) => m.encoded_len(),
            Method::ChannelClose(m) => m.encoded_len(),
            Method::ChannelCloseOk(m) => m.encoded_len(),
            Method::ExchangeDeclare(m) => m.encoded_len(),
            Method::ExchangeDeclareOk(m) => m.encoded_len(),
            Method::ExchangeDelete(m) => m.encoded_len(),
            Method::ExchangeDeleteOk(m) => m.encoded_len(),
            Method::ExchangeBind(m) => m.encoded_len(),
            Method::ExchangeBindOk(m) => m.encoded_len(),
            Method::ExchangeUnbind(m) => m.encoded_len(),
            Method::ExchangeUnbindOk(m) => m.encoded_len(),
            Method::QueueDeclare(m) => m.encoded_len(),
            Method::QueueDeclareOk(m) => m.encoded_len(),
            Method::QueueBind(m) => m.encoded_len(),
            Method::QueueBindOk(m) => m.encoded_len(),
            Method::QueueUnbind(m) => m.encoded_len(),
            Method::QueueUnbindOk(m) => m.encoded_len(),
            Method::QueuePurge(m) => m.encoded_len(),
            Method::QueuePurgeOk(m) => m.encoded_len(),
            Method::QueueDelete(m) => m.encoded_len(),
            Method::QueueDeleteOk(m) => m.encoded_len(),
            Method::BasicQos(m) => m.encoded_len(),
            Method::BasicQosOk(m) => m.encoded_len(),
            Method::BasicConsume(m) => m.encoded_len(),
            Method::BasicConsumeOk(m) => m.encoded_len(),
            Method::BasicCancel(m) => m.encoded_len(),
            Method::BasicCancelOk(m) => m.encoded_len(),
            Method::BasicPublish(m) => m.encoded_len(),
            Method::BasicReturn(m) => m.encoded_len(),
            Method::BasicDeliver(m) => m.encoded_len(),
            Method::BasicGet(m) => m.encoded_len(),
            Method::BasicGetOk(m) => m.encoded_len(),
            Method::BasicGetEmpty(m) => m.encoded_len(),
            Method::BasicAck(m) => m.encoded_len(),
            Method::BasicReject(m) => m.encoded_len(),
            Method::BasicRecoverAsync(m) => m.encoded_len(),
            Method::BasicRecover(m) => m.encoded_len(),
            Method::BasicRecoverOk(m) => m.encoded_len(),
            Method::BasicNack(m) => m.encoded_len(),
            Method::TxSelect(m) => m.encoded_len(),
            Method::TxSelectOk(m) => m.encoded_len(),
            Method::TxCommit(m) => m.encoded_len(),
            Method::TxCommitOk(m) => m.encoded_len(),
            Method::TxRollback(m) => m.encoded_len(),
            Method::TxRollbackOk(m) => m.encoded_len(),
            Method::ConfirmSelect(m) => m.encoded_len(),
            Method::ConfirmSelectOk(m) => m.encoded_len(),
            Method::Unknown(m) => 4 + m.args.len(),
        }
    }

    /// Writes the method frame payload (ids and arguments).
    pub fn encode(&self, buf: &mut BytesMut) {
        match self {
            Method::ConnectionStart(m) => m.encode(buf),
            Method::ConnectionStartOk(m) => m.encode(buf),
            Method::ConnectionSecure(m) => m.encode(buf),
            Method::ConnectionSecureOk(m) => m.encode(buf),
            Method::ConnectionTune(m) => m.encode(buf),
            Method::ConnectionTuneOk(m) => m.encode(buf),
            Method::ConnectionOpen(m) => m.encode(buf),
            Method::ConnectionOpenOk(m) => m.encode(buf),
            Method::ConnectionClose(m) => m.encode(buf),
            Method::ConnectionCloseOk(m) => m.encode(buf),
            Method::ConnectionBlocked(m) => m.encode(buf),
            Method::ConnectionUnblocked(m) => m.encode(buf),
            Method::ConnectionUpdateSecret(m) => m.encode(buf),
            Method::ConnectionUpdateSecretOk(m) => m.encode(buf),
            Method::ChannelOpen(m) => m.encode(buf),
            Method::ChannelOpenOk(m) => m.encode(buf),
            Method::ChannelFlow(m) => m.encode(buf),
            Method::ChannelFlowOk(m) => m.encode(buf),
            Method::ChannelClose(m) => m.encode(buf),
            Method::ChannelCloseOk(m) => m.encode(buf),
            Method::ExchangeDeclare(m) => m.encode(buf),
            Method::ExchangeDeclareOk(m) => m.encode(buf),
            Method::ExchangeDelete(m) => m.encode(buf),
            Method::ExchangeDeleteOk(m) => m.encode(buf),
            Method::ExchangeBind(m) => m.encode(buf),
            Method::ExchangeBindOk(m) => m.encode(buf),
            Method::ExchangeUnbind(m) => m.encode(buf),
            Method::ExchangeUnbindOk(m) => m.encode(buf),
            Method::QueueDeclare(m) => m.encode(buf),
            Method::QueueDeclareOk(m) => m.encode(buf),
            Method::QueueBind(m) => m.encode(buf),
            Method::QueueBindOk(m) => m.encode(buf),
            Method::QueueUnbind(m) => m.encode(buf),
            Method::QueueUnbindOk(m) => m.encode(buf),
            Method::QueuePurge(m) => m.encode(buf),
            Method::QueuePurgeOk(m) => m.encode(buf),
            Method::QueueDelete(m) => m.encode(buf),
            Method::QueueDeleteOk(m) => m.encode(buf),
            Method::BasicQos(m) => m.encode(buf),
            Method::BasicQosOk(m) => m.encode(buf),
            Method::BasicConsume(m) => m.encode(buf),
            Method::BasicConsumeOk(m) => m.encode(buf),
            Method::BasicCancel(m) => m.encode(buf),
            Method::BasicCancelOk(m) => m.encode(buf),
            Method::BasicPublish(m) => m.encode(buf),
            Method::BasicReturn(m) => m.encode(buf),
            Method::BasicDeliver(m) => m.encode(buf),
            Method::BasicGet(m) => m.encode(buf),
            Method::BasicGetOk(m) => m.encode(buf),
            Method::BasicGetEmpty(m) => m.encode(buf),
            Method::BasicAck(m) => m.encode(buf),
            Method::BasicReject(m) => m.encode(buf),
            Method::BasicRecoverAsync(m) => m.encode(buf),
            Method::BasicRecover(m) => m.encode(buf),
            Method::BasicRecoverOk(m) => m.encode(buf),
            Method::BasicNack(m) => m.encode(buf),
            Method::TxSelect(m) => m.encode(buf),
            Method::TxSelectOk(m) => m.encode(buf),
            Method::TxCommit(m) => m.encode(buf),
            Method::TxCommitOk(m) => m.encode(buf),
            Method::TxRollback(m) => m.encode(buf),
            Method::TxRollbackOk(m) => m.encode(buf),
            Method::ConfirmSelect(m) => m.encode(buf),
            Method::ConfirmSelectOk(m) => m.encode(buf),
            Method::Unknown(m) => m.encode(buf),
        }
    }

    /// Every argument by its spec name, in wire order (an unknown method has none).
    pub fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        match self {
            Method::ConnectionStart(m) => m.fields(),
            Method::ConnectionStartOk(m) => m.fields(),
            Method::ConnectionSecure(m) => m.fields(),
            Method::ConnectionSecureOk(m) => m.fields(),
            Method::ConnectionTune(m) => m.fields(),
            Method::ConnectionTuneOk(m) => m.fields(),
            Method::ConnectionOpen(m) => m.fields(),
            Method::ConnectionOpenOk(m) => m.fields(),
            Method::ConnectionClose(m) => m.fields(),
            Method::ConnectionCloseOk(m) => m.fields(),
            Method::ConnectionBlocked(m) => m.fields(),
            Method::ConnectionUnblocked(m) => m.fields(),
            Method::ConnectionUpdateSecret(m) => m.fields(),
            Method::ConnectionUpdateSecretOk(m) => m.fields(),
            Method::ChannelOpen(m) => m.fields(),
            Method::ChannelOpenOk(m) => m.fields(),
            Method::ChannelFlow(m) => m.fields(),
            Method::ChannelFlowOk(m) => m.fields(),
            Method::ChannelClose(m) => m.fields(),
            Method::ChannelCloseOk(m) => m.fields(),
            Method::ExchangeDeclare(m) => m.fields(),
            Method::ExchangeDeclareOk(m) => m.fields(),
            Method::ExchangeDelete(m) => m.fields(),
            Method::ExchangeDeleteOk(m) => m.fields(),
            Method::ExchangeBind(m) => m.fields(),
            Method::ExchangeBindOk(m) => m.fields(),
            Method::ExchangeUnbind(m) => m.fields(),
            Method::ExchangeUnbindOk(m) => m.fields(),
            Method::QueueDeclare(m) => m.fields(),
            Method::QueueDeclareOk(m) => m.fields(),
            Method::QueueBind(m) => m.fields(),
            Method::QueueBindOk(m) => m.fields(),
            Method::QueueUnbind(m) => m.fields(),
            Method::QueueUnbindOk(m) => m.fields(),
            Method::QueuePurge(m) => m.fields(),
            Method::QueuePurgeOk(m) => m.fields(),
            Method::QueueDelete(m) => m.fields(),
            Method::QueueDeleteOk(m) => m.fields(),
            Method::BasicQos(m) => m.fields(),
            Method::BasicQosOk(m) => m.fields(),
            Method::BasicConsume(m) => m.fields(),
            Method::BasicConsumeOk(m) => m.fields(),
            Method::BasicCancel(m) => m.fields(),
            Method::BasicCancelOk(m) => m.fields(),
            Method::BasicPublish(m) => m.fields(),
            Method::BasicReturn(m) => m.fields(),
            Method::BasicDeliver(m) => m.fields(),
            Method::BasicGet(m) => m.fields(),
            Method::BasicGetOk(m) => m.fields(),
            Method::BasicGetEmpty(m) => m.fields(),
            Method::BasicAck(m) => m.fields(),
            Method::BasicReject(m) => m.fields(),
            Method::BasicRecoverAsync(m) => m.fields(),
            Method::BasicRecover(m) => m.fields(),
            Method::BasicRecoverOk(m) => m.fields(),
            Method::BasicNack(m) => m.fields(),
            Method::TxSelect(m) => m.fields(),
            Method::TxSelectOk(m) => m.fields(),
            Method::TxCommit(m) => m.fields(),
            Method::TxCommitOk(m) => m.fields(),
            Method::TxRollback(m) => m.fields(),
            Method::TxRollbackOk(m) => m.fields(),
            Method::ConfirmSelect(m) => m.fields(),
            Method::ConfirmSelectOk(m) => m.fields(),
            Method::Unknown(_) => Vec::new(),
        }
    }

    /// The spec's description of this method (`None` for an unknown one).
    pub fn info(&self) -> Option<&'static MethodInfo> {
        match self {
            Method::ConnectionStart(_) => Some(&METHODS[0]),
            Method::ConnectionStartOk(_) => Some(&METHODS[1]),
            Method::ConnectionSecure(_) => Some(&METHODS[2]),
            Method::ConnectionSecureOk(_) => Some(&METHODS[3]),
            Method::ConnectionTune(_) => Some(&METHODS[4]),
            Method::ConnectionTuneOk(_) => Some(&METHODS[5]),
            Method::ConnectionOpen(_) => Some(&METHODS[6]),
            Method::ConnectionOpenOk(_) => Some(&METHODS[7]),
            Method::ConnectionClose(_) => Some(&METHODS[8]),
            Method::ConnectionCloseOk(_) => Some(&METHODS[9]),
            Method::ConnectionBlocked(_) => Some(&METHODS[10]),
            Method::ConnectionUnblocked(_) => Some(&METHODS[11]),
            Method::ConnectionUpdateSecret(_) => Some(&METHODS[12]),
            Method::ConnectionUpdateSecretOk(_) => Some(&METHODS[13]),
            Method::ChannelOpen(_) => Some(&METHODS[14]),
            Method::ChannelOpenOk(_) => Some(&METHODS[15]),
            Method::ChannelFlow(_) => Some(&METHODS[16]),
            Method::ChannelFlowOk(_) => Some(&METHODS[17]),
            Method::ChannelClose(_) => Some(&METHODS[18]),
            Method::ChannelCloseOk(_) => Some(&METHODS[19]),
            Method::ExchangeDeclare(_) => Some(&METHODS[20]),
            Method::ExchangeDeclareOk(_) => Some(&METHODS[21]),
            Method::ExchangeDelete(_) => Some(&METHODS[22]),
            Method::ExchangeDeleteOk(_) => Some(&METHODS[23]),
            Method::ExchangeBind(_) => Some(&METHODS[24]),
            Method::ExchangeBindOk(_) => Some(&METHODS[25]),
            Method::ExchangeUnbind(_) => Some(&METHODS[26]),
            Method::ExchangeUnbindOk(_) => Some(&METHODS[27]),
            Method::QueueDeclare(_) => Some(&METHODS[28]),
            Method::QueueDeclareOk(_) => Some(&METHODS[29]),
            Method::QueueBind(_) => Some(&METHODS[30]),
            Method::QueueBindOk(_) => Some(&METHODS[31]),
            Method::QueueUnbind(_) => Some(&METHODS[32]),
            Method::QueueUnbindOk(_) => Some(&METHODS[33]),
            Method::QueuePurge(_) => Some(&METHODS[34]),
            Method::QueuePurgeOk(_) => Some(&METHODS[35]),
            Method::QueueDelete(_) => Some(&METHODS[36]),
            Method::QueueDeleteOk(_) => Some(&METHODS[37]),
            Method::BasicQos(_) => Some(&METHODS[38]),
            Method::BasicQosOk(_) => Some(&METHODS[39]),
            Method::BasicConsume(_) => Some(&METHODS[40]),
            Method::BasicConsumeOk(_) => Some(&METHODS[41]),
            Method::BasicCancel(_) => Some(&METHODS[42]),
            Method::BasicCancelOk(_) => Some(&METHODS[43]),
            Method::BasicPublish(_) => Some(&METHODS[44]),
            Method::BasicReturn(_) => Some(&METHODS[45]),
            Method::BasicDeliver(_) => Some(&METHODS[46]),
            Method::BasicGet(_) => Some(&METHODS[47]),
            Method::BasicGetOk(_) => Some(&METHODS[48]),
            Method::BasicGetEmpty(_) => Some(&METHODS[49]),
            Method::BasicAck(_) => Some(&METHODS[50]),
            Method::BasicReject(_) => Some(&METHODS[51]),
            Method::BasicRecoverAsync(_) => Some(&METHODS[52]),
            Method::BasicRecover(_) => Some(&METHODS[53]),
            Method::BasicRecoverOk(_) => Some(&METHODS[54]),
            Method::BasicNack(_) => Some(&METHODS[55]),
            Method::TxSelect(_) => Some(&METHODS[56]),
            Method::TxSelectOk(_) => Some(&METHODS[57]),
            Method::TxCommit(_) => Some(&METHODS[58]),
            Method::TxCommitOk(_) => Some(&METHODS[59]),
            Method::TxRollback(_) => Some(&METHODS[60]),
            Method::TxRollbackOk(_) => Some(&METHODS[61]),
            Method::ConfirmSelect(_) => Some(&METHODS[62]),
            Method::ConfirmSelectOk(_) => Some(&METHODS[63]),
            Method::Unknown(_) => None,
        }
    }

    /// The value of the method's no-wait flag (`no-wait`, or `nowait` in
    /// confirm.select); `false` for a method without one and for an unknown method.
    pub fn no_wait(&self) -> bool {
        match self {
            Method::ExchangeDeclare(m) => m.no_wait,
            Method::ExchangeDelete(m) => m.no_wait,
            Method::ExchangeBind(m) => m.no_wait,
            Method::ExchangeUnbind(m) => m.no_wait,
            Method::QueueDeclare(m) => m.no_wait,
            Method::QueueBind(m) => m.no_wait,
            Method::QueuePurge(m) => m.no_wait,
            Method::QueueDelete(m) => m.no_wait,
            Method::BasicConsume(m) => m.no_wait,
            Method::BasicCancel(m) => m.no_wait,
            Method::ConfirmSelect(m) => m.nowait,
            _ => false,
        }
    }

    /// Whether the peer answers this method: it is synchronous (after the
    /// errata, see [`crate::spec_info::ERRATA`]), some methods answer it, and its
    /// no-wait flag (if any) is not set. `false` for an unknown method.
    pub fn expects_reply(&self) -> bool {
        match self {
            Method::ConnectionStart(_) => true,
            Method::ConnectionSecure(_) => true,
            Method::ConnectionTune(_) => true,
            Method::ConnectionOpen(_) => true,
            Method::ConnectionClose(_) => true,
            Method::ConnectionUpdateSecret(_) => true,
            Method::ChannelOpen(_) => true,
            Method::ChannelFlow(_) => true,
            Method::ChannelClose(_) => true,
            Method::ExchangeDeclare(m) => !m.no_wait,
            Method::ExchangeDelete(m) => !m.no_wait,
            Method::ExchangeBind(m) => !m.no_wait,
            Method::ExchangeUnbind(m) => !m.no_wait,
            Method::QueueDeclare(m) => !m.no_wait,
            Method::QueueBind(m) => !m.no_wait,
            Method::QueueUnbind(_) => true,
            Method::QueuePurge(m) => !m.no_wait,
            Method::QueueDelete(m) => !m.no_wait,
            Method::BasicQos(_) => true,
            Method::BasicConsume(m) => !m.no_wait,
            Method::BasicCancel(m) => !m.no_wait,
            Method::BasicGet(_) => true,
            Method::BasicRecover(_) => true,
            Method::TxSelect(_) => true,
            Method::TxCommit(_) => true,
            Method::TxRollback(_) => true,
            Method::ConfirmSelect(m) => !m.nowait,
            _ => false,
        }
    }
}

/// The content properties of class `basic` (the 14 of the spec). A property
/// is present on the wire when it is `Some`; the flags word is derived from that.
///
/// ```
/// use amqp091_codec::{BasicProperties, ShortStr};
/// let props = BasicProperties::default()
///     .with_content_type(ShortStr::from_static("text/plain"))
///     .with_delivery_mode(2);
/// assert_eq!(props.delivery_mode, Some(2));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicProperties {
    /// MIME content type.
    pub content_type: Option<ShortStr>,
    /// MIME content encoding.
    pub content_encoding: Option<ShortStr>,
    /// Message header field table.
    pub headers: Option<FieldTable>,
    /// Non-persistent (1) or persistent (2).
    pub delivery_mode: Option<u8>,
    /// Message priority, 0 to 9.
    pub priority: Option<u8>,
    /// Application correlation identifier.
    pub correlation_id: Option<ShortStr>,
    /// Address to reply to.
    pub reply_to: Option<ShortStr>,
    /// Message expiration specification.
    pub expiration: Option<ShortStr>,
    /// Application message identifier.
    pub message_id: Option<ShortStr>,
    /// Message timestamp.
    pub timestamp: Option<u64>,
    /// Message type name.
    ///
    /// Spec name: `type`.
    pub message_type: Option<ShortStr>,
    /// Creating user id.
    pub user_id: Option<ShortStr>,
    /// Creating application id.
    pub app_id: Option<ShortStr>,
    /// Reserved, must be empty.
    ///
    /// Spec name: `reserved`.
    pub cluster_id: Option<ShortStr>,
}

impl BasicProperties {
    /// No property set.
    pub const EMPTY: BasicProperties = BasicProperties {
        content_type: None,
        content_encoding: None,
        headers: None,
        delivery_mode: None,
        priority: None,
        correlation_id: None,
        reply_to: None,
        expiration: None,
        message_id: None,
        timestamp: None,
        message_type: None,
        user_id: None,
        app_id: None,
        cluster_id: None,
    };

    /// Sets `content-type`.
    pub fn with_content_type(mut self, value: ShortStr) -> Self {
        self.content_type = Some(value);
        self
    }

    /// `content-type` as text, when present and UTF-8.
    pub fn content_type_str(&self) -> Option<&str> {
        self.content_type.as_ref().and_then(|v| v.as_str())
    }

    /// Sets `content-encoding`.
    pub fn with_content_encoding(mut self, value: ShortStr) -> Self {
        self.content_encoding = Some(value);
        self
    }

    /// `content-encoding` as text, when present and UTF-8.
    pub fn content_encoding_str(&self) -> Option<&str> {
        self.content_encoding.as_ref().and_then(|v| v.as_str())
    }

    /// Sets `headers`.
    pub fn with_headers(mut self, value: FieldTable) -> Self {
        self.headers = Some(value);
        self
    }

    /// Sets `delivery-mode`.
    pub fn with_delivery_mode(mut self, value: u8) -> Self {
        self.delivery_mode = Some(value);
        self
    }

    /// Sets `priority`.
    pub fn with_priority(mut self, value: u8) -> Self {
        self.priority = Some(value);
        self
    }

    /// Sets `correlation-id`.
    pub fn with_correlation_id(mut self, value: ShortStr) -> Self {
        self.correlation_id = Some(value);
        self
    }

    /// `correlation-id` as text, when present and UTF-8.
    pub fn correlation_id_str(&self) -> Option<&str> {
        self.correlation_id.as_ref().and_then(|v| v.as_str())
    }

    /// Sets `reply-to`.
    pub fn with_reply_to(mut self, value: ShortStr) -> Self {
        self.reply_to = Some(value);
        self
    }

    /// `reply-to` as text, when present and UTF-8.
    pub fn reply_to_str(&self) -> Option<&str> {
        self.reply_to.as_ref().and_then(|v| v.as_str())
    }

    /// Sets `expiration`.
    pub fn with_expiration(mut self, value: ShortStr) -> Self {
        self.expiration = Some(value);
        self
    }

    /// `expiration` as text, when present and UTF-8.
    pub fn expiration_str(&self) -> Option<&str> {
        self.expiration.as_ref().and_then(|v| v.as_str())
    }

    /// Sets `message-id`.
    pub fn with_message_id(mut self, value: ShortStr) -> Self {
        self.message_id = Some(value);
        self
    }

    /// `message-id` as text, when present and UTF-8.
    pub fn message_id_str(&self) -> Option<&str> {
        self.message_id.as_ref().and_then(|v| v.as_str())
    }

    /// Sets `timestamp`.
    pub fn with_timestamp(mut self, value: u64) -> Self {
        self.timestamp = Some(value);
        self
    }

    /// Sets `type`.
    pub fn with_message_type(mut self, value: ShortStr) -> Self {
        self.message_type = Some(value);
        self
    }

    /// `type` as text, when present and UTF-8.
    pub fn message_type_str(&self) -> Option<&str> {
        self.message_type.as_ref().and_then(|v| v.as_str())
    }

    /// Sets `user-id`.
    pub fn with_user_id(mut self, value: ShortStr) -> Self {
        self.user_id = Some(value);
        self
    }

    /// `user-id` as text, when present and UTF-8.
    pub fn user_id_str(&self) -> Option<&str> {
        self.user_id.as_ref().and_then(|v| v.as_str())
    }

    /// Sets `app-id`.
    pub fn with_app_id(mut self, value: ShortStr) -> Self {
        self.app_id = Some(value);
        self
    }

    /// `app-id` as text, when present and UTF-8.
    pub fn app_id_str(&self) -> Option<&str> {
        self.app_id.as_ref().and_then(|v| v.as_str())
    }

    /// Sets `reserved`.
    pub fn with_cluster_id(mut self, value: ShortStr) -> Self {
        self.cluster_id = Some(value);
        self
    }

    /// `reserved` as text, when present and UTF-8.
    pub fn cluster_id_str(&self) -> Option<&str> {
        self.cluster_id.as_ref().and_then(|v| v.as_str())
    }

    /// The property flags word: bit 15 for the first property, downwards.
    pub fn flags(&self) -> u16 {
        let mut flags = 0u16;
        if self.content_type.is_some() {
            flags |= 1 << 15;
        }
        if self.content_encoding.is_some() {
            flags |= 1 << 14;
        }
        if self.headers.is_some() {
            flags |= 1 << 13;
        }
        if self.delivery_mode.is_some() {
            flags |= 1 << 12;
        }
        if self.priority.is_some() {
            flags |= 1 << 11;
        }
        if self.correlation_id.is_some() {
            flags |= 1 << 10;
        }
        if self.reply_to.is_some() {
            flags |= 1 << 9;
        }
        if self.expiration.is_some() {
            flags |= 1 << 8;
        }
        if self.message_id.is_some() {
            flags |= 1 << 7;
        }
        if self.timestamp.is_some() {
            flags |= 1 << 6;
        }
        if self.message_type.is_some() {
            flags |= 1 << 5;
        }
        if self.user_id.is_some() {
            flags |= 1 << 4;
        }
        if self.app_id.is_some() {
            flags |= 1 << 3;
        }
        if self.cluster_id.is_some() {
            flags |= 1 << 2;
        }
        flags
    }

    /// Flag bits that name a property.
    pub const DEFINED_FLAGS: u16 = 0xfffc;

    /// Encoded size, flags word included.
    pub fn encoded_len(&self) -> usize {
        let mut len = 2;
        if let Some(v) = &self.content_type {
            len += 1 + v.len();
        }
        if let Some(v) = &self.content_encoding {
            len += 1 + v.len();
        }
        if let Some(v) = &self.headers {
            len += v.encoded_len();
        }
        if self.delivery_mode.is_some() {
            len += 1;
        }
        if self.priority.is_some() {
            len += 1;
        }
        if let Some(v) = &self.correlation_id {
            len += 1 + v.len();
        }
        if let Some(v) = &self.reply_to {
            len += 1 + v.len();
        }
        if let Some(v) = &self.expiration {
            len += 1 + v.len();
        }
        if let Some(v) = &self.message_id {
            len += 1 + v.len();
        }
        if self.timestamp.is_some() {
            len += 8;
        }
        if let Some(v) = &self.message_type {
            len += 1 + v.len();
        }
        if let Some(v) = &self.user_id {
            len += 1 + v.len();
        }
        if let Some(v) = &self.app_id {
            len += 1 + v.len();
        }
        if let Some(v) = &self.cluster_id {
            len += 1 + v.len();
        }
        len
    }

    /// Writes the flags word and the present properties.
    pub fn encode(&self, buf: &mut BytesMut) {
        buf.put_u16(self.flags());
        if let Some(v) = &self.content_type {
            v.encode(buf);
        }
        if let Some(v) = &self.content_encoding {
            v.encode(buf);
        }
        if let Some(v) = &self.headers {
            v.encode(buf);
        }
        if let Some(v) = &self.delivery_mode {
            buf.put_u8(*v);
        }
        if let Some(v) = &self.priority {
            buf.put_u8(*v);
        }
        if let Some(v) = &self.correlation_id {
            v.encode(buf);
        }
        if let Some(v) = &self.reply_to {
            v.encode(buf);
        }
        if let Some(v) = &self.expiration {
            v.encode(buf);
        }
        if let Some(v) = &self.message_id {
            v.encode(buf);
        }
        if let Some(v) = &self.timestamp {
            buf.put_u64(*v);
        }
        if let Some(v) = &self.message_type {
            v.encode(buf);
        }
        if let Some(v) = &self.user_id {
            v.encode(buf);
        }
        if let Some(v) = &self.app_id {
            v.encode(buf);
        }
        if let Some(v) = &self.cluster_id {
            v.encode(buf);
        }
    }

    /// Decodes into `self` (which must be empty): in place, because the
    /// struct is large and a decoded value would be moved several times.
    pub(crate) fn decode_into(&mut self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        let at = r.offset();
        let flags = r.short().map_err(|e| e.in_field("property-flags"))?;
        if flags & !Self::DEFINED_FLAGS != 0 {
            return Err(DecodeError::new(
                crate::error::DecodeErrorKind::BadPropertyFlags { flags },
                at,
            ));
        }
        let p = self;
        if flags & (1 << 15) != 0 {
            p.content_type = Some(r.shortstr().map_err(|e| e.in_field("content-type"))?);
        }
        if flags & (1 << 14) != 0 {
            p.content_encoding = Some(r.shortstr().map_err(|e| e.in_field("content-encoding"))?);
        }
        if flags & (1 << 13) != 0 {
            p.headers = Some(FieldTable::decode(r).map_err(|e| e.in_field("headers"))?);
        }
        if flags & (1 << 12) != 0 {
            p.delivery_mode = Some(r.octet().map_err(|e| e.in_field("delivery-mode"))?);
        }
        if flags & (1 << 11) != 0 {
            p.priority = Some(r.octet().map_err(|e| e.in_field("priority"))?);
        }
        if flags & (1 << 10) != 0 {
            p.correlation_id = Some(r.shortstr().map_err(|e| e.in_field("correlation-id"))?);
        }
        if flags & (1 << 9) != 0 {
            p.reply_to = Some(r.shortstr().map_err(|e| e.in_field("reply-to"))?);
        }
        if flags & (1 << 8) != 0 {
            p.expiration = Some(r.shortstr().map_err(|e| e.in_field("expiration"))?);
        }
        if flags & (1 << 7) != 0 {
            p.message_id = Some(r.shortstr().map_err(|e| e.in_field("message-id"))?);
        }
        if flags & (1 << 6) != 0 {
            p.timestamp = Some(r.longlong().map_err(|e| e.in_field("timestamp"))?);
        }
        if flags & (1 << 5) != 0 {
            p.message_type = Some(r.shortstr().map_err(|e| e.in_field("type"))?);
        }
        if flags & (1 << 4) != 0 {
            p.user_id = Some(r.shortstr().map_err(|e| e.in_field("user-id"))?);
        }
        if flags & (1 << 3) != 0 {
            p.app_id = Some(r.shortstr().map_err(|e| e.in_field("app-id"))?);
        }
        if flags & (1 << 2) != 0 {
            p.cluster_id = Some(r.shortstr().map_err(|e| e.in_field("reserved"))?);
        }
        Ok(())
    }

    /// The present properties by spec name, in wire order.
    pub fn fields(&self) -> Vec<(&'static str, ArgValue<'_>)> {
        let mut out = Vec::new();
        if let Some(v) = &self.content_type {
            out.push(("content-type", ArgValue::ShortStr(v)));
        }
        if let Some(v) = &self.content_encoding {
            out.push(("content-encoding", ArgValue::ShortStr(v)));
        }
        if let Some(v) = &self.headers {
            out.push(("headers", ArgValue::Table(v)));
        }
        if let Some(v) = &self.delivery_mode {
            out.push(("delivery-mode", ArgValue::Octet(*v)));
        }
        if let Some(v) = &self.priority {
            out.push(("priority", ArgValue::Octet(*v)));
        }
        if let Some(v) = &self.correlation_id {
            out.push(("correlation-id", ArgValue::ShortStr(v)));
        }
        if let Some(v) = &self.reply_to {
            out.push(("reply-to", ArgValue::ShortStr(v)));
        }
        if let Some(v) = &self.expiration {
            out.push(("expiration", ArgValue::ShortStr(v)));
        }
        if let Some(v) = &self.message_id {
            out.push(("message-id", ArgValue::ShortStr(v)));
        }
        if let Some(v) = &self.timestamp {
            out.push(("timestamp", ArgValue::Timestamp(*v)));
        }
        if let Some(v) = &self.message_type {
            out.push(("type", ArgValue::ShortStr(v)));
        }
        if let Some(v) = &self.user_id {
            out.push(("user-id", ArgValue::ShortStr(v)));
        }
        if let Some(v) = &self.app_id {
            out.push(("app-id", ArgValue::ShortStr(v)));
        }
        if let Some(v) = &self.cluster_id {
            out.push(("reserved", ArgValue::ShortStr(v)));
        }
        out
    }
}

/// Every method of the spec, in the order of the XML.
pub static METHODS: &[MethodInfo] = &[
    MethodInfo {
        class_id: 10,
        method_id: 10,
        class_name: "connection",
        method_name: "start",
        full_name: "connection.start",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["start-ok"],
        reply_ids: &[11],
        fields: &[
            FieldInfo {
                name: "version-major",
                ident: "version_major",
                domain: "octet",
                ty: ArgType::Octet,
                reserved: false,
            },
            FieldInfo {
                name: "version-minor",
                ident: "version_minor",
                domain: "octet",
                ty: ArgType::Octet,
                reserved: false,
            },
            FieldInfo {
                name: "server-properties",
                ident: "server_properties",
                domain: "peer-properties",
                ty: ArgType::Table,
                reserved: false,
            },
            FieldInfo {
                name: "mechanisms",
                ident: "mechanisms",
                domain: "longstr",
                ty: ArgType::LongStr,
                reserved: false,
            },
            FieldInfo {
                name: "locales",
                ident: "locales",
                domain: "longstr",
                ty: ArgType::LongStr,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 10,
        method_id: 11,
        class_name: "connection",
        method_name: "start-ok",
        full_name: "connection.start-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[
            FieldInfo {
                name: "client-properties",
                ident: "client_properties",
                domain: "peer-properties",
                ty: ArgType::Table,
                reserved: false,
            },
            FieldInfo {
                name: "mechanism",
                ident: "mechanism",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "response",
                ident: "response",
                domain: "longstr",
                ty: ArgType::LongStr,
                reserved: false,
            },
            FieldInfo {
                name: "locale",
                ident: "locale",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 10,
        method_id: 20,
        class_name: "connection",
        method_name: "secure",
        full_name: "connection.secure",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["secure-ok"],
        reply_ids: &[21],
        fields: &[FieldInfo {
            name: "challenge",
            ident: "challenge",
            domain: "longstr",
            ty: ArgType::LongStr,
            reserved: false,
        }],
    },
    MethodInfo {
        class_id: 10,
        method_id: 21,
        class_name: "connection",
        method_name: "secure-ok",
        full_name: "connection.secure-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[FieldInfo {
            name: "response",
            ident: "response",
            domain: "longstr",
            ty: ArgType::LongStr,
            reserved: false,
        }],
    },
    MethodInfo {
        class_id: 10,
        method_id: 30,
        class_name: "connection",
        method_name: "tune",
        full_name: "connection.tune",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["tune-ok"],
        reply_ids: &[31],
        fields: &[
            FieldInfo {
                name: "channel-max",
                ident: "channel_max",
                domain: "short",
                ty: ArgType::Short,
                reserved: false,
            },
            FieldInfo {
                name: "frame-max",
                ident: "frame_max",
                domain: "long",
                ty: ArgType::Long,
                reserved: false,
            },
            FieldInfo {
                name: "heartbeat",
                ident: "heartbeat",
                domain: "short",
                ty: ArgType::Short,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 10,
        method_id: 31,
        class_name: "connection",
        method_name: "tune-ok",
        full_name: "connection.tune-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[
            FieldInfo {
                name: "channel-max",
                ident: "channel_max",
                domain: "short",
                ty: ArgType::Short,
                reserved: false,
            },
            FieldInfo {
                name: "frame-max",
                ident: "frame_max",
                domain: "long",
                ty: ArgType::Long,
                reserved: false,
            },
            FieldInfo {
                name: "heartbeat",
                ident: "heartbeat",
                domain: "short",
                ty: ArgType::Short,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 10,
        method_id: 40,
        class_name: "connection",
        method_name: "open",
        full_name: "connection.open",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["open-ok"],
        reply_ids: &[41],
        fields: &[
            FieldInfo {
                name: "virtual-host",
                ident: "virtual_host",
                domain: "path",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "reserved-1",
                ident: "reserved_1",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: true,
            },
            FieldInfo {
                name: "reserved-2",
                ident: "reserved_2",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: true,
            },
        ],
    },
    MethodInfo {
        class_id: 10,
        method_id: 41,
        class_name: "connection",
        method_name: "open-ok",
        full_name: "connection.open-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[FieldInfo {
            name: "reserved-1",
            ident: "reserved_1",
            domain: "shortstr",
            ty: ArgType::ShortStr,
            reserved: true,
        }],
    },
    MethodInfo {
        class_id: 10,
        method_id: 50,
        class_name: "connection",
        method_name: "close",
        full_name: "connection.close",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["close-ok"],
        reply_ids: &[51],
        fields: &[
            FieldInfo {
                name: "reply-code",
                ident: "reply_code",
                domain: "reply-code",
                ty: ArgType::Short,
                reserved: false,
            },
            FieldInfo {
                name: "reply-text",
                ident: "reply_text",
                domain: "reply-text",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "class-id",
                ident: "class_id",
                domain: "class-id",
                ty: ArgType::Short,
                reserved: false,
            },
            FieldInfo {
                name: "method-id",
                ident: "method_id",
                domain: "method-id",
                ty: ArgType::Short,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 10,
        method_id: 51,
        class_name: "connection",
        method_name: "close-ok",
        full_name: "connection.close-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 10,
        method_id: 60,
        class_name: "connection",
        method_name: "blocked",
        full_name: "connection.blocked",
        synchronous: false,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[FieldInfo {
            name: "reason",
            ident: "reason",
            domain: "shortstr",
            ty: ArgType::ShortStr,
            reserved: false,
        }],
    },
    MethodInfo {
        class_id: 10,
        method_id: 61,
        class_name: "connection",
        method_name: "unblocked",
        full_name: "connection.unblocked",
        synchronous: false,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 10,
        method_id: 70,
        class_name: "connection",
        method_name: "update-secret",
        full_name: "connection.update-secret",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["update-secret-ok"],
        reply_ids: &[71],
        fields: &[
            FieldInfo {
                name: "new-secret",
                ident: "new_secret",
                domain: "longstr",
                ty: ArgType::LongStr,
                reserved: false,
            },
            FieldInfo {
                name: "reason",
                ident: "reason",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 10,
        method_id: 71,
        class_name: "connection",
        method_name: "update-secret-ok",
        full_name: "connection.update-secret-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 20,
        method_id: 10,
        class_name: "channel",
        method_name: "open",
        full_name: "channel.open",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["open-ok"],
        reply_ids: &[11],
        fields: &[FieldInfo {
            name: "reserved-1",
            ident: "reserved_1",
            domain: "shortstr",
            ty: ArgType::ShortStr,
            reserved: true,
        }],
    },
    MethodInfo {
        class_id: 20,
        method_id: 11,
        class_name: "channel",
        method_name: "open-ok",
        full_name: "channel.open-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[FieldInfo {
            name: "reserved-1",
            ident: "reserved_1",
            domain: "longstr",
            ty: ArgType::LongStr,
            reserved: true,
        }],
    },
    MethodInfo {
        class_id: 20,
        method_id: 20,
        class_name: "channel",
        method_name: "flow",
        full_name: "channel.flow",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["flow-ok"],
        reply_ids: &[21],
        fields: &[FieldInfo {
            name: "active",
            ident: "active",
            domain: "bit",
            ty: ArgType::Bit,
            reserved: false,
        }],
    },
    MethodInfo {
        class_id: 20,
        method_id: 21,
        class_name: "channel",
        method_name: "flow-ok",
        full_name: "channel.flow-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[FieldInfo {
            name: "active",
            ident: "active",
            domain: "bit",
            ty: ArgType::Bit,
            reserved: false,
        }],
    },
    MethodInfo {
        class_id: 20,
        method_id: 40,
        class_name: "channel",
        method_name: "close",
        full_name: "channel.close",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["close-ok"],
        reply_ids: &[41],
        fields: &[
            FieldInfo {
                name: "reply-code",
                ident: "reply_code",
                domain: "reply-code",
                ty: ArgType::Short,
                reserved: false,
            },
            FieldInfo {
                name: "reply-text",
                ident: "reply_text",
                domain: "reply-text",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "class-id",
                ident: "class_id",
                domain: "class-id",
                ty: ArgType::Short,
                reserved: false,
            },
            FieldInfo {
                name: "method-id",
                ident: "method_id",
                domain: "method-id",
                ty: ArgType::Short,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 20,
        method_id: 41,
        class_name: "channel",
        method_name: "close-ok",
        full_name: "channel.close-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 40,
        method_id: 10,
        class_name: "exchange",
        method_name: "declare",
        full_name: "exchange.declare",
        synchronous: true,
        content: false,
        no_wait: true,
        responses: &["declare-ok"],
        reply_ids: &[11],
        fields: &[
            FieldInfo {
                name: "reserved-1",
                ident: "reserved_1",
                domain: "short",
                ty: ArgType::Short,
                reserved: true,
            },
            FieldInfo {
                name: "exchange",
                ident: "exchange",
                domain: "exchange-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "type",
                ident: "kind",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "passive",
                ident: "passive",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "durable",
                ident: "durable",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "auto-delete",
                ident: "auto_delete",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "internal",
                ident: "internal",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "no-wait",
                ident: "no_wait",
                domain: "no-wait",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "arguments",
                ident: "arguments",
                domain: "table",
                ty: ArgType::Table,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 40,
        method_id: 11,
        class_name: "exchange",
        method_name: "declare-ok",
        full_name: "exchange.declare-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 40,
        method_id: 20,
        class_name: "exchange",
        method_name: "delete",
        full_name: "exchange.delete",
        synchronous: true,
        content: false,
        no_wait: true,
        responses: &["delete-ok"],
        reply_ids: &[21],
        fields: &[
            FieldInfo {
                name: "reserved-1",
                ident: "reserved_1",
                domain: "short",
                ty: ArgType::Short,
                reserved: true,
            },
            FieldInfo {
                name: "exchange",
                ident: "exchange",
                domain: "exchange-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "if-unused",
                ident: "if_unused",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "no-wait",
                ident: "no_wait",
                domain: "no-wait",
                ty: ArgType::Bit,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 40,
        method_id: 21,
        class_name: "exchange",
        method_name: "delete-ok",
        full_name: "exchange.delete-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 40,
        method_id: 30,
        class_name: "exchange",
        method_name: "bind",
        full_name: "exchange.bind",
        synchronous: true,
        content: false,
        no_wait: true,
        responses: &["bind-ok"],
        reply_ids: &[31],
        fields: &[
            FieldInfo {
                name: "reserved-1",
                ident: "reserved_1",
                domain: "short",
                ty: ArgType::Short,
                reserved: true,
            },
            FieldInfo {
                name: "destination",
                ident: "destination",
                domain: "exchange-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "source",
                ident: "source",
                domain: "exchange-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "routing-key",
                ident: "routing_key",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "no-wait",
                ident: "no_wait",
                domain: "no-wait",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "arguments",
                ident: "arguments",
                domain: "table",
                ty: ArgType::Table,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 40,
        method_id: 31,
        class_name: "exchange",
        method_name: "bind-ok",
        full_name: "exchange.bind-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 40,
        method_id: 40,
        class_name: "exchange",
        method_name: "unbind",
        full_name: "exchange.unbind",
        synchronous: true,
        content: false,
        no_wait: true,
        responses: &["unbind-ok"],
        reply_ids: &[51],
        fields: &[
            FieldInfo {
                name: "reserved-1",
                ident: "reserved_1",
                domain: "short",
                ty: ArgType::Short,
                reserved: true,
            },
            FieldInfo {
                name: "destination",
                ident: "destination",
                domain: "exchange-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "source",
                ident: "source",
                domain: "exchange-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "routing-key",
                ident: "routing_key",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "no-wait",
                ident: "no_wait",
                domain: "no-wait",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "arguments",
                ident: "arguments",
                domain: "table",
                ty: ArgType::Table,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 40,
        method_id: 51,
        class_name: "exchange",
        method_name: "unbind-ok",
        full_name: "exchange.unbind-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 50,
        method_id: 10,
        class_name: "queue",
        method_name: "declare",
        full_name: "queue.declare",
        synchronous: true,
        content: false,
        no_wait: true,
        responses: &["declare-ok"],
        reply_ids: &[11],
        fields: &[
            FieldInfo {
                name: "reserved-1",
                ident: "reserved_1",
                domain: "short",
                ty: ArgType::Short,
                reserved: true,
            },
            FieldInfo {
                name: "queue",
                ident: "queue",
                domain: "queue-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "passive",
                ident: "passive",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "durable",
                ident: "durable",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "exclusive",
                ident: "exclusive",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "auto-delete",
                ident: "auto_delete",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "no-wait",
                ident: "no_wait",
                domain: "no-wait",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "arguments",
                ident: "arguments",
                domain: "table",
                ty: ArgType::Table,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 50,
        method_id: 11,
        class_name: "queue",
        method_name: "declare-ok",
        full_name: "queue.declare-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[
            FieldInfo {
                name: "queue",
                ident: "queue",
                domain: "queue-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "message-count",
                ident: "message_count",
                domain: "message-count",
                ty: ArgType::Long,
                reserved: false,
            },
            FieldInfo {
                name: "consumer-count",
                ident: "consumer_count",
                domain: "long",
                ty: ArgType::Long,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 50,
        method_id: 20,
        class_name: "queue",
        method_name: "bind",
        full_name: "queue.bind",
        synchronous: true,
        content: false,
        no_wait: true,
        responses: &["bind-ok"],
        reply_ids: &[21],
        fields: &[
            FieldInfo {
                name: "reserved-1",
                ident: "reserved_1",
                domain: "short",
                ty: ArgType::Short,
                reserved: true,
            },
            FieldInfo {
                name: "queue",
                ident: "queue",
                domain: "queue-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "exchange",
                ident: "exchange",
                domain: "exchange-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "routing-key",
                ident: "routing_key",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "no-wait",
                ident: "no_wait",
                domain: "no-wait",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "arguments",
                ident: "arguments",
                domain: "table",
                ty: ArgType::Table,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 50,
        method_id: 21,
        class_name: "queue",
        method_name: "bind-ok",
        full_name: "queue.bind-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 50,
        method_id: 50,
        class_name: "queue",
        method_name: "unbind",
        full_name: "queue.unbind",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["unbind-ok"],
        reply_ids: &[51],
        fields: &[
            FieldInfo {
                name: "reserved-1",
                ident: "reserved_1",
                domain: "short",
                ty: ArgType::Short,
                reserved: true,
            },
            FieldInfo {
                name: "queue",
                ident: "queue",
                domain: "queue-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "exchange",
                ident: "exchange",
                domain: "exchange-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "routing-key",
                ident: "routing_key",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "arguments",
                ident: "arguments",
                domain: "table",
                ty: ArgType::Table,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 50,
        method_id: 51,
        class_name: "queue",
        method_name: "unbind-ok",
        full_name: "queue.unbind-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 50,
        method_id: 30,
        class_name: "queue",
        method_name: "purge",
        full_name: "queue.purge",
        synchronous: true,
        content: false,
        no_wait: true,
        responses: &["purge-ok"],
        reply_ids: &[31],
        fields: &[
            FieldInfo {
                name: "reserved-1",
                ident: "reserved_1",
                domain: "short",
                ty: ArgType::Short,
                reserved: true,
            },
            FieldInfo {
                name: "queue",
                ident: "queue",
                domain: "queue-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "no-wait",
                ident: "no_wait",
                domain: "no-wait",
                ty: ArgType::Bit,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 50,
        method_id: 31,
        class_name: "queue",
        method_name: "purge-ok",
        full_name: "queue.purge-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[FieldInfo {
            name: "message-count",
            ident: "message_count",
            domain: "message-count",
            ty: ArgType::Long,
            reserved: false,
        }],
    },
    MethodInfo {
        class_id: 50,
        method_id: 40,
        class_name: "queue",
        method_name: "delete",
        full_name: "queue.delete",
        synchronous: true,
        content: false,
        no_wait: true,
        responses: &["delete-ok"],
        reply_ids: &[41],
        fields: &[
            FieldInfo {
                name: "reserved-1",
                ident: "reserved_1",
                domain: "short",
                ty: ArgType::Short,
                reserved: true,
            },
            FieldInfo {
                name: "queue",
                ident: "queue",
                domain: "queue-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "if-unused",
                ident: "if_unused",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "if-empty",
                ident: "if_empty",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "no-wait",
                ident: "no_wait",
                domain: "no-wait",
                ty: ArgType::Bit,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 50,
        method_id: 41,
        class_name: "queue",
        method_name: "delete-ok",
        full_name: "queue.delete-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[FieldInfo {
            name: "message-count",
            ident: "message_count",
            domain: "message-count",
            ty: ArgType::Long,
            reserved: false,
        }],
    },
    MethodInfo {
        class_id: 60,
        method_id: 10,
        class_name: "basic",
        method_name: "qos",
        full_name: "basic.qos",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["qos-ok"],
        reply_ids: &[11],
        fields: &[
            FieldInfo {
                name: "prefetch-size",
                ident: "prefetch_size",
                domain: "long",
                ty: ArgType::Long,
                reserved: false,
            },
            FieldInfo {
                name: "prefetch-count",
                ident: "prefetch_count",
                domain: "short",
                ty: ArgType::Short,
                reserved: false,
            },
            FieldInfo {
                name: "global",
                ident: "global",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 60,
        method_id: 11,
        class_name: "basic",
        method_name: "qos-ok",
        full_name: "basic.qos-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 60,
        method_id: 20,
        class_name: "basic",
        method_name: "consume",
        full_name: "basic.consume",
        synchronous: true,
        content: false,
        no_wait: true,
        responses: &["consume-ok"],
        reply_ids: &[21],
        fields: &[
            FieldInfo {
                name: "reserved-1",
                ident: "reserved_1",
                domain: "short",
                ty: ArgType::Short,
                reserved: true,
            },
            FieldInfo {
                name: "queue",
                ident: "queue",
                domain: "queue-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "consumer-tag",
                ident: "consumer_tag",
                domain: "consumer-tag",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "no-local",
                ident: "no_local",
                domain: "no-local",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "no-ack",
                ident: "no_ack",
                domain: "no-ack",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "exclusive",
                ident: "exclusive",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "no-wait",
                ident: "no_wait",
                domain: "no-wait",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "arguments",
                ident: "arguments",
                domain: "table",
                ty: ArgType::Table,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 60,
        method_id: 21,
        class_name: "basic",
        method_name: "consume-ok",
        full_name: "basic.consume-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[FieldInfo {
            name: "consumer-tag",
            ident: "consumer_tag",
            domain: "consumer-tag",
            ty: ArgType::ShortStr,
            reserved: false,
        }],
    },
    MethodInfo {
        class_id: 60,
        method_id: 30,
        class_name: "basic",
        method_name: "cancel",
        full_name: "basic.cancel",
        synchronous: true,
        content: false,
        no_wait: true,
        responses: &["cancel-ok"],
        reply_ids: &[31],
        fields: &[
            FieldInfo {
                name: "consumer-tag",
                ident: "consumer_tag",
                domain: "consumer-tag",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "no-wait",
                ident: "no_wait",
                domain: "no-wait",
                ty: ArgType::Bit,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 60,
        method_id: 31,
        class_name: "basic",
        method_name: "cancel-ok",
        full_name: "basic.cancel-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[FieldInfo {
            name: "consumer-tag",
            ident: "consumer_tag",
            domain: "consumer-tag",
            ty: ArgType::ShortStr,
            reserved: false,
        }],
    },
    MethodInfo {
        class_id: 60,
        method_id: 40,
        class_name: "basic",
        method_name: "publish",
        full_name: "basic.publish",
        synchronous: false,
        content: true,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[
            FieldInfo {
                name: "reserved-1",
                ident: "reserved_1",
                domain: "short",
                ty: ArgType::Short,
                reserved: true,
            },
            FieldInfo {
                name: "exchange",
                ident: "exchange",
                domain: "exchange-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "routing-key",
                ident: "routing_key",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "mandatory",
                ident: "mandatory",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "immediate",
                ident: "immediate",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 60,
        method_id: 50,
        class_name: "basic",
        method_name: "return",
        full_name: "basic.return",
        synchronous: false,
        content: true,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[
            FieldInfo {
                name: "reply-code",
                ident: "reply_code",
                domain: "reply-code",
                ty: ArgType::Short,
                reserved: false,
            },
            FieldInfo {
                name: "reply-text",
                ident: "reply_text",
                domain: "reply-text",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "exchange",
                ident: "exchange",
                domain: "exchange-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "routing-key",
                ident: "routing_key",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 60,
        method_id: 60,
        class_name: "basic",
        method_name: "deliver",
        full_name: "basic.deliver",
        synchronous: false,
        content: true,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[
            FieldInfo {
                name: "consumer-tag",
                ident: "consumer_tag",
                domain: "consumer-tag",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "delivery-tag",
                ident: "delivery_tag",
                domain: "delivery-tag",
                ty: ArgType::LongLong,
                reserved: false,
            },
            FieldInfo {
                name: "redelivered",
                ident: "redelivered",
                domain: "redelivered",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "exchange",
                ident: "exchange",
                domain: "exchange-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "routing-key",
                ident: "routing_key",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 60,
        method_id: 70,
        class_name: "basic",
        method_name: "get",
        full_name: "basic.get",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["get-ok", "get-empty"],
        reply_ids: &[71, 72],
        fields: &[
            FieldInfo {
                name: "reserved-1",
                ident: "reserved_1",
                domain: "short",
                ty: ArgType::Short,
                reserved: true,
            },
            FieldInfo {
                name: "queue",
                ident: "queue",
                domain: "queue-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "no-ack",
                ident: "no_ack",
                domain: "no-ack",
                ty: ArgType::Bit,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 60,
        method_id: 71,
        class_name: "basic",
        method_name: "get-ok",
        full_name: "basic.get-ok",
        synchronous: true,
        content: true,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[
            FieldInfo {
                name: "delivery-tag",
                ident: "delivery_tag",
                domain: "delivery-tag",
                ty: ArgType::LongLong,
                reserved: false,
            },
            FieldInfo {
                name: "redelivered",
                ident: "redelivered",
                domain: "redelivered",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "exchange",
                ident: "exchange",
                domain: "exchange-name",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "routing-key",
                ident: "routing_key",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "message-count",
                ident: "message_count",
                domain: "message-count",
                ty: ArgType::Long,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 60,
        method_id: 72,
        class_name: "basic",
        method_name: "get-empty",
        full_name: "basic.get-empty",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[FieldInfo {
            name: "reserved-1",
            ident: "reserved_1",
            domain: "shortstr",
            ty: ArgType::ShortStr,
            reserved: true,
        }],
    },
    MethodInfo {
        class_id: 60,
        method_id: 80,
        class_name: "basic",
        method_name: "ack",
        full_name: "basic.ack",
        synchronous: false,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[
            FieldInfo {
                name: "delivery-tag",
                ident: "delivery_tag",
                domain: "delivery-tag",
                ty: ArgType::LongLong,
                reserved: false,
            },
            FieldInfo {
                name: "multiple",
                ident: "multiple",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 60,
        method_id: 90,
        class_name: "basic",
        method_name: "reject",
        full_name: "basic.reject",
        synchronous: false,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[
            FieldInfo {
                name: "delivery-tag",
                ident: "delivery_tag",
                domain: "delivery-tag",
                ty: ArgType::LongLong,
                reserved: false,
            },
            FieldInfo {
                name: "requeue",
                ident: "requeue",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 60,
        method_id: 100,
        class_name: "basic",
        method_name: "recover-async",
        full_name: "basic.recover-async",
        synchronous: false,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[FieldInfo {
            name: "requeue",
            ident: "requeue",
            domain: "bit",
            ty: ArgType::Bit,
            reserved: false,
        }],
    },
    MethodInfo {
        class_id: 60,
        method_id: 110,
        class_name: "basic",
        method_name: "recover",
        full_name: "basic.recover",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["recover-ok"],
        reply_ids: &[111],
        fields: &[FieldInfo {
            name: "requeue",
            ident: "requeue",
            domain: "bit",
            ty: ArgType::Bit,
            reserved: false,
        }],
    },
    MethodInfo {
        class_id: 60,
        method_id: 111,
        class_name: "basic",
        method_name: "recover-ok",
        full_name: "basic.recover-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 60,
        method_id: 120,
        class_name: "basic",
        method_name: "nack",
        full_name: "basic.nack",
        synchronous: false,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[
            FieldInfo {
                name: "delivery-tag",
                ident: "delivery_tag",
                domain: "delivery-tag",
                ty: ArgType::LongLong,
                reserved: false,
            },
            FieldInfo {
                name: "multiple",
                ident: "multiple",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
            FieldInfo {
                name: "requeue",
                ident: "requeue",
                domain: "bit",
                ty: ArgType::Bit,
                reserved: false,
            },
        ],
    },
    MethodInfo {
        class_id: 90,
        method_id: 10,
        class_name: "tx",
        method_name: "select",
        full_name: "tx.select",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["select-ok"],
        reply_ids: &[11],
        fields: &[],
    },
    MethodInfo {
        class_id: 90,
        method_id: 11,
        class_name: "tx",
        method_name: "select-ok",
        full_name: "tx.select-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 90,
        method_id: 20,
        class_name: "tx",
        method_name: "commit",
        full_name: "tx.commit",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["commit-ok"],
        reply_ids: &[21],
        fields: &[],
    },
    MethodInfo {
        class_id: 90,
        method_id: 21,
        class_name: "tx",
        method_name: "commit-ok",
        full_name: "tx.commit-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 90,
        method_id: 30,
        class_name: "tx",
        method_name: "rollback",
        full_name: "tx.rollback",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &["rollback-ok"],
        reply_ids: &[31],
        fields: &[],
    },
    MethodInfo {
        class_id: 90,
        method_id: 31,
        class_name: "tx",
        method_name: "rollback-ok",
        full_name: "tx.rollback-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
    MethodInfo {
        class_id: 85,
        method_id: 10,
        class_name: "confirm",
        method_name: "select",
        full_name: "confirm.select",
        synchronous: true,
        content: false,
        no_wait: true,
        responses: &["select-ok"],
        reply_ids: &[11],
        fields: &[FieldInfo {
            name: "nowait",
            ident: "nowait",
            domain: "bit",
            ty: ArgType::Bit,
            reserved: false,
        }],
    },
    MethodInfo {
        class_id: 85,
        method_id: 11,
        class_name: "confirm",
        method_name: "select-ok",
        full_name: "confirm.select-ok",
        synchronous: true,
        content: false,
        no_wait: false,
        responses: &[],
        reply_ids: &[],
        fields: &[],
    },
];

/// The 0-9-1 errata applied to [`METHODS`]: each place where the full XML
/// (spec/amqp0-9-1.xml, errata applied) gives a method other `synchronous`
/// marks or responses than RabbitMQ's extended XML, in the order of the XML.
pub const ERRATA: &[Erratum] = &[
    Erratum { full_name: "channel.flow-ok", attribute: "synchronous", change: "synchronous: no in the extended XML, yes in the full XML (0-9-1 errata); it has no <response>: it is a reply, marked synchronous like every other reply (part of a synchronous exchange), and expects no reply itself" },
    Erratum { full_name: "basic.recover", attribute: "synchronous", change: "synchronous: no in the extended XML, yes in the full XML (0-9-1 errata)" },
    Erratum { full_name: "basic.recover", attribute: "responses", change: "responses: none in the extended XML, recover-ok in the full XML (0-9-1 errata)" },
];

/// Every class of the spec, in the order of the XML.
pub static CLASSES: &[ClassInfo] = &[
    ClassInfo {
        id: 10,
        name: "connection",
        properties: &[],
    },
    ClassInfo {
        id: 20,
        name: "channel",
        properties: &[],
    },
    ClassInfo {
        id: 40,
        name: "exchange",
        properties: &[],
    },
    ClassInfo {
        id: 50,
        name: "queue",
        properties: &[],
    },
    ClassInfo {
        id: 60,
        name: "basic",
        properties: &[
            FieldInfo {
                name: "content-type",
                ident: "content_type",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "content-encoding",
                ident: "content_encoding",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "headers",
                ident: "headers",
                domain: "table",
                ty: ArgType::Table,
                reserved: false,
            },
            FieldInfo {
                name: "delivery-mode",
                ident: "delivery_mode",
                domain: "octet",
                ty: ArgType::Octet,
                reserved: false,
            },
            FieldInfo {
                name: "priority",
                ident: "priority",
                domain: "octet",
                ty: ArgType::Octet,
                reserved: false,
            },
            FieldInfo {
                name: "correlation-id",
                ident: "correlation_id",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "reply-to",
                ident: "reply_to",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "expiration",
                ident: "expiration",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "message-id",
                ident: "message_id",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "timestamp",
                ident: "timestamp",
                domain: "timestamp",
                ty: ArgType::Timestamp,
                reserved: false,
            },
            FieldInfo {
                name: "type",
                ident: "message_type",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "user-id",
                ident: "user_id",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "app-id",
                ident: "app_id",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
            FieldInfo {
                name: "reserved",
                ident: "cluster_id",
                domain: "shortstr",
                ty: ArgType::ShortStr,
                reserved: false,
            },
        ],
    },
    ClassInfo {
        id: 90,
        name: "tx",
        properties: &[],
    },
    ClassInfo {
        id: 85,
        name: "confirm",
        properties: &[],
    },
];

/// Every constant of the spec, in the order of the XML.
pub static CONSTANTS: &[ConstantInfo] = &[
    ConstantInfo {
        name: "frame-method",
        value: 1,
        class: None,
    },
    ConstantInfo {
        name: "frame-header",
        value: 2,
        class: None,
    },
    ConstantInfo {
        name: "frame-body",
        value: 3,
        class: None,
    },
    ConstantInfo {
        name: "frame-heartbeat",
        value: 8,
        class: None,
    },
    ConstantInfo {
        name: "frame-min-size",
        value: 4096,
        class: None,
    },
    ConstantInfo {
        name: "frame-end",
        value: 206,
        class: None,
    },
    ConstantInfo {
        name: "reply-success",
        value: 200,
        class: None,
    },
    ConstantInfo {
        name: "content-too-large",
        value: 311,
        class: Some("soft-error"),
    },
    ConstantInfo {
        name: "no-consumers",
        value: 313,
        class: Some("soft-error"),
    },
    ConstantInfo {
        name: "connection-forced",
        value: 320,
        class: Some("hard-error"),
    },
    ConstantInfo {
        name: "invalid-path",
        value: 402,
        class: Some("hard-error"),
    },
    ConstantInfo {
        name: "access-refused",
        value: 403,
        class: Some("soft-error"),
    },
    ConstantInfo {
        name: "not-found",
        value: 404,
        class: Some("soft-error"),
    },
    ConstantInfo {
        name: "resource-locked",
        value: 405,
        class: Some("soft-error"),
    },
    ConstantInfo {
        name: "precondition-failed",
        value: 406,
        class: Some("soft-error"),
    },
    ConstantInfo {
        name: "frame-error",
        value: 501,
        class: Some("hard-error"),
    },
    ConstantInfo {
        name: "syntax-error",
        value: 502,
        class: Some("hard-error"),
    },
    ConstantInfo {
        name: "command-invalid",
        value: 503,
        class: Some("hard-error"),
    },
    ConstantInfo {
        name: "channel-error",
        value: 504,
        class: Some("hard-error"),
    },
    ConstantInfo {
        name: "unexpected-frame",
        value: 505,
        class: Some("hard-error"),
    },
    ConstantInfo {
        name: "resource-error",
        value: 506,
        class: Some("hard-error"),
    },
    ConstantInfo {
        name: "not-allowed",
        value: 530,
        class: Some("hard-error"),
    },
    ConstantInfo {
        name: "not-implemented",
        value: 540,
        class: Some("hard-error"),
    },
    ConstantInfo {
        name: "internal-error",
        value: 541,
        class: Some("hard-error"),
    },
];

impl crate::ReplyCode {
    /// `reply-success` (200).
    pub const REPLY_SUCCESS: crate::ReplyCode = crate::ReplyCode(200);
    /// `content-too-large` (311), a soft error: closes the channel.
    pub const CONTENT_TOO_LARGE: crate::ReplyCode = crate::ReplyCode(311);
    /// `no-consumers` (313), a soft error: closes the channel.
    pub const NO_CONSUMERS: crate::ReplyCode = crate::ReplyCode(313);
    /// `connection-forced` (320), a hard error: closes the connection.
    pub const CONNECTION_FORCED: crate::ReplyCode = crate::ReplyCode(320);
    /// `invalid-path` (402), a hard error: closes the connection.
    pub const INVALID_PATH: crate::ReplyCode = crate::ReplyCode(402);
    /// `access-refused` (403), a soft error: closes the channel.
    pub const ACCESS_REFUSED: crate::ReplyCode = crate::ReplyCode(403);
    /// `not-found` (404), a soft error: closes the channel.
    pub const NOT_FOUND: crate::ReplyCode = crate::ReplyCode(404);
    /// `resource-locked` (405), a soft error: closes the channel.
    pub const RESOURCE_LOCKED: crate::ReplyCode = crate::ReplyCode(405);
    /// `precondition-failed` (406), a soft error: closes the channel.
    pub const PRECONDITION_FAILED: crate::ReplyCode = crate::ReplyCode(406);
    /// `frame-error` (501), a hard error: closes the connection.
    pub const FRAME_ERROR: crate::ReplyCode = crate::ReplyCode(501);
    /// `syntax-error` (502), a hard error: closes the connection.
    pub const SYNTAX_ERROR: crate::ReplyCode = crate::ReplyCode(502);
    /// `command-invalid` (503), a hard error: closes the connection.
    pub const COMMAND_INVALID: crate::ReplyCode = crate::ReplyCode(503);
    /// `channel-error` (504), a hard error: closes the connection.
    pub const CHANNEL_ERROR: crate::ReplyCode = crate::ReplyCode(504);
    /// `unexpected-frame` (505), a hard error: closes the connection.
    pub const UNEXPECTED_FRAME: crate::ReplyCode = crate::ReplyCode(505);
    /// `resource-error` (506), a hard error: closes the connection.
    pub const RESOURCE_ERROR: crate::ReplyCode = crate::ReplyCode(506);
    /// `not-allowed` (530), a hard error: closes the connection.
    pub const NOT_ALLOWED: crate::ReplyCode = crate::ReplyCode(530);
    /// `not-implemented` (540), a hard error: closes the connection.
    pub const NOT_IMPLEMENTED: crate::ReplyCode = crate::ReplyCode(540);
    /// `internal-error` (541), a hard error: closes the connection.
    pub const INTERNAL_ERROR: crate::ReplyCode = crate::ReplyCode(541);

    /// The spec name in upper case (`NOT_FOUND`), when the code is defined.
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            200 => "REPLY_SUCCESS",
            311 => "CONTENT_TOO_LARGE",
            313 => "NO_CONSUMERS",
            320 => "CONNECTION_FORCED",
            402 => "INVALID_PATH",
            403 => "ACCESS_REFUSED",
            404 => "NOT_FOUND",
            405 => "RESOURCE_LOCKED",
            406 => "PRECONDITION_FAILED",
            501 => "FRAME_ERROR",
            502 => "SYNTAX_ERROR",
            503 => "COMMAND_INVALID",
            504 => "CHANNEL_ERROR",
            505 => "UNEXPECTED_FRAME",
            506 => "RESOURCE_ERROR",
            530 => "NOT_ALLOWED",
            540 => "NOT_IMPLEMENTED",
            541 => "INTERNAL_ERROR",
            _ => return None,
        })
    }

    /// Whether the spec classes the code as a hard (connection) error.
    pub fn is_hard_error(self) -> bool {
        matches!(
            self.0,
            320 | 402 | 501 | 502 | 503 | 504 | 505 | 506 | 530 | 540 | 541
        )
    }

    /// Whether the spec classes the code as a soft (channel) error.
    pub fn is_soft_error(self) -> bool {
        matches!(self.0, 311 | 313 | 403 | 404 | 405 | 406)
    }
}
