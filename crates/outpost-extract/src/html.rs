//! HTML extraction: main content by a readability-style score, plus metadata.
//!
//! One pass over the parsed tree collects text blocks (with link-text counts and their
//! container element) and metadata (meta tags, JSON-LD, `<time>`, canonical link,
//! `<html lang>`, headings, bylines). Subtrees that are furniture by tag (nav, header,
//! footer, aside, form, figure, script…) or by class/id/role (share, related, comments,
//! newsletter, ads…) produce no blocks. Paragraph-like blocks then score their ancestors;
//! the best container (discounted by link density) and its good siblings give the body.

use crate::dom::{Dom, Elem, Ev};
use crate::text::{
    ends_like_sentence, is_boilerplate, is_caption, is_doubled, is_prose, is_section_label,
    norm_ws, word_count,
};
use crate::{Draft, dates, wire::WireList};
use chrono::NaiveDate;
use regex::Regex;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)<(?:!doctype\s+html|html|head|body|meta|title|p|div|article|section|table|span|br|h[1-6]|ul|li|a\s|script|link|style|!--)[\s>/]")
        .expect("static regex")
});

/// True when a decoded prefix of a document looks like HTML.
pub fn looks_like_html(head: &str) -> bool {
    let t = head.trim_start();
    let near = &t[..floor_boundary(t, 1024)];
    (t.starts_with('<') && MARKUP.is_match(&t[..floor_boundary(t, 4096)])) || MARKUP.is_match(near)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Tags whose whole subtree is never content.
fn skip_tag(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "iframe"
            | "svg"
            | "button"
            | "select"
            | "option"
            | "template"
            | "textarea"
            | "input"
            | "label"
            | "object"
            | "embed"
            | "video"
            | "audio"
            | "canvas"
            | "map"
            | "head"
            | "title"
            | "figcaption"
    )
}

/// Tags that are furniture unless they hold most of the page's text (some sites wrap
/// the whole page in a `<form>` or `<header>`).
fn soft_skip_tag(tag: &str) -> bool {
    matches!(
        tag,
        "nav" | "header" | "footer" | "aside" | "form" | "figure" | "dialog" | "menu"
    )
}

/// Tags that start a new text block.
fn block_tag(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "caption"
            | "blockquote"
            | "pre"
            | "address"
            | "center"
            | "details"
            | "summary"
            | "fieldset"
            | "hr"
            | "br"
            | "body"
            | "html"
            | "picture"
            | "hgroup"
            | "figure"
            | "aside"
            | "nav"
            | "header"
            | "footer"
            | "form"
    )
}

/// Tags that are themselves paragraphs (their parent is the container that gets scored).
fn para_tag(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "li"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "dd"
            | "dt"
            | "address"
            | "th"
            | "caption"
            | "summary"
    )
}

/// Class/id tokens that always mark furniture.
const STRONG_NEG: &[&str] = &[
    "related",
    "share",
    "sharing",
    "sharebar",
    "social",
    "comment",
    "comments",
    "newsletter",
    "subscribe",
    "subscription",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "adsense",
    "dfp",
    "outbrain",
    "taboola",
    "promo",
    "promoted",
    "sponsored",
    "sponsor",
    "recommended",
    "recommendations",
    "readmore",
    "popular",
    "trending",
    "mostread",
    "breadcrumb",
    "breadcrumbs",
    "caption",
    "credit",
    "credits",
    "paywall",
    "signup",
    "login",
    "disqus",
    "byline",
    "author",
    "tags",
    "tag",
    "tagcloud",
    "modal",
    "popup",
    "print",
    "toolbar",
    "skip",
    "hidden",
    "visually",
    "sr",
    "screen",
    "offscreen",
    "banner",
];
/// Class/id tokens that mark furniture unless the element also looks like content.
const WEAK_NEG: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "header",
    "masthead",
    "sidebar",
    "widget",
    "aside",
    "rail",
    "foot",
    "pagination",
    "pager",
    "topbar",
    "utility",
];
/// Class/id tokens that lower a container's score without removing it.
const SOFT_NEG: &[&str] = &[
    "meta", "links", "more", "teaser", "teasers", "card", "cards", "list", "extra", "info",
];
/// Class/id tokens of content containers.
const POSITIVE: &[&str] = &[
    "article",
    "content",
    "entry",
    "main",
    "story",
    "body",
    "post",
    "text",
    "blog",
    "page",
    "column",
    "prose",
    "richtext",
    "articlebody",
    "storybody",
    "postbody",
    "entrycontent",
];

/// FNV-1a: a fast hash for the short class tokens looked up per element.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

#[derive(Debug, Clone, Copy)]
enum ClassKind {
    Strong,
    Weak,
    Positive,
    Soft,
}

/// Every class/id token of the lists above with its kind (strong before weak before
/// positive before soft when a token is in several lists).
static CLASS_KINDS: LazyLock<HashMap<&'static [u8], ClassKind, BuildHasherDefault<Fnv>>> =
    LazyLock::new(|| {
        let mut m = HashMap::default();
        for (list, kind) in [
            (STRONG_NEG, ClassKind::Strong),
            (WEAK_NEG, ClassKind::Weak),
            (POSITIVE, ClassKind::Positive),
            (SOFT_NEG, ClassKind::Soft),
        ] {
            for t in list {
                m.entry(t.as_bytes()).or_insert(kind);
            }
        }
        m
    });

/// ASCII-alphanumeric tokens of a class/id string (any other byte separates).
fn tokens(s: &str) -> impl Iterator<Item = &[u8]> + '_ {
    s.as_bytes()
        .split(|c| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
}

/// True when `hay` contains `needle` (ASCII, lower case) ignoring ASCII case.
fn ci_contains(hay: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    hay.len() >= n.len()
        && hay
            .as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n))
}

/// What an element's class, id, itemprop and role say about it.
#[derive(Debug, Clone, Copy, Default)]
struct ClassInfo {
    /// -1 furniture, +1 content, 0 neutral.
    signal: i32,
    /// True when the element is to be dropped (not only scored down).
    drop: bool,
    /// A byline/author element (`byline`, `author`, `authorname` tokens).
    byline: bool,
    /// A credit element (`source`, `dateline`, `agency`, `wire`, `byline` tokens).
    credit: bool,
    /// A readers' comment or comments section (`comment…` tokens, not `commentary`).
    comment: bool,
}

/// Read class, id, itemprop, role, hidden flags and inline style in one pass over their
/// tokens (no allocation per element).
fn class_signal(el: &Elem) -> ClassInfo {
    let mut strong = false;
    let mut weak = false;
    let mut soft = false;
    let mut pos = false;
    let mut byline = false;
    let mut credit = false;
    let mut comment = false;
    let mut consider = |s: &str, scoring: bool| {
        let mut prev_read = false;
        for raw in tokens(s) {
            // Lower-case into a stack buffer: list entries are short, so a long token
            // only matters for the prefix checks.
            let mut buf = [0u8; 32];
            let n = raw.len().min(buf.len());
            buf[..n].copy_from_slice(&raw[..n]);
            buf[..n].make_ascii_lowercase();
            let t = &buf[..n];
            if matches!(t, b"author" | b"authorname")
                || (t.len() >= 6 && t.windows(6).any(|w| w == b"byline"))
            {
                byline = true;
            }
            if matches!(t, b"source" | b"dateline" | b"agency" | b"wire" | b"byline") {
                credit = true;
            }
            if t.starts_with(b"comment") && !t.starts_with(b"commentar") {
                comment = true;
            }
            if !scoring {
                continue;
            }
            let kind = if raw.len() <= buf.len() {
                CLASS_KINDS.get(t).copied()
            } else {
                None
            };
            match kind {
                Some(ClassKind::Strong) => strong = true,
                Some(ClassKind::Weak) => weak = true,
                Some(ClassKind::Positive) => pos = true,
                Some(ClassKind::Soft) => soft = true,
                None => {
                    if t.starts_with(b"comment") && !t.starts_with(b"commentar")
                        || t.starts_with(b"sidebar")
                        || t.starts_with(b"social")
                        || t.starts_with(b"share")
                        || t.starts_with(b"newsletter")
                        || t.starts_with(b"related")
                        || t.starts_with(b"advert")
                        || t.starts_with(b"promo")
                    {
                        strong = true;
                    }
                }
            }
            // "read more", "read also"…
            if prev_read && (t == b"more" || t == b"also") {
                strong = true;
            }
            prev_read = t == b"read";
        }
    };
    if let Some(c) = el.attr("class") {
        consider(c, true);
    }
    if let Some(i) = el.attr("id") {
        consider(i, true);
    }
    if let Some(p) = el.attr("itemprop") {
        consider(p, false);
    }
    if let Some(r) = el.attr("role") {
        let r = r.to_ascii_lowercase();
        if matches!(
            r.as_str(),
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "menu"
                | "menubar"
                | "dialog"
                | "alert"
                | "search"
        ) {
            strong = true;
        }
        if r == "main" || r == "article" {
            pos = true;
        }
    }
    if el.attr("aria-hidden") == Some("true") || el.attr("hidden").is_some() {
        strong = true;
    }
    if let Some(st) = el.attr("style")
        && (ci_contains(st, "none") || ci_contains(st, "hidden"))
    {
        let st = st.replace(' ', "").to_ascii_lowercase();
        if st.contains("display:none") || st.contains("visibility:hidden") {
            strong = true;
        }
    }
    let (signal, drop) = if strong || (weak && !pos) {
        (-1, true)
    } else if soft && !pos {
        (-1, false)
    } else if pos {
        (1, false)
    } else {
        (0, false)
    };
    ClassInfo {
        signal,
        drop,
        byline,
        credit,
        comment,
    }
}

#[derive(Debug)]
struct El<'a> {
    tag: &'a str,
    parent: usize,
    end: usize,
    text_len: usize,
    link_len: usize,
    score: f64,
    scored: bool,
    signal: i32,
}

#[derive(Debug)]
struct Block {
    text: String,
    container: usize,
    negs: Vec<usize>,
    link_len: usize,
    tag: String,
}

#[derive(Debug, Default)]
struct Meta {
    metas: Vec<(String, String)>,
    title: Option<String>,
    h1: Option<String>,
    canonical: Option<String>,
    jsonld: Vec<String>,
    times: Vec<(String, bool)>,
    lang: Option<String>,
    rel_authors: Vec<String>,
    bylines: Vec<String>,
    credits: Vec<String>,
}

const NONE: usize = usize::MAX;
/// How many ancestors a block's text is counted into (bounds the work on pathologically
/// deep, unclosed markup; real pages are far shallower).
const MAX_UP: usize = 256;

struct Walker<'a> {
    els: Vec<El<'a>>,
    blocks: Vec<Block>,
    stack: Vec<usize>,
    block_stack: Vec<usize>,
    skip_root: Option<usize>,
    neg_stack: Vec<usize>,
    link_depth: usize,
    buf: String,
    /// Whitespace was seen after the last word in `buf`.
    space: bool,
    buf_link: usize,
    meta: Meta,
    /// The outermost open readers'-comments element: bylines inside it are commenters.
    comment_root: Option<usize>,
}

/// Append `t` to `buf` with whitespace runs (across calls too) collapsed to one space and
/// no leading space: the same text `norm_ws` gives for the concatenation, in one pass.
fn push_normalized(buf: &mut String, space: &mut bool, t: &str) {
    let b = t.as_bytes();
    let mut i = 0;
    let mut run: Option<usize> = None;
    let flush_run = |buf: &mut String, space: &mut bool, st: usize, end: usize| {
        if *space && !buf.is_empty() {
            buf.push(' ');
        }
        *space = false;
        buf.push_str(&t[st..end]);
    };
    while i < b.len() {
        let c = b[i];
        let (is_space, width) = if c < 0x80 {
            (matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c), 1)
        } else {
            let ch = t[i..].chars().next().unwrap_or(' ');
            (
                ch.is_whitespace() || ch == '\u{200b}' || ch == '\u{feff}',
                ch.len_utf8(),
            )
        };
        if is_space {
            if let Some(st) = run.take() {
                flush_run(buf, space, st, i);
            }
            *space = true;
        } else if run.is_none() {
            run = Some(i);
        }
        i += width;
    }
    if let Some(st) = run {
        flush_run(buf, space, st, b.len());
    }
}

impl<'a> Walker<'a> {
    fn flush(&mut self) {
        self.space = false;
        if self.buf.is_empty() {
            self.buf_link = 0;
            return;
        }
        // `buf` is already whitespace-normalised (see `text`).
        let text = std::mem::replace(&mut self.buf, String::with_capacity(256));
        let link = std::mem::take(&mut self.buf_link);
        if text.is_empty() {
            return;
        }
        let Some(&container) = self.block_stack.last() else {
            return;
        };
        let len = text.chars().count();
        let mut a = container;
        let mut depth = 0;
        while a != NONE && depth < MAX_UP {
            let e = &mut self.els[a];
            e.text_len += len;
            e.link_len += link.min(len);
            a = e.parent;
            depth += 1;
        }
        self.blocks.push(Block {
            text,
            container,
            // Pathologically deep nesting: the outermost furniture ancestors are enough.
            negs: self.neg_stack.iter().take(16).copied().collect(),
            link_len: link.min(len),
            tag: self.els[container].tag.to_string(),
        });
    }

    fn open(&mut self, dom: &'a Dom<'a>, node: usize, el: &'a Elem<'a>) {
        let tag = el.tag;
        let idx = self.els.len();
        let parent = self.stack.last().copied().unwrap_or(NONE);
        let info = class_signal(el);
        let (signal, drop) = (info.signal, info.drop);
        self.els.push(El {
            tag,
            parent,
            end: idx + 1,
            text_len: 0,
            link_len: 0,
            score: 0.0,
            scored: false,
            signal,
        });
        self.stack.push(idx);
        if info.comment && self.comment_root.is_none() {
            self.comment_root = Some(idx);
        }
        self.collect_meta(dom, node, el, tag, info);
        if self.skip_root.is_none() {
            let protected = matches!(tag, "html" | "body" | "article" | "main");
            if skip_tag(tag) {
                // Inline furniture (a script, a button) does not split a paragraph.
                if matches!(tag, "figcaption" | "head" | "title") {
                    self.flush();
                }
                self.skip_root = Some(idx);
                return;
            }
            if soft_skip_tag(tag) || (drop && !protected) {
                self.flush();
                self.neg_stack.push(idx);
            }
        }
        if self.skip_root.is_some() {
            return;
        }
        if block_tag(tag) {
            self.flush();
            if tag != "br" && tag != "hr" {
                self.block_stack.push(idx);
            }
        } else if tag == "a" {
            self.link_depth += 1;
        } else if matches!(tag, "td" | "th") {
            // Cells of a row form one block; keep them apart as words.
            self.space = true;
        }
    }

    fn close(&mut self, el: &'a Elem<'a>) {
        let tag = el.tag;
        let Some(idx) = self.stack.pop() else { return };
        self.els[idx].end = self.els.len();
        if self.comment_root == Some(idx) {
            self.comment_root = None;
        }
        if self.skip_root == Some(idx) {
            self.skip_root = None;
            return;
        }
        if self.skip_root.is_some() {
            return;
        }
        if block_tag(tag) {
            if tag != "br" && tag != "hr" {
                self.flush();
                if self.block_stack.last() == Some(&idx) {
                    self.block_stack.pop();
                }
            }
        } else if tag == "a" {
            self.link_depth = self.link_depth.saturating_sub(1);
        }
        if self.neg_stack.last() == Some(&idx) {
            self.flush();
            self.neg_stack.pop();
        }
    }

    fn text(&mut self, t: &str) {
        if self.skip_root.is_some() {
            return;
        }
        push_normalized(&mut self.buf, &mut self.space, t);
        if self.link_depth > 0 {
            self.buf_link += t.trim().chars().count();
        }
    }

    fn collect_meta(
        &mut self,
        dom: &'a Dom<'a>,
        node: usize,
        el: &'a Elem<'a>,
        tag: &str,
        info: ClassInfo,
    ) {
        let text_of = |n: usize| -> String { norm_ws(&dom.text_of(n, 2000)) };
        match tag {
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .or_else(|| el.attr("itemprop"))
                    .or_else(|| el.attr("http-equiv"));
                if let (Some(k), Some(c)) = (key, el.attr("content")) {
                    self.meta
                        .metas
                        .push((k.trim().to_ascii_lowercase(), c.trim().to_string()));
                }
            }
            "link" => {
                let rel = el.attr("rel").unwrap_or("").to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical")
                    && let Some(h) = el.attr("href")
                {
                    self.meta
                        .canonical
                        .get_or_insert_with(|| h.trim().to_string());
                }
            }
            "script"
                if el
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                let mut s = String::new();
                for ev in dom.evs.get(node + 1..el.end).unwrap_or(&[]) {
                    if let Ev::Text(t) = ev {
                        s.push_str(t);
                    }
                }
                self.meta.jsonld.push(s);
            }
            "html" => {
                if let Some(l) = el.attr("lang").or_else(|| el.attr("xml:lang")) {
                    self.meta.lang.get_or_insert_with(|| l.to_string());
                }
            }
            "title" if self.meta.title.is_none() => {
                self.meta.title = Some(text_of(node));
            }
            "h1" if self.meta.h1.is_none() => {
                let t = text_of(node);
                if !t.is_empty() {
                    self.meta.h1 = Some(t);
                }
            }
            "time" => {
                if let Some(dt) = el.attr("datetime") {
                    let pub_marked = el.attr("pubdate").is_some()
                        || el
                            .attr("itemprop")
                            .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
                        || el
                            .attr("class")
                            .is_some_and(|c| c.to_ascii_lowercase().contains("publish"));
                    if self.meta.times.len() < 20 {
                        self.meta.times.push((dt.to_string(), pub_marked));
                    }
                }
            }
            _ => {}
        }
        let rel = el.attr("rel").unwrap_or("");
        if tag == "a"
            && self.comment_root.is_none()
            && rel
                .split_whitespace()
                .any(|r| r.eq_ignore_ascii_case("author"))
        {
            let t = text_of(node);
            if !t.is_empty() && t.len() < 80 {
                self.meta.rel_authors.push(t);
            }
        }
        if self.meta.bylines.len() < 10 && info.byline && self.comment_root.is_none() {
            let t = text_of(node);
            if !t.is_empty() && t.len() < 150 {
                self.meta.bylines.push(t);
            }
        }
        if self.meta.credits.len() < 10 && info.credit {
            let t = text_of(node);
            if !t.is_empty() && t.len() < 150 {
                self.meta.credits.push(t);
            }
        }
    }
}

/// Drop the blocks inside furniture elements (by tag or class), except furniture that
/// holds most of the page's prose (a page-wide `<form>` or a mislabelled wrapper); then
/// recount text and link lengths.
fn drop_furniture(els: &mut [El], blocks: &mut Vec<Block>) {
    let total: usize = blocks
        .iter()
        .map(|b| b.text.chars().count().saturating_sub(b.link_len))
        .sum();
    let big = |e: &El| (e.text_len.saturating_sub(e.link_len)) as f64 > 0.4 * total as f64;
    let keep: Vec<bool> = blocks
        .iter()
        .map(|b| b.negs.iter().all(|&n| big(&els[n])))
        .collect();
    let mut i = 0;
    blocks.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    for e in els.iter_mut() {
        e.text_len = 0;
        e.link_len = 0;
    }
    for b in blocks.iter() {
        let len = b.text.chars().count();
        let mut a = b.container;
        let mut depth = 0;
        while a != NONE && depth < MAX_UP {
            let e = &mut els[a];
            e.text_len += len;
            e.link_len += b.link_len;
            a = e.parent;
            depth += 1;
        }
    }
}

/// Initial score of a candidate container from its tag and class signal.
fn base_score(el: &El) -> f64 {
    let t = match el.tag {
        "div" | "article" | "main" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    };
    t + 25.0 * el.signal as f64
}

fn link_density(el: &El) -> f64 {
    if el.text_len == 0 {
        0.0
    } else {
        el.link_len as f64 / el.text_len as f64
    }
}

/// True when element `idx` lies inside one of `roots` (sorted, disjoint subtrees, as
/// `content_roots` returns them): a binary search, so long pages stay linear-ish.
fn in_range(els: &[El], roots: &[usize], idx: usize) -> bool {
    let k = roots.partition_point(|&r| r <= idx);
    k > 0 && idx < els[roots[k - 1]].end
}

/// Choose the content roots: the best-scoring container and its good siblings.
fn content_roots(els: &mut [El], blocks: &[Block]) -> Vec<usize> {
    for b in blocks {
        let len = b.text.chars().count();
        if len < 25 || b.tag.starts_with('h') && b.tag.len() == 2 {
            continue;
        }
        let commas = b.text.matches([',', '，', '、']).count();
        let content = 1.0 + commas as f64 + (len as f64 / 100.0).min(3.0);
        let mut a = if para_tag(&b.tag) {
            els[b.container].parent
        } else {
            b.container
        };
        let mut level = 0;
        while a != NONE && level < 5 {
            let e = &mut els[a];
            if !e.scored {
                e.scored = true;
                e.score = base_score(e);
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            e.score += content / div;
            a = e.parent;
            level += 1;
        }
    }
    let mut best: Option<(f64, usize)> = None;
    for (i, e) in els.iter().enumerate() {
        if e.scored && !matches!(e.tag, "html") {
            let f = e.score * (1.0 - link_density(e));
            if best.is_none_or(|(b, _)| f > b) {
                best = Some((f, i));
            }
        }
    }
    let Some((mut top_score, mut top)) = best else {
        return Vec::new();
    };
    // When several near-best candidates (e.g. one wrapper per paragraph) share an
    // ancestor, that ancestor is the real container.
    let mut alts: Vec<(f64, usize)> = els
        .iter()
        .enumerate()
        .filter(|(i, e)| *i != top && e.scored)
        .map(|(i, e)| (e.score * (1.0 - link_density(e)), i))
        .filter(|(f, _)| *f >= 0.75 * top_score)
        .collect();
    alts.sort_by(|a, b| b.0.total_cmp(&a.0));
    alts.truncate(5);
    if alts.len() >= 2 {
        let mut a = els[top].parent;
        while a != NONE && !matches!(els[a].tag, "body" | "html") {
            let inside = alts
                .iter()
                .filter(|(_, i)| a <= *i && *i < els[a].end)
                .count();
            if inside >= 2 {
                top = a;
                let e = &els[a];
                top_score = top_score.max(if e.scored {
                    e.score * (1.0 - link_density(e))
                } else {
                    0.0
                });
                break;
            }
            a = els[a].parent;
        }
    }
    // Climb while an ancestor's own content score rises again (the article is split into
    // several chunks, each with its own wrapper).
    {
        let mut last = els[top].score;
        let floor = last / 3.0;
        let mut a = els[top].parent;
        while a != NONE && !matches!(els[a].tag, "body" | "html") {
            let e = &els[a];
            if e.scored {
                if e.score < floor {
                    break;
                }
                if e.score > last && link_density(e) < 0.35 {
                    top = a;
                    top_score = top_score.max(e.score * (1.0 - link_density(e)));
                    break;
                }
                last = e.score;
            }
            a = e.parent;
        }
    }
    let parent = els[top].parent;
    if parent == NONE {
        return vec![top];
    }
    let threshold = (top_score * 0.2).max(10.0);
    let mut roots = Vec::new();
    // Children of `parent` in document order: walk preorder indices, skipping subtrees.
    let mut c = parent + 1;
    let end = els[parent].end;
    while c < end {
        let e = &els[c];
        let include = if c == top {
            true
        } else {
            let ld = link_density(e);
            let f = if e.scored { e.score * (1.0 - ld) } else { 0.0 };
            f >= threshold || (e.tag == "p" && e.signal >= 0 && e.text_len > 80 && ld < 0.25)
        };
        if include {
            roots.push(c);
        }
        c = e.end.max(c + 1);
    }
    roots
}

static BYLINE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)^(?:by\s+\S|written by|posted by|published(?-u:\b)|updated(?-u:\b)|last updated|posted(?-u:\b)|\d+\s+min(?:ute)?s?\s+read)")
        .expect("static regex")
});

/// Filter blocks inside the content roots into paragraphs.
fn paragraphs(els: &[El], blocks: &[Block], roots: &[usize], title: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut in_furniture = false;
    for b in blocks {
        if !in_range(els, roots, b.container) {
            continue;
        }
        let t = b.text.as_str();
        let len = t.chars().count().max(1);
        let ld = b.link_len as f64 / len as f64;
        let heading = matches!(b.tag.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        if is_section_label(t)
            || (ld > 0.3 && len < 60 && is_section_label(t.trim_end_matches(':')))
        {
            in_furniture = true;
            continue;
        }
        let prose = is_prose(t);
        if in_furniture {
            if prose && ld < 0.5 {
                in_furniture = false;
            } else {
                continue;
            }
        }
        if ld > 0.5 || is_boilerplate(t) || is_caption(t) || is_doubled(t) {
            continue;
        }
        if title.is_some_and(|ti| ti == t) || b.tag == "h1" {
            continue;
        }
        if !prose && !heading {
            let words = word_count(t);
            if words < 4 && !ends_like_sentence(t) {
                continue;
            }
            if BYLINE_LINE.is_match(t) && words < 20 {
                continue;
            }
            if dates::parse_any(t).is_some() && words < 8 {
                continue;
            }
        }
        if seen.insert(t) {
            out.push(t.to_string());
        }
    }
    // Trailing headings/short lines after the last prose paragraph are usually furniture.
    while out
        .last()
        .is_some_and(|l| !is_prose(l) && word_count(l) < 12)
    {
        out.pop();
    }
    out
}

/// Fallback when no container scored: every prose block outside furniture.
fn prose_blocks(blocks: &[Block]) -> Vec<String> {
    let mut seen = HashSet::new();
    blocks
        .iter()
        .filter(|b| is_prose(&b.text) && (b.link_len * 2) < b.text.len().max(1))
        .filter(|b| seen.insert(b.text.as_str()))
        .map(|b| b.text.clone())
        .collect()
}

#[derive(Default)]
struct LdInfo {
    published: Vec<NaiveDate>,
    modified: Vec<NaiveDate>,
    authors: Vec<String>,
    publisher: Option<String>,
    headline: Option<String>,
}

fn ld_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| ld_names(x, out)),
        Value::Object(o) => {
            if let Some(Value::String(n)) = o.get("name") {
                out.push(n.clone());
            }
        }
        _ => {}
    }
}

fn walk_ld(v: &Value, info: &mut LdInfo, depth: usize) {
    if depth > 6 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| walk_ld(x, info, depth + 1)),
        Value::Object(o) => {
            if let Some(Value::String(d)) = o.get("datePublished")
                && let Some(d) = dates::parse_any(d)
            {
                info.published.push(d);
            }
            if let Some(Value::String(d)) = o.get("dateModified")
                && let Some(d) = dates::parse_any(d)
            {
                info.modified.push(d);
            }
            let articleish = o.contains_key("datePublished") || o.contains_key("headline");
            if articleish {
                if let Some(a) = o.get("author") {
                    ld_names(a, &mut info.authors);
                }
                if info.publisher.is_none()
                    && let Some(Value::Object(p)) = o.get("publisher")
                    && let Some(Value::String(n)) = p.get("name")
                {
                    info.publisher = Some(n.clone());
                }
                if info.headline.is_none()
                    && let Some(Value::String(h)) = o.get("headline")
                {
                    info.headline = Some(norm_ws(h));
                }
            }
            for (k, x) in o {
                if matches!(
                    k.as_str(),
                    "@graph" | "mainEntity" | "itemListElement" | "hasPart"
                ) {
                    walk_ld(x, info, depth + 1);
                }
            }
        }
        _ => {}
    }
}

static LD_PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r#""datePublished"\s*:\s*"([^"]{6,40})""#).expect("static regex")
});

fn parse_jsonld(scripts: &[String]) -> LdInfo {
    let mut info = LdInfo::default();
    for s in scripts {
        match serde_json::from_str::<Value>(s.trim()) {
            Ok(v) => walk_ld(&v, &mut info, 0),
            Err(_) => {
                // Broken JSON (trailing commas, raw newlines): still read the date.
                for c in LD_PUBLISHED.captures_iter(s) {
                    if let Some(d) = dates::parse_any(&c[1]) {
                        info.published.push(d);
                    }
                }
            }
        }
    }
    info
}

const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.created",
    "dcterms.date",
    "dcterms.issued",
    "sailthru.date",
    "parsely-pub-date",
    "citation_publication_date",
    "citation_date",
    "originalpublicationdate",
    "article.published",
    "datecreated",
    "created",
    "date_published",
    "article_date_original",
    "cxenseparse:recs:publishtime",
    "og:pubdate",
    "pdate",
    "displaydate",
    "dc.date.published",
];
const MODIFIED_KEYS: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "modified_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
    "dc.date.modified",
    "article.updated",
    "updated_time",
];
const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "sailthru.author",
    "parsely-author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "byline",
    "og:article:author",
    "citation_author",
];
const LANG_KEYS: &[&str] = &[
    "content-language",
    "og:locale",
    "language",
    "dc.language",
    "inlanguage",
];

static BY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)^(?:by|written by|posted by|words by|author:?|reporting by)\s+")
        .expect("static regex")
});
static NAME_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)\s*(?:[|•·,]|(?-u:\b)updated(?-u:\b)|(?-u:\b)published(?-u:\b)|(?-u:\b)posted(?-u:\b)|(?-u:\b)on(?-u:\b)\s+\w+\s+\d|\s(?:on|at)\s+(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*(?-u:\b)|\d{1,2}[:/.]\d|(?-u:\b)(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d).*$")
        .expect("static regex")
});

static DOMAIN_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)\.(?:com|net|org|co|uk|info|news|ru|de|fr|in|ng)$").expect("static regex")
});

/// A bare date line ("November 20, 2019 - 11:28 AMT") just above or below the headline
/// (the first `<h1>` block, else the block that repeats the title).
fn date_near_headline(blocks: &[Block], title: Option<&str>) -> Option<NaiveDate> {
    let at = blocks
        .iter()
        .position(|b| b.tag == "h1")
        .or_else(|| title.and_then(|t| blocks.iter().position(|b| b.text == t)))?;
    let lo = at.saturating_sub(3);
    let hi = (at + 16).min(blocks.len());
    blocks[lo..hi]
        .iter()
        .filter(|b| b.text.len() < 80 && word_count(&b.text) <= 8)
        .find_map(|b| dates::parse_any(&b.text))
}

/// What a cleaned byline entry turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Author {
    /// A person's name (agency or site suffix removed), and the agency when the name
    /// carried one as its affiliation.
    Person(String, Option<String>),
    /// A wire agency (canonical name), alone or as the person's affiliation.
    Wire(String),
    /// The site itself, a desk or staff credit, or a role line.
    NotAPerson,
}

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
/// Last words of a collective credit rather than a person.
const COLLECTIVE: &[&str] = &[
    "staff",
    "team",
    "desk",
    "editors",
    "editorial",
    "newsroom",
    "services",
    "reporters",
    "bureau",
    "agency",
];

/// Lower-case alphanumeric words of a name or site (`Snopes.com` → `snopes com`).
fn name_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Classify one cleaned author entry: drop the site's own name, desks and staff
/// credits; turn an agency (alone, as a prefix such as "AP National Writer", or as an
/// affiliation suffix such as "Jane Roe Associated Press") into a wire credit; cut a site
/// name or weekday off the end of a name.
pub(crate) fn tidy_author(a: &str, site: Option<&str>, wires: &WireList) -> Author {
    if let Some(w) = wires.lookup(a).or_else(|| wires.standalone(a)) {
        return Author::Wire(w.to_string());
    }
    let mut words: Vec<&str> = a.split_whitespace().collect();
    if words.len() >= 2
        && let Some(w) = wires.lookup(words[0])
    {
        return Author::Wire(w.to_string());
    }
    let mut wire = None;
    // Affiliation suffixes: an agency, the site, a weekday.
    for k in (1..=3).rev() {
        if words.len() < k + 2 {
            continue;
        }
        let tail = words[words.len() - k..].join(" ");
        if let Some(w) = wires.lookup(&tail) {
            wire = Some(w.to_string());
            words.truncate(words.len() - k);
            break;
        }
        if let Some(site) = site {
            let tw: String = name_words(&tail).concat();
            if !tw.is_empty() && tw == name_words(site).concat() {
                words.truncate(words.len() - k);
                break;
            }
        }
    }
    if words.len() >= 3 && WEEKDAYS.contains(words.last().unwrap_or(&"")) {
        words.pop();
    }
    let name = name_case(&words.join(" "));
    let nw = name_words(&name);
    if nw.is_empty() || nw.last().is_some_and(|l| COLLECTIVE.contains(&l.as_str())) {
        return Author::NotAPerson;
    }
    if let Some(site) = site {
        let sw = name_words(site);
        let same = nw.concat() == sw.concat() || sw.starts_with(&nw) || nw.starts_with(&sw);
        if same {
            return Author::NotAPerson;
        }
    }
    // "Jane Roe Associated Press": the person is kept and the agency credited.
    Author::Person(name, wire)
}

/// Split and clean a byline into person names.
pub(crate) fn clean_authors(raw: &str) -> Vec<String> {
    let s = norm_ws(raw);
    let s = BY_PREFIX.replace(&s, "");
    let mut out = Vec::new();
    for part in s.split([',', '&', ';', '|']).flat_map(|p| p.split(" and ")) {
        let part = part.trim();
        // "Text: Jane Roe", "Reporter - Jane Roe": keep the name after a role label.
        let part = match part.rsplit_once(": ") {
            Some((label, name)) if word_count(label) <= 3 => name,
            _ => part,
        };
        let p = BY_PREFIX.replace(part, "");
        let p = NAME_TAIL.replace(&p, "");
        let p = p
            .trim()
            .trim_matches(|c: char| c.is_ascii_punctuation() && c != '.')
            .trim();
        let words = word_count(p);
        // Credentials after a comma ("Jane Roe, MS, RD") are not names.
        let credential = words == 1
            && (p.len() <= 4 && p.chars().all(|c| c.is_uppercase() || c == '.')
                || matches!(p, "PhD" | "Ph.D." | "MSc" | "Jr." | "Jr" | "Sr."));
        if p.is_empty()
            || credential
            || BY_PREFIX.is_match(&format!("{p} "))
            || words > 5
            || p.contains("://")
            || p.contains('@')
            || p.contains(['(', ')', '[', ']', '{', '}', '<', '>', '=', '/', '#'])
            || DOMAIN_LIKE.is_match(p)
            || p.chars().any(|c| c.is_ascii_digit())
            || !p.chars().next().is_some_and(char::is_uppercase)
        {
            continue;
        }
        out.push(name_case(p));
    }
    out
}

/// "LISA MASCARO" → "Lisa Mascaro"; names in mixed case are kept as written.
fn name_case(p: &str) -> String {
    if p.chars().any(char::is_lowercase) || !p.chars().any(char::is_uppercase) {
        return p.to_string();
    }
    p.split(' ')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Cut a site name prefix/suffix such as " | Site" or "Site - " off a title.
fn clean_title(title: &str, site: Option<&str>) -> String {
    let mut t = norm_ws(title);
    const SEPS: &[&str] = &[
        " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » ", " / ",
    ];
    for _ in 0..2 {
        let mut changed = false;
        for sep in SEPS {
            if let Some(pos) = t.rfind(sep) {
                let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
                let tail_is_site = site.is_some_and(|s| tail.trim().eq_ignore_ascii_case(s.trim()))
                    || (word_count(tail) <= 4 && word_count(head) >= word_count(tail) + 2);
                if tail_is_site && !head.trim().is_empty() {
                    t = head.trim().to_string();
                    changed = true;
                    break;
                }
            }
            if let Some(pos) = t.find(sep) {
                let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
                if site.is_some_and(|s| head.trim().eq_ignore_ascii_case(s.trim()))
                    && !tail.trim().is_empty()
                {
                    t = tail.trim().to_string();
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            break;
        }
    }
    t
}

/// A site name without a tagline ("Example News | Your daily source" → "Example News").
fn site_name(raw: &str) -> String {
    let s = norm_ws(raw.trim_start_matches('@'));
    for sep in [" | ", " - ", " – ", " — ", " : ", " · "] {
        if let Some((head, _)) = s.split_once(sep)
            && !head.trim().is_empty()
        {
            return head.trim().to_string();
        }
    }
    s
}

fn absolutize(href: &str, base: Option<&str>) -> Option<String> {
    let h = href.trim();
    if h.starts_with("http://") || h.starts_with("https://") {
        return Some(h.to_string());
    }
    if let Some(rest) = h.strip_prefix("//") {
        return Some(format!("https://{rest}"));
    }
    let base = base?;
    let (scheme, rest) = base.split_once("://")?;
    let host = rest.split('/').next()?;
    if h.starts_with('/') {
        Some(format!("{scheme}://{host}{h}"))
    } else {
        None
    }
}

/// Extract an HTML page.
pub fn extract(text: &str, doc_url: Option<&str>, wires: &WireList) -> Draft {
    let dom = Dom::parse(text);
    let mut w = Walker {
        els: Vec::with_capacity(2048),
        blocks: Vec::with_capacity(512),
        stack: Vec::new(),
        block_stack: Vec::new(),
        skip_root: None,
        neg_stack: Vec::new(),
        link_depth: 0,
        buf: String::new(),
        space: false,
        buf_link: 0,
        meta: Meta::default(),
        comment_root: None,
    };
    for (i, ev) in dom.evs.iter().enumerate() {
        match ev {
            Ev::Open(el) => w.open(&dom, i, el),
            Ev::Text(t) => w.text(t),
            Ev::Close(o) => {
                if let Some(Ev::Open(el)) = dom.evs.get(*o) {
                    w.close(el);
                }
            }
        }
    }
    w.flush();
    let Walker {
        mut els,
        mut blocks,
        meta,
        ..
    } = w;
    drop_furniture(&mut els, &mut blocks);

    let get = |keys: &[&str]| -> Vec<&str> {
        keys.iter()
            .flat_map(|k| {
                meta.metas
                    .iter()
                    .filter(move |(mk, _)| mk == k)
                    .map(|(_, v)| v.as_str())
            })
            .filter(|v| !v.is_empty())
            .collect()
    };
    let ld = parse_jsonld(&meta.jsonld);
    let mut draft = Draft {
        site: get(&["og:site_name", "application-name", "twitter:site"])
            .first()
            .map(|s| site_name(s))
            .filter(|s| !s.is_empty())
            .or_else(|| ld.publisher.clone()),
        ..Draft::default()
    };
    draft.url = meta
        .canonical
        .as_deref()
        .and_then(|c| absolutize(c, doc_url))
        .or_else(|| {
            get(&["og:url"])
                .first()
                .and_then(|u| absolutize(u, doc_url))
        })
        .or_else(|| doc_url.map(str::to_string));

    // Title.
    let raw_title = get(&["og:title", "twitter:title"])
        .into_iter()
        .map(str::to_string)
        .find(|t| word_count(t) >= 2)
        .or_else(|| ld.headline.clone())
        .or_else(|| meta.h1.clone().filter(|h| word_count(h) >= 2))
        .or_else(|| meta.title.clone());
    draft.title = raw_title
        .map(|t| clean_title(&t, draft.site.as_deref()))
        .filter(|t| !t.is_empty());

    // Body.
    let roots = content_roots(&mut els, &blocks);
    let title_ref = draft.title.as_deref().or(meta.h1.as_deref());
    let mut paras = if roots.is_empty() {
        Vec::new()
    } else {
        paragraphs(&els, &blocks, &roots, title_ref)
    };
    if paras.iter().map(|p| p.len()).sum::<usize>() < 200 {
        let fallback = prose_blocks(&blocks);
        if fallback.iter().map(|p| p.len()).sum::<usize>()
            > paras.iter().map(|p| p.len()).sum::<usize>()
        {
            paras = fallback;
        }
    }
    draft.paragraphs = paras;

    // Dates: structured sources first (earliest credible), then <time>, URL, visible text.
    let mut published: Vec<NaiveDate> = ld.published.clone();
    published.extend(
        get(PUBLISHED_KEYS)
            .iter()
            .filter_map(|v| dates::parse_any(v)),
    );
    draft.date = published.iter().min().copied().or_else(|| {
        meta.times
            .iter()
            .find(|(_, p)| *p)
            .or_else(|| meta.times.first())
            .and_then(|(t, _)| dates::parse_any(t))
    });
    if draft.date.is_none() {
        draft.date = draft
            .url
            .as_deref()
            .and_then(dates::from_url)
            .or_else(|| doc_url.and_then(dates::from_url));
    }
    if draft.date.is_none() {
        draft.date = blocks
            .iter()
            .filter(|b| b.text.len() < 200)
            .find_map(|b| dates::from_visible(&b.text));
    }
    if draft.date.is_none() {
        draft.date = date_near_headline(&blocks, draft.title.as_deref());
    }
    let mut modified: Vec<NaiveDate> = ld.modified.clone();
    modified.extend(
        get(MODIFIED_KEYS)
            .iter()
            .filter_map(|v| dates::parse_any(v)),
    );
    draft.modified = modified.into_iter().max();

    // Authors and wire.
    let mut authors: Vec<String> = Vec::new();
    let sources: Vec<Vec<String>> = vec![
        ld.authors.iter().flat_map(|a| clean_authors(a)).collect(),
        get(AUTHOR_KEYS)
            .iter()
            .flat_map(|a| clean_authors(a))
            .collect(),
        meta.rel_authors
            .iter()
            .flat_map(|a| clean_authors(a))
            .collect(),
        meta.bylines.iter().flat_map(|a| clean_authors(a)).collect(),
    ];
    let mut credited: Option<String> = None;
    for src in sources {
        if !authors.is_empty() {
            break;
        }
        for a in src {
            match tidy_author(&a, draft.site.as_deref(), wires) {
                Author::Wire(wn) => {
                    credited.get_or_insert(wn);
                }
                Author::Person(p, wire) => {
                    if let Some(wn) = wire {
                        credited.get_or_insert(wn);
                    }
                    if !authors.iter().any(|x| x.eq_ignore_ascii_case(&p)) {
                        authors.push(p);
                    }
                }
                Author::NotAPerson => {}
            }
        }
    }
    draft.authors = authors;
    draft.wire = crate::dump::wire_from_paragraphs(&draft.paragraphs, wires)
        .or_else(|| {
            meta.credits
                .iter()
                .chain(meta.bylines.iter())
                .find_map(|c| wires.standalone(c).or_else(|| wires.credit_in_paragraph(c)))
                .map(str::to_string)
        })
        .or(credited);

    // Language hint.
    draft.lang_hint = meta
        .lang
        .clone()
        .or_else(|| get(LANG_KEYS).first().map(|s| s.to_string()));
    draft
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_cleaning() {
        assert_eq!(
            clean_title("Floods hit the valley | Daily Example", None),
            "Floods hit the valley"
        );
        assert_eq!(
            clean_title(
                "Daily Example - Floods hit the valley",
                Some("Daily Example")
            ),
            "Floods hit the valley"
        );
        assert_eq!(
            clean_title("Floods hit the valley - World - Example News", None),
            "Floods hit the valley"
        );
        assert_eq!(
            clean_title("Pro-Kremlin rally: what we know", None),
            "Pro-Kremlin rally: what we know"
        );
    }

    #[test]
    fn author_cleaning() {
        assert_eq!(
            clean_authors("By Jane Roe and John Doe"),
            vec!["Jane Roe", "John Doe"]
        );
        assert_eq!(
            clean_authors("By Jane Roe | Updated July 3, 2021"),
            vec!["Jane Roe"]
        );
        assert!(clean_authors("https://facebook.com/someone").is_empty());
        assert_eq!(clean_authors("Text: Jane Roe"), vec!["Jane Roe"]);
        assert_eq!(
            clean_authors("By Jane Roe - 11/19/19 06:56 AM EST"),
            vec!["Jane Roe"]
        );
        assert_eq!(clean_authors("Jane Roe, MS, RD"), vec!["Jane Roe"]);
        assert_eq!(
            clean_authors("By JANE ROE and JOHN DOE"),
            vec!["Jane Roe", "John Doe"]
        );
        assert_eq!(
            clean_authors("Jane Roe on Monday, March 2"),
            vec!["Jane Roe"]
        );
        assert!(clean_authors("Name (required)").is_empty());
        assert!(clean_authors("Example.com").is_empty());
        assert_eq!(
            site_name("Example Daily | Your source for news"),
            "Example Daily"
        );
    }

    #[test]
    fn html_detection() {
        assert!(looks_like_html("<!doctype html><html>"));
        assert!(looks_like_html("  <div class=x>hi</div>"));
        assert!(!looks_like_html("Plain words about 3 < 4 and more."));
    }
}
