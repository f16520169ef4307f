//! Alert delivery: stdout and/or a webhook.
//!
//! Each fired alert is printed as one JSON line on stdout (when asked) and POSTed as a JSON
//! object to the webhook (when set): `{"id", "rule", "episode", "title", "details"}` with
//! `Content-Type: application/json`. A webhook answer other than 2xx, a timeout or a network
//! error is retried with exponential backoff and jitter ([`Delivery::retries`] times); the
//! outcome is stored with the alert (`Store::set_alert_delivery`); alerts whose delivery failed
//! are tried again when the next run starts.
//!
//! The webhook is configured by the operator, so it is not subject to the private-address
//! rule of feed fetching (a local relay such as `http://127.0.0.1:9000/hook` works); it is
//! never redirected.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use outpost_store::Store;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::alerts::FiredAlert;
use crate::fetch::{DEFAULT_USER_AGENT, backoff};
use crate::watcher::{Notice, NoticeSink};

/// Where fired alerts go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// Webhook URL (http or https).
    pub webhook: Option<String>,
    /// Print alerts as JSON lines on stdout.
    pub stdout: bool,
    /// Extra webhook attempts after a failure.
    pub retries: u32,
    /// Base of the backoff between webhook attempts.
    pub retry_base: Duration,
    /// Timeout of one webhook request.
    pub timeout: Duration,
}

impl Default for Delivery {
    fn default() -> Self {
        Delivery {
            webhook: None,
            stdout: false,
            retries: 4,
            retry_base: Duration::from_millis(500),
            timeout: Duration::from_secs(10),
        }
    }
}

/// POSTs one alert to `url`, retrying; `Err` holds the last error.
pub async fn post_alert(
    client: &reqwest::Client,
    url: &str,
    alert: &FiredAlert,
    d: &Delivery,
) -> Result<(), String> {
    let body = serde_json::to_vec(alert).map_err(|e| format!("alert as JSON: {e}"))?;
    let mut attempt = 0;
    loop {
        let res = client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.clone())
            .send()
            .await;
        let err = match res {
            Ok(r) if r.status().is_success() => return Ok(()),
            Ok(r) => format!("webhook answered {}", r.status().as_u16()),
            Err(e) => format!("webhook: {e}"),
        };
        if attempt >= d.retries {
            return Err(err);
        }
        tokio::time::sleep(backoff(d.retry_base, attempt, Duration::from_secs(60))).await;
        attempt += 1;
    }
}

/// Alerts whose webhook delivery failed in an earlier run are retried at start (the newest
/// [`RETRY_ON_START`] looked at).
pub const RETRY_ON_START: usize = 200;

/// Delivers alerts from `rx` until its senders are gone, recording each outcome: delivered
/// when the webhook took it, or when there is no webhook and it was printed.
pub(crate) async fn deliver_all(
    mut rx: mpsc::UnboundedReceiver<FiredAlert>,
    d: Delivery,
    state: Arc<Mutex<Store>>,
    notices: NoticeSink,
) {
    let client = reqwest::Client::builder()
        .user_agent(DEFAULT_USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(d.timeout)
        .build();
    if d.webhook.is_some() {
        let st = state.clone();
        let failed = tokio::task::spawn_blocking(move || {
            let s = st.lock().unwrap_or_else(PoisonError::into_inner);
            s.alerts(RETRY_ON_START)
        })
        .await;
        if let Ok(Ok(list)) = failed {
            for a in list
                .into_iter()
                .rev()
                .filter(|a| !a.delivered && a.delivery_error.is_some())
            {
                let alert = FiredAlert {
                    id: a.id,
                    rule: a.rule,
                    episode: a.episode,
                    title: a.title,
                    details: a.details,
                };
                deliver_one(&client, &alert, &d, false, &state, &notices).await;
            }
        }
    }
    while let Some(alert) = rx.recv().await {
        deliver_one(&client, &alert, &d, d.stdout, &state, &notices).await;
    }
}

async fn deliver_one(
    client: &Result<reqwest::Client, reqwest::Error>,
    alert: &FiredAlert,
    d: &Delivery,
    print: bool,
    state: &Arc<Mutex<Store>>,
    notices: &NoticeSink,
) {
    if print {
        println!("{}", serde_json::to_string(alert).unwrap_or_default());
    }
    let outcome = match (&d.webhook, client) {
        (None, _) if print => Ok(()),
        (None, _) => return,
        (Some(url), Ok(c)) => post_alert(c, url, alert, d).await,
        (Some(_), Err(e)) => Err(format!("webhook client: {e}")),
    };
    if let Err(e) = &outcome {
        notices(&Notice::DeliveryFailed {
            id: alert.id,
            error: e.clone(),
        });
    }
    let state = state.clone();
    let id = alert.id;
    let _ = tokio::task::spawn_blocking(move || {
        let mut s = state.lock().unwrap_or_else(PoisonError::into_inner);
        s.set_alert_delivery(id, outcome.is_ok(), outcome.err().as_deref())
    })
    .await;
}
