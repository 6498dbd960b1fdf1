//! VNPay 2.1.0: the signed payment URL (no call needed) and `querydr` on the merchant web API.

use super::{Answer, Gateway, Order, Started};
use crate::config::{PaymentProvider, Secret};
use futures_util::future::BoxFuture;
use motcua_domain::payment::{self, vnpay, Method};
use time::OffsetDateTime;

/// A VNPay terminal.
pub struct Vnpay {
    pay_url: String,
    api_url: String,
    tmn_code: String,
    secret: Secret,
}

impl Vnpay {
    pub fn new(p: &PaymentProvider, secret: Secret) -> Vnpay {
        Vnpay {
            pay_url: p.pay_url.clone(),
            api_url: p.api_url.clone(),
            tmn_code: p.merchant.clone(),
            secret,
        }
    }
}

impl Gateway for Vnpay {
    fn method(&self) -> Method {
        Method::Vnpay
    }

    fn start<'a>(&'a self, o: &'a Order) -> BoxFuture<'a, anyhow::Result<Started>> {
        Box::pin(async move {
            let info = format!("Thanh toan ho so {}", o.dossier_code);
            let params = vnpay::pay_params(&vnpay::PayRequest {
                tmn_code: &self.tmn_code,
                amount: o.amount,
                txn_ref: &o.order_ref,
                order_info: &info,
                return_url: &o.return_url,
                ip: &o.client_ip,
                create_date: o.at,
                expire_date: Some(o.at + time::Duration::minutes(15)),
                locale: "vn",
            });
            Ok(Started {
                pay_url: vnpay::signed_url(&self.pay_url, &params, &self.secret.0),
                gateway_created: payment::stamp(o.at),
            })
        })
    }

    fn query<'a>(
        &'a self,
        order_ref: &'a str,
        created: &'a str,
        at: OffsetDateTime,
    ) -> BoxFuture<'a, anyhow::Result<Answer>> {
        Box::pin(async move {
            let id = format!("{order_ref}-{}", at.unix_timestamp());
            let now = payment::stamp(at);
            let info = format!("Truy van {order_ref}");
            let body = vnpay::query_body(
                &vnpay::QueryRequest {
                    request_id: &id,
                    tmn_code: &self.tmn_code,
                    txn_ref: order_ref,
                    transaction_date: created,
                    create_date: &now,
                    ip: "127.0.0.1",
                    order_info: &info,
                },
                &self.secret.0,
            );
            let reply: serde_json::Value = crate::integrations::http()
                .post(&self.api_url)
                .json(&body)
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            let cb = vnpay::verify_query_reply(&reply, &self.secret.0)
                .map_err(|e| anyhow::anyhow!("VNPay querydr reply refused: {e:?}"))?;
            Ok(
                match (cb.response_code.as_str(), cb.transaction_status.as_str()) {
                    ("00", "00") => Answer::Paid {
                        txn: cb.transaction_no,
                        code: "00".into(),
                        amount: cb.amount,
                    },
                    ("00", "01") | ("91", _) => Answer::Pending,
                    (_, s) => Answer::Failed { code: s.to_owned() },
                },
            )
        })
    }
}
