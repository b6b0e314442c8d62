//! The bodies of the fuzz targets (`fuzz/fuzz_targets/*`), kept here so that
//! ordinary tests replay the fuzz corpus through exactly the same code on
//! stable Rust. Each function panics when it finds a bug: that is how a
//! fuzzer learns of one.

use bytes::BytesMut;

use crate::{Frame, FrameDecoder, ProtocolHeader, FRAME_OVERHEAD};

/// Streaming decode of arbitrary bytes. The first two bytes choose the
/// `frame_max` and how the rest is cut into reads; the rest is the stream.
/// Checks that decoding never panics, that `Ok(None)` consumes nothing, that
/// no frame exceeds the limit, and that each raw frame re-encodes to exactly
/// the bytes it was decoded from.
pub fn frame_stream(data: &[u8]) {
    let (Some(&limit), Some(&step)) = (data.first(), data.get(1)) else {
        return;
    };
    let data = &data[2..];
    // 0 = no limit; otherwise between 8 and a few KiB.
    let max = if limit == 0 { 0 } else { u32::from(limit) * 16 };
    let step = usize::from(step).max(1);
    let mut decoder = FrameDecoder::new(max);
    let mut buf = BytesMut::new();
    let mut fed = 0;
    let mut consumed = 0;
    if ProtocolHeader::starts(data) {
        buf.extend_from_slice(&data[..data.len().min(8)]);
        fed = buf.len();
        match ProtocolHeader::decode(&mut buf) {
            Ok(Some(_)) => {
                decoder.skip(8);
                consumed = 8;
            }
            Ok(None) => return,
            Err(_) => return,
        }
    }
    loop {
        let before = buf.len();
        match decoder.decode(&mut buf) {
            Ok(Some(raw)) => {
                let len = raw.payload.len() + FRAME_OVERHEAD;
                assert_eq!(before - buf.len(), len, "consumed exactly one frame");
                if max != 0 {
                    assert!(len <= max as usize, "frame over the limit was accepted");
                }
                let mut again = BytesMut::new();
                raw.encode(&mut again);
                assert_eq!(
                    &again[..],
                    &data[consumed..consumed + len],
                    "raw frame re-encodes exactly"
                );
                consumed += len;
                assert_eq!(decoder.position() as usize, consumed);
                if let Ok(frame) = Frame::from_raw(raw) {
                    check_frame_round_trip(&frame);
                }
            }
            Ok(None) => {
                assert_eq!(buf.len(), before, "Ok(None) consumed nothing");
                if fed == data.len() {
                    return;
                }
                let next = (fed + step).min(data.len());
                buf.extend_from_slice(&data[fed..next]);
                fed = next;
            }
            Err(_) => return,
        }
    }
}

/// Decode → encode → decode: for every frame that decodes, encoding it and
/// decoding the result gives the same frame, and encoding is stable.
pub fn round_trip(data: &[u8]) {
    let mut decoder = FrameDecoder::new(0);
    let mut buf = BytesMut::from(data);
    while let Ok(Some(raw)) = decoder.decode(&mut buf) {
        if let Ok(frame) = Frame::from_raw(raw) {
            check_frame_round_trip(&frame);
        }
    }
}

/// Asserts `decode(encode(frame)) == frame` and that the encoding has the
/// announced length and survives a second round unchanged.
pub fn check_frame_round_trip(frame: &Frame) {
    let mut first = BytesMut::new();
    frame.encode(&mut first);
    assert_eq!(
        first.len(),
        frame.encoded_len(),
        "encoded_len matches encode"
    );
    let wire = first.clone().freeze();
    let mut decoder = FrameDecoder::new(0);
    let again = decoder
        .decode_frame(&mut first)
        .expect("our own encoding decodes")
        .expect("our own encoding is a whole frame");
    assert!(first.is_empty(), "one frame, nothing left");
    assert_eq!(&again, frame, "decode(encode(x)) == x");
    let mut second = BytesMut::new();
    again.encode(&mut second);
    assert_eq!(&second[..], &wire[..], "encoding is stable");
}
