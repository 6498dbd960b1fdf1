//! E-mail over SMTP with `lettre` (rustls): STARTTLS required on `smtp://` except to a local host, TLS on `smtps://`.

use super::{Message, Sender};
use futures_util::future::BoxFuture;
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// An SMTP relay.
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    /// From `smtp://host:port` or `smtps://host:port`, with optional credentials.
    pub fn new(url: &str, user: &str, password: &str, from: &str) -> anyhow::Result<Smtp> {
        let (tls, rest) = if let Some(r) = url.strip_prefix("smtps://") {
            (true, r)
        } else if let Some(r) = url.strip_prefix("smtp://") {
            (false, r)
        } else {
            anyhow::bail!("smtp_url phải bắt đầu bằng smtp:// hoặc smtps:// / must start with smtp:// or smtps://");
        };
        let (host, port) = match rest.trim_end_matches('/').rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), p.parse::<u16>()?),
            None => (rest.to_owned(), if tls { 465 } else { 587 }),
        };
        let local = matches!(host.as_str(), "127.0.0.1" | "localhost" | "::1");
        let mut b = if tls {
            AsyncSmtpTransport::<Tokio1Executor>::relay(&host)?
        } else if local {
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host)
        } else {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host)?
        }
        .port(port)
        .timeout(Some(std::time::Duration::from_secs(10)));
        if !user.is_empty() {
            b = b.credentials(Credentials::new(user.to_owned(), password.to_owned()));
        }
        Ok(Smtp {
            transport: b.build(),
            from: from.parse()?,
        })
    }
}

impl Sender for Smtp {
    fn send<'a>(&'a self, m: &'a Message<'a>) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let email = lettre::Message::builder()
                .from(self.from.clone())
                .to(m.to.parse()?)
                .subject(m.subject)
                .message_id(Some(format!("<{}@motcua>", m.id)))
                .header(ContentType::TEXT_PLAIN)
                .body(m.body.to_owned())?;
            self.transport.send(email).await?;
            Ok(())
        })
    }
}
