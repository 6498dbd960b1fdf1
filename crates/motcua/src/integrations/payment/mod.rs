//! Payment gateways behind one interface, configured per province ([`crate::config::PaymentProvider`]).

mod dvcqg;
mod vnpay;

use crate::config::{Config, PaymentProvider, Secret};
use futures_util::future::BoxFuture;
use motcua_domain::payment::Method;
use time::OffsetDateTime;

pub use dvcqg::Dvcqg;
pub use vnpay::Vnpay;

/// A payment order, as a gateway needs it.
#[derive(Debug, Clone)]
pub struct Order {
    pub order_ref: String,
    pub amount: i64,
    pub dossier_code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub agency_code: String,
    pub agency_name: String,
    pub applicant_name: String,
    pub client_ip: String,
    pub at: OffsetDateTime,
    /// Where the citizen comes back to.
    pub return_url: String,
}

/// An order the gateway accepted.
#[derive(Debug, Clone)]
pub struct Started {
    /// Where to send the citizen.
    pub pay_url: String,
    /// The gateway's own date of the order (VNPay `vnp_CreateDate`), needed to query it later.
    pub gateway_created: String,
}

/// What the gateway says of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Paid {
        txn: String,
        code: String,
        amount: i64,
    },
    Failed {
        code: String,
    },
    Pending,
}

/// One gateway.
pub trait Gateway: Send + Sync {
    fn method(&self) -> Method;
    /// Registers the order (or signs its URL) and says where the citizen pays.
    fn start<'a>(&'a self, order: &'a Order) -> BoxFuture<'a, anyhow::Result<Started>>;
    /// Asks for the order's state (for orders whose callback never came).
    fn query<'a>(
        &'a self,
        order_ref: &'a str,
        gateway_created: &'a str,
        at: OffsetDateTime,
    ) -> BoxFuture<'a, anyhow::Result<Answer>>;
}

fn entry<'a>(config: &'a Config, province: &str, method: Method) -> Option<&'a PaymentProvider> {
    let of = |p: &&PaymentProvider| p.provider == method.as_str();
    config
        .payments
        .iter()
        .filter(of)
        .find(|p| p.province == province)
        .or_else(|| {
            config
                .payments
                .iter()
                .filter(of)
                .find(|p| p.province.is_empty())
        })
}

/// The gateway of a province for a method, if one is configured.
pub fn for_province(
    config: &Config,
    province: &str,
    method: Method,
) -> anyhow::Result<Option<Box<dyn Gateway>>> {
    let Some(p) = entry(config, province, method) else {
        return Ok(None);
    };
    let secret = p.secret()?;
    Ok(Some(match method {
        Method::Vnpay => Box::new(Vnpay::new(p, secret)),
        Method::Dvcqg => Box::new(Dvcqg::new(p, secret)),
        Method::Cash | Method::Transfer => return Ok(None),
    }))
}

/// The online methods a province offers.
pub fn offered(config: &Config, province: &str) -> Vec<Method> {
    [Method::Vnpay, Method::Dvcqg]
        .into_iter()
        .filter(|m| entry(config, province, *m).is_some())
        .collect()
}

/// The secret of a merchant code of a method (callbacks name their merchant).
pub fn secret_of(
    config: &Config,
    method: Method,
    merchant: &str,
) -> anyhow::Result<Option<Secret>> {
    config
        .payments
        .iter()
        .find(|p| p.provider == method.as_str() && p.merchant == merchant)
        .map(PaymentProvider::secret)
        .transpose()
}
