//! A consumer's queue of deliveries: bounded, filled by the driver under
//! the connection's lock, emptied by the consumer's handle.
//!
//! Unlike a channel, a push does not wake the consumer: it hands back the
//! consumer's waker, and the driver wakes it once it has handed out every
//! delivery of one read. So one wake-up moves a batch; on the multi-thread
//! runtime, where the reader and the consumer run on different threads,
//! each wake-up is a system call.

use std::collections::VecDeque;
use std::future::poll_fn;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crate::proto::Delivery;

use super::shared::lock;

struct State {
    items: VecDeque<Delivery>,
    capacity: usize,
    /// The consumer, waiting for a delivery.
    rx_waker: Option<Waker>,
    /// The reader, waiting for room.
    room_waker: Option<Waker>,
    /// The driver's end is gone: the queue ends once drained.
    tx_closed: bool,
    /// The consumer's end is gone: pushes fail.
    rx_closed: bool,
}

type Queue = Arc<Mutex<State>>;

/// A new queue holding at most `capacity` deliveries (at least one).
pub(crate) fn queue(capacity: usize) -> (QueueTx, QueueRx) {
    let state = Arc::new(Mutex::new(State {
        items: VecDeque::new(),
        capacity: capacity.max(1),
        rx_waker: None,
        room_waker: None,
        tx_closed: false,
        rx_closed: false,
    }));
    (QueueTx(state.clone()), QueueRx(state))
}

/// Why a push did not queue the delivery (which comes back).
pub(crate) enum PushError {
    Full(Delivery),
    Closed(Delivery),
}

/// The driver's end.
pub(crate) struct QueueTx(Queue);

impl QueueTx {
    /// Queues `d` without waking the consumer: a waker that must be woken
    /// (once the batch is queued) comes back.
    // The refused delivery comes back by value, as from a channel's
    // `try_send`: boxing it would allocate on the hot path for the rare case.
    #[allow(clippy::result_large_err)]
    pub(crate) fn try_push(&self, d: Delivery) -> Result<Option<Waker>, PushError> {
        let mut state = lock(&self.0);
        if state.rx_closed {
            return Err(PushError::Closed(d));
        }
        if state.items.len() >= state.capacity {
            return Err(PushError::Full(d));
        }
        state.items.push_back(d);
        Ok(state.rx_waker.take())
    }

    /// A handle to wait for room with (it does not keep the queue open).
    pub(crate) fn room(&self) -> Room {
        Room(self.0.clone())
    }
}

/// The consumer sees the end once it has drained the queue.
impl Drop for QueueTx {
    fn drop(&mut self) {
        let waker = {
            let mut state = lock(&self.0);
            state.tx_closed = true;
            state.rx_waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

/// Waits until a queue has room (or its consumer is gone).
pub(crate) struct Room(Queue);

impl Room {
    pub(crate) async fn wait(&self) {
        poll_fn(|cx| {
            let mut state = lock(&self.0);
            if state.rx_closed || state.items.len() < state.capacity {
                return Poll::Ready(());
            }
            state.room_waker = Some(cx.waker().clone());
            Poll::Pending
        })
        .await
    }
}

/// The consumer's end.
pub(crate) struct QueueRx(Queue);

impl QueueRx {
    /// The next delivery; `None` once the driver's end is gone and the queue drained.
    pub(crate) fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Delivery>> {
        let (item, room) = {
            let mut state = lock(&self.0);
            match state.items.pop_front() {
                Some(d) => {
                    let was_full = state.items.len() + 1 >= state.capacity;
                    (Some(d), was_full.then(|| state.room_waker.take()).flatten())
                }
                None if state.tx_closed => return Poll::Ready(None),
                None => {
                    match &mut state.rx_waker {
                        Some(w) => w.clone_from(cx.waker()),
                        slot => *slot = Some(cx.waker().clone()),
                    }
                    return Poll::Pending;
                }
            }
        };
        if let Some(w) = room {
            w.wake();
        }
        Poll::Ready(item)
    }

    /// As [`poll_recv`](Self::poll_recv), waiting.
    pub(crate) async fn recv(&mut self) -> Option<Delivery> {
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// A delivery if one is queued.
    pub(crate) fn try_recv(&mut self) -> Option<Delivery> {
        match self.poll_recv(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(d) => d,
            Poll::Pending => {
                lock(&self.0).rx_waker = None;
                None
            }
        }
    }

    /// Ready once `n` deliveries are queued (or the queue holds all it can,
    /// or the driver's end is gone), taking none; else the consumer's waker
    /// is the one the next push hands back.
    #[cfg(feature = "testing")]
    pub(crate) fn poll_holds(&mut self, n: usize, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = lock(&self.0);
        if state.items.len() >= n.min(state.capacity) || state.tx_closed {
            return Poll::Ready(());
        }
        state.rx_waker = Some(cx.waker().clone());
        Poll::Pending
    }

    /// Deliveries queued now.
    pub(crate) fn len(&self) -> usize {
        lock(&self.0).items.len()
    }

    /// Refuses further pushes; what is queued can still be taken.
    pub(crate) fn close(&mut self) {
        let room = {
            let mut state = lock(&self.0);
            state.rx_closed = true;
            state.room_waker.take()
        };
        if let Some(w) = room {
            w.wake();
        }
    }
}

impl Drop for QueueRx {
    fn drop(&mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::ShortStr;
    use std::future::Future;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn delivery(tag: u64) -> Delivery {
        Delivery {
            channel: 1,
            consumer_tag: ShortStr::from_static("ctag"),
            delivery_tag: tag,
            redelivered: false,
            exchange: ShortStr::from_static(""),
            routing_key: ShortStr::from_static("q"),
            properties: Default::default(),
            body: bytes::Bytes::from_static(b"x"),
        }
    }

    #[test]
    fn a_batch_of_pushes_hands_back_the_consumers_waker_once() {
        let (tx, mut rx) = queue(8);
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        assert!(rx.poll_recv(&mut Context::from_waker(&waker)).is_pending());
        let wakers: Vec<_> = (1..=5)
            .map(|tag| tx.try_push(delivery(tag)).ok().flatten())
            .collect();
        assert_eq!(wakers.iter().filter(|w| w.is_some()).count(), 1);
        assert_eq!(count.0.load(Ordering::SeqCst), 0, "no push woke it");
        let tags: Vec<_> = std::iter::from_fn(|| rx.try_recv())
            .map(|d| d.delivery_tag)
            .collect();
        assert_eq!(tags, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn a_full_queue_refuses_and_taking_one_wakes_the_waiting_reader() {
        let (tx, mut rx) = queue(2);
        assert!(tx.try_push(delivery(1)).is_ok());
        assert!(tx.try_push(delivery(2)).is_ok());
        assert!(matches!(tx.try_push(delivery(3)), Err(PushError::Full(_))));
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        let room = tx.room();
        let mut wait = Box::pin(room.wait());
        assert!(wait
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_pending());
        assert_eq!(rx.try_recv().map(|d| d.delivery_tag), Some(1));
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert!(wait
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_ready());
    }

    #[test]
    fn the_queue_ends_after_its_deliveries_once_the_driver_lets_go() {
        let (tx, mut rx) = queue(4);
        assert!(tx.try_push(delivery(7)).is_ok());
        drop(tx);
        let waker = Waker::noop();
        let mut cx = Context::from_waker(waker);
        assert!(matches!(rx.poll_recv(&mut cx), Poll::Ready(Some(d)) if d.delivery_tag == 7));
        assert!(matches!(rx.poll_recv(&mut cx), Poll::Ready(None)));
    }

    #[cfg(feature = "testing")]
    #[test]
    fn a_wait_for_queued_deliveries_is_woken_by_the_pushes_and_takes_none() {
        let (tx, mut rx) = queue(3);
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        let mut cx = Context::from_waker(&waker);
        assert!(rx.poll_holds(3, &mut cx).is_pending());
        for tag in 1..=2 {
            if let Some(w) = tx.try_push(delivery(tag)).ok().flatten() {
                w.wake();
            }
            assert!(rx.poll_holds(3, &mut cx).is_pending(), "{tag} of 3");
        }
        if let Some(w) = tx.try_push(delivery(3)).ok().flatten() {
            w.wake();
        }
        assert_eq!(count.0.load(Ordering::SeqCst), 3, "each push woke it");
        assert!(rx.poll_holds(3, &mut cx).is_ready());
        assert!(
            rx.poll_holds(10, &mut cx).is_ready(),
            "full is all it can hold"
        );
        assert_eq!(rx.len(), 3, "it took none");
    }

    #[test]
    fn pushes_fail_once_the_consumer_is_gone() {
        let (tx, rx) = queue(4);
        drop(rx);
        assert!(matches!(
            tx.try_push(delivery(1)),
            Err(PushError::Closed(_))
        ));
    }
}
