//! Alert rules: what to watch, when to fire, once per episode.
//!
//! A rule names **what** to watch; every criterion given must hold (AND), and within a list
//! any entry may match (OR):
//! - `countries`: ISO3 codes; the event's source, target or location country is one of them;
//! - `actors`: actor code prefixes (`KENGOV`, `RUS`, `IGOUNO`); the source, target or a
//!   party code starts with one of them;
//! - `near`: a place and radius (`{ lat, lon, radius_km }`); the event's location is within
//!   the radius (great-circle distance);
//! - `plover`: PLOVER types (`PROTEST`, `ASSAULT`), case-insensitive;
//! - `quad_class`: QuadClass values 1–4;
//! - `min_sources`: the event's article has at least this many sources (mentions) when the
//!   event is evaluated (default 1).
//!
//! And **when** to fire (`trigger`):
//! - `any`: a matching event. An *episode* is a run of matching events in which no two
//!   consecutive ones are more than `cooldown_hours` apart (default 24); the first event of
//!   an episode fires, the rest of it is quiet.
//! - `spike`: the rule's daily value rises `sigmas` standard deviations over its own trailing
//!   baseline. The value of a day (UTC, the day the events were processed) is either
//!   `count` (matching events) or `goldstein` (the sum of −Goldstein over matching events, so
//!   conflict raises it and cooperation lowers it). The baseline is the `window_days` days
//!   before today (default 28; days without events count as 0; days before the rule first
//!   saw an event are not counted). Today fires when
//!   `value ≥ mean + sigmas × max(sd, 1)` and `value ≥ min_value`, with at least
//!   `min_days` days of baseline (default 7). An *episode* is a run of consecutive days
//!   above the threshold: it fires once, on the first such day.
//!
//! The rule's state (last match, daily series, current episode) is kept in the database
//! (`Store::alert_state`), so a restart neither repeats nor forgets an episode; the fired
//! alert is stored with its episode key (`Store::insert_alert`, unique per rule and episode).
//!
//! Rules come from a TOML file ([`load_rules`]) or from the API (the same [`AlertRule`] type,
//! serialisable as JSON). Delivery (webhook, stdout) is [`crate::deliver`]'s job.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration as ChronoDuration, NaiveDate, Utc};
use outpost_core::Event;
use outpost_store::Store;
use outpost_store::watch::NewAlert;
use serde::{Deserialize, Serialize};

use crate::error::WatchError;

/// A place and a radius.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Near {
    /// Latitude (degrees).
    pub lat: f64,
    /// Longitude (degrees).
    pub lon: f64,
    /// Radius in kilometres.
    pub radius_km: f64,
}

/// When a rule fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// Any matching event (once per episode).
    #[default]
    Any,
    /// A daily value over its trailing baseline.
    Spike,
}

/// The daily value a spike rule follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Matching events per day.
    #[default]
    Count,
    /// Σ −Goldstein of the matching events per day.
    Goldstein,
}

/// One alert rule (TOML `[[alert]]` table or API JSON object).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRule {
    /// Unique name; the key of its state and alerts.
    pub name: String,
    /// ISO3 countries (source, target or location).
    #[serde(default)]
    pub countries: Vec<String>,
    /// Actor code prefixes.
    #[serde(default)]
    pub actors: Vec<String>,
    /// A place and radius.
    #[serde(default)]
    pub near: Option<Near>,
    /// PLOVER types.
    #[serde(default)]
    pub plover: Vec<String>,
    /// QuadClass values.
    #[serde(default)]
    pub quad_class: Vec<u8>,
    /// Minimum sources of the event's article.
    #[serde(default = "one")]
    pub min_sources: u64,
    /// When to fire.
    #[serde(default)]
    pub trigger: Trigger,
    /// `any`: hours of quiet that end an episode.
    #[serde(default = "default_cooldown")]
    pub cooldown_hours: f64,
    /// `spike`: the daily value followed.
    #[serde(default)]
    pub metric: Metric,
    /// `spike`: baseline days.
    #[serde(default = "default_window")]
    pub window_days: u32,
    /// `spike`: standard deviations over the baseline mean.
    #[serde(default = "default_sigmas")]
    pub sigmas: f64,
    /// `spike`: the least value that can fire.
    #[serde(default = "default_min_value")]
    pub min_value: f64,
    /// `spike`: the least baseline days needed before firing.
    #[serde(default = "default_min_days")]
    pub min_days: u32,
}

fn one() -> u64 {
    1
}
fn default_cooldown() -> f64 {
    24.0
}
fn default_window() -> u32 {
    28
}
fn default_sigmas() -> f64 {
    3.0
}
fn default_min_value() -> f64 {
    3.0
}
fn default_min_days() -> u32 {
    7
}

impl AlertRule {
    /// A rule with this name that fires on any event (no criteria yet).
    pub fn any(name: &str) -> AlertRule {
        AlertRule {
            name: name.to_owned(),
            countries: Vec::new(),
            actors: Vec::new(),
            near: None,
            plover: Vec::new(),
            quad_class: Vec::new(),
            min_sources: 1,
            trigger: Trigger::Any,
            cooldown_hours: default_cooldown(),
            metric: Metric::Count,
            window_days: default_window(),
            sigmas: default_sigmas(),
            min_value: default_min_value(),
            min_days: default_min_days(),
        }
    }

    /// A rule from its JSON form (the API's and the database's), checked.
    pub fn from_json(v: serde_json::Value) -> Result<AlertRule, String> {
        let rule: AlertRule = serde_json::from_value(v).map_err(|e| e.to_string())?;
        rule.validate()?;
        Ok(rule)
    }

    /// Checks the rule's values.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() || self.name.contains('\0') {
            return Err("a rule needs a name".into());
        }
        if let Some(n) = self.near
            && !((-90.0..=90.0).contains(&n.lat)
                && (-180.0..=180.0).contains(&n.lon)
                && n.radius_km.is_finite()
                && n.radius_km > 0.0)
        {
            return Err(format!("rule {}: bad near {n:?}", self.name));
        }
        if let Some(q) = self.quad_class.iter().find(|q| !(1..=4).contains(*q)) {
            return Err(format!("rule {}: quad_class {q} is not 1-4", self.name));
        }
        let positive = |v: f64| v.is_finite() && v > 0.0;
        if !positive(self.cooldown_hours) || !positive(self.sigmas) || !self.min_value.is_finite() {
            return Err(format!(
                "rule {}: cooldown_hours and sigmas must be > 0, min_value finite",
                self.name
            ));
        }
        if self.window_days == 0 || self.min_days > self.window_days {
            return Err(format!(
                "rule {}: need 0 < min_days <= window_days",
                self.name
            ));
        }
        Ok(())
    }

    /// Whether an event matches the rule's criteria (all but `min_sources`).
    pub fn matches(&self, e: &Event) -> bool {
        let mut countries = [
            e.source.country.as_deref(),
            e.target.as_ref().and_then(|t| t.country.as_deref()),
            e.location.as_ref().and_then(|l| l.country.as_deref()),
        ]
        .into_iter()
        .flatten();
        if !self.countries.is_empty()
            && !countries.any(|c| self.countries.iter().any(|w| w.eq_ignore_ascii_case(c)))
        {
            return false;
        }
        if !self.actors.is_empty() {
            let mut codes = std::iter::once(e.source.code.as_str())
                .chain(e.target.as_ref().map(|t| t.code.as_str()))
                .chain(e.parties.iter().map(|p| p.code.as_str()));
            let hit = codes.any(|c| {
                self.actors.iter().any(|p| {
                    !p.is_empty()
                        && c.len() >= p.len()
                        && c.is_char_boundary(p.len())
                        && c[..p.len()].eq_ignore_ascii_case(p)
                })
            });
            if !hit {
                return false;
            }
        }
        if let Some(n) = self.near {
            match &e.location {
                Some(l) if km_between(n.lat, n.lon, l.lat, l.lon) <= n.radius_km => {}
                _ => return false,
            }
        }
        if !self.plover.is_empty()
            && !self
                .plover
                .iter()
                .any(|p| p.eq_ignore_ascii_case(&e.plover))
        {
            return false;
        }
        if !self.quad_class.is_empty() && !self.quad_class.contains(&e.quad_class) {
            return false;
        }
        true
    }
}

/// Great-circle distance in km (haversine, mean Earth radius).
pub fn km_between(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

/// An alerts file: `[[alert]]` rules plus where to deliver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsFile {
    /// Webhook URL: each fired alert is POSTed there as JSON.
    #[serde(default)]
    pub webhook: Option<String>,
    /// Print each fired alert as a JSON line on stdout.
    #[serde(default)]
    pub stdout: bool,
    /// The rules.
    #[serde(default)]
    pub alert: Vec<AlertRule>,
}

/// Parses an alerts TOML text (`file` names it in errors); checks every rule and that
/// names are unique.
pub fn load_rules(text: &str, file: &str) -> Result<AlertsFile, WatchError> {
    let parsed: AlertsFile = toml::from_str(text).map_err(|e| WatchError::Config {
        file: file.to_owned(),
        msg: crate::config::toml_error(text, &e),
    })?;
    let mut names = std::collections::HashSet::new();
    for r in &parsed.alert {
        r.validate().map_err(|msg| WatchError::Config {
            file: file.to_owned(),
            msg,
        })?;
        if !names.insert(r.name.as_str()) {
            return Err(WatchError::Config {
                file: file.to_owned(),
                msg: format!("rule name {:?} is used twice", r.name),
            });
        }
    }
    Ok(parsed)
}

/// Checks a rule and stores it in the database (the API's and `outpost alert add`'s way in);
/// a running watcher picks it up within its reload period.
pub fn save_rule(store: &mut Store, rule: &AlertRule) -> Result<(), WatchError> {
    rule.validate().map_err(|msg| WatchError::Config {
        file: "<rule>".into(),
        msg,
    })?;
    let v = serde_json::to_value(rule).map_err(|e| WatchError::Internal(e.to_string()))?;
    store.put_alert_rule(&rule.name, &v)?;
    Ok(())
}

/// An alert that fired (stored already).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiredAlert {
    /// Its id in the store.
    pub id: i64,
    /// The rule's name.
    pub rule: String,
    /// The episode key.
    pub episode: String,
    /// One-line summary.
    pub title: String,
    /// Details: trigger, figures, matching event ids and evidence.
    pub details: serde_json::Value,
}

/// A rule's stored state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct RuleState {
    /// `any`: when the last matching event was seen (Unix ms).
    #[serde(default)]
    last_match_ms: Option<i64>,
    /// `any`: the current episode's key.
    #[serde(default)]
    episode: Option<String>,
    /// `spike`: daily values, `YYYY-MM-DD` → (count, Σ −goldstein).
    #[serde(default)]
    days: BTreeMap<NaiveDate, (f64, f64)>,
    /// `spike`: the first day the rule saw a matching event.
    #[serde(default)]
    first_day: Option<NaiveDate>,
    /// `spike`: the last day that was above the threshold.
    #[serde(default)]
    last_above: Option<NaiveDate>,
}

/// Evaluates `rules` on events just stored, now. See [`evaluate_alerts_at`].
pub fn evaluate_alerts(
    store: &mut Store,
    rules: &[AlertRule],
    new_events: &[Event],
) -> Result<Vec<FiredAlert>, WatchError> {
    evaluate_alerts_at(store, rules, new_events, Utc::now())
}

fn event_summary(e: &Event) -> serde_json::Value {
    serde_json::json!({
        "id": e.id,
        "date": e.date.map(|d| d.to_string()),
        "plover": e.plover,
        "cameo": e.cameo,
        "goldstein": e.goldstein,
        "quad_class": e.quad_class,
        "source": e.source.code,
        "target": e.target.as_ref().map(|t| t.code.clone()),
        "location": e.location.as_ref().map(|l| l.name.clone()),
        "country": e.location.as_ref().and_then(|l| l.country.clone()),
        "article_id": e.evidence.article_id,
        "evidence": e.evidence.text,
    })
}

/// Evaluates `rules` on `new_events` (events just stored, each once) as of `now`, updates
/// each rule's stored state and stores the alerts that fire (at most one per rule and
/// episode). Returns the alerts stored by this call.
pub fn evaluate_alerts_at(
    store: &mut Store,
    rules: &[AlertRule],
    new_events: &[Event],
    now: DateTime<Utc>,
) -> Result<Vec<FiredAlert>, WatchError> {
    let mut fired = Vec::new();
    if rules.is_empty() {
        return Ok(fired);
    }
    // Sources per article, asked once for the articles of these events.
    let mut ids: Vec<String> = new_events
        .iter()
        .map(|e| e.evidence.article_id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    let need_sources = rules.iter().any(|r| r.min_sources > 1);
    let sources: std::collections::HashMap<String, u64> = if need_sources {
        store.mention_counts(&ids)?.into_iter().collect()
    } else {
        std::collections::HashMap::new()
    };
    for rule in rules {
        let matching: Vec<&Event> = new_events
            .iter()
            .filter(|e| rule.matches(e))
            .filter(|e| {
                rule.min_sources <= 1
                    || sources.get(&e.evidence.article_id).copied().unwrap_or(0) >= rule.min_sources
            })
            .collect();
        if matching.is_empty() {
            continue;
        }
        let mut state: RuleState = match store.alert_state(&rule.name)? {
            Some(v) => serde_json::from_value(v).unwrap_or_default(),
            None => RuleState::default(),
        };
        let alert = match rule.trigger {
            Trigger::Any => any_trigger(rule, &mut state, &matching, now),
            Trigger::Spike => spike_trigger(rule, &mut state, &matching, now),
        };
        store.put_alert_state(
            &rule.name,
            &serde_json::to_value(&state).map_err(|e| WatchError::Internal(e.to_string()))?,
        )?;
        if let Some(a) = alert
            && let Some(id) = store.insert_alert(&a)?
        {
            fired.push(FiredAlert {
                id,
                rule: a.rule,
                episode: a.episode,
                title: a.title,
                details: a.details,
            });
        }
    }
    Ok(fired)
}

fn any_trigger(
    rule: &AlertRule,
    state: &mut RuleState,
    matching: &[&Event],
    now: DateTime<Utc>,
) -> Option<NewAlert> {
    let now_ms = now.timestamp_millis();
    let cooldown_ms = (rule.cooldown_hours * 3_600_000.0) as i64;
    let new_episode = match (state.last_match_ms, &state.episode) {
        (Some(last), Some(_)) => now_ms.saturating_sub(last) > cooldown_ms,
        _ => true,
    };
    state.last_match_ms = Some(now_ms);
    if !new_episode {
        return None;
    }
    let episode = format!("any:{}", now.format("%Y-%m-%dT%H:%M:%S%.3fZ"));
    state.episode = Some(episode.clone());
    let first = matching[0];
    let title = format!(
        "{}: {} {} event{} ({}{})",
        rule.name,
        matching.len(),
        first.plover,
        if matching.len() == 1 { "" } else { "s" },
        first.source.code,
        first
            .location
            .as_ref()
            .map(|l| format!(", {}", l.name))
            .unwrap_or_default()
    );
    Some(NewAlert {
        rule: rule.name.clone(),
        episode,
        title,
        details: serde_json::json!({
            "trigger": "any",
            "cooldown_hours": rule.cooldown_hours,
            "events": matching.iter().map(|e| event_summary(e)).collect::<Vec<_>>(),
        }),
    })
}

fn spike_trigger(
    rule: &AlertRule,
    state: &mut RuleState,
    matching: &[&Event],
    now: DateTime<Utc>,
) -> Option<NewAlert> {
    let today = now.date_naive();
    let day = state.days.entry(today).or_insert((0.0, 0.0));
    for e in matching {
        day.0 += 1.0;
        day.1 -= e.goldstein;
    }
    let today_value = match rule.metric {
        Metric::Count => day.0,
        Metric::Goldstein => day.1,
    };
    let first_day = *state.first_day.get_or_insert(today);
    // Keep only the window (plus today).
    let window = i64::from(rule.window_days);
    let oldest = today - ChronoDuration::days(window);
    state.days.retain(|d, _| *d >= oldest);
    // Baseline: the window's days before today, from the rule's first day on.
    let mut values = Vec::new();
    for back in 1..=window {
        let d = today - ChronoDuration::days(back);
        if d < first_day {
            break;
        }
        let v = state.days.get(&d).map_or(0.0, |(c, g)| match rule.metric {
            Metric::Count => *c,
            Metric::Goldstein => *g,
        });
        values.push(v);
    }
    if values.len() < rule.min_days as usize {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    let threshold = mean + rule.sigmas * sd.max(1.0);
    if today_value < threshold || today_value < rule.min_value {
        return None;
    }
    let yesterday = today - ChronoDuration::days(1);
    let continuing = state
        .last_above
        .is_some_and(|d| d == today || d == yesterday);
    state.last_above = Some(today);
    if continuing {
        return None;
    }
    let metric = match rule.metric {
        Metric::Count => "count",
        Metric::Goldstein => "goldstein",
    };
    Some(NewAlert {
        rule: rule.name.clone(),
        episode: format!("spike:{today}"),
        title: format!(
            "{}: daily {metric} {today_value:.1} over baseline {mean:.1} ± {sd:.1} ({} days)",
            rule.name,
            values.len()
        ),
        details: serde_json::json!({
            "trigger": "spike",
            "metric": metric,
            "day": today.to_string(),
            "value": today_value,
            "baseline_mean": mean,
            "baseline_sd": sd,
            "baseline_days": values.len(),
            "threshold": threshold,
            "sigmas": rule.sigmas,
            "events": matching.iter().map(|e| event_summary(e)).collect::<Vec<_>>(),
        }),
    })
}
