//! Outbound adapters, each behind a trait so that a province can plug in its own: payment gateways, notification
//! senders, the result signer. Nothing here touches the database.

pub mod notify;
pub mod payment;
pub mod signing;

/// The shared HTTP client of the adapters (rustls, 10 s timeout).
pub fn http() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .unwrap_or_default()
    })
}
