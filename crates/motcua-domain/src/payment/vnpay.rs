//! VNPay 2.1.0: the payment URL, the verification of the return and IPN calls, the IPN's answers and `querydr`.
//!
//! Signing: sort the parameters by key, drop empty values, form-encode (spaces as `+`), join with `&`, then the hex
//! HMAC-SHA512 of that text under the merchant's secret, appended as `vnp_SecureHash`. Verification drops
//! `vnp_SecureHash` and `vnp_SecureHashType` and compares. The amount is VND × 100.

use super::{form_encode, same};
use hmac::{Hmac, Mac};
use sha2::Sha512;

/// The protocol version.
pub const VERSION: &str = "2.1.0";

/// Hex HMAC-SHA512 of `data` under `secret`.
pub fn hmac_hex(secret: &str, data: &str) -> String {
    // HMAC takes a key of any length, so `new_from_slice` cannot fail.
    let Ok(mut mac) = Hmac::<Sha512>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(data.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The signed text: sorted, non-empty, form-encoded `key=value` pairs joined by `&`.
pub fn sign_data(params: &[(String, String)]) -> String {
    let mut p: Vec<&(String, String)> = params
        .iter()
        .filter(|(k, v)| {
            !v.is_empty()
                && k.starts_with("vnp_")
                && k != "vnp_SecureHash"
                && k != "vnp_SecureHashType"
        })
        .collect();
    p.sort_by(|a, b| a.0.cmp(&b.0));
    p.iter()
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The payment request a merchant sends the citizen to.
#[derive(Debug, Clone)]
pub struct PayRequest<'a> {
    pub tmn_code: &'a str,
    /// VND (multiplied by 100 on the wire).
    pub amount: i64,
    /// Unique per day at the merchant.
    pub txn_ref: &'a str,
    /// Without diacritics.
    pub order_info: &'a str,
    pub return_url: &'a str,
    pub ip: &'a str,
    pub create_date: time::OffsetDateTime,
    pub expire_date: Option<time::OffsetDateTime>,
    /// `vn` or `en`.
    pub locale: &'a str,
}

/// The parameters of a payment request, unsigned.
pub fn pay_params(r: &PayRequest<'_>) -> Vec<(String, String)> {
    let mut p: Vec<(String, String)> = [
        ("vnp_Version", VERSION.to_owned()),
        ("vnp_Command", "pay".to_owned()),
        ("vnp_TmnCode", r.tmn_code.to_owned()),
        ("vnp_Amount", r.amount.saturating_mul(100).to_string()),
        ("vnp_CurrCode", "VND".to_owned()),
        ("vnp_TxnRef", r.txn_ref.to_owned()),
        ("vnp_OrderInfo", crate::text::strip_diacritics(r.order_info)),
        ("vnp_OrderType", "other".to_owned()),
        ("vnp_Locale", r.locale.to_owned()),
        ("vnp_ReturnUrl", r.return_url.to_owned()),
        ("vnp_IpAddr", r.ip.to_owned()),
        ("vnp_CreateDate", super::stamp(r.create_date)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    if let Some(e) = r.expire_date {
        p.push(("vnp_ExpireDate".into(), super::stamp(e)));
    }
    p
}

/// The full signed URL: `base?sorted&vnp_SecureHash=…`.
pub fn signed_url(base: &str, params: &[(String, String)], secret: &str) -> String {
    let data = sign_data(params);
    let hash = hmac_hex(secret, &data);
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{data}&vnp_SecureHash={hash}")
}

/// What a verified return or IPN call says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    pub tmn_code: String,
    pub txn_ref: String,
    /// VND (the wire's amount divided by 100).
    pub amount: i64,
    pub response_code: String,
    pub transaction_status: String,
    pub transaction_no: String,
    pub bank_code: String,
    pub pay_date: String,
}

impl Callback {
    /// Paid: both the response code and the transaction status are "00".
    pub fn success(&self) -> bool {
        self.response_code == "00" && self.transaction_status == "00"
    }
}

/// Why a callback is not believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The signature is missing or does not match (IPN answer 97).
    Checksum,
    /// Signed, but a field is missing or unreadable (answer 99).
    Malformed,
}

/// Verifies the query of a return or IPN call and reads it.
pub fn verify(params: &[(String, String)], secret: &str) -> Result<Callback, Refused> {
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let given = get("vnp_SecureHash").ok_or(Refused::Checksum)?;
    let expected = hmac_hex(secret, &sign_data(params));
    if !same(&given.to_ascii_lowercase(), &expected) {
        return Err(Refused::Checksum);
    }
    let need = |k: &str| get(k).ok_or(Refused::Malformed);
    let wire: i64 = need("vnp_Amount")?
        .parse()
        .map_err(|_| Refused::Malformed)?;
    if wire < 0 || wire % 100 != 0 {
        return Err(Refused::Malformed);
    }
    Ok(Callback {
        tmn_code: need("vnp_TmnCode")?,
        txn_ref: need("vnp_TxnRef")?,
        amount: wire / 100,
        response_code: need("vnp_ResponseCode")?,
        transaction_status: get("vnp_TransactionStatus").unwrap_or_default(),
        transaction_no: get("vnp_TransactionNo").unwrap_or_default(),
        bank_code: get("vnp_BankCode").unwrap_or_default(),
        pay_date: get("vnp_PayDate").unwrap_or_default(),
    })
}

/// The IPN's answer, as VNPay expects it: `{"RspCode": "00", "Message": "Confirm Success"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpnReply {
    Confirmed,
    OrderNotFound,
    AlreadyConfirmed,
    InvalidAmount,
    BadChecksum,
    Unknown,
}

impl IpnReply {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Confirmed => "00",
            Self::OrderNotFound => "01",
            Self::AlreadyConfirmed => "02",
            Self::InvalidAmount => "04",
            Self::BadChecksum => "97",
            Self::Unknown => "99",
        }
    }
    pub const fn message(self) -> &'static str {
        match self {
            Self::Confirmed => "Confirm Success",
            Self::OrderNotFound => "Order not found",
            Self::AlreadyConfirmed => "Order already confirmed",
            Self::InvalidAmount => "Invalid amount",
            Self::BadChecksum => "Invalid signature",
            Self::Unknown => "Unknown error",
        }
    }
}

/// What a `vnp_ResponseCode` means to the citizen (Vietnamese, English).
pub fn response_text(code: &str) -> (&'static str, &'static str) {
    match code {
        "00" => ("Giao dịch thành công", "Payment successful"),
        "07" => (
            "Đã trừ tiền nhưng giao dịch bị nghi ngờ; ngân hàng sẽ liên hệ",
            "Debited but flagged as suspicious; the bank will contact you",
        ),
        "09" => (
            "Thẻ chưa đăng ký Internet Banking",
            "Card not registered for internet banking",
        ),
        "10" | "05" | "06" => ("Xác thực không đúng", "Authentication failed"),
        "11" => ("Hết thời gian chờ thanh toán", "The payment timed out"),
        "24" => ("Bạn đã hủy giao dịch", "You cancelled the payment"),
        "51" => ("Tài khoản không đủ số dư", "Insufficient funds"),
        "65" => ("Vượt hạn mức giao dịch trong ngày", "Daily limit exceeded"),
        "08" | "75" => ("Ngân hàng đang bảo trì", "The bank is under maintenance"),
        _ => ("Giao dịch không thành công", "Payment failed"),
    }
}

/// `querydr`: the request's signed text (`|`-joined, VNPay's merchant web API).
pub fn query_sign_data(f: &QueryRequest<'_>) -> String {
    [
        f.request_id,
        VERSION,
        "querydr",
        f.tmn_code,
        f.txn_ref,
        f.transaction_date,
        f.create_date,
        f.ip,
        f.order_info,
    ]
    .join("|")
}

/// A `querydr` request.
#[derive(Debug, Clone)]
pub struct QueryRequest<'a> {
    pub request_id: &'a str,
    pub tmn_code: &'a str,
    pub txn_ref: &'a str,
    /// The payment's `vnp_CreateDate`.
    pub transaction_date: &'a str,
    pub create_date: &'a str,
    pub ip: &'a str,
    pub order_info: &'a str,
}

/// The JSON body of a `querydr` request, signed.
pub fn query_body(f: &QueryRequest<'_>, secret: &str) -> serde_json::Value {
    serde_json::json!({
        "vnp_RequestId": f.request_id, "vnp_Version": VERSION, "vnp_Command": "querydr",
        "vnp_TmnCode": f.tmn_code, "vnp_TxnRef": f.txn_ref, "vnp_OrderInfo": f.order_info,
        "vnp_TransactionDate": f.transaction_date, "vnp_CreateDate": f.create_date, "vnp_IpAddr": f.ip,
        "vnp_SecureHash": hmac_hex(secret, &query_sign_data(f)),
    })
}

/// The fields of a `querydr` answer, in the order they are signed.
pub const QUERY_REPLY_FIELDS: [&str; 15] = [
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
];

fn field(v: &serde_json::Value, k: &str) -> String {
    match v.get(k) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// Signs a `querydr` answer (the sandbox gateway answers with it).
pub fn sign_query_reply(v: &mut serde_json::Value, secret: &str) {
    let data: Vec<String> = QUERY_REPLY_FIELDS.iter().map(|k| field(v, k)).collect();
    let hash = hmac_hex(secret, &data.join("|"));
    if let Some(o) = v.as_object_mut() {
        o.insert("vnp_SecureHash".into(), hash.into());
    }
}

/// Verifies a `querydr` answer and reads it as a callback.
pub fn verify_query_reply(v: &serde_json::Value, secret: &str) -> Result<Callback, Refused> {
    let data: Vec<String> = QUERY_REPLY_FIELDS.iter().map(|k| field(v, k)).collect();
    let expected = hmac_hex(secret, &data.join("|"));
    if !same(&field(v, "vnp_SecureHash").to_ascii_lowercase(), &expected) {
        return Err(Refused::Checksum);
    }
    let wire: i64 = field(v, "vnp_Amount").parse().unwrap_or(0);
    Ok(Callback {
        tmn_code: field(v, "vnp_TmnCode"),
        txn_ref: field(v, "vnp_TxnRef"),
        amount: wire / 100,
        response_code: field(v, "vnp_ResponseCode"),
        transaction_status: field(v, "vnp_TransactionStatus"),
        transaction_no: field(v, "vnp_TransactionNo"),
        bank_code: field(v, "vnp_BankCode"),
        pay_date: field(v, "vnp_PayDate"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| {
                (
                    k.to_owned(),
                    v.replace('+', " ").replace("%3A", ":").replace("%2F", "/"),
                )
            })
            .collect()
    }

    // The expected hashes were computed outside this code: Python's `hmac.new(secret, urlencode(sorted(params)),
    // sha512)` over the same inputs.
    const SECRET: &str = "motcua-demo-vnpay-secret";

    fn fixed() -> Vec<(String, String)> {
        pay_params(&PayRequest {
            tmn_code: "MOTCUADEMO",
            amount: 50_000,
            txn_ref: "H48.01-261201-0001-1",
            order_info: "Thanh toán hồ sơ H48.01-261201-0001",
            return_url: "http://127.0.0.1:8080/thanh-toan/vnpay/tra-ve",
            ip: "127.0.0.1",
            create_date: time::macros::datetime!(2026-12-01 02:03:04 UTC),
            expire_date: None,
            locale: "vn",
        })
    }

    #[test]
    fn a_url_from_fixed_inputs_has_the_expected_hash() {
        let url = signed_url(
            "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
            &fixed(),
            SECRET,
        );
        assert!(url.contains("vnp_Amount=5000000&"), "{url}");
        assert!(
            url.contains("vnp_OrderInfo=Thanh+toan+ho+so+H48.01-261201-0001&"),
            "{url}"
        );
        assert!(url.contains(
            "vnp_ReturnUrl=http%3A%2F%2F127.0.0.1%3A8080%2Fthanh-toan%2Fvnpay%2Ftra-ve&"
        ));
        let hash = url
            .rsplit_once("vnp_SecureHash=")
            .map(|(_, h)| h)
            .unwrap_or("");
        assert_eq!(hash, EXPECTED_URL_HASH);
    }

    const EXPECTED_URL_HASH: &str = "21d81f9500fe262c6b8231b66789247f7592b2b169e6f3209b04d0f6b6d5a60737724f371182ba272082dfd3a6b0cb05e6fc55e398417818981077e1f4e91654";

    fn good_callback() -> Vec<(String, String)> {
        let mut p = pairs("vnp_Amount=5000000&vnp_BankCode=NCB&vnp_BankTranNo=VNP14226112&vnp_CardType=ATM&vnp_OrderInfo=Thanh+toan+ho+so+H48.01-261201-0001&vnp_PayDate=20261201091500&vnp_ResponseCode=00&vnp_TmnCode=MOTCUADEMO&vnp_TransactionNo=14226112&vnp_TransactionStatus=00&vnp_TxnRef=H48.01-261201-0001-1");
        p.push(("vnp_SecureHash".into(), EXPECTED_CALLBACK_HASH.into()));
        p
    }

    const EXPECTED_CALLBACK_HASH: &str = "fd30df0855f46ea4a3cb01ac942ea833ff06e773b6941b883be52cae77be79efeb278420ff0f69b31aee27142150eea55df0ea026e6dda77136d291716351671";

    #[test]
    fn a_known_good_callback_verifies_and_a_tampered_one_is_refused() {
        let cb = verify(&good_callback(), SECRET).expect("verifies");
        assert_eq!(cb.amount, 50_000);
        assert!(cb.success());
        assert_eq!(cb.txn_ref, "H48.01-261201-0001-1");
        let mut tampered = good_callback();
        for (k, v) in &mut tampered {
            if k == "vnp_Amount" {
                *v = "500000".into();
            }
        }
        assert_eq!(verify(&tampered, SECRET), Err(Refused::Checksum));
        assert_eq!(
            verify(&good_callback(), "another-secret"),
            Err(Refused::Checksum)
        );
        let unsigned: Vec<_> = good_callback()
            .into_iter()
            .filter(|(k, _)| k != "vnp_SecureHash")
            .collect();
        assert_eq!(verify(&unsigned, SECRET), Err(Refused::Checksum));
        assert_eq!(IpnReply::BadChecksum.code(), "97");
    }

    #[test]
    fn a_query_reply_round_trips() {
        let mut v = serde_json::json!({"vnp_ResponseId": "r1", "vnp_Command": "querydr", "vnp_ResponseCode": "00",
            "vnp_Message": "ok", "vnp_TmnCode": "MOTCUADEMO", "vnp_TxnRef": "X-1", "vnp_Amount": "5000000",
            "vnp_TransactionStatus": "00"});
        sign_query_reply(&mut v, SECRET);
        let cb = verify_query_reply(&v, SECRET).expect("verifies");
        assert_eq!(cb.amount, 50_000);
        v["vnp_Amount"] = "100".into();
        assert_eq!(verify_query_reply(&v, SECRET), Err(Refused::Checksum));
    }
}
