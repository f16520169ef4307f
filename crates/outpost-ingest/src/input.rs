//! Buffered input with peeking, push-back and position tracking.
//!
//! Every format reader works on an [`Input`]: a buffer of bounded size over a [`Source`],
//! which is either a plain byte stream or a stream of decompressed gzip members. The input
//! counts the logical bytes consumed so far; the source maps that position back to a byte
//! offset in the underlying file (for `path@OFFSET` references) and to the number of file
//! bytes read (for progress).

use std::io::{self, BufRead, Read};

/// Size of the read buffer (and the most a caller may `peek`).
pub(crate) const BUF_SIZE: usize = 64 * 1024;

/// A byte stream an [`Input`] reads from.
pub(crate) trait Source: Read {
    /// Byte offset in the underlying file of the data at logical position `pos`.
    fn raw_offset(&self, pos: u64) -> u64;
    /// Bytes of the underlying file consumed, when the logical position is `pos`.
    fn progress(&self, pos: u64) -> u64;
    /// Drops bookkeeping for positions before `pos` (never read again).
    fn forget_before(&mut self, _pos: u64) {}
    /// Whether reading can go on after this source returned an error.
    fn recoverable(&self) -> bool {
        false
    }
}

/// An uncompressed stream: logical positions are file offsets.
pub(crate) struct Plain<R>(pub R);

impl<R: Read> Read for Plain<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl<R: Read> Source for Plain<R> {
    fn raw_offset(&self, pos: u64) -> u64 {
        pos
    }
    fn progress(&self, pos: u64) -> u64 {
        pos
    }
}

/// Most bytes kept behind a [`Input::set_mark`] so that [`Input::rewind`] can go back to it.
pub(crate) const MAX_LOOKBACK: usize = 256 * 1024;

/// A bounded read buffer over a [`Source`], with peek, push-back, mark/rewind and a position
/// counter.
///
/// The buffer holds [`BUF_SIZE`] bytes, plus, while set, the bytes since the mark (at most
/// [`MAX_LOOKBACK`]), plus, right after [`Input::unread`], the bytes pushed back (at most one
/// capped record). It shrinks back to [`BUF_SIZE`] when those are gone.
pub(crate) struct Input<S> {
    src: S,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    pos: u64,
    mark: Option<u64>,
    done: bool,
    pending: Option<io::Error>,
}

impl<S: Source> Input<S> {
    /// Wraps a source.
    pub(crate) fn new(src: S) -> Self {
        Input {
            src,
            buf: vec![0; BUF_SIZE],
            start: 0,
            end: 0,
            pos: 0,
            mark: None,
            done: false,
            pending: None,
        }
    }

    /// Logical bytes consumed so far.
    pub(crate) fn pos(&self) -> u64 {
        self.pos
    }

    /// Byte offset in the underlying file of the next unread byte.
    pub(crate) fn raw_offset(&self) -> u64 {
        self.src.raw_offset(self.pos)
    }

    /// Bytes of the underlying file consumed so far.
    pub(crate) fn progress(&self) -> u64 {
        self.src.progress(self.pos)
    }

    /// The source.
    pub(crate) fn source_mut(&mut self) -> &mut S {
        &mut self.src
    }

    /// Capacity of the internal buffer (for the bounded-memory tests).
    #[cfg(test)]
    pub(crate) fn buffer_capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Remembers the current position, so that [`Input::rewind`] can come back to it while
    /// no more than [`MAX_LOOKBACK`] bytes were read since.
    pub(crate) fn set_mark(&mut self) {
        self.mark = Some(self.pos);
    }

    /// Forgets the mark.
    pub(crate) fn clear_mark(&mut self) {
        self.mark = None;
    }

    /// Goes back to the mark; `false` (and no move) when it is gone.
    pub(crate) fn rewind(&mut self) -> bool {
        let Some(m) = self.mark else { return false };
        let back = self.pos - m;
        match usize::try_from(back) {
            Ok(b) if b <= self.start => {
                self.start -= b;
                self.pos = m;
                true
            }
            _ => false,
        }
    }

    /// Index in `buf` of the first byte to keep when compacting.
    fn keep_from(&mut self) -> usize {
        if let Some(m) = self.mark {
            let back = self.pos - m;
            match usize::try_from(back) {
                Ok(b) if b <= self.start && b <= MAX_LOOKBACK => return self.start - b,
                _ => self.mark = None,
            }
        }
        self.start
    }

    /// Reads from the source until at least `want` bytes are available, the source ends, or
    /// it fails. A failure after some bytes arrived is kept for later (see [`Input::peek`]).
    fn refill(&mut self, want: usize) -> io::Result<()> {
        if self.end - self.start >= want {
            return Ok(());
        }
        if self.pending.is_some() {
            // A kept error comes out once the bytes before it are consumed.
            return match self.pending.take() {
                Some(e) if self.start == self.end => Err(e),
                kept => {
                    self.pending = kept;
                    Ok(())
                }
            };
        }
        if self.done {
            return Ok(());
        }
        let free = self.buf.len() - self.end;
        if free < BUF_SIZE / 2 || self.buf.len() < self.start + want || self.start == self.end {
            let keep = self.keep_from();
            self.buf.copy_within(keep..self.end, 0);
            self.start -= keep;
            self.end -= keep;
            let need = (self.start + want)
                .max(self.end + BUF_SIZE / 2)
                .max(BUF_SIZE);
            if self.buf.len() < need {
                self.buf.reserve_exact(need - self.buf.len());
                self.buf.resize(need, 0);
            } else if self.buf.len() > BUF_SIZE && need == BUF_SIZE {
                // Release the room a push-back or a long mark took.
                self.buf.truncate(BUF_SIZE);
                self.buf.shrink_to_fit();
            }
        }
        while self.end - self.start < want {
            let end = self.end;
            match self.src.read(&mut self.buf[end..]) {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(k) => self.end += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    if !self.src.recoverable() {
                        self.done = true;
                    }
                    if self.end == self.start {
                        return Err(e);
                    }
                    self.pending = Some(e);
                    break;
                }
            }
        }
        Ok(())
    }

    /// Makes at least `n` bytes available (`n` ≤ [`BUF_SIZE`]) unless the input ends first,
    /// and returns what is available, without consuming it.
    ///
    /// An error met after some bytes arrived is kept and returned by the next read that
    /// finds the buffer empty, so errors come in stream order.
    pub(crate) fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        self.refill(n)?;
        Ok(&self.buf[self.start..self.end])
    }

    /// Pushes `bytes` back in front of the unread data; the position moves back by their
    /// length. Only for bytes just consumed.
    pub(crate) fn unread(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        self.mark = None;
        if bytes.len() <= self.start {
            self.start -= bytes.len();
            self.buf[self.start..self.start + bytes.len()].copy_from_slice(bytes);
        } else {
            let mut v = Vec::with_capacity(bytes.len() + self.end - self.start + BUF_SIZE / 2);
            v.extend_from_slice(bytes);
            v.extend_from_slice(&self.buf[self.start..self.end]);
            self.end = v.len();
            self.start = 0;
            v.resize(v.capacity(), 0);
            self.buf = v;
        }
        self.pos = self.pos.saturating_sub(bytes.len() as u64);
    }

    /// Consumes up to `n` bytes without keeping them; returns how many there were.
    pub(crate) fn skip(&mut self, n: u64) -> io::Result<u64> {
        let mut left = n;
        while left > 0 {
            let avail = self.fill_buf()?;
            if avail.is_empty() {
                break;
            }
            let k = avail.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            self.consume(k);
            left -= k as u64;
        }
        Ok(n - left)
    }
}

impl<S: Source> Read for Input<S> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let k = avail.len().min(out.len());
        out[..k].copy_from_slice(&avail[..k]);
        self.consume(k);
        Ok(k)
    }
}

impl<S: Source> BufRead for Input<S> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.refill(1)?;
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, amt: usize) {
        let amt = amt.min(self.end - self.start);
        self.start += amt;
        self.pos += amt as u64;
    }
}

/// What [`read_line_capped`] found.
pub(crate) struct LineRead {
    /// Bytes consumed, including the newline.
    pub bytes: u64,
    /// The line was longer than the cap; the buffer was cleared.
    pub truncated: bool,
}

/// Reads one `\n`-terminated line, keeping at most `cap` bytes of it in `buf` but consuming all
/// of it from the reader.
pub(crate) fn read_line_capped<R: BufRead>(
    r: &mut R,
    buf: &mut Vec<u8>,
    cap: u64,
) -> io::Result<LineRead> {
    let mut total = 0u64;
    let mut truncated = false;
    loop {
        let avail = r.fill_buf()?;
        if avail.is_empty() {
            break;
        }
        let (chunk, done) = match avail.iter().position(|&b| b == b'\n') {
            Some(i) => (&avail[..=i], true),
            None => (avail, false),
        };
        let len = chunk.len();
        if !truncated && (buf.len() + len) as u64 <= cap {
            buf.extend_from_slice(chunk);
        } else {
            truncated = true;
            buf.clear();
        }
        r.consume(len);
        total += len as u64;
        if done {
            break;
        }
    }
    Ok(LineRead {
        bytes: total,
        truncated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes a few at a time, to exercise buffer refills.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let k = self.0.len().min(buf.len()).min(self.1);
            buf[..k].copy_from_slice(&self.0[..k]);
            self.0 = &self.0[k..];
            Ok(k)
        }
    }

    /// Yields "abc", then an error, then "def": a source that recovers, like gzip.
    struct Hiccup(u8);

    impl Read for Hiccup {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.0 += 1;
            let part: &[u8] = match self.0 {
                1 => b"abc",
                2 => return Err(io::Error::other("bad member")),
                3 => b"def",
                _ => b"",
            };
            buf[..part.len()].copy_from_slice(part);
            Ok(part.len())
        }
    }

    impl Source for Hiccup {
        fn raw_offset(&self, pos: u64) -> u64 {
            pos
        }
        fn progress(&self, pos: u64) -> u64 {
            pos
        }
        fn recoverable(&self) -> bool {
            true
        }
    }

    #[test]
    fn an_error_met_while_peeking_comes_out_in_stream_order() {
        let mut input = Input::new(Hiccup(0));
        assert_eq!(input.peek(8).unwrap(), b"abc");
        input.consume(3);
        // Both peek and fill_buf report the kept error once the bytes before it are gone.
        assert_eq!(input.peek(1).unwrap_err().to_string(), "bad member");
        assert_eq!(input.fill_buf().unwrap(), b"def");
        input.consume(3);
        assert!(input.fill_buf().unwrap().is_empty());
    }

    #[test]
    fn peek_gathers_across_short_reads_and_unread_rewinds() {
        let data = b"hello world, this is a stream";
        let mut input = Input::new(Plain(Trickle(data, 3)));
        assert!(input.peek(11).unwrap().starts_with(b"hello world"));
        let mut five = [0u8; 5];
        input.read_exact(&mut five).unwrap();
        assert_eq!(input.pos(), 5);
        input.unread(b"HELLO");
        assert_eq!(input.pos(), 0);
        let mut all = Vec::new();
        input.read_to_end(&mut all).unwrap();
        assert_eq!(all, b"HELLO world, this is a stream");
        assert_eq!(input.pos(), data.len() as u64);
    }

    #[test]
    fn a_large_pushback_grows_the_buffer_then_it_shrinks_back() {
        let data: Vec<u8> = (0..6 * BUF_SIZE).map(|i| (i % 251) as u8).collect();
        let mut input = Input::new(Plain(&data[..]));
        let mut first = vec![0u8; 2 * BUF_SIZE];
        input.read_exact(&mut first).unwrap();
        input.unread(&first);
        assert_eq!(input.pos(), 0);
        assert!(input.buffer_capacity() >= 2 * BUF_SIZE);
        let mut again = vec![0u8; 3 * BUF_SIZE];
        input.read_exact(&mut again).unwrap();
        assert_eq!(again[..], data[..3 * BUF_SIZE]);
        assert_eq!(input.buffer_capacity(), BUF_SIZE);
        let mut rest = Vec::new();
        input.read_to_end(&mut rest).unwrap();
        assert_eq!(rest[..], data[3 * BUF_SIZE..]);
    }

    #[test]
    fn rewind_reaches_back_to_the_mark_within_the_lookback() {
        let data: Vec<u8> = (0..3 * MAX_LOOKBACK).map(|i| (i % 253) as u8).collect();
        let mut input = Input::new(Plain(Trickle(&data, 1000)));
        input.skip(10).unwrap();
        input.set_mark();
        input.skip(200_000).unwrap();
        assert!(input.rewind());
        assert_eq!(input.pos(), 10);
        let mut b = [0u8; 4];
        input.read_exact(&mut b).unwrap();
        assert_eq!(b[..], data[10..14]);
        // Past the lookback, the mark is dropped rather than the buffer grown.
        input.set_mark();
        input.skip(MAX_LOOKBACK as u64 + BUF_SIZE as u64).unwrap();
        assert!(!input.rewind());
        assert!(input.buffer_capacity() <= MAX_LOOKBACK + 2 * BUF_SIZE);
    }
}
