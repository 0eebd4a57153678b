//! A minimal HTTP/1.1 client over `TcpStream` for the load script and the service tests: one
//! request per connection, bounded timeouts, multipart bodies built in memory. Loopback only.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

pub const BOUNDARY: &str = "----lsu-lint-bench-7c2e91";

/// One answer: status, headers, body (de-chunked).
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A form part: a file (field, file name, bytes) or a text field.
pub enum Part {
    File(String, String, Vec<u8>),
    Text(String, String),
}

pub fn multipart(parts: &[Part]) -> Vec<u8> {
    let mut b = Vec::new();
    for p in parts {
        b.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match p {
            Part::File(field, name, bytes) => {
                b.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n\
                         Content-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                b.extend_from_slice(bytes);
            }
            Part::Text(field, v) => b.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{field}\"\r\n\r\n{v}").as_bytes(),
            ),
        }
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

pub fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// The head of a request with a declared body length.
pub fn head(addr: SocketAddr, method: &str, path: &str, ct: Option<&str>, len: usize) -> String {
    let mut h = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {len}\r\n"
    );
    if let Some(ct) = ct {
        h.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    h.push_str("\r\n");
    h
}

pub fn connect(addr: SocketAddr, timeout: Duration) -> std::io::Result<TcpStream> {
    let s = TcpStream::connect_timeout(&addr, timeout)?;
    s.set_read_timeout(Some(timeout))?;
    s.set_write_timeout(Some(timeout))?;
    Ok(s)
}

/// Sends a request and reads the answer. A server may answer (413, 503) before reading the
/// whole body: a failed write is then not an error, the answer is read all the same.
pub fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    ct: Option<&str>,
    body: &[u8],
    timeout: Duration,
) -> std::io::Result<Resp> {
    let mut s = connect(addr, timeout)?;
    let h = head(addr, method, path, ct, body.len());
    let _ = s.write_all(h.as_bytes()).and_then(|()| s.write_all(body));
    read_response(&mut s)
}

pub fn get(addr: SocketAddr, path: &str) -> std::io::Result<Resp> {
    send(addr, "GET", path, None, b"", Duration::from_secs(60))
}

pub fn post(
    addr: SocketAddr,
    path: &str,
    parts: &[Part],
    timeout: Duration,
) -> std::io::Result<Resp> {
    send(
        addr,
        "POST",
        path,
        Some(&content_type()),
        &multipart(parts),
        timeout,
    )
}

/// Reads one answer until the server closes the connection.
pub fn read_response(s: &mut TcpStream) -> std::io::Result<Resp> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            // A reset after the answer (the server closed without reading the whole body).
            Err(e) if !raw.is_empty() && e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => return Err(e),
        }
    }
    parse(&raw).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("no HTTP answer ({} bytes)", raw.len()),
        )
    })
}

fn parse(raw: &[u8]) -> Option<Resp> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if chunked {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Some(Resp {
        status,
        headers,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n")?;
        let size_text = String::from_utf8_lossy(&b[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(eol + 2..eol + 2 + size)?);
        b = b.get(eol + 2 + size + 2..)?;
    }
}

/// Peak (`VmHWM`) and current (`VmRSS`) resident memory of a process, in KiB (Linux).
pub fn memory_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse::<u64>()
            .ok()
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}
