//! Line-level text heuristics shared by the HTML and text-dump extractors: whitespace
//! normalisation, sentence-likeness, boilerplate lines, section labels, photo captions
//! and doubled headlines.

use regex::Regex;
use std::sync::LazyLock;

/// Compile a built-in pattern with a lazy-DFA cache big enough for the Unicode-aware
/// patterns used on every line (avoids rebuilding DFA states over and over).
pub(crate) fn re(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(32 << 20)
        .build()
}

/// Collapse runs of whitespace (including non-breaking spaces) into single spaces and trim.
pub fn norm_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    // Start of the current run of non-space text, if one is open.
    let mut run: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let (space, width) = if c < 0x80 {
            (matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c), 1)
        } else {
            let ch = s[i..].chars().next().unwrap_or(' ');
            (
                ch.is_whitespace() || ch == '\u{200b}' || ch == '\u{feff}',
                ch.len_utf8(),
            )
        };
        if space {
            if let Some(st) = run.take() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&s[st..i]);
            }
        } else if run.is_none() {
            run = Some(i);
        }
        i += width;
    }
    if let Some(st) = run {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[st..]);
    }
    out
}

/// Number of whitespace-separated words.
pub fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// True when the line ends like a sentence (`.`, `!`, `?`, `…`, closing quotes after those).
pub fn ends_like_sentence(s: &str) -> bool {
    let raw = s.trim_end();
    if raw.ends_with("[…]") || raw.ends_with("[...]") || raw.ends_with("»") && raw.len() < 40 {
        return false;
    }
    let t = s.trim_end_matches(|c: char| {
        matches!(c, '"' | '”' | '’' | '\'' | '»' | ')' | ']' | '*') || c.is_whitespace()
    });
    matches!(t.chars().last(), Some('.' | '!' | '?' | '…' | '。' | '！' | '？' | ':' | ';'))
        && !t.ends_with("...") // "Read more..." teasers
        || (t.ends_with("...") && word_count(t) >= 25)
}

/// A line that reads like prose: enough words and sentence punctuation (or just long).
pub fn is_prose(s: &str) -> bool {
    let words = word_count(s);
    let chars = s.chars().count();
    if words >= 40 || (chars >= 250 && words >= 25) {
        return true;
    }
    if is_cjk_heavy(s) {
        return chars >= 30 && ends_like_sentence(s);
    }
    words >= 7 && ends_like_sentence(s) && !s.trim_end().ends_with(':')
}

fn is_cjk_heavy(s: &str) -> bool {
    let mut cjk = 0usize;
    let mut total = 0usize;
    for c in s.chars().take(200) {
        if c.is_whitespace() {
            continue;
        }
        total += 1;
        if ('\u{3040}'..='\u{9fff}').contains(&c) || ('\u{ac00}'..='\u{d7af}').contains(&c) {
            cjk += 1;
        }
    }
    total > 0 && cjk * 2 > total
}

static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(concat!(
        r"(?i)^(?:",
        r"follow(?:ed)?\s*unfollow|follow|unfollow|following|share(?: this| on| via)?(?: article| story| page| post)?|",
        r"tweet|email|e-mail|print|reddit|whatsapp|linkedin|facebook|twitter|pinterest|telegram|copy link|copy|",
        r"comments?|\d+\s+comments?|leave a comment|show comments|add comment|",
        r"advertisement|advertising|ad|ads|sponsored|sponsored content|paid content|promoted|",
        r"published\s*:?\s*(?:updated\s*:?)?|updated\s*:?|last updated\s*:?|posted\s*:?|",
        r"skip to (?:main )?(?:content|article|navigation)|jump to|back to top|top of page|scroll to top|",
        r"sign in|log ?in|sign up|register|subscribe(?: now| today)?|menu|search|close|open|toggle navigation|more|less|",
        r"home|next|previous|prev|next article|previous article|loading\.*|listen|listen to (?:this )?article|",
        r"image|photo|video|play video|watch|gallery|view gallery|enlarge|expand|",
        r"(?:\d+ )?min(?:ute)?s? read|\d+\s*(?:min|minutes?) ago|\d+\s*hours? ago|just now",
        r")[\s.:!|·•\-–—]*$|",
        r"^(?:for the latest (?:headlines|news|updates)|get the latest (?:stories|news|headlines|updates)|",
        r"(?:sign up|subscribe) (?:for|to) (?:our|the)|share your thoughts|rating: \d|(?:click|tap) here|follow (?:us|@)|like us on|",
        r"join (?:our|us on)|download (?:our|the) app|this (?:web)?site uses cookies|we use cookies|",
        r"by (?:using|continuing to use) (?:this|our) (?:site|website)|accept (?:all )?cookies|cookie (?:policy|settings)|",
        r"all rights reserved|copyright ©|© ?\d{4}|\(c\) ?\d{4}|privacy policy|terms of (?:use|service)|",
        r"your (?:email|e-mail) address will not be published|required fields are marked|",
        r"(?:read|see) (?:more|also|the full story)\s*:|(?:also read|read also|related)\s*:|",
        r"you (?:may|might) (?:also )?(?:like|be interested)|recommended for you|trending now|",
        r"we(?:'|’)re sorry|your browser does not support|please enable javascript|javascript is (?:disabled|required)|",
        r"this (?:article|story) (?:was|is) (?:published|updated|originally)|",
        r"(?:image|photo|picture) (?:credit|courtesy)|(?:photo|image|picture)s?\s*:|",
        r"share (?:this|on|via)(?-u:\b)|story continues below|article continues below|continue reading|",
        r"you must be (?:logged|signed) in|log in to (?:reply|comment)|cancel reply|print this (?:article|page|story)|",
        r"leave a (?:reply|comment)|post a comment|sign in to comment|(?:view|show|load) (?:all |more )?comments|",
        r"save my name|notify me of (?:follow-up|new)|this site uses akismet|back to gallery|image [0-9]+ of [0-9]+\s*$|",
        r"[0-9]+\s*/\s*[0-9]+\s*$|these are external links|(?:opens|will open) in a new (?:window|tab)|(?:previous|next) (?:image|photo|slide)",
        r")|^(?:published|updated|posted)\s*:?\s*(?:on\s+)?(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)"
    ))
    .expect("static regex")
});

/// A line that is page furniture wherever it appears (share buttons, cookie notices,
/// "Published: Updated:", "For the latest headlines…", subscription prompts, …).
pub fn is_boilerplate(s: &str) -> bool {
    let t = s.trim();
    if t.is_empty() {
        return true;
    }
    // Lines made only of punctuation/symbols.
    if !t.chars().any(char::is_alphanumeric) {
        return true;
    }
    BOILERPLATE.is_match(t) || is_notice(t)
}

static SECTION_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(concat!(
        r"(?i)^[\s\p{P}]*(?:",
        r"read more|read also|also read|read next|see also|also see|more on this|more on this story|",
        r"related(?: articles?| stories| news| content| posts?| coverage| topics| links| reading| items)?|",
        r"more (?:stories|news|articles|headlines|from [\w .'’-]+|in [\w .'’-]+|like this|to explore|videos?)|",
        r"editor(?:'|’)?s?(?:'|’)? (?:choice|picks?)|top (?:content|stories|news|headlines|picks|videos?)|",
        r"most (?:read|popular|viewed|shared|commented|recent|watched)|trending(?: now| stories| news| topics)?|",
        r"recommended(?: for you| stories| articles| reading)?|you (?:may|might) (?:also )?like|",
        r"you (?:may|might) (?:also )?be interested in|before you go|explore more|don(?:'|’)t miss(?: out)?|",
        r"further reading|what to read next|up next|in other news|sponsored (?:content|stories|links)|",
        r"latest(?: news| stories| headlines| articles| posts| videos)?|popular(?: now| stories| posts)?|",
        r"from (?:around|across) the web|around the web|promoted stories|elsewhere on [\w .'’-]+|",
        r"trending in [\w .'’-]+|other news|recent posts|similar (?:articles|stories|posts)|",
        r"tags?|topics?|filed under|categories|share this(?: article| story)?|leave a reply|",
        r"(?:top rated |latest |recent |all |view |show |reader |readers(?:'|’) )?(?:\d+ )?(?:comments?|replies|responses|discussion)(?: \(?\d+\)?)?|",
        r"more [\w'’&-]+(?: [\w'’&-]+){0,3}|",
        r"about the author|newsletter|sign up for our newsletter|follow us|connect with us|",
        r"more from (?:the )?[\w .'’-]+|watch more|must read|must watch|highlights|what(?:'|’)s new",
        r")[\s\p{P}]*$"
    ))
    .expect("static regex")
});

/// A short label that opens a block of furniture ("Read more:", "Related", "Editor's
/// Choice", "Top Content", "Before you go", "Explore More", …).
pub fn is_section_label(s: &str) -> bool {
    let t = s.trim();
    t.len() <= 60 && SECTION_LABEL.is_match(t)
}

static COMMENTS_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)(?-u:\b)(?:comments?|replies|responses|discussion|leave a reply)(?-u:\b)")
        .expect("static regex")
});

/// A section label that opens the comments (everything after it is readers' text).
pub fn is_comments_label(s: &str) -> bool {
    is_section_label(s) && COMMENTS_LABEL.is_match(s)
}

static CONSENT: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)(?-u:\b)(?:cookies?|your (?:personal )?data|privacy policy|data protection|newsletters?|unsubscribe|terms (?:of|and) (?:use|service|conditions)|community (?:standards|guidelines)|inbox|delivered (?:right )?to you|news alerts|recaptcha|if you enjoyed this)(?-u:\b)")
        .expect("static regex")
});
static SECOND_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)(?-u:\b)(?:we|our|you|your)(?-u:\b)").expect("static regex")
});

static SITE_PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)(?-u:\b)(?:subscribe|sign up|subscription)(?-u:\b).*(?-u:\b)(?-i:our|us)(?-u:\b)|(?-u:\b)(?-i:[Oo]ur|us)(?-u:\b).*(?-u:\b)(?:subscribe|sign up|subscription|membership)(?-u:\b)")
        .expect("static regex")
});

/// A consent, privacy, newsletter or community-rules notice addressed to the reader, or
/// the site asking the reader to subscribe.
pub fn is_notice(s: &str) -> bool {
    s.len() < 400 && ((CONSENT.is_match(s) && SECOND_PERSON.is_match(s)) || SITE_PROMPT.is_match(s))
}

static CAPTION_AGENCY: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(concat!(
        r"\(\s*(?:(?:photo|file|image|picture|pic|video)\s*[:/]?\s*)?",
        r"(?:AFP|Reuters|REUTERS|AP|EPA|EPA-EFE|Getty(?: Images)?|AFP/Getty(?: Images)?|Shutterstock|Xinhua|Anadolu(?: Agency)?|TASS|Sputnik|Bloomberg|dpa|UPI|PA|Alamy)",
        r"(?:\s*(?i:/|via|photo|file)[^()]*)?\s*\)\s*\.?$"
    ))
    .expect("static regex")
});
static CAPTION_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(r"(?i)(?:photo|image|picture|pic|file photo|credit|photograph)\s*(?::|by|courtesy(?: of)?)\s*")
        .expect("static regex")
});
static CAPTION_TAKEN: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(concat!(
        r"(?i)(?-u:\b)taken (?:on )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? [0-9]{1,2},? [0-9]{4}(?-u:\b)",
        r"|(?-u:\b)in this (?:file )?(?:photo|picture|image)(?-u:\b)",
        r"|(?-u:\b)(?:photo|image|picture)\s*/\s*\w",
        r"|(?-u:\b)(?:photo|image|picture)s?\s*(?::|by)\s.*(?:copyright|©)"
    ))
    .expect("static regex")
});
static CAPTION_VIA: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::re(
        r"(?-u:\b)(?:via|courtesy of|credit:?)\s+[\p{Lu}@][\w.]*(?:\s+\p{Lu}[\w.]*){0,3}\s*$",
    )
    .expect("static regex")
});

/// A photo caption: ends with a photo credit ("(AFP)", "Photo: …", "… via Example"),
/// says "taken <date>", or opens with "In this photo…".
pub fn is_caption(s: &str) -> bool {
    let t = s.trim();
    if t.len() > 600 {
        return false;
    }
    if CAPTION_AGENCY.is_match(t) || CAPTION_TAKEN.is_match(t) {
        return true;
    }
    // "Photo: Jane Roe" / "Image by Example" as the line's short tail.
    if let Some(m) = CAPTION_LABEL.find_iter(t).last() {
        let tail = t[m.end()..].trim_end_matches('.');
        let n = tail.chars().count();
        if (2..=60).contains(&n) && !tail.contains('.') {
            return true;
        }
    }
    t.chars().count() <= 150 && CAPTION_VIA.is_match(t)
}

/// A line that is itself a headline printed twice ("X X"), as teaser blocks often are.
pub fn is_doubled(s: &str) -> bool {
    let t = s.trim();
    let n = t.len();
    if n < 9 || n.is_multiple_of(2) {
        return false;
    }
    let mid = n / 2;
    if !t.is_char_boundary(mid) || t.as_bytes()[mid] != b' ' {
        return false;
    }
    t[..mid] == t[mid + 1..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ws_normalised() {
        assert_eq!(norm_ws("  a \u{a0} b\n\tc "), "a b c");
        assert_eq!(norm_ws("x\u{200b}y\u{2003}é\u{feff}"), "x y é");
        assert_eq!(norm_ws(""), "");
        assert_eq!(norm_ws("one"), "one");
    }

    #[test]
    fn prose_vs_headline() {
        assert!(is_prose(
            "The harbour authority said on Monday that two cargo ships had collided near the pier."
        ));
        assert!(!is_prose("Harbour authority reports collision near pier"));
        assert!(!is_prose("Read more:"));
    }

    #[test]
    fn boilerplate_lines() {
        for s in [
            "Followed Unfollow",
            "Published: Updated:",
            "Share",
            "For the latest headlines, follow our channel on the app.",
            "Get the latest stories from Example Daily on your phone",
            "We use cookies to improve your experience.",
            "Advertisement",
            "5 min read",
            "...",
        ] {
            assert!(is_boilerplate(s), "{s}");
        }
        assert!(is_boilerplate(
            "Get our morning briefing delivered right to your inbox."
        ));
        assert!(is_boilerplate(
            "Support our reporting: subscribe today for full access."
        ));
        assert!(!is_boilerplate(
            "Officials said the bridge would reopen next week after repairs."
        ));
        assert!(!is_boilerplate(
            "Residents can sign up for the free bus pass at the town hall from Monday."
        ));
    }

    #[test]
    fn section_labels() {
        for s in [
            "Read more:",
            "Also Read",
            "Editor's Choice",
            "Top Content",
            "Before you go",
            "Explore More",
            "Related Articles",
            "MOST READ",
        ] {
            assert!(is_section_label(s), "{s}");
        }
        assert!(!is_section_label("Rescue teams reach flooded villages"));
    }

    #[test]
    fn captions() {
        assert!(is_caption(
            "Fishing boats moored in the harbour of Varna, taken March 3, 2019. (AFP)"
        ));
        assert!(is_caption(
            "Firefighters at the scene on Tuesday. (Reuters)"
        ));
        assert!(is_caption("The damaged terminal building. Photo: Jane Roe"));
        assert!(is_caption(
            "Divers search the river on Monday. The search resumes today. Photo: Jane Roe, Example Agency / Copyright 2020 Example. All rights reserved."
        ));
        assert!(!is_caption(
            "VARNA (Reuters) - Two ships collided on Tuesday."
        ));
    }

    #[test]
    fn doubled() {
        assert!(is_doubled("Storm closes ports Storm closes ports"));
        assert!(!is_doubled("Storm closes ports in the north"));
    }
}
