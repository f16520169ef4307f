//! A small robots.txt parser (RFC 9309).
//!
//! Groups start with one or more `User-agent` lines; the group whose agent token is the
//! longest case-insensitive substring match of our product token (`outpost`) applies, else
//! the `*` group, else everything is allowed. Within a group the longest matching `Allow` or
//! `Disallow` path wins (an `Allow` wins a tie); paths support `*` (any run of characters)
//! and a final `$` (end of URL). `Crawl-delay` (seconds) is read too. Unknown lines and
//! comments are ignored; a malformed file never fails, it only yields fewer rules.
//!
//! Fetching and caching robots.txt is the fetcher's job (`crate::fetch`): a 4xx answer means
//! "allow all", a 5xx or unreachable server means "disallow all" for a short while.

/// The rules of one robots.txt for one user agent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    /// (allow?, path pattern), in file order.
    rules: Vec<(bool, String)>,
    /// `Crawl-delay` of the group, in seconds.
    pub crawl_delay: Option<f64>,
    /// Everything is disallowed (the server failed to answer for robots.txt).
    disallow_all: bool,
}

impl Robots {
    /// No rules: everything allowed.
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    /// Everything disallowed.
    pub fn disallow_all() -> Robots {
        Robots {
            disallow_all: true,
            ..Robots::default()
        }
    }

    /// Parses a robots.txt body for the agent whose product token is `agent` (e.g. `outpost`).
    pub fn parse(body: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        // (agents, rules, crawl-delay) per group.
        type Group = (Vec<String>, Vec<(bool, String)>, Option<f64>);
        let mut groups: Vec<Group> = Vec::new();
        let mut in_agents = false;
        for line in body.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if !in_agents || groups.is_empty() {
                        groups.push((Vec::new(), Vec::new(), None));
                    }
                    in_agents = true;
                    if let Some(g) = groups.last_mut() {
                        g.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut()
                        && !value.is_empty()
                    {
                        g.1.push((key == "allow", value.to_owned()));
                    }
                }
                "crawl-delay" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut() {
                        g.2 = value
                            .parse::<f64>()
                            .ok()
                            .filter(|d| d.is_finite() && *d >= 0.0);
                    }
                }
                _ => {}
            }
        }
        // The most specific group naming us, else `*`.
        let mut best: Option<(usize, usize)> = None; // (match length, group index)
        for (i, (agents, _, _)) in groups.iter().enumerate() {
            for a in agents {
                if a != "*"
                    && !a.is_empty()
                    && agent.contains(a.as_str())
                    && best.is_none_or(|(len, _)| a.len() > len)
                {
                    best = Some((a.len(), i));
                }
            }
        }
        let chosen = best.map(|(_, i)| i).or_else(|| {
            groups
                .iter()
                .position(|(agents, _, _)| agents.iter().any(|a| a == "*"))
        });
        // Several groups may name the same agent: merge them (RFC 9309 §2.2.1).
        let mut out = Robots::default();
        if let Some(i) = chosen {
            let names = groups[i].0.clone();
            let key = best.map(|_| ()).is_some();
            for (agents, rules, delay) in &groups {
                let same = if key {
                    agents.iter().any(|a| names.contains(a) && a != "*")
                } else {
                    agents.iter().any(|a| a == "*")
                };
                if same {
                    out.rules.extend(rules.iter().cloned());
                    if out.crawl_delay.is_none() {
                        out.crawl_delay = *delay;
                    }
                }
            }
        }
        out
    }

    /// Whether `path` (path and query of a URL, starting with `/`) may be fetched.
    pub fn allowed(&self, path: &str) -> bool {
        if self.disallow_all {
            return false;
        }
        if path == "/robots.txt" {
            return true;
        }
        let mut best: Option<(usize, bool)> = None;
        for (allow, pat) in &self.rules {
            if pattern_matches(pat, path) {
                let len = pat.len();
                let better = match best {
                    None => true,
                    Some((l, a)) => len > l || (len == l && *allow && !a),
                };
                if better {
                    best = Some((len, *allow));
                }
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Whether a robots.txt path pattern matches the start of `path`.
fn pattern_matches(pat: &str, path: &str) -> bool {
    let (pat, anchored) = match pat.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pat, false),
    };
    let parts: Vec<&str> = pat.split('*').collect();
    let Some((first, rest)) = parts.split_first() else {
        return true;
    };
    let Some(mut tail) = path.strip_prefix(first) else {
        return false;
    };
    if rest.is_empty() {
        return !anchored || tail.is_empty();
    }
    for (i, part) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        if last && anchored {
            return tail.ends_with(part);
        }
        match tail.find(part) {
            Some(at) => tail = &tail[at + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# a comment
User-agent: *
Disallow: /private/
Allow: /private/open
Crawl-delay: 2

User-agent: Outpost
User-agent: otherbot
Disallow: /no-outpost
Disallow: /*.pdf$
Allow: /no-outpost/but-this
Crawl-delay: 0.5
";

    #[test]
    fn our_group_wins_over_the_star_group() {
        let r = Robots::parse(FILE, "outpost");
        assert!(!r.allowed("/no-outpost/x"));
        assert!(r.allowed("/no-outpost/but-this/one"));
        assert!(r.allowed("/private/x"), "the * group does not apply to us");
        assert!(!r.allowed("/files/report.pdf"));
        assert!(r.allowed("/files/report.pdf?page=2"));
        assert_eq!(r.crawl_delay, Some(0.5));
        let other = Robots::parse(FILE, "somebot");
        assert!(!other.allowed("/private/x"));
        assert!(other.allowed("/private/open/1"));
        assert!(other.allowed("/no-outpost"));
        assert_eq!(other.crawl_delay, Some(2.0));
    }

    #[test]
    fn empty_disallow_and_junk_allow_everything() {
        assert!(Robots::parse("User-agent: *\nDisallow:\n", "outpost").allowed("/a"));
        assert!(Robots::parse("garbage\n\0\n:::\n", "outpost").allowed("/a"));
        assert!(Robots::parse("", "outpost").allowed("/"));
        let all = Robots::parse("User-agent: *\nDisallow: /\n", "outpost");
        assert!(!all.allowed("/"));
        assert!(!all.allowed("/news/1"));
        assert!(all.allowed("/robots.txt"));
        assert!(!Robots::disallow_all().allowed("/x"));
    }

    #[test]
    fn wildcards_match_like_the_rfc_says() {
        assert!(pattern_matches("/a/*/c", "/a/b/c/d"));
        assert!(!pattern_matches("/a/*/c$", "/a/b/c/d"));
        assert!(pattern_matches("/a/*/c$", "/a/b/c"));
        assert!(pattern_matches("*", "/anything"));
        assert!(pattern_matches("/$", "/"));
        assert!(!pattern_matches("/$", "/x"));
        assert!(!pattern_matches("/b", "/a"));
    }
}
