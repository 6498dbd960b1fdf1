//! Notifications: the transactional outbox turned into deliveries (per the applicant's channels, from Vietnamese
//! templates with English), delivered by a job with retries, backoff and a dead-letter state. Logs carry the
//! delivery's id and channel, never an address or a text.

mod templates;

use crate::integrations::notify::{Message, Sender, Smtp, Webhook};
use crate::state::AppState;
use crate::store::deliveries::{self, NewDelivery};
use std::collections::HashMap;

/// Attempts before a delivery is dead.
pub const MAX_ATTEMPTS: i32 = 8;

/// The senders configured, by channel.
pub struct Senders(pub HashMap<&'static str, Box<dyn Sender>>);

impl Senders {
    /// From the configuration (a channel without configuration is off).
    pub fn from_config(st: &AppState) -> anyhow::Result<Senders> {
        let c = &st.config;
        let mut m: HashMap<&'static str, Box<dyn Sender>> = HashMap::new();
        if !c.smtp_url.is_empty() {
            let password = if c.smtp_password_file.is_empty() {
                String::new()
            } else {
                std::fs::read_to_string(&c.smtp_password_file)?
                    .trim()
                    .to_owned()
            };
            m.insert(
                "email",
                Box::new(Smtp::new(
                    &c.smtp_url,
                    &c.smtp_user,
                    &password,
                    &c.mail_from,
                )?),
            );
        }
        let secret = if c.webhook_secret_file.is_empty() {
            Vec::new()
        } else {
            std::fs::read(&c.webhook_secret_file)?
        };
        if !c.sms_webhook_url.is_empty() {
            m.insert(
                "sms",
                Box::new(Webhook::new(&c.sms_webhook_url, secret.clone())),
            );
        }
        if !c.zalo_webhook_url.is_empty() {
            m.insert("zalo", Box::new(Webhook::new(&c.zalo_webhook_url, secret)));
        }
        Ok(Senders(m))
    }
}

/// Turns pending outbox rows into deliveries (one per channel the applicant chose and we can reach). Returns how
/// many rows it took.
pub async fn expand(st: &AppState, senders: &Senders, limit: i64) -> anyhow::Result<usize> {
    let rows = deliveries::unexpanded(&st.db, limit).await?;
    let now = st.clock.now();
    let n = rows.len();
    for r in rows {
        let mut out = Vec::new();
        if let Some(code) = r.recipient.strip_prefix("dossier:") {
            if let Some((channels, email, phone)) = deliveries::contact(&st.db, code).await? {
                let payload: serde_json::Value =
                    serde_json::from_str(&r.payload).unwrap_or_default();
                let (subject, mail) = templates::render(&r.kind, code, &payload);
                let sms = templates::text(&r.kind, code, &payload, &st.config.public_url);
                for ch in channels.split(',').map(str::trim) {
                    let body = if ch == "email" { &mail } else { &sms };
                    let address = match ch {
                        "email" => email.clone(),
                        "sms" | "zalo" => phone.clone(),
                        _ => None,
                    };
                    if let (Some(a), true) = (
                        address.filter(|a| !a.is_empty()),
                        senders.0.contains_key(ch),
                    ) {
                        out.push((ch.to_owned(), a, subject.clone(), body.clone()));
                    }
                }
            }
        }
        if let Some(id) = r
            .recipient
            .strip_prefix("ticket:")
            .and_then(|i| i.parse::<i64>().ok())
        {
            // A queue ticket's phone, sealed; gone once the day's data is erased (then nothing is sent).
            if let Some((token, Some(sealed))) =
                crate::store::queue::phone_of(&st.db, motcua_domain::ids::TicketId(id)).await?
            {
                let phone = st
                    .data_key
                    .open(&sealed, &format!("ticket-phone:{token}"))?;
                let payload: serde_json::Value =
                    serde_json::from_str(&r.payload).unwrap_or_default();
                let (subject, _) = templates::render(&r.kind, "", &payload);
                let body = templates::text(&r.kind, "", &payload, &st.config.public_url);
                for ch in ["sms", "zalo"] {
                    if senders.0.contains_key(ch) {
                        out.push((ch.to_owned(), phone.clone(), subject.clone(), body.clone()));
                        break;
                    }
                }
            }
        }
        // Officers' messages (agency:, user:) are read in the application; nothing to send outside.
        let mut tx = st.db.begin().await?;
        for (ch, a, s, b) in &out {
            deliveries::add(
                &mut tx,
                &NewDelivery {
                    outbox_id: r.id,
                    channel: ch,
                    address: a,
                    subject: s,
                    body: b,
                },
                now,
            )
            .await?;
        }
        deliveries::expanded(&mut tx, r.id, now).await?;
        tx.commit().await?;
    }
    Ok(n)
}

/// Backoff before attempt `n + 1`: 30 s, 1, 2, 4 … minutes, at most an hour.
pub fn backoff(attempts: i32) -> time::Duration {
    let s = 30i64.saturating_mul(1i64 << attempts.clamp(0, 7));
    time::Duration::seconds(s.min(3600))
}

/// Sends one claimed delivery and records the outcome: true when sent.
async fn send_one(
    st: &AppState,
    senders: &Senders,
    d: &deliveries::DeliveryRow,
) -> anyhow::Result<bool> {
    let Some(sender) = senders.0.get(d.channel.as_str()) else {
        deliveries::failed(
            &st.db,
            d.id,
            true,
            st.clock.now(),
            "kênh chưa cấu hình / channel not configured",
        )
        .await?;
        return Ok(false);
    };
    let id = format!("motcua-{}", d.id);
    let m = Message {
        id: &id,
        to: &d.address,
        subject: &d.subject,
        body: &d.body,
    };
    match sender.send(&m).await {
        Ok(()) => {
            deliveries::sent(&st.db, d.id, st.clock.now()).await?;
            Ok(true)
        }
        Err(e) => {
            let attempts = d.attempts + 1;
            let dead = attempts >= MAX_ATTEMPTS;
            // The error's kind only: a server's text may quote the address.
            let kind: String = e
                .to_string()
                .chars()
                .take(120)
                .filter(|c| !c.is_control())
                .collect();
            let kind = if kind.contains('@') {
                "gửi thất bại / send failed".to_owned()
            } else {
                kind
            };
            tracing::warn!(delivery = d.id, channel = %d.channel, attempts, dead, "notification not delivered");
            deliveries::failed(
                &st.db,
                d.id,
                dead,
                st.clock.now() + backoff(attempts),
                &kind,
            )
            .await?;
            Ok(false)
        }
    }
}

/// Messages in flight at once (each marked as soon as its peer accepted it).
const IN_FLIGHT: usize = 8;

/// Delivers what is due. Returns (sent, failed).
pub async fn deliver(
    st: &AppState,
    senders: &Senders,
    limit: i64,
) -> anyhow::Result<(usize, usize)> {
    let now = st.clock.now();
    let lease = time::Duration::seconds(i64::from(st.config.delivery_lease_seconds.max(1)));
    let due = deliveries::claim(&st.db, now, lease, limit).await?;
    let mut results = Vec::with_capacity(due.len());
    for chunk in due.chunks(IN_FLIGHT) {
        let batch: Vec<futures_util::future::BoxFuture<'_, anyhow::Result<bool>>> = chunk
            .iter()
            .map(|d| -> futures_util::future::BoxFuture<'_, _> {
                Box::pin(send_one(st, senders, d))
            })
            .collect();
        results.extend(futures_util::future::join_all(batch).await);
    }
    let (mut ok, mut bad) = (0, 0);
    for r in results {
        if r? {
            ok += 1;
        } else {
            bad += 1;
        }
    }
    Ok((ok, bad))
}

/// How the applicant wants to hear about a dossier.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    pub email: String,
    pub channels: Vec<String>,
}

/// Sets the applicant's channels (the applicant or an officer in scope); audited.
pub async fn set_contact(
    st: &AppState,
    actor: &crate::service::account::session::Actor,
    code: &str,
    c: &Contact,
    request_id: &str,
) -> crate::error::AppResult<()> {
    use crate::error::{AppError, ErrorCode};
    let row = crate::store::dossiers::get(&st.db, &actor.scope, code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    if c.channels.is_empty()
        || c.channels
            .iter()
            .any(|ch| !matches!(ch.as_str(), "email" | "sms" | "zalo"))
    {
        return Err(AppError::field(
            "channels",
            "Chọn kênh: email, sms, zalo",
            "channels are email, sms, zalo",
        ));
    }
    let email = c.email.trim();
    let wants_mail = c.channels.iter().any(|ch| ch == "email");
    if wants_mail && email.is_empty() {
        return Err(AppError::field(
            "email",
            "Nhập địa chỉ thư điện tử để nhận thông báo qua thư",
            "give the e-mail address",
        ));
    }
    let domain_ok = email
        .rsplit_once('@')
        .is_some_and(|(_, d)| d.contains('.') && !d.ends_with('.'));
    if wants_mail && (email.len() > 254 || !domain_ok || email.parse::<lettre::Address>().is_err())
    {
        return Err(AppError::field(
            "email",
            "Địa chỉ thư điện tử không đúng",
            "the e-mail address is not valid",
        ));
    }
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    crate::store::deliveries::set_contact(
        &mut tx,
        row.id,
        &c.channels.join(","),
        (!email.is_empty()).then_some(email),
    )
    .await?;
    let a = crate::service::dossier::rules::audit_entry(
        actor,
        "contact_set",
        &row.code,
        Some(row.id),
        "kênh nhận thông báo",
        request_id,
        now,
    );
    crate::store::audit::write_tx(&mut tx, &a).await?;
    tx.commit().await?;
    Ok(())
}

/// One delivery of a dossier's messages, for the officer (no address, no text).
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeliveryLine {
    pub kind: String,
    pub channel: String,
    pub state: String,
    pub attempts: i32,
    pub error: String,
    pub sent_at: Option<String>,
}

/// The deliveries of a dossier in the caller's scope.
pub async fn of_dossier(
    st: &AppState,
    actor: &crate::service::account::session::Actor,
    code: &str,
) -> crate::error::AppResult<Vec<DeliveryLine>> {
    let row = crate::store::dossiers::get(&st.db, &actor.scope, code)
        .await?
        .ok_or_else(|| crate::error::AppError::code(crate::error::ErrorCode::DossierNotFound))?;
    Ok(deliveries::of_dossier(&st.db, row.id)
        .await?
        .into_iter()
        .map(
            |(kind, channel, state, attempts, error, sent_at)| DeliveryLine {
                kind,
                channel,
                state,
                attempts,
                error,
                sent_at: sent_at.map(crate::service::money::vn_datetime),
            },
        )
        .collect())
}
