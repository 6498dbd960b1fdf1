//! The national payment platform: INIT (the platform answers with the URL to pay at) and QUERY.

use super::{Answer, Gateway, Order, Started};
use crate::config::{PaymentProvider, Secret};
use futures_util::future::BoxFuture;
use motcua_domain::payment::dvcqg::{FeeLine, Init, Query, Receipt, Reply};
use motcua_domain::payment::Method;
use time::OffsetDateTime;

/// A partner account on the platform.
pub struct Dvcqg {
    init_url: String,
    query_url: String,
    partner: String,
    secret: Secret,
}

impl Dvcqg {
    pub fn new(p: &PaymentProvider, secret: Secret) -> Dvcqg {
        Dvcqg {
            init_url: p.pay_url.clone(),
            query_url: p.api_url.clone(),
            partner: p.merchant.clone(),
            secret,
        }
    }
}

fn message(reply: &Reply) -> anyhow::Result<serde_json::Value> {
    if reply.error_code != "0" {
        anyhow::bail!("DVCQG refused the message: error_code {}", reply.error_code);
    }
    Ok(serde_json::from_str(&reply.message)?)
}

impl Gateway for Dvcqg {
    fn method(&self) -> Method {
        Method::Dvcqg
    }

    fn start<'a>(&'a self, o: &'a Order) -> BoxFuture<'a, anyhow::Result<Started>> {
        Box::pin(async move {
            let info = format!("Thanh toan ho so {}", o.dossier_code);
            let receipt = Receipt {
                ma_dich_vu: "2".into(),
                ma_tthc: o.procedure_code.clone(),
                ten_tthc: o.procedure_name.clone(),
                ma_don_vi: o.agency_code.clone(),
                ten_don_vi: o.agency_name.clone(),
                ma_ho_so: o.dossier_code.clone(),
                ho_ten_nguoi_nop: o.applicant_name.clone(),
                noi_dung_thanh_toan: info.clone(),
                phi_le_phi: vec![FeeLine {
                    loai_phi_le_phi: "1".into(),
                    ten_phi_le_phi: "Phí, lệ phí".into(),
                    so_tien: o.amount,
                }],
            };
            let init = Init::new(
                (&self.partner, &o.order_ref, o.amount),
                &info,
                o.at,
                &o.client_ip,
                receipt,
                &self.secret.0,
            );
            let reply: Reply = crate::integrations::http()
                .post(&self.init_url)
                .json(&init)
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            let m = message(&reply)?;
            let url = m["UrlThanhToan"]
                .as_str()
                .ok_or_else(|| anyhow::anyhow!("DVCQG INIT reply without UrlThanhToan"))?;
            Ok(Started {
                pay_url: url.to_owned(),
                gateway_created: init.thoi_gian_gd,
            })
        })
    }

    fn query<'a>(
        &'a self,
        order_ref: &'a str,
        _created: &'a str,
        at: OffsetDateTime,
    ) -> BoxFuture<'a, anyhow::Result<Answer>> {
        Box::pin(async move {
            let q = Query::new(&self.partner, order_ref, at, &self.secret.0);
            let reply: Reply = crate::integrations::http()
                .post(&self.query_url)
                .json(&q)
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            let m = message(&reply)?;
            let code = m["MaLoi"].as_str().unwrap_or("99").to_owned();
            Ok(match m["TrangThai"].as_str() {
                Some("paid") if code == "00" => Answer::Paid {
                    txn: m["MaGiaoDich"].as_str().unwrap_or_default().to_owned(),
                    code,
                    amount: m["SoTien"].as_i64().unwrap_or(0),
                },
                Some("pending") | None => Answer::Pending,
                Some(_) => Answer::Failed { code },
            })
        })
    }
}
