//! Notification senders: e-mail over SMTP and HTTP webhooks (SMS gateway, Zalo OA). Each message carries a stable
//! id (the delivery's), sent as the e-mail's `Message-ID` and the webhook's `Idempotency-Key`, so that a retry after
//! a crash is recognisable downstream.

mod smtp;
mod webhook;

use futures_util::future::BoxFuture;
pub use smtp::Smtp;
pub use webhook::Webhook;

/// One message to one address.
#[derive(Debug, Clone)]
pub struct Message<'a> {
    /// Stable per delivery.
    pub id: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// A channel's sender.
pub trait Sender: Send + Sync {
    fn send<'a>(&'a self, m: &'a Message<'a>) -> BoxFuture<'a, anyhow::Result<()>>;
}
