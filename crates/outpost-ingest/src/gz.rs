//! Streaming gzip: decodes member after member, remembering where each member starts.
//!
//! Common Crawl writes one gzip member per WARC record, so the byte offset of the member is
//! the record's address in the file. [`GzMembers`] yields the concatenated decompressed
//! bytes and keeps a small table of `(decompressed start, file offset)` per member, pruned as
//! the reader moves on. A corrupt or truncated member is returned once as an error naming
//! its offset; decoding then resumes at the next gzip magic further on (candidates that fail
//! before producing a byte are passed over silently).

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

use flate2::bufread::GzDecoder;

use crate::input::{Input, Plain, Source};

/// The gzip magic plus the deflate method byte.
const MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

type Raw<R> = Input<Plain<R>>;

enum State<R: Read> {
    /// At a member boundary (or the start of the file).
    Between(Raw<R>),
    /// Inside the member that starts at the given file offset.
    Member(Box<GzDecoder<Raw<R>>>, u64),
    /// After an error: looking for the next member.
    Resync(Raw<R>),
    /// Nothing more to read.
    Done,
}

/// A [`Source`] of decompressed bytes from a file of one or more gzip members.
pub(crate) struct GzMembers<R: Read> {
    state: State<R>,
    /// `(decompressed start, file offset)` of the members not yet forgotten.
    members: VecDeque<(u64, u64)>,
    /// Decompressed bytes produced so far.
    out_pos: u64,
    /// File bytes consumed so far.
    raw_pos: u64,
    /// The current member produced output.
    produced: bool,
    /// The current member was found by a resync scan: fail silently if it yields nothing.
    tentative: bool,
}

impl<R: Read> GzMembers<R> {
    /// Decodes the gzip members of `raw`, which is positioned at the first one.
    pub(crate) fn new(raw: Raw<R>) -> Self {
        let raw_pos = raw.pos();
        GzMembers {
            state: State::Between(raw),
            members: VecDeque::new(),
            out_pos: 0,
            raw_pos,
            produced: false,
            tentative: false,
        }
    }

    /// Number of member offsets currently remembered (for the bounded-memory tests).
    #[cfg(test)]
    pub(crate) fn remembered(&self) -> usize {
        self.members.len()
    }

    fn step(&mut self, out: &mut [u8]) -> io::Result<Option<usize>> {
        match std::mem::replace(&mut self.state, State::Done) {
            State::Done => Ok(Some(0)),
            State::Between(mut raw) => {
                let off = raw.pos();
                let head = match raw.peek(2) {
                    Ok(h) => h,
                    Err(e) => {
                        self.state = State::Resync(raw);
                        return Err(e);
                    }
                };
                if head.is_empty() {
                    self.raw_pos = off;
                    return Ok(Some(0));
                }
                if head.starts_with(&MAGIC[..2]) {
                    self.members.push_back((self.out_pos, off));
                    self.produced = false;
                    // Keep the member's first bytes, to rescan them if it turns out corrupt.
                    raw.set_mark();
                    self.state = State::Member(Box::new(GzDecoder::new(raw)), off);
                    Ok(None)
                } else {
                    self.state = State::Resync(raw);
                    Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("bytes that are not gzip data at byte {off}"),
                    ))
                }
            }
            State::Member(mut dec, off) => match dec.read(out) {
                Ok(0) => {
                    let mut raw = dec.into_inner();
                    raw.clear_mark();
                    self.raw_pos = raw.pos();
                    self.tentative = false;
                    self.state = State::Between(raw);
                    Ok(None)
                }
                Ok(n) => {
                    self.raw_pos = self.raw_pos.max(dec.get_ref().pos());
                    self.out_pos += n as u64;
                    self.produced = true;
                    self.tentative = false;
                    self.state = State::Member(dec, off);
                    Ok(Some(n))
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    self.state = State::Member(dec, off);
                    Ok(None)
                }
                Err(e) => {
                    let mut raw = dec.into_inner();
                    self.raw_pos = self.raw_pos.max(raw.pos());
                    // Where the decoder went wrong, it may have read into the next member:
                    // scan again from just after this member's start when it is still at hand.
                    if raw.rewind() {
                        raw.consume(1);
                    }
                    raw.clear_mark();
                    let silent = self.tentative && !self.produced;
                    if silent {
                        // A false start found by the scan: forget it.
                        if self.members.back().is_some_and(|m| m.1 == off) {
                            self.members.pop_back();
                        }
                    }
                    self.tentative = true;
                    self.state = State::Resync(raw);
                    if silent {
                        Ok(None)
                    } else {
                        let what = if e.kind() == io::ErrorKind::UnexpectedEof {
                            "truncated"
                        } else {
                            "corrupt"
                        };
                        Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("{what} gzip member at byte {off}: {e}"),
                        ))
                    }
                }
            },
            State::Resync(mut raw) => {
                loop {
                    let head = match raw.peek(4) {
                        Ok(h) => h,
                        Err(e) => {
                            self.state = State::Resync(raw);
                            return Err(e);
                        }
                    };
                    if head.len() < 4 {
                        let n = head.len();
                        raw.consume(n);
                        self.raw_pos = self.raw_pos.max(raw.pos());
                        return Ok(Some(0));
                    }
                    let hit = head
                        .windows(4)
                        .position(|w| w[..3] == MAGIC && w[3] & 0xe0 == 0);
                    match hit {
                        Some(i) => {
                            raw.consume(i);
                            break;
                        }
                        None => {
                            let n = head.len() - 3;
                            raw.consume(n);
                        }
                    }
                }
                self.raw_pos = self.raw_pos.max(raw.pos());
                self.tentative = true;
                self.state = State::Between(raw);
                Ok(None)
            }
        }
    }
}

impl<R: Read> Read for GzMembers<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if let Some(n) = self.step(out)? {
                return Ok(n);
            }
        }
    }
}

impl<R: Read> Source for GzMembers<R> {
    fn raw_offset(&self, pos: u64) -> u64 {
        self.members
            .iter()
            .rev()
            .find(|m| m.0 <= pos)
            .or(self.members.front())
            .map_or(self.raw_pos, |m| m.1)
    }

    fn progress(&self, _pos: u64) -> u64 {
        self.raw_pos
    }

    fn forget_before(&mut self, pos: u64) {
        while self.members.len() > 1 && self.members[1].0 <= pos {
            self.members.pop_front();
        }
    }

    fn recoverable(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn decode(file: &[u8]) -> (Vec<u8>, Vec<String>) {
        let mut input = Input::new(GzMembers::new(Input::new(Plain(file))));
        let mut out = Vec::new();
        let mut errors = Vec::new();
        loop {
            match input.fill_buf() {
                Ok([]) => break,
                Ok(b) => {
                    let n = b.len();
                    out.extend_from_slice(b);
                    input.consume(n);
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        (out, errors)
    }

    #[test]
    fn members_are_concatenated_and_offsets_mapped() {
        let a = gz(b"first member\n");
        let b = gz(b"second\n");
        let file = [a.clone(), b.clone()].concat();
        let mut input = Input::new(GzMembers::new(Input::new(Plain(&file[..]))));
        let mut line = Vec::new();
        input.read_until(b'\n', &mut line).unwrap();
        assert_eq!(line, b"first member\n");
        input.peek(1).unwrap();
        assert_eq!(input.raw_offset(), a.len() as u64);
        let mut rest = Vec::new();
        input.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"second\n");
        assert_eq!(input.progress(), file.len() as u64);
        input.source_mut().forget_before(100);
        assert_eq!(input.source_mut().remembered(), 1);
    }

    #[test]
    fn a_corrupt_member_is_reported_once_and_the_next_one_still_read() {
        let a = gz(b"alpha alpha alpha alpha alpha\n");
        let mut bad = gz(b"bravo bravo bravo bravo bravo bravo bravo\n");
        let n = bad.len();
        for b in &mut bad[12..n - 8] {
            *b ^= 0x5a;
        }
        let c = gz(b"charlie\n");
        let file = [a.clone(), bad, c].concat();
        let (out, errors) = decode(&file);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains(&format!("at byte {}", a.len())),
            "{errors:?}"
        );
        let text = String::from_utf8_lossy(&out);
        assert!(
            text.starts_with("alpha") && text.ends_with("charlie\n"),
            "{text} {errors:?}"
        );
    }

    #[test]
    fn a_truncated_last_member_keeps_what_came_before() {
        let a = gz(b"complete\n");
        let b = gz(&b"never finished ".repeat(200));
        let file = [a.clone(), b[..b.len() / 2].to_vec()].concat();
        let (out, errors) = decode(&file);
        assert!(out.starts_with(b"complete\n"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with(&format!("truncated gzip member at byte {}", a.len())));
    }
}
