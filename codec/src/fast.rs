//! The fast path of [`FrameDecoder::decode_frame`] for the frames of a
//! delivery: a `basic.deliver` method frame, a content header without
//! properties, a body frame.
//!
//! It gives the same [`Frame`] the general path gives, with less work: the
//! frame is checked and built in one function (no `RawFrame` and nested
//! `Result`s moved between layers), the fields of `basic.deliver` are read at
//! offsets computed once, a header without properties is read in place
//! (no `Bytes` handle taken and dropped), and the routing key takes over the
//! method frame's handle instead of counting one more reference. Anything
//! else, and any frame that is short, too large, badly ended or malformed,
//! returns `None` before anything is consumed, and the general path decides
//! (with its error messages).

use bytes::{Buf, BytesMut};

use crate::content::ContentHeader;
use crate::frame::{Frame, FrameDecoder, FrameType, FRAME_END, FRAME_OVERHEAD};
use crate::method::{BasicDeliver, Method};
use crate::properties::Properties;
use crate::types::ShortStr;

/// Size of a `basic` content header payload with no property flag set.
const EMPTY_HEADER_LEN: usize = ContentHeader::BASIC_FIXED_LEN + 2;

impl FrameDecoder {
    /// One frame of a delivery off the front of `buf`, or `None` (nothing
    /// consumed) when the general path must decide.
    #[inline]
    pub(crate) fn decode_fast(&mut self, buf: &mut BytesMut) -> Option<Frame> {
        let &[frame_type, c0, c1, s0, s1, s2, s3] = buf.get(..7)? else {
            return None;
        };
        let size = u32::from_be_bytes([s0, s1, s2, s3]) as usize;
        let total = size.checked_add(FRAME_OVERHEAD)?;
        let max = self.max_frame_size() as usize;
        if (max != 0 && total > max) || *buf.get(total - 1)? != FRAME_END {
            return None;
        }
        let channel = u16::from_be_bytes([c0, c1]);
        let frame = match FrameType(frame_type) {
            FrameType::BODY => {
                let mut frame = buf.split_to(total);
                frame.advance(7);
                frame.truncate(size);
                Frame::Body {
                    channel,
                    payload: frame.freeze(),
                }
            }
            FrameType::HEADER => {
                let p = buf.get(7..7 + size)?;
                if size != EMPTY_HEADER_LEN || p[12..14] != [0, 0] {
                    return None;
                }
                let header = ContentHeader {
                    class_id: u16::from_be_bytes([p[0], p[1]]),
                    weight: u16::from_be_bytes([p[2], p[3]]),
                    body_size: u64::from_be_bytes(p[4..12].try_into().ok()?),
                    properties: Properties::default(),
                };
                buf.advance(total);
                Frame::Header { channel, header }
            }
            FrameType::METHOD => {
                let method = deliver(buf, size)?;
                Frame::Method { channel, method }
            }
            _ => return None,
        };
        self.skip(total);
        Some(frame)
    }
}

/// A `basic.deliver` frame of `size` payload bytes at the front of `buf`
/// (whose frame end is checked): taken off `buf`, or `None` (nothing
/// consumed) when it is another method or does not decode exactly.
#[inline]
fn deliver(buf: &mut BytesMut, size: usize) -> Option<Method> {
    let p = buf.get(7..7 + size)?;
    if p.get(..4)? != [0, 60, 0, 60] {
        return None;
    }
    // consumer-tag, delivery-tag, redelivered, exchange, routing-key.
    let tag_at = 5 + *p.get(4)? as usize;
    let exchange_at = tag_at + 9;
    let key_at = exchange_at + 1 + *p.get(exchange_at)? as usize;
    let end = key_at + 1 + *p.get(key_at)? as usize;
    if end != size {
        return None; // too short, or trailing bytes: the general path says which
    }
    let delivery_tag = u64::from_be_bytes(p[tag_at..tag_at + 8].try_into().ok()?);
    let redelivered = p[tag_at + 8] & 1 != 0;
    let mut frame = buf.split_to(7 + size + 1);
    frame.advance(7);
    frame.truncate(size);
    let mut payload = frame.freeze();
    let consumer_tag = ShortStr::from_bytes_unchecked(payload.slice(5..tag_at));
    let exchange = ShortStr::from_bytes_unchecked(payload.slice(exchange_at + 1..key_at));
    // The routing key keeps the frame's handle: one reference fewer to count.
    payload.advance(key_at + 1);
    let routing_key = ShortStr::from_bytes_unchecked(payload);
    Some(Method::BasicDeliver(BasicDeliver {
        consumer_tag,
        delivery_tag,
        redelivered,
        exchange,
        routing_key,
    }))
}

#[cfg(test)]
mod tests {
    use bytes::{BufMut, BytesMut};

    use crate::frame::{write_frame, Frame, FrameDecoder, FrameType};
    use crate::method::BasicProperties;
    use crate::{encode_content, encode_method};

    /// Decodes every frame of `wire` both ways: `decode_frame` (fast path
    /// first) and split-then-interpret; results, positions and leftovers agree.
    fn same_both_ways(wire: &[u8], max: u32) {
        let (mut a, mut b) = (BytesMut::from(wire), BytesMut::from(wire));
        let (mut da, mut db) = (FrameDecoder::new(max), FrameDecoder::new(max));
        loop {
            let fast = da.decode_frame(&mut a);
            let start = db.position();
            let general = db.decode(&mut b).and_then(|raw| match raw {
                None => Ok(None),
                Some(raw) => {
                    let (t, c) = (raw.frame_type.0, raw.channel);
                    Frame::from_raw(raw)
                        .map(Some)
                        .map_err(|e| e.in_frame(start + 7, t, c))
                }
            });
            assert_eq!(fast, general, "wire {wire:02x?}");
            assert_eq!(da.position(), db.position());
            assert_eq!(a, b);
            if !matches!(fast, Ok(Some(_))) {
                break;
            }
        }
    }

    fn deliver_payload(ct: usize, ex: usize, rk: usize, bits: u8) -> Vec<u8> {
        let mut p = vec![0, 60, 0, 60, ct as u8];
        p.extend(std::iter::repeat_n(b'c', ct));
        p.extend_from_slice(&42u64.to_be_bytes());
        p.push(bits);
        p.push(ex as u8);
        p.extend(std::iter::repeat_n(b'e', ex));
        p.push(rk as u8);
        p.extend(std::iter::repeat_n(b'r', rk));
        p
    }

    #[test]
    fn deliveries_decode_as_the_general_path_does() {
        for ct in [0, 1, 23, 24, 31, 255] {
            for ex in [0, 10, 255] {
                for rk in [0, 9, 30, 255] {
                    for bits in [0, 1, 0xfe, 0xff] {
                        let p = deliver_payload(ct, ex, rk, bits);
                        let mut wire = BytesMut::new();
                        write_frame(&mut wire, FrameType::METHOD, 3, &p);
                        encode_content(&mut wire, 3, &BasicProperties::default(), b"x", 0);
                        same_both_ways(&wire, 0);
                        // Every truncation of the stream, too.
                        for cut in 0..wire.len() {
                            same_both_ways(&wire[..cut], 0);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn malformed_frames_take_the_general_path() {
        let p = deliver_payload(31, 10, 9, 1);
        let mut cases: Vec<Vec<u8>> = Vec::new();
        // Trailing byte, missing byte, string lengths past the end.
        for payload in [
            [p.clone(), vec![0]].concat(),
            p[..p.len() - 1].to_vec(),
            {
                let mut q = p.clone();
                q[4] = 200;
                q
            },
            {
                let mut q = p.clone();
                let at = q.len() - 10;
                q[at] = 250;
                q
            },
            vec![0, 60, 0],
            vec![0, 60, 0, 60],
        ] {
            let mut wire = BytesMut::new();
            write_frame(&mut wire, FrameType::METHOD, 1, &payload);
            cases.push(wire.to_vec());
        }
        // A bad frame end; a header with a wrong size, with properties, with trailing bytes.
        let mut wire = BytesMut::new();
        write_frame(&mut wire, FrameType::METHOD, 1, &p);
        let last = wire.len() - 1;
        wire[last] = 0;
        cases.push(wire.to_vec());
        for header in [
            vec![0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0],
            vec![0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0],
            vec![0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0x10, 0, 2],
            vec![0, 50, 0, 1, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0],
        ] {
            let mut wire = BytesMut::new();
            write_frame(&mut wire, FrameType::HEADER, 1, &header);
            cases.push(wire.to_vec());
        }
        // Heartbeats, unknown types, other methods.
        let mut wire = BytesMut::new();
        write_frame(&mut wire, FrameType::HEARTBEAT, 0, &[]);
        write_frame(&mut wire, FrameType::HEARTBEAT, 0, &[1]);
        cases.push(wire.to_vec());
        let mut wire = BytesMut::new();
        write_frame(&mut wire, FrameType(9), 0, &[1, 2]);
        encode_method(&mut wire, 1, &crate::method::BasicAck::default());
        cases.push(wire.to_vec());
        for case in &cases {
            same_both_ways(case, 0);
        }
        // Larger than frame_max: refused by the general path.
        let mut wire = BytesMut::new();
        write_frame(&mut wire, FrameType::METHOD, 1, &p);
        wire.put_slice(&[3, 0, 1, 0, 0, 0x10, 0, 0]);
        same_both_ways(&wire, 64);
        same_both_ways(&wire, 4096);
    }
}

/// The size the fast path depends on: a `Frame` of more than 128 bytes is
/// moved with a `memcpy` call on every frame decoded (measured in issue 16;
/// the generator boxes the few methods that would make it larger).
#[cfg(test)]
mod size {
    use crate::frame::Frame;
    use crate::method::Method;

    #[test]
    fn a_frame_is_at_most_128_bytes_so_moving_it_needs_no_memcpy_call() {
        println!(
            "Frame {} bytes, Method {} bytes",
            std::mem::size_of::<Frame>(),
            std::mem::size_of::<Method>()
        );
        assert!(std::mem::size_of::<Frame>() <= 128);
    }
}
