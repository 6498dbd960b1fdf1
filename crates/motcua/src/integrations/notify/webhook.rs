//! An HTTP webhook: POST JSON `{"id","to","text"}`, signed with HMAC-SHA256 of the body in `X-Motcua-Signature`.

use super::{Message, Sender};
use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A webhook endpoint.
pub struct Webhook {
    url: String,
    secret: Vec<u8>,
}

impl Webhook {
    pub fn new(url: &str, secret: Vec<u8>) -> Webhook {
        Webhook {
            url: url.to_owned(),
            secret,
        }
    }
}

impl Sender for Webhook {
    fn send<'a>(&'a self, m: &'a Message<'a>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let body = serde_json::json!({ "id": m.id, "to": m.to, "text": m.body }).to_string();
            let mut req = crate::integrations::http()
                .post(&self.url)
                .header("content-type", "application/json")
                .header("idempotency-key", m.id);
            if !self.secret.is_empty() {
                let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret)
                    .map_err(|_| anyhow::anyhow!("webhook secret unusable"))?;
                mac.update(body.as_bytes());
                req = req.header(
                    "x-motcua-signature",
                    hex::encode(mac.finalize().into_bytes()),
                );
            }
            let r = req.body(body).send().await?;
            if !r.status().is_success() {
                anyhow::bail!("webhook answered {}", r.status().as_u16());
            }
            Ok(())
        })
    }
}
