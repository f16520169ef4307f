//! Memory stays bounded while a large WARC.gz streams through ingest.
//!
//! The input (over 200 MB decompressed, with two 40 MB records over the size cap) is
//! generated on the fly by a `Read` that repeats pre-compressed gzip members, so nothing is
//! written to disk. Peak RSS (`VmHWM`) is compared before and after: if ingest held a whole
//! file, a whole oversized record, or every document, the peak would rise by tens of MB.
//! This file holds one test so that no other test shares the process.

use std::io::{self, Read, Write};

use flate2::Compression;
use flate2::write::GzEncoder;
use outpost_ingest::{Format, IngestOptions, Item, read_reader};

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn record(kind: &str, uri: &str, ctype: &str, block: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2026-06-02T11:00:00Z\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    v.extend_from_slice(block);
    v.extend_from_slice(b"\r\n\r\n");
    v
}

/// Serves `order` as a sequence of indices into `parts`, concatenated.
struct Generated {
    parts: Vec<Vec<u8>>,
    order: Vec<usize>,
    i: usize,
    off: usize,
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while let Some(&p) = self.order.get(self.i) {
            let part = &self.parts[p];
            if self.off < part.len() {
                let k = (part.len() - self.off).min(buf.len());
                buf[..k].copy_from_slice(&part[self.off..self.off + k]);
                self.off += k;
                return Ok(k);
            }
            self.i += 1;
            self.off = 0;
        }
        Ok(0)
    }
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_200_mb_warc_gz_streams_in_bounded_memory() {
    let mut page = String::from("<html><body><h1>Reservoir levels fall at Lake Maren</h1>");
    for i in 0..300 {
        page.push_str(&format!(
            "<p>Paragraph {i}: water engineers at the Maren dam reported the level fell again \
             this week, and the district asked farmers to delay irrigation.</p>\n"
        ));
    }
    let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
    block.extend_from_slice(page.as_bytes());
    let normal = gz(&record(
        "response",
        "https://news.example/maren",
        "application/http; msgtype=response",
        &block,
    ));
    let request = gz(&record(
        "request",
        "https://news.example/maren",
        "application/http; msgtype=request",
        b"GET /maren HTTP/1.1\r\n\r\n",
    ));
    // Compressed piecewise: the 40 MB block is never in memory, here or in the reader.
    let huge = {
        let len = 40u64 << 20;
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        let head = format!(
            "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: file:///dump.txt\r\n\
             Content-Type: text/plain\r\nContent-Length: {len}\r\n\r\n"
        );
        e.write_all(head.as_bytes()).unwrap();
        let chunk = vec![b'q'; 64 << 10];
        for _ in 0..len / chunk.len() as u64 {
            e.write_all(&chunk).unwrap();
        }
        e.write_all(b"\r\n\r\n").unwrap();
        e.finish().unwrap()
    };
    let decompressed_normal = block.len() as u64;
    let n = ((200u64 << 20) * 2 / 3 / decompressed_normal) as usize;
    let mut order = Vec::new();
    for i in 0..n {
        order.push(if i % 2 == 0 { 0 } else { 1 });
        order.push(0);
        if i == n / 3 || i == 2 * n / 3 {
            order.push(2);
        }
    }
    let docs_expected = order.iter().filter(|&&p| p == 0).count() as u64;
    let compressed: u64 = order
        .iter()
        .map(|&p| [&normal, &request, &huge][p].len() as u64)
        .sum();
    let input = Generated {
        parts: vec![normal, request, huge],
        order,
        i: 0,
        off: 0,
    };

    let before = peak_rss_kb();
    let mut bytes_seen = 0u64;
    let mut too_large = 0;
    let mut last_progress = 0;
    let opts = IngestOptions { max_bytes: 1 << 20 };
    let stats = read_reader("gen.warc.gz", input, &opts, &mut |item, done| {
        last_progress = done;
        match item {
            Item::Doc(d) => bytes_seen += d.bytes.len() as u64,
            Item::Skip { reason, .. } => {
                assert!(reason.starts_with("too large"), "{reason}");
                too_large += 1;
            }
        }
    });
    let after = peak_rss_kb();

    assert_eq!(stats.format, Format::Warc);
    assert_eq!(stats.docs, docs_expected);
    assert_eq!(too_large, 2);
    assert_eq!(stats.ignored, (n / 2) as u64);
    assert!(bytes_seen > 190 << 20, "{bytes_seen}");
    assert!(
        before < 40 << 10,
        "the baseline ({before} kB) would hide a held 40 MB record"
    );
    assert!(last_progress <= compressed && last_progress > compressed / 2);
    let grew_mb = (after - before) / 1024;
    eprintln!(
        "peak RSS {before} kB -> {after} kB (+{grew_mb} MB) over {bytes_seen} document bytes"
    );
    assert!(grew_mb < 24, "peak RSS grew by {grew_mb} MB");
}
