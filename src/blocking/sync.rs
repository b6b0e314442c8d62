//! The few synchronisation pieces the blocking client is built from, on
//! `std::sync` alone: a one-shot result slot and a bounded queue. Both wake
//! a waiter only when one waits (a condition variable's notify is a system
//! call on Linux even when nobody waits).

use std::collections::VecDeque;
use std::sync::mpsc::{RecvTimeoutError, TryRecvError};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Locks a mutex whose holder may have panicked: the state it guards is
/// still the best there is, and stopping would hang every caller.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Waits on `cv`, ignoring poisoning as [`lock`] does.
pub(crate) fn wait<'a, T>(cv: &Condvar, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
    cv.wait(guard).unwrap_or_else(|e| e.into_inner())
}

/// Waits on `cv` until `deadline` at most.
pub(crate) fn wait_until<'a, T>(
    cv: &Condvar,
    guard: MutexGuard<'a, T>,
    deadline: Instant,
) -> MutexGuard<'a, T> {
    let left = deadline.saturating_duration_since(Instant::now());
    match cv.wait_timeout(guard, left) {
        Ok((g, _)) => g,
        Err(e) => e.into_inner().0,
    }
}

/// When a wait of `timeout` from now ends (`None`: too far to represent, so never).
pub(crate) fn deadline_after(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

struct SlotState<T> {
    value: Option<T>,
    waiting: bool,
}

/// A value set once by one thread and taken by another, who may wait for it.
pub(crate) struct Slot<T> {
    state: Mutex<SlotState<T>>,
    ready: Condvar,
}

impl<T> Slot<T> {
    pub(crate) fn new() -> Self {
        Slot {
            state: Mutex::new(SlotState {
                value: None,
                waiting: false,
            }),
            ready: Condvar::new(),
        }
    }

    /// Sets the value (the first one wins) and wakes the waiter.
    pub(crate) fn set(&self, value: T) {
        let mut state = lock(&self.state);
        if state.value.is_none() {
            state.value = Some(value);
        }
        let waiting = state.waiting;
        drop(state);
        if waiting {
            self.ready.notify_all();
        }
    }

    /// Takes the value, waiting until `deadline` at most (`None`: forever).
    pub(crate) fn take(&self, deadline: Option<Instant>) -> Option<T> {
        let mut state = lock(&self.state);
        loop {
            if let Some(v) = state.value.take() {
                return Some(v);
            }
            state.waiting = true;
            state = match deadline {
                None => wait(&self.ready, state),
                Some(t) if Instant::now() >= t => {
                    state.waiting = false;
                    return None;
                }
                Some(t) => wait_until(&self.ready, state, t),
            };
        }
    }

    /// Whether the value is there.
    pub(crate) fn is_set(&self) -> bool {
        lock(&self.state).value.is_some()
    }
}

/// What [`Queue::push`] did with an item.
pub(crate) enum Push<T> {
    /// Queued.
    Queued,
    /// The queue is full: the item comes back.
    Full(T),
    /// Nobody will take it (the receiver is gone): the item comes back.
    Gone(T),
}

struct QueueState<T> {
    items: VecDeque<T>,
    capacity: usize,
    /// No more items will come.
    ended: bool,
    /// Nobody takes items any more.
    receiver_gone: bool,
    waiting: usize,
}

/// A bounded queue from the connection's reader to one receiver (a
/// consumer, a returns collector): `push` never waits.
pub(crate) struct Queue<T> {
    state: Mutex<QueueState<T>>,
    ready: Condvar,
}

impl<T> Queue<T> {
    pub(crate) fn new(capacity: usize) -> Self {
        Queue {
            state: Mutex::new(QueueState {
                items: VecDeque::new(),
                capacity: capacity.max(1),
                ended: false,
                receiver_gone: false,
                waiting: 0,
            }),
            ready: Condvar::new(),
        }
    }

    /// Queues `item` if there is room, without waiting.
    pub(crate) fn push(&self, item: T) -> Push<T> {
        let mut state = lock(&self.state);
        if state.receiver_gone {
            return Push::Gone(item);
        }
        if state.items.len() >= state.capacity {
            return Push::Full(item);
        }
        state.items.push_back(item);
        let waiting = state.waiting > 0;
        drop(state);
        if waiting {
            self.ready.notify_one();
        }
        Push::Queued
    }

    /// No more items will come: the receiver sees the end once it has taken the rest.
    pub(crate) fn end(&self) {
        let mut state = lock(&self.state);
        state.ended = true;
        let waiting = state.waiting > 0;
        drop(state);
        if waiting {
            self.ready.notify_all();
        }
    }

    /// The receiver goes: what it did not take is returned, later pushes are refused.
    pub(crate) fn close_receiver(&self) -> VecDeque<T> {
        let mut state = lock(&self.state);
        state.receiver_gone = true;
        std::mem::take(&mut state.items)
    }

    /// The next item, waiting until `deadline` at most (`None`: forever).
    pub(crate) fn recv(&self, deadline: Option<Instant>) -> Result<T, RecvTimeoutError> {
        let mut state = lock(&self.state);
        loop {
            if let Some(item) = state.items.pop_front() {
                return Ok(item);
            }
            if state.ended {
                return Err(RecvTimeoutError::Disconnected);
            }
            if deadline.is_some_and(|t| Instant::now() >= t) {
                return Err(RecvTimeoutError::Timeout);
            }
            state.waiting += 1;
            state = match deadline {
                None => wait(&self.ready, state),
                Some(t) => wait_until(&self.ready, state, t),
            };
            state.waiting -= 1;
        }
    }

    /// The next item if one is there.
    pub(crate) fn try_recv(&self) -> Result<T, TryRecvError> {
        let mut state = lock(&self.state);
        match state.items.pop_front() {
            Some(item) => Ok(item),
            None if state.ended => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }

    /// Items waiting now.
    pub(crate) fn len(&self) -> usize {
        lock(&self.state).items.len()
    }

    /// Whether a push would be queued now (or refused as gone: not full).
    pub(crate) fn has_room(&self) -> bool {
        let state = lock(&self.state);
        state.receiver_gone || state.items.len() < state.capacity
    }
}
