//! The load scenarios of `bench/load.sh`, also run small by the test suite: many checks with a
//! fixed number in flight, a burst of large uploads, one request of many tiny files. Every loop
//! is bounded in count and time; traffic goes to the given loopback address only.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::client::{self, Part};

/// Statuses and latencies of a scenario.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Answers by status; 0 counts requests without an answer (connection error).
    pub statuses: BTreeMap<u16, usize>,
    pub latencies: Vec<Duration>,
    pub wall: Duration,
    /// First answer without status 200, for the report.
    pub first_failure: Option<String>,
}

impl Stats {
    pub fn count(&self, status: u16) -> usize {
        self.statuses.get(&status).copied().unwrap_or(0)
    }

    pub fn total(&self) -> usize {
        self.statuses.values().sum()
    }

    /// Latency at quantile `q` (0..=1) of the answered requests.
    pub fn quantile(&self, q: f64) -> Duration {
        let mut l = self.latencies.clone();
        l.sort();
        if l.is_empty() {
            return Duration::ZERO;
        }
        let i = ((l.len() - 1) as f64 * q).round() as usize;
        l[i.min(l.len() - 1)]
    }

    pub fn per_second(&self) -> f64 {
        let s = self.wall.as_secs_f64();
        if s > 0.0 {
            self.total() as f64 / s
        } else {
            0.0
        }
    }

    pub fn line(&self, label: &str) -> String {
        let n = self.total();
        format!(
            "{label} : {n} {} en {:.1} s ({:.1}/s), statuts {:?}, p50 {} ms, p99 {} ms",
            if n <= 1 { "requête" } else { "requêtes" },
            self.wall.as_secs_f64(),
            self.per_second(),
            self.statuses,
            self.quantile(0.5).as_millis(),
            self.quantile(0.99).as_millis(),
        )
    }
}

/// A check request's body: one LSU file and the date.
pub fn check_body(name: &str, lsu: &[u8]) -> Vec<u8> {
    client::multipart(&[
        Part::File("lsu".into(), name.into(), lsu.to_vec()),
        Part::Text("today".into(), "2026-01-15".into()),
    ])
}

fn one(addr: SocketAddr, body: &[u8], timeout: Duration) -> (u16, Duration, Option<String>) {
    let start = Instant::now();
    match client::send(
        addr,
        "POST",
        "/api/v1/check",
        Some(&client::content_type()),
        body,
        timeout,
    ) {
        Ok(r) => {
            let detail = (r.status != 200).then(|| {
                let t = r.text();
                format!("{} {}", r.status, t.chars().take(300).collect::<String>())
            });
            (r.status, start.elapsed(), detail)
        }
        Err(e) => (0, start.elapsed(), Some(format!("pas de réponse : {e}"))),
    }
}

/// `total` checks of `body`, `in_flight` at a time (each thread sends its share in turn).
pub fn checks(
    addr: SocketAddr,
    body: Arc<Vec<u8>>,
    total: usize,
    in_flight: usize,
    timeout: Duration,
) -> Stats {
    let next = Arc::new(AtomicUsize::new(0));
    let stats = Arc::new(Mutex::new(Stats::default()));
    let start = Instant::now();
    let threads: Vec<_> = (0..in_flight.max(1))
        .map(|_| {
            let (next, stats, body) = (Arc::clone(&next), Arc::clone(&stats), Arc::clone(&body));
            std::thread::spawn(move || {
                while next.fetch_add(1, Ordering::Relaxed) < total {
                    let (status, took, detail) = one(addr, &body, timeout);
                    let mut s = stats.lock().unwrap_or_else(|e| e.into_inner());
                    *s.statuses.entry(status).or_insert(0) += 1;
                    if status == 200 {
                        s.latencies.push(took);
                    }
                    if s.first_failure.is_none() {
                        s.first_failure = detail;
                    }
                }
            })
        })
        .collect();
    for t in threads {
        let _ = t.join();
    }
    let mut s = stats.lock().unwrap_or_else(|e| e.into_inner()).clone();
    s.wall = start.elapsed();
    s
}

/// `n` uploads of `body` sent at the same moment.
pub fn burst(addr: SocketAddr, body: Arc<Vec<u8>>, n: usize, timeout: Duration) -> Stats {
    let gate = Arc::new(std::sync::Barrier::new(n));
    let start = Instant::now();
    let threads: Vec<_> = (0..n)
        .map(|_| {
            let (gate, body) = (Arc::clone(&gate), Arc::clone(&body));
            std::thread::spawn(move || {
                gate.wait();
                one(addr, &body, timeout)
            })
        })
        .collect();
    let mut s = Stats::default();
    for t in threads {
        if let Ok((status, took, detail)) = t.join() {
            *s.statuses.entry(status).or_insert(0) += 1;
            if status == 200 {
                s.latencies.push(took);
            }
            if s.first_failure.is_none() {
                s.first_failure = detail;
            }
        }
    }
    s.wall = start.elapsed();
    s
}

/// One request carrying `n` tiny LSU files.
pub fn many_files(addr: SocketAddr, n: usize, timeout: Duration) -> Stats {
    let tiny = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lsun-bilans/>\n".to_vec();
    let parts: Vec<Part> = (0..n)
        .map(|i| Part::File("lsu".into(), format!("f{i}.xml"), tiny.clone()))
        .collect();
    let body = client::multipart(&parts);
    let start = Instant::now();
    let (status, took, detail) = one(addr, &body, timeout);
    let mut s = Stats::default();
    s.statuses.insert(status, 1);
    s.latencies.push(took);
    s.first_failure = detail;
    s.wall = start.elapsed();
    s
}
