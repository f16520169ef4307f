//! A light, tolerant HTML parser made for extraction speed.
//!
//! It turns markup into a flat, pre-order list of events (`Open`, `Text`, `Close`), which
//! is a tree: every `Open` knows the index of its matching `Close`. The tokenizer scans
//! bytes (`memchr` for `<`), decodes character references, keeps only the attributes the
//! extractor reads, and skips the contents of `<script>` (except JSON-LD), `<style>`,
//! `<svg>` and comments without tokenizing them. A small tree builder applies
//! the HTML rules that shape text blocks: implied `<html>`/`<head>`/`<body>`, void
//! elements, `<p>` closed by block starts, `<li>`/`<dd>`/`<dt>`/table cells closing their
//! open siblings, stray end tags ignored unless they match an element in scope.
//!
//! What it does not do: build a DOM with `Rc`s, run the full HTML5 adoption-agency
//! algorithm for misnested inline formatting, or keep attributes other than those the
//! extractor reads. Work and memory are linear in the input (stack scans are capped).

use std::borrow::Cow;

/// Attributes the extractor reads; all others are dropped while tokenizing.
const KEPT_ATTRS: &[&str] = &[
    "class",
    "id",
    "role",
    "style",
    "aria-hidden",
    "hidden",
    "rel",
    "href",
    "property",
    "name",
    "itemprop",
    "http-equiv",
    "content",
    "type",
    "lang",
    "xml:lang",
    "datetime",
    "pubdate",
];

/// Known tag names, used to give upper-case tags their lower-case static name.
const KNOWN_TAGS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "keygen",
    "label",
    "li",
    "link",
    "listing",
    "main",
    "map",
    "marquee",
    "math",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "picture",
    "plaintext",
    "pre",
    "q",
    "s",
    "script",
    "search",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "u",
    "ul",
    "video",
    "wbr",
    "xmp",
];

/// One attribute kept from a start tag.
#[derive(Debug, Clone)]
pub(crate) struct Attr<'a> {
    name: &'static str,
    value: Cow<'a, str>,
}

/// An element: lower-case tag name, kept attributes, index of its `Close` event.
#[derive(Debug, Clone)]
pub(crate) struct Elem<'a> {
    /// Lower-case tag name (unknown upper-case names keep their case).
    pub tag: &'a str,
    attrs: Vec<Attr<'a>>,
    /// Index of the matching [`Ev::Close`].
    pub end: usize,
}

impl Elem<'_> {
    /// The value of a kept attribute (`name` in lower case).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_ref())
    }
}

/// One parse event, in document order.
#[derive(Debug, Clone)]
pub(crate) enum Ev<'a> {
    /// An element starts.
    Open(Elem<'a>),
    /// Character data (references decoded).
    Text(Cow<'a, str>),
    /// The element opened at the given event index ends.
    Close(usize),
}

/// A parsed document: events in pre-order.
#[derive(Debug, Default)]
pub(crate) struct Dom<'a> {
    /// The events.
    pub evs: Vec<Ev<'a>>,
}

impl<'a> Dom<'a> {
    /// Parse `src`.
    pub fn parse(src: &'a str) -> Dom<'a> {
        let mut b = Builder {
            dom: Dom {
                evs: Vec::with_capacity(src.len() / 40 + 16),
            },
            stack: Vec::with_capacity(64),
            mode: Mode::Initial,
            open_p: 0,
            open_a: 0,
        };
        tokenize(src, &mut b);
        b.finish();
        b.dom
    }

    /// The text inside the element opened at `i`, words separated by spaces, stopping
    /// after about `limit` bytes.
    pub fn text_of(&self, i: usize, limit: usize) -> String {
        let end = match &self.evs[i] {
            Ev::Open(e) => e.end,
            _ => return String::new(),
        };
        let mut s = String::new();
        for ev in &self.evs[i + 1..end.min(self.evs.len())] {
            if let Ev::Text(t) = ev {
                s.push_str(t);
                s.push(' ');
                if s.len() > limit {
                    break;
                }
            }
        }
        s
    }
}

// ------------------------------------------------------------------ tree building

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Initial,
    InHead,
    AfterHead,
    InBody,
}

/// How far up the open-element stack a scope check looks (bounds the work on
/// pathologically deep markup).
const MAX_SCAN: usize = 512;

struct Builder<'a> {
    dom: Dom<'a>,
    stack: Vec<(usize, &'a str)>,
    mode: Mode,
    open_p: usize,
    open_a: usize,
}

fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "basefont"
            | "bgsound"
            | "frame"
            | "image"
    )
}

fn head_tag(tag: &str) -> bool {
    matches!(
        tag,
        "meta"
            | "link"
            | "title"
            | "script"
            | "style"
            | "base"
            | "noscript"
            | "template"
            | "basefont"
            | "bgsound"
    )
}

fn closes_p(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "ul"
            | "li"
            | "dd"
            | "dt"
            | "listing"
            | "plaintext"
            | "xmp"
            | "search"
    )
}

/// The HTML "special" elements: stray inline end tags do not close past them.
fn special(tag: &str) -> bool {
    closes_p(tag)
        || matches!(
            tag,
            "applet"
                | "area"
                | "base"
                | "body"
                | "br"
                | "button"
                | "caption"
                | "col"
                | "colgroup"
                | "embed"
                | "frame"
                | "frameset"
                | "head"
                | "html"
                | "iframe"
                | "img"
                | "input"
                | "link"
                | "marquee"
                | "meta"
                | "noembed"
                | "noframes"
                | "noscript"
                | "object"
                | "param"
                | "script"
                | "select"
                | "source"
                | "style"
                | "tbody"
                | "td"
                | "template"
                | "textarea"
                | "tfoot"
                | "th"
                | "thead"
                | "title"
                | "tr"
                | "track"
                | "wbr"
        )
}

/// Elements that bound "has an element in scope".
fn scope_boundary(tag: &str) -> bool {
    matches!(
        tag,
        "html" | "table" | "td" | "th" | "caption" | "template" | "applet" | "object" | "marquee"
    )
}

fn heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

impl<'a> Builder<'a> {
    fn push(&mut self, tag: &'a str, attrs: Vec<Attr<'a>>) {
        let i = self.dom.evs.len();
        self.dom.evs.push(Ev::Open(Elem { tag, attrs, end: i }));
        self.stack.push((i, tag));
        match tag {
            "p" => self.open_p += 1,
            "a" => self.open_a += 1,
            _ => {}
        }
    }

    fn pop(&mut self) {
        if let Some((i, tag)) = self.stack.pop() {
            let end = self.dom.evs.len();
            if let Some(Ev::Open(e)) = self.dom.evs.get_mut(i) {
                e.end = end;
            }
            self.dom.evs.push(Ev::Close(i));
            match tag {
                "p" => self.open_p = self.open_p.saturating_sub(1),
                "a" => self.open_a = self.open_a.saturating_sub(1),
                _ => {}
            }
        }
    }

    /// Pop up to and including stack position `pos`.
    fn pop_to(&mut self, pos: usize) {
        while self.stack.len() > pos {
            self.pop();
        }
    }

    /// Stack position of the nearest open `tag`, looking no further than a boundary
    /// for which `stop` is true.
    fn find(&self, tag: &str, stop: impl Fn(&str) -> bool) -> Option<usize> {
        for (k, &(_, t)) in self.stack.iter().enumerate().rev().take(MAX_SCAN) {
            if t.eq_ignore_ascii_case(tag) {
                return Some(k);
            }
            if stop(t) {
                return None;
            }
        }
        None
    }

    fn close_p(&mut self) {
        if self.open_p > 0
            && let Some(k) = self.find("p", |t| scope_boundary(t) || t == "button")
        {
            self.pop_to(k);
        }
    }

    fn ensure_html(&mut self) {
        if self.stack.is_empty() {
            self.push("html", Vec::new());
        }
    }

    fn ensure_body(&mut self) {
        self.ensure_html();
        if self.mode == Mode::InHead {
            if let Some(k) = self.find("head", |_| false) {
                self.pop_to(k);
            }
            self.mode = Mode::AfterHead;
        }
        if self.mode != Mode::InBody {
            self.push("body", Vec::new());
            self.mode = Mode::InBody;
        }
    }

    fn text(&mut self, t: Cow<'a, str>) {
        if self.mode != Mode::InBody && t.trim().is_empty() {
            return;
        }
        self.ensure_body();
        self.dom.evs.push(Ev::Text(t));
    }

    /// A start tag; returns true when the element stays open (raw-text content follows
    /// and is closed by the caller).
    fn start(&mut self, tag: &'a str, attrs: Vec<Attr<'a>>) {
        match tag {
            "html" => {
                if self.stack.is_empty() {
                    self.push("html", attrs);
                } else if let Some(Ev::Open(e)) = self.dom.evs.first_mut() {
                    // Later <html> tags add missing attributes (e.g. `lang`).
                    for a in attrs {
                        if e.attr(a.name).is_none() {
                            e.attrs.push(a);
                        }
                    }
                }
                return;
            }
            "head" => {
                self.ensure_html();
                if self.mode == Mode::Initial {
                    self.push("head", attrs);
                    self.mode = Mode::InHead;
                }
                return;
            }
            "body" => {
                if self.mode != Mode::InBody {
                    self.ensure_body_with(attrs);
                }
                return;
            }
            "frameset" => return,
            _ => {}
        }
        if self.mode != Mode::InBody {
            self.ensure_html();
            if head_tag(tag) {
                if self.mode == Mode::Initial {
                    self.push("head", Vec::new());
                    self.mode = Mode::InHead;
                }
                self.insert(tag, attrs);
                return;
            }
            self.ensure_body();
        }
        if closes_p(tag) {
            self.close_p();
        }
        match tag {
            t if heading(t) && self.stack.last().is_some_and(|&(_, c)| heading(c)) => {
                self.pop();
            }
            "li" => self.close_list_item(&["li"]),
            "dd" | "dt" => self.close_list_item(&["dd", "dt"]),
            "a" => {
                if self.open_a > 0
                    && let Some(k) = self.find("a", |t| {
                        matches!(t, "td" | "th" | "caption" | "table" | "html" | "template")
                    })
                {
                    self.pop_to(k);
                }
            }
            "td" | "th" => {
                if let Some(k) = self.find_any(&["td", "th"], |t| matches!(t, "table" | "tr")) {
                    self.pop_to(k);
                }
            }
            "tr" => {
                if let Some(k) = self.find("tr", |t| t == "table") {
                    self.pop_to(k);
                }
            }
            "tbody" | "thead" | "tfoot" => {
                if let Some(k) = self.find_any(&["tbody", "thead", "tfoot"], |t| t == "table") {
                    self.pop_to(k);
                }
            }
            "option" | "optgroup" if self.stack.last().is_some_and(|&(_, c)| c == "option") => {
                self.pop();
            }
            _ => {}
        }
        self.insert(tag, attrs);
    }

    fn ensure_body_with(&mut self, attrs: Vec<Attr<'a>>) {
        self.ensure_html();
        if self.mode == Mode::InHead
            && let Some(k) = self.find("head", |_| false)
        {
            self.pop_to(k);
        }
        self.push("body", attrs);
        self.mode = Mode::InBody;
    }

    fn insert(&mut self, tag: &'a str, attrs: Vec<Attr<'a>>) {
        self.push(tag, attrs);
        if is_void(tag) {
            self.pop();
        }
    }

    fn find_any(&self, tags: &[&str], stop: impl Fn(&str) -> bool) -> Option<usize> {
        for (k, &(_, t)) in self.stack.iter().enumerate().rev().take(MAX_SCAN) {
            if tags.contains(&t) {
                return Some(k);
            }
            if stop(t) {
                return None;
            }
        }
        None
    }

    fn close_list_item(&mut self, items: &[&str]) {
        let found = self.find_any(items, |t| {
            special(t) && !matches!(t, "address" | "div" | "p") && !items.contains(&t)
        });
        if let Some(k) = found {
            self.pop_to(k);
        }
    }

    fn end(&mut self, tag: &'a str) {
        match tag {
            "html" | "body" => return,
            "head" => {
                if self.mode == Mode::InHead {
                    if let Some(k) = self.find("head", |_| false) {
                        self.pop_to(k);
                    }
                    self.mode = Mode::AfterHead;
                }
                return;
            }
            "br" => {
                self.start("br", Vec::new());
                return;
            }
            _ => {}
        }
        if self.mode != Mode::InBody {
            // An end tag in the head for an element that is open there.
            if let Some(k) = self.find(tag, |t| t == "head" || t == "html") {
                self.pop_to(k);
            }
            return;
        }
        if tag == "p" && self.open_p == 0 {
            // `</p>` without an open paragraph makes an empty one.
            self.push("p", Vec::new());
            self.pop();
            return;
        }
        let k = if special(tag) {
            let list = matches!(tag, "li");
            let table = matches!(
                tag,
                "table" | "tr" | "td" | "th" | "tbody" | "thead" | "tfoot"
            );
            self.find(tag, |t| {
                if table {
                    matches!(t, "table" | "html" | "template")
                } else {
                    scope_boundary(t) || (list && matches!(t, "ol" | "ul"))
                }
            })
        } else {
            self.find(tag, special)
        };
        if let Some(k) = k {
            self.pop_to(k);
        }
    }

    fn finish(&mut self) {
        if self.stack.is_empty() {
            return;
        }
        self.pop_to(0);
    }
}

// ------------------------------------------------------------------ tokenizer

/// Elements whose content is not markup: the tokenizer looks for their end tag.
fn raw_text(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "noscript"
            | "iframe"
            | "noembed"
            | "noframes"
            | "svg"
            | "plaintext"
    )
}

/// Case-insensitive search for `</name` (name in lower case) from `from`.
fn find_end_tag(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let n = name.as_bytes();
    let mut i = from;
    while i < b.len() {
        let off = memchr::memchr(b'<', &b[i..])?;
        let at = i + off;
        if b.get(at + 1) == Some(&b'/')
            && b.len() >= at + 2 + n.len()
            && b[at + 2..at + 2 + n.len()].eq_ignore_ascii_case(n)
            && b.get(at + 2 + n.len())
                .is_none_or(|c| matches!(c, b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | 0x0c))
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn find_bytes(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, needle).map(|o| from + o)
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

fn intern(name: &str) -> &str {
    if !name.bytes().any(|c| c.is_ascii_uppercase()) {
        return name;
    }
    KNOWN_TAGS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(name))
        .copied()
        .unwrap_or(name)
}

fn keep_attr(name: &str) -> Option<&'static str> {
    KEPT_ATTRS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(name))
        .copied()
}

/// Read a start tag's name and attributes from `b[i..]` (just after `<`). Returns the
/// name, attributes, self-closing flag and the index after `>`, or `None` at end of input.
#[allow(clippy::type_complexity)]
fn read_tag<'a>(s: &'a str, mut i: usize) -> Option<(&'a str, Vec<Attr<'a>>, usize)> {
    let b = s.as_bytes();
    let start = i;
    while i < b.len() && !is_ws(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let name = intern(s.get(start..i)?);
    let mut attrs: Vec<Attr<'a>> = Vec::new();
    loop {
        while i < b.len() && (is_ws(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        if b[i] == b'>' {
            return Some((name, attrs, i + 1));
        }
        let ns = i;
        i += 1; // the first character may be '=' or anything else
        while i < b.len() && !is_ws(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let aname = s.get(ns..i).unwrap_or("");
        let mut j = i;
        while j < b.len() && is_ws(b[j]) {
            j += 1;
        }
        let mut value: &str = "";
        if j < b.len() && b[j] == b'=' {
            j += 1;
            while j < b.len() && is_ws(b[j]) {
                j += 1;
            }
            if j >= b.len() {
                return None;
            }
            if b[j] == b'"' || b[j] == b'\'' {
                let q = b[j];
                let vs = j + 1;
                let ve = vs + memchr::memchr(q, &b[vs..])?;
                value = s.get(vs..ve).unwrap_or("");
                i = ve + 1;
            } else {
                let vs = j;
                while j < b.len() && !is_ws(b[j]) && b[j] != b'>' {
                    j += 1;
                }
                value = s.get(vs..j).unwrap_or("");
                i = j;
            }
        }
        if let Some(k) = keep_attr(aname)
            && !attrs.iter().any(|a| a.name == k)
        {
            attrs.push(Attr {
                name: k,
                value: decode_entities(value, true),
            });
        }
    }
}

fn tokenize<'a>(s: &'a str, b: &mut Builder<'a>) {
    let bytes = s.as_bytes();
    let mut text_start = 0;
    let mut i = 0;
    let emit_text = |b: &mut Builder<'a>, from: usize, to: usize| {
        if to > from
            && let Some(t) = s.get(from..to)
        {
            b.text(decode_entities(t, false));
        }
    };
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + off;
        let next = bytes.get(lt + 1).copied().unwrap_or(0);
        if next.is_ascii_alphabetic() {
            emit_text(b, text_start, lt);
            let Some((name, attrs, after)) = read_tag(s, lt + 1) else {
                // End of input inside a tag: the tag is dropped.
                return;
            };
            let lower = name;
            if raw_text(lower) {
                let close = find_end_tag(bytes, after, lower);
                let content_end = close.unwrap_or(bytes.len());
                let json = lower == "script"
                    && attrs.iter().any(|a| {
                        a.name == "type"
                            && a.value.trim().eq_ignore_ascii_case("application/ld+json")
                    });
                b.start(lower, attrs);
                let keep = match lower {
                    "script" => json,
                    "title" | "textarea" => true,
                    _ => false,
                };
                if keep && content_end > after {
                    let raw = s.get(after..content_end).unwrap_or("");
                    let t = if lower == "script" {
                        Cow::Borrowed(raw)
                    } else {
                        decode_entities(raw, false)
                    };
                    b.dom.evs.push(Ev::Text(t));
                }
                b.end(lower);
                match close {
                    Some(c) => {
                        let gt = memchr::memchr(b'>', &bytes[c..]).map(|o| c + o + 1);
                        i = gt.unwrap_or(bytes.len());
                    }
                    None => i = bytes.len(),
                }
            } else {
                b.start(lower, attrs);
                i = after;
            }
            text_start = i;
        } else if next == b'/' {
            let n2 = bytes.get(lt + 2).copied().unwrap_or(0);
            emit_text(b, text_start, lt);
            let gt = memchr::memchr(b'>', &bytes[lt..]).map(|o| lt + o);
            let Some(gt) = gt else { return };
            if n2.is_ascii_alphabetic() {
                let ns = lt + 2;
                let mut ne = ns;
                while ne < gt && !is_ws(bytes[ne]) && bytes[ne] != b'/' {
                    ne += 1;
                }
                if let Some(name) = s.get(ns..ne) {
                    b.end(intern(name));
                }
            }
            i = gt + 1;
            text_start = i;
        } else if next == b'!' {
            emit_text(b, text_start, lt);
            if bytes[lt..].starts_with(b"<!--") {
                let body = lt + 4;
                if bytes[body..].starts_with(b">") {
                    i = body + 1;
                } else if bytes[body..].starts_with(b"->") {
                    i = body + 2;
                } else {
                    i = find_bytes(bytes, body, b"-->").map_or(bytes.len(), |e| e + 3);
                }
            } else {
                i = memchr::memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |o| lt + o + 1);
            }
            text_start = i;
        } else if next == b'?' {
            emit_text(b, text_start, lt);
            i = memchr::memchr(b'>', &bytes[lt..]).map_or(bytes.len(), |o| lt + o + 1);
            text_start = i;
        } else {
            // A lone `<` is text.
            i = lt + 1;
        }
        if i >= bytes.len() {
            break;
        }
    }
    emit_text(b, text_start, bytes.len());
}

// ------------------------------------------------------------------ character references

fn push_code(out: &mut String, c: u32) {
    let c = match c {
        0 => 0xFFFD,
        0x80..=0x9F => html5ever::data::C1_REPLACEMENTS[(c - 0x80) as usize]
            .map(u32::from)
            .unwrap_or(c),
        _ => c,
    };
    out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
}

/// Decode character references (`&amp;`, `&#8217;`, `&#x2014;`, legacy `&copy`).
fn decode_entities(s: &str, in_attr: bool) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'&', &b[i..]) {
        let at = i + off;
        i = at + 1;
        if b.get(at + 1) == Some(&b'#') {
            let (hex, ds) = match b.get(at + 2) {
                Some(b'x' | b'X') => (true, at + 3),
                _ => (false, at + 2),
            };
            let mut j = ds;
            while j < b.len()
                && j - ds < 8
                && (if hex {
                    b[j].is_ascii_hexdigit()
                } else {
                    b[j].is_ascii_digit()
                })
            {
                j += 1;
            }
            if j == ds {
                continue;
            }
            let digits = s.get(ds..j).unwrap_or("0");
            let v = u32::from_str_radix(digits, if hex { 16 } else { 10 }).unwrap_or(0xFFFD);
            out.push_str(&s[copied..at]);
            push_code(&mut out, v);
            let e = if b.get(j) == Some(&b';') { j + 1 } else { j };
            copied = e;
            i = e;
            continue;
        }
        // Named: the longest known name.
        let ns = at + 1;
        let mut j = ns;
        while j < b.len() && j - ns < 32 && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j == ns {
            continue;
        }
        let semi = b.get(j) == Some(&b';');
        let found = if semi {
            s.get(ns..=j)
                .and_then(|k| html5ever::data::NAMED_ENTITIES.get(k))
                .filter(|v| v.0 != 0)
                .map(|v| (*v, j + 1))
        } else {
            None
        };
        let found = found.or_else(|| {
            // Legacy names without `;` (`&copy`, `&amp`): the longest prefix that is one.
            (2..=j - ns).rev().find_map(|n| {
                let k = s.get(ns..ns + n)?;
                let v = html5ever::data::NAMED_ENTITIES.get(k)?;
                if v.0 == 0 {
                    return None;
                }
                let after = b.get(ns + n).copied().unwrap_or(b' ');
                if in_attr && (after.is_ascii_alphanumeric() || after == b'=') {
                    return None;
                }
                Some((*v, ns + n))
            })
        });
        if let Some(((c1, c2), e)) = found {
            out.push_str(&s[copied..at]);
            push_code(&mut out, c1);
            if c2 != 0 {
                push_code(&mut out, c2);
            }
            copied = e;
            i = e;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compact rendering of the tree: `tag(children)`, text as `"…"`.
    fn render(src: &str) -> String {
        let d = Dom::parse(src);
        let mut out = String::new();
        for ev in &d.evs {
            match ev {
                Ev::Open(e) => {
                    out.push_str(e.tag);
                    out.push('(');
                }
                Ev::Close(_) => out.push(')'),
                Ev::Text(t) => {
                    out.push('"');
                    out.push_str(t);
                    out.push('"');
                }
            }
        }
        out
    }

    #[test]
    fn implied_structure() {
        assert_eq!(render("<p>a<p>b"), "html(body(p(\"a\")p(\"b\")))");
        assert_eq!(
            render("<title>T &amp; U</title><meta name=x content=y><div>x</div>"),
            "html(head(title(\"T & U\")meta())body(div(\"x\")))"
        );
        assert_eq!(
            render("<ul><li>a<li>b</ul>"),
            "html(body(ul(li(\"a\")li(\"b\"))))"
        );
        assert_eq!(
            render("<P>one<DIV>two</DIV>"),
            "html(body(p(\"one\")div(\"two\")))"
        );
        assert_eq!(
            render("<table><tr><td>a<td>b<tr><td>c</table>"),
            "html(body(table(tr(td(\"a\")td(\"b\"))tr(td(\"c\")))))"
        );
    }

    #[test]
    fn stray_end_tags() {
        // A stray inline end tag does not close a block.
        assert_eq!(
            render("<div><span>a</div>b</span>"),
            "html(body(div(span(\"a\"))\"b\"))"
        );
        assert_eq!(
            render("<div>a</section>b</div>"),
            "html(body(div(\"a\"\"b\")))"
        );
        assert_eq!(render("<h2>a<h3>b</h3>"), "html(body(h2(\"a\")h3(\"b\")))");
    }

    #[test]
    fn raw_text_and_comments() {
        assert_eq!(
            render("<p>a<script>var s = '<p>x</p>';</script><style>p{}</style><!-- <p>c</p> -->b"),
            "html(body(p(\"a\"script()style()\"b\")))"
        );
        assert_eq!(
            render("<script type=\"application/ld+json\">{\"a\":\"<b>\"}</script>"),
            "html(head(script(\"{\"a\":\"<b>\"}\")))"
        );
        assert_eq!(
            render("<svg><g><path/></g></svg><p>x"),
            "html(body(svg()p(\"x\")))"
        );
        assert_eq!(render("a < b"), "html(body(\"a < b\"))");
    }

    #[test]
    fn attributes_and_entities() {
        let d = Dom::parse(
            "<div CLASS='a b' data-x=1 id=main hidden>x&nbsp;&copy 2&#8217;s &#x2014; &bogus;</div>",
        );
        let Some(Ev::Open(e)) = d
            .evs
            .iter()
            .find(|e| matches!(e, Ev::Open(e) if e.tag == "div"))
        else {
            panic!("no div");
        };
        assert_eq!(e.attr("class"), Some("a b"));
        assert_eq!(e.attr("id"), Some("main"));
        assert_eq!(e.attr("hidden"), Some(""));
        assert_eq!(e.attr("data-x"), None);
        let text: String = d
            .evs
            .iter()
            .filter_map(|e| match e {
                Ev::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        assert_eq!(text, "x\u{a0}© 2’s — &bogus;");
        assert_eq!(decode_entities("a&amp;b", true), "a&b");
        assert_eq!(decode_entities("?a=1&copy=2", true), "?a=1&copy=2");
        assert_eq!(decode_entities("&#128;", false), "€");
    }

    #[test]
    fn truncated_and_deep_input() {
        assert_eq!(render("<p>a<div class=\"x"), "html(body(p(\"a\")))");
        assert_eq!(render("<p>a<script>var x"), "html(body(p(\"a\"script())))");
        let deep = "<div>".repeat(50_000) + "x";
        let d = Dom::parse(&deep);
        assert_eq!(d.evs.len(), 2 + 2 + 100_000 + 1);
        let stray = "<div>".repeat(20_000) + &"</section>".repeat(20_000);
        assert!(Dom::parse(&stray).evs.len() > 40_000);
    }
}
