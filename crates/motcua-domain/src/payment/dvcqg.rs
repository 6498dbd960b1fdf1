//! The national public-service portal's payment platform (Nền tảng thanh toán, Cổng DVC quốc gia): INIT, the
//! confirm callback and QUERY, each authenticated by `MaXacThuc` = hex SHA-256 of its fields joined by `|` with the
//! partner's secret last. Reconstructed from a working client (no public specification): field names and the
//! signed order as that client sends them.

use super::same;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The message version the platform speaks.
pub const VERSION: &str = "1.0.6";

/// Hex SHA-256 of the fields and the secret joined by `|`.
pub fn mac(fields: &[&str], secret: &str) -> String {
    let mut all: Vec<&str> = fields.to_vec();
    all.push(secret);
    hex::encode(Sha256::digest(all.join("|").as_bytes()))
}

/// The receipt part of an INIT (`ThongTinBienLai`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Receipt {
    pub ma_dich_vu: String,
    #[serde(rename = "MaTTHC")]
    pub ma_tthc: String,
    #[serde(rename = "TenTTHC")]
    pub ten_tthc: String,
    pub ma_don_vi: String,
    pub ten_don_vi: String,
    pub ma_ho_so: String,
    pub ho_ten_nguoi_nop: String,
    pub noi_dung_thanh_toan: String,
    pub phi_le_phi: Vec<FeeLine>,
}

/// One fee of the receipt (`PhiLePhi`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct FeeLine {
    pub loai_phi_le_phi: String,
    pub ten_phi_le_phi: String,
    pub so_tien: i64,
}

/// An INIT message.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Init {
    pub loai_ban_tin: String,
    pub phien_ban: String,
    pub ma_doi_tac: String,
    pub ma_tham_chieu: String,
    pub so_tien: i64,
    pub loai_hinh_thanh_toan: String,
    pub ma_kenh_thanh_toan: String,
    pub ma_thiet_bi: String,
    pub ngon_ngu: String,
    pub ma_tien_te: String,
    pub ma_ngan_hang: String,
    pub thong_tin_giao_dich: String,
    #[serde(rename = "ThoiGianGD")]
    pub thoi_gian_gd: String,
    pub ip: String,
    pub thong_tin_bien_lai: Receipt,
    pub ma_xac_thuc: String,
}

impl Init {
    /// A signed INIT for `amount` đồng.
    pub fn new(
        (partner, reference, amount): (&str, &str, i64),
        info: &str,
        at: time::OffsetDateTime,
        ip: &str,
        receipt: Receipt,
        secret: &str,
    ) -> Init {
        let mut m = Init {
            loai_ban_tin: "INIT".into(),
            phien_ban: VERSION.into(),
            ma_doi_tac: partner.into(),
            ma_tham_chieu: reference.into(),
            so_tien: amount,
            loai_hinh_thanh_toan: "PAY".into(),
            ma_kenh_thanh_toan: "1".into(),
            ma_thiet_bi: "1".into(),
            ngon_ngu: "vi-VN".into(),
            ma_tien_te: "VND".into(),
            ma_ngan_hang: "PAYMENT".into(),
            thong_tin_giao_dich: info.into(),
            thoi_gian_gd: super::stamp(at),
            ip: ip.into(),
            thong_tin_bien_lai: receipt,
            ma_xac_thuc: String::new(),
        };
        m.ma_xac_thuc = m.expected_mac(secret);
        m
    }

    /// The `MaXacThuc` this message should carry.
    pub fn expected_mac(&self, secret: &str) -> String {
        let amount = self.so_tien.to_string();
        mac(
            &[
                &self.loai_ban_tin,
                &self.phien_ban,
                &self.ma_doi_tac,
                &self.ma_tham_chieu,
                &amount,
                &self.loai_hinh_thanh_toan,
                &self.ma_kenh_thanh_toan,
                &self.ma_thiet_bi,
                &self.ngon_ngu,
                &self.ma_tien_te,
                &self.ma_ngan_hang,
                &self.thong_tin_giao_dich,
                &self.thoi_gian_gd,
                &self.ip,
            ],
            secret,
        )
    }

    pub fn verifies(&self, secret: &str) -> bool {
        same(
            &self.ma_xac_thuc.to_ascii_lowercase(),
            &self.expected_mac(secret),
        )
    }
}

/// The platform's answer to INIT or QUERY: `{error_code: "0", message: "<json>"}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Reply {
    pub error_code: String,
    pub message: String,
}

/// The confirm callback the platform posts when a payment ends.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Confirm {
    pub loai_ban_tin: String,
    pub ma_loi: String,
    pub ma_doi_tac: String,
    pub ma_tham_chieu: String,
    pub so_tien: i64,
    pub ma_tien_te: String,
    pub ma_giao_dich: String,
    pub ma_ngan_hang: String,
    #[serde(rename = "ThoiGianGD")]
    pub thoi_gian_gd: String,
    pub thong_tin_giao_dich: String,
    pub ma_xac_thuc: String,
}

impl Confirm {
    pub fn expected_mac(&self, secret: &str) -> String {
        let amount = self.so_tien.to_string();
        mac(
            &[
                &self.loai_ban_tin,
                &self.ma_loi,
                &self.ma_doi_tac,
                &self.ma_tham_chieu,
                &amount,
                &self.ma_tien_te,
                &self.ma_giao_dich,
                &self.ma_ngan_hang,
                &self.thoi_gian_gd,
                &self.thong_tin_giao_dich,
            ],
            secret,
        )
    }
    pub fn sign(&mut self, secret: &str) {
        self.ma_xac_thuc = self.expected_mac(secret);
    }
    pub fn verifies(&self, secret: &str) -> bool {
        same(
            &self.ma_xac_thuc.to_ascii_lowercase(),
            &self.expected_mac(secret),
        )
    }
    /// `MaLoi == "00"`.
    pub fn success(&self) -> bool {
        self.ma_loi == "00"
    }
}

/// A QUERY message.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct Query {
    pub loai_ban_tin: String,
    pub phien_ban: String,
    pub ma_doi_tac: String,
    pub ma_tham_chieu: String,
    #[serde(rename = "ThoiGianGD")]
    pub thoi_gian_gd: String,
    pub ma_xac_thuc: String,
}

impl Query {
    pub fn new(partner: &str, reference: &str, at: time::OffsetDateTime, secret: &str) -> Query {
        let mut q = Query {
            loai_ban_tin: "QUERY".into(),
            phien_ban: VERSION.into(),
            ma_doi_tac: partner.into(),
            ma_tham_chieu: reference.into(),
            thoi_gian_gd: super::stamp(at),
            ma_xac_thuc: String::new(),
        };
        q.ma_xac_thuc = q.expected_mac(secret);
        q
    }
    pub fn expected_mac(&self, secret: &str) -> String {
        mac(
            &[
                &self.loai_ban_tin,
                &self.phien_ban,
                &self.ma_doi_tac,
                &self.ma_tham_chieu,
                &self.thoi_gian_gd,
            ],
            secret,
        )
    }
    pub fn verifies(&self, secret: &str) -> bool {
        same(
            &self.ma_xac_thuc.to_ascii_lowercase(),
            &self.expected_mac(secret),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_mac_is_sha256_of_the_piped_fields_and_secret() {
        let q = Query::new(
            "MOTCUA",
            "dvcH1-1",
            time::macros::datetime!(2026-12-01 02:03:04 UTC),
            "s3cret",
        );
        // sha256("QUERY|1.0.6|MOTCUA|dvcH1-1|20261201090304|s3cret"), computed outside this code.
        assert_eq!(
            q.ma_xac_thuc,
            "1a2667cad964be792733b4d8f7bf4c848a65fbd4723eccdfc4d2a7e011f5f0b5"
        );
        assert!(q.verifies("s3cret"));
        assert!(!q.verifies("other"));
    }

    #[test]
    fn a_confirm_signed_verifies_and_a_changed_amount_does_not() {
        let mut c = Confirm {
            loai_ban_tin: "CONFIRM".into(),
            ma_loi: "00".into(),
            ma_doi_tac: "MOTCUA".into(),
            ma_tham_chieu: "dvcH1-1".into(),
            so_tien: 50_000,
            ma_tien_te: "VND".into(),
            ma_giao_dich: "GD1".into(),
            ma_ngan_hang: "NCB".into(),
            thoi_gian_gd: "20261201091500".into(),
            thong_tin_giao_dich: "Thanh toan".into(),
            ma_xac_thuc: String::new(),
        };
        c.sign("s3cret");
        assert!(c.verifies("s3cret") && c.success());
        c.so_tien = 5;
        assert!(!c.verifies("s3cret"));
        let json = serde_json::to_value(&c).unwrap_or_default();
        assert!(json.get("ThoiGianGD").is_some() && json.get("MaXacThuc").is_some());
    }
}
