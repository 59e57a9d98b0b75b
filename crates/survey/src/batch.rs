//! Items made on one thread and taken on another, sent in batches so that the channel costs
//! little per item.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Items are sent in batches of this many.
pub const BATCH: usize = 1024;

/// The sending side: collects items and sends full batches.
pub struct BatchSender<T> {
    tx: SyncSender<Vec<T>>,
    batch: Vec<T>,
}

/// The receiving side: hands out items one at a time, in the order they were pushed.
pub struct Batched<T> {
    rx: Receiver<Vec<T>>,
    batch: std::vec::IntoIter<T>,
}

/// A channel holding at most `batches` full batches in flight.
pub fn channel<T>(batches: usize) -> (BatchSender<T>, Batched<T>) {
    let (tx, rx) = sync_channel(batches);
    (
        BatchSender {
            tx,
            batch: Vec::with_capacity(BATCH),
        },
        Batched {
            rx,
            batch: Vec::new().into_iter(),
        },
    )
}

impl<T> BatchSender<T> {
    /// Adds an item; false when the receiving side is gone (the sender should stop).
    pub fn push(&mut self, item: T) -> bool {
        self.batch.push(item);
        if self.batch.len() >= BATCH {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            return self.tx.send(full).is_ok();
        }
        true
    }

    /// Sends what is left.
    pub fn finish(self) {
        if !self.batch.is_empty() {
            let _ = self.tx.send(self.batch);
        }
    }
}

impl<T> Iterator for Batched<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        loop {
            if let Some(item) = self.batch.next() {
                return Some(item);
            }
            self.batch = self.rx.recv().ok()?.into_iter();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn items_arrive_in_order_across_batches() {
        let (mut tx, rx) = super::channel(2);
        let t = std::thread::spawn(move || {
            for i in 0..5000 {
                assert!(tx.push(i));
            }
            tx.finish();
        });
        let got: Vec<i32> = rx.collect();
        t.join().expect("sender");
        assert_eq!(got, (0..5000).collect::<Vec<_>>());
    }
}
