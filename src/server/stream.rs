//! Answers that stream: the job writes its answer with `std::io::Write` on its own thread, in
//! chunks handed to the connection through a small bounded channel, so an answer is never held
//! whole in memory and a client that stops reading stops the writer. Every answer of a check or
//! fix also carries its request's reservation of the budget until it has been sent.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::sync::mpsc;

use super::limits::Reservation;

/// Chunks written at once; with `DEPTH` of them in the channel, at most 256 KiB of an answer
/// wait for the client.
const CHUNK: usize = 64 << 10;
const DEPTH: usize = 4;

/// A body that holds a reservation of the budget until it is sent or dropped.
pub(super) struct Guarded {
    inner: axum::body::Body,
    _reservation: Reservation,
}

impl Guarded {
    pub(super) fn new(inner: axum::body::Body, reservation: Reservation) -> Self {
        Guarded {
            inner,
            _reservation: reservation,
        }
    }
}

impl Body for Guarded {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// The receiving end: the answer's body.
pub(super) struct Streamed {
    rx: mpsc::Receiver<Bytes>,
}

impl Body for Streamed {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        self.rx
            .poll_recv(cx)
            .map(|chunk| chunk.map(|b| Ok(Frame::data(b))))
    }
}

/// The writing end, used on a blocking thread: it waits while the client is slow, and fails
/// (broken pipe) once the client is gone, which ends the job.
pub(super) struct Writer {
    tx: mpsc::Sender<Bytes>,
    buf: Vec<u8>,
}

pub(super) fn channel() -> (Writer, Streamed) {
    let (tx, rx) = mpsc::channel(DEPTH);
    (
        Writer {
            tx,
            buf: Vec::with_capacity(CHUNK),
        },
        Streamed { rx },
    )
}

impl Writer {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(chunk)
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl std::io::Write for Writer {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let room = CHUNK - self.buf.len();
        let n = data.len().min(room);
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.send();
    }
}
