//! Property tests: every frame, method, property set and field value
//! survives encode → decode; valid bytes survive decode → encode; arbitrary
//! bytes never panic the decoder.

use amqp091_codec::fuzzing;
use amqp091_codec::strategies;
use amqp091_codec::{BasicProperties, ContentHeader, FieldTable, Frame, FrameDecoder, Method};
use bytes::{Bytes, BytesMut};
use proptest::collection::vec;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn frames_round_trip(frame in strategies::frame()) {
        fuzzing::check_frame_round_trip(&frame);
    }

    #[test]
    fn methods_round_trip(method in strategies::method()) {
        let mut buf = BytesMut::new();
        method.encode(&mut buf);
        prop_assert_eq!(buf.len(), method.encoded_len());
        let back = Method::decode(buf.freeze()).unwrap();
        prop_assert_eq!(back, method);
    }

    #[test]
    fn content_headers_round_trip(header in strategies::content_header()) {
        let mut buf = BytesMut::new();
        header.encode(&mut buf);
        prop_assert_eq!(buf.len(), header.encoded_len());
        prop_assert_eq!(ContentHeader::decode(buf.freeze()).unwrap(), header);
    }

    #[test]
    fn properties_round_trip(props in strategies::basic_properties()) {
        let header = ContentHeader::basic(0, props.clone());
        let mut buf = BytesMut::new();
        header.encode(&mut buf);
        let back: BasicProperties = ContentHeader::decode(buf.freeze()).unwrap().properties.into_inner();
        prop_assert_eq!(back, props);
    }

    #[test]
    fn field_tables_round_trip_byte_exact(table in strategies::field_table()) {
        // As the arguments of queue.declare, the simplest carrier of a table.
        let m = Method::QueueDeclare(amqp091_codec::method::QueueDeclare {
            arguments: table.clone(),
            ..Default::default()
        });
        let mut buf = BytesMut::new();
        m.encode(&mut buf);
        let wire = buf.freeze();
        let Method::QueueDeclare(back) = Method::decode(wire.clone()).unwrap() else {
            panic!("not queue.declare")
        };
        prop_assert_eq!(&back.arguments, &table);
        let mut again = BytesMut::new();
        Method::QueueDeclare(back).encode(&mut again);
        prop_assert_eq!(again.freeze(), wire);
    }

    /// Valid input (a stream of correct frames), cut into arbitrary reads:
    /// the streaming decoder yields exactly those frames, and re-encoding
    /// them yields exactly the input bytes.
    #[test]
    fn valid_streams_decode_then_encode_byte_exact(
        frames in vec(strategies::frame(), 1..8),
        cuts in vec(1usize..64, 1..32),
    ) {
        let mut wire = BytesMut::new();
        for f in &frames {
            f.encode(&mut wire);
        }
        let wire = wire.freeze();
        let mut decoder = FrameDecoder::new(0);
        let mut buf = BytesMut::new();
        let mut fed = 0;
        let mut cut = cuts.iter().cycle();
        let mut got: Vec<Frame> = Vec::new();
        loop {
            match decoder.decode_frame(&mut buf).unwrap() {
                Some(f) => got.push(f),
                None if fed == wire.len() => break,
                None => {
                    let next = (fed + cut.next().copied().unwrap_or(1)).min(wire.len());
                    buf.extend_from_slice(&wire[fed..next]);
                    fed = next;
                }
            }
        }
        prop_assert_eq!(&got, &frames);
        let mut again = BytesMut::new();
        for f in &got {
            f.encode(&mut again);
        }
        prop_assert_eq!(again.freeze(), wire);
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in vec(any::<u8>(), 0..2048)) {
        fuzzing::frame_stream(&data);
        fuzzing::round_trip(&data);
        let _ = Method::decode(Bytes::from(data.clone()));
        let _ = ContentHeader::decode(Bytes::from(data));
    }

    /// Mutating one byte of a valid frame gives either a clean error or a
    /// frame that round-trips; never a panic.
    #[test]
    fn mutated_frames_never_panic(frame in strategies::frame(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut wire = BytesMut::new();
        frame.encode(&mut wire);
        let i = at.index(wire.len());
        wire[i] = byte;
        let mut data = vec![0u8, 1];
        data.extend_from_slice(&wire);
        fuzzing::frame_stream(&data);
        fuzzing::round_trip(&wire);
    }
}

#[test]
fn empty_table_is_four_zero_bytes() {
    let mut buf = BytesMut::new();
    FieldTable::new().encode(&mut buf);
    assert_eq!(&buf[..], &[0, 0, 0, 0]);
}

#[test]
fn zero_copy_content_writes_the_same_bytes_and_slices_the_body() {
    use amqp091_codec::{encode_content, encode_content_zero_copy, BasicProperties};
    use bytes::{Bytes, BytesMut};
    let props = BasicProperties::default().with_delivery_mode(2);
    for (size, frame_max) in [
        (0, 4096),
        (1, 4096),
        (4088, 4096),
        (4089, 4096),
        (100_000, 4096),
        (70_000, 0),
    ] {
        let body = Bytes::from((0..size).map(|i| (i % 251) as u8).collect::<Vec<u8>>());
        let mut copied = BytesMut::new();
        encode_content(&mut copied, 3, &props, &body, frame_max);
        let mut parts: Vec<Bytes> = Vec::new();
        let mut buf = BytesMut::new();
        encode_content_zero_copy(&mut buf, 3, &props, &body, frame_max, |buf, slice| {
            parts.push(buf.split().freeze());
            // A slice of the body itself, not a copy.
            let at = slice.as_ptr() as usize - body.as_ptr() as usize;
            assert!(at + slice.len() <= body.len());
            parts.push(slice);
        });
        parts.push(buf.freeze());
        let joined: Vec<u8> = parts.iter().flat_map(|p| p.iter().copied()).collect();
        assert_eq!(joined, &copied[..], "size {size}, frame_max {frame_max}");
    }
}
