//! What bounds the service's memory and connections: a budget of request bytes in flight, a
//! number of concurrent jobs, caps on the parts and files of one request, a connection cap and
//! timeouts. Each is a `serve` option; `Limits::default()` holds the documented defaults.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The limits of one server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest accepted request (body), in bytes.
    pub max_upload: usize,
    /// Bytes of requests held at once (bodies being received, checked or answered); a request
    /// that would exceed it gets 503 at once, before its body is read.
    pub max_inflight_bytes: u64,
    /// Checks and fixes running at once; the others wait (their bytes count in the budget).
    pub max_jobs: usize,
    /// LSU files in one request.
    pub max_files: usize,
    /// Multipart parts in one request (files and text fields together).
    pub max_parts: usize,
    /// Open connections; beyond, a new connection gets 503 and is closed.
    pub max_connections: usize,
    /// Time to receive a request's headers, from the connection's start or the previous answer
    /// (hence also how long an idle kept-alive connection stays open).
    pub header_timeout: Duration,
    /// Time without a byte received or sent while a request is received or answered.
    pub idle_timeout: Duration,
    /// Time to receive a whole request body.
    pub body_timeout: Duration,
}

/// Default limit on one request, uploads included: 64 MiB.
pub const DEFAULT_MAX_UPLOAD: usize = 64 << 20;
/// Default budget of bytes in flight: 256 MiB, four requests of the largest size.
pub const DEFAULT_MAX_INFLIGHT_BYTES: u64 = 256 << 20;
pub const DEFAULT_MAX_FILES: usize = 50;
pub const DEFAULT_MAX_PARTS: usize = 64;
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(300);
/// What a 503 answer's `Retry-After` says, in seconds.
pub const RETRY_AFTER_SECS: u64 = 5;

/// The default number of jobs: one per core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_upload: DEFAULT_MAX_UPLOAD,
            max_inflight_bytes: DEFAULT_MAX_INFLIGHT_BYTES,
            max_jobs: default_jobs(),
            max_files: DEFAULT_MAX_FILES,
            max_parts: DEFAULT_MAX_PARTS,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
        }
    }
}

/// The budget of bytes in flight, shared by every request of a server.
#[derive(Debug)]
pub struct Budget {
    limit: u64,
    used: AtomicU64,
    /// Set when the last bytes in flight are given back: memory may be returned to the system.
    emptied: std::sync::atomic::AtomicBool,
}

impl Budget {
    pub fn new(limit: u64) -> Arc<Self> {
        Arc::new(Budget {
            limit,
            used: AtomicU64::new(0),
            emptied: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Takes `n` bytes of the budget, or nothing when they do not fit.
    pub fn try_reserve(self: &Arc<Self>, n: u64) -> Option<Reservation> {
        let mut cur = self.used.load(Ordering::Relaxed);
        loop {
            let next = cur.checked_add(n).filter(|v| *v <= self.limit)?;
            match self
                .used
                .compare_exchange_weak(cur, next, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => {
                    return Some(Reservation {
                        budget: Arc::clone(self),
                        bytes: n,
                    })
                }
                Err(v) => cur = v,
            }
        }
    }

    pub fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// True once after the budget went back to zero and is still there: the service is idle.
    pub fn take_emptied(&self) -> bool {
        self.used() == 0 && self.emptied.swap(false, Ordering::AcqRel)
    }
}

/// Bytes taken from the budget, given back when dropped (with the answer's end).
#[derive(Debug)]
pub struct Reservation {
    budget: Arc<Budget>,
    bytes: u64,
}

impl Reservation {
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let before = self.budget.used.fetch_sub(self.bytes, Ordering::AcqRel);
        if before == self.bytes && self.bytes > 0 {
            self.budget.emptied.store(true, Ordering::Release);
        }
    }
}

/// A count that goes down when its guard is dropped (jobs waiting, connections open).
#[derive(Debug, Default)]
pub struct Gauge(AtomicUsize);

impl Gauge {
    pub fn enter(self: &Arc<Self>) -> GaugeGuard {
        self.0.fetch_add(1, Ordering::AcqRel);
        GaugeGuard(Arc::clone(self))
    }

    pub fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

#[derive(Debug)]
pub struct GaugeGuard(Arc<Gauge>);

impl Drop for GaugeGuard {
    fn drop(&mut self) {
        self.0 .0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests;
