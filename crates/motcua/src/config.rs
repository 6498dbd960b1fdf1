//! Configuration: an optional `motcua.toml`, then environment variables and flags for the few knobs that change per
//! deployment. `impl Default` is the embedded-SQLite setup, so no file is needed.

use serde::{Deserialize, Serialize};

/// The bundled, documented example; a test proves it parses to `Config::default()`.
pub const EXAMPLE: &str = include_str!("../../../motcua.example.toml");

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Everything motcua reads at start-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://motcua-data/motcua.db` or `postgres://user@host/db`.
    pub database_url: String,
    /// A read-only streaming replica of the PostgreSQL primary (`postgres://…`) that takes the public reads: tracking,
    /// the catalog and search, the reports' drill-down lists. Empty: everything reads the primary.
    pub database_read_url: String,
    /// Public reads go back to the primary while the replica is unreachable or this many seconds behind.
    pub read_max_lag_seconds: u64,
    /// Address of the public listener.
    pub bind: String,
    /// Address of the Prometheus metrics listener (keep it private); empty to disable.
    pub metrics_bind: String,
    pub log_format: LogFormat,
    /// Office hours, e.g. "07:00-11:30,13:30-17:00".
    pub office_hours: String,
    /// A session idle this long ends (Decree 331/2026 level-3 baseline: 15 minutes).
    pub session_idle_minutes: i64,
    /// A session ends after this long whatever happens.
    pub session_max_hours: i64,
    /// Failed logins that lock an account.
    pub lockout_threshold: i32,
    /// How long a locked account stays locked.
    pub lockout_minutes: i64,
    /// An account unused this many days is disabled at its next sign-in attempt (level-3 baseline: 45).
    pub account_idle_days: i64,
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Administrators must give a TOTP code at login.
    pub admin_mfa: bool,
    /// Secret of the keyed hashes (ID-number look-up, receipt QR token), at least 32 bytes. Empty (the default): the
    /// key in `id_hash_key_file`, created on first start. No default key is ever shipped.
    pub id_hash_key: String,
    /// File holding the ID-hash key (64 hex characters, mode 0600, created on first start; back it up apart from the
    /// database). A new key re-keys the stored hashes at start; receipts printed before stop opening tracking by QR.
    pub id_hash_key_file: String,
    /// Addresses or networks (CIDR) of reverse proxies whose `X-Forwarded-For` names the client; from any other
    /// peer the header is ignored. Empty: the socket's peer address is the client.
    pub trusted_proxies: Vec<String>,
    /// Seconds a request may take before it is answered 503.
    pub request_timeout_seconds: u64,
    /// Public tracking look-ups allowed per client address per minute (0: no limit).
    pub tracking_per_minute: u32,
    /// Sign-in attempts allowed per client address per minute (0: no limit); accounts also lock after failures.
    pub login_per_minute: u32,
    /// The address citizens reach this system at (printed as a QR code on receipts).
    pub public_url: String,
    /// File holding the key that encrypts ID numbers at rest (created on first start; back it up apart from the
    /// database).
    pub data_key_file: String,
    /// Directory of uploaded documents (encrypted with the data key, named by their SHA-256).
    pub blob_dir: String,
    /// Largest upload, in mebibytes.
    pub max_upload_mb: u32,
    /// `s3://bucket[/prefix]` to keep documents on an S3-compatible store (build feature `s3`; credentials, region
    /// and endpoint from `AWS_*` variables); empty: the directory `blob_dir`.
    pub blob_url: String,
    /// Queue tickets one client address may take per minute from the QR poster or a kiosk (0: no limit).
    pub tickets_per_minute: u32,
    /// The center's director is alerted when a service's projected wait passes this many minutes.
    pub queue_alert_minutes: u32,
    /// Online payment providers, per province (empty: no online payment; fees are still paid at the counter).
    pub payments: Vec<PaymentProvider>,
    /// SMTP server for e-mail: `smtp://host:port` (STARTTLS required unless the host is local) or
    /// `smtps://host:465`; empty: no e-mail.
    pub smtp_url: String,
    pub smtp_user: String,
    /// File holding the SMTP password.
    pub smtp_password_file: String,
    /// Sender address of e-mails.
    pub mail_from: String,
    /// HTTP endpoint of the SMS gateway (POST JSON `{"to","text","id"}`); empty: no SMS.
    pub sms_webhook_url: String,
    /// HTTP endpoint of the Zalo OA sender (same body); empty: no Zalo.
    pub zalo_webhook_url: String,
    /// File holding the secret that signs webhook bodies (`X-Motcua-Signature`: hex HMAC-SHA256).
    pub webhook_secret_file: String,
    /// Seconds a notification being sent stays claimed by its instance; after a crash, others send it after this.
    pub delivery_lease_seconds: u32,
}

/// A secret value: read from the file or the environment, never printed (`Debug` and serialisation redact it).
#[derive(Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"***\"" })
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if self.0.is_empty() { "" } else { "***" })
    }
}

/// One online payment provider of a province.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentProvider {
    /// Province code ("48"); empty: every province without its own.
    #[serde(default)]
    pub province: String,
    /// `vnpay` or `dvcqg`.
    pub provider: String,
    /// Where the citizen pays (VNPay: `…/paymentv2/vpcpay.html`; DVCQG: the INIT endpoint).
    pub pay_url: String,
    /// The status query endpoint (VNPay: `…/merchant_webapi/api/transaction`; DVCQG: QUERY).
    #[serde(default)]
    pub api_url: String,
    /// Terminal code (VNPay `vnp_TmnCode`) or partner code (DVCQG `MaDoiTac`).
    pub merchant: String,
    /// The signing secret; better in `secret_file`.
    #[serde(default)]
    pub secret: Secret,
    /// File holding the signing secret.
    #[serde(default)]
    pub secret_file: String,
}

impl PaymentProvider {
    /// The signing secret, from the file when one is named.
    pub fn secret(&self) -> anyhow::Result<Secret> {
        if self.secret_file.is_empty() {
            return Ok(self.secret.clone());
        }
        let s = std::fs::read_to_string(&self.secret_file).map_err(|e| {
            anyhow::anyhow!(
                "không đọc được khóa thanh toán / cannot read payment secret {}: {e}",
                self.secret_file
            )
        })?;
        Ok(Secret(s.trim().to_owned()))
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://motcua-data/motcua.db".into(),
            database_read_url: String::new(),
            read_max_lag_seconds: 10,
            bind: "127.0.0.1:8080".into(),
            metrics_bind: "127.0.0.1:9464".into(),
            log_format: LogFormat::Text,
            office_hours: "07:00-11:30,13:30-17:00".into(),
            session_idle_minutes: 15,
            session_max_hours: 12,
            lockout_threshold: 5,
            lockout_minutes: 15,
            account_idle_days: 45,
            secure_cookies: false,
            admin_mfa: true,
            id_hash_key: String::new(),
            id_hash_key_file: "motcua-data/id-hash.key".into(),
            trusted_proxies: Vec::new(),
            request_timeout_seconds: 30,
            tracking_per_minute: 20,
            login_per_minute: 30,
            public_url: "http://127.0.0.1:8080".into(),
            data_key_file: "motcua-data/data.key".into(),
            blob_dir: "motcua-data/blobs".into(),
            max_upload_mb: 10,
            blob_url: String::new(),
            tickets_per_minute: 6,
            queue_alert_minutes: 20,
            payments: Vec::new(),
            smtp_url: String::new(),
            smtp_user: String::new(),
            smtp_password_file: String::new(),
            mail_from: "motcua <khong-tra-loi@motcua.invalid>".into(),
            sms_webhook_url: String::new(),
            zalo_webhook_url: String::new(),
            webhook_secret_file: String::new(),
            delivery_lease_seconds: 60,
        }
    }
}

impl Config {
    /// Reads a TOML file, or the defaults when `path` is `None`.
    pub fn load(path: Option<&std::path::Path>) -> anyhow::Result<Config> {
        match path {
            None => Ok(Config::default()),
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| {
                    anyhow::anyhow!(
                        "không đọc được tệp cấu hình / cannot read config {}: {e}",
                        p.display()
                    )
                })?;
                toml::from_str(&text).map_err(|e| {
                    anyhow::anyhow!("tệp cấu hình sai / invalid config {}: {e}", p.display())
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_is_the_default() {
        let parsed: Config = toml::from_str(EXAMPLE).expect("example parses");
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn secrets_never_print() {
        let p = PaymentProvider {
            province: "48".into(),
            provider: "vnpay".into(),
            pay_url: "u".into(),
            api_url: String::new(),
            merchant: "M".into(),
            secret: Secret("motcua-demo-vnpay-secret".into()),
            secret_file: String::new(),
        };
        assert!(!format!("{p:?}").contains("motcua-demo"));
        assert!(!serde_json::to_string(&p)
            .unwrap_or_default()
            .contains("motcua-demo"));
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(toml::from_str::<Config>("bind = \"x\"\nbnid = \"y\"").is_err());
    }
}
