//! Fee requests and payments: inserted, read, and paid once (a conditional update from `pending`).

use super::{utc, Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::{DossierId, UserId};
use time::OffsetDateTime;

/// A fee request as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeeRow {
    pub id: i64,
    pub dossier_id: DossierId,
    pub amount: i64,
    pub quoted: Option<i64>,
    pub breakdown: String,
    pub collection: String,
    pub reason: String,
    pub state: String,
    pub created_at: OffsetDateTime,
    pub paid_at: Option<OffsetDateTime>,
}

/// A fee request to insert.
#[derive(Debug, Clone)]
pub struct NewFee<'a> {
    pub dossier_id: DossierId,
    pub amount: i64,
    pub quoted: Option<i64>,
    pub breakdown: &'a str,
    pub collection: &'a str,
    pub reason: &'a str,
    pub at: OffsetDateTime,
    pub by: UserId,
}

/// Opens a fee request, closing any earlier open one of the dossier (a new request replaces it).
pub async fn insert_fee(tx: &mut Tx, f: &NewFee<'_>) -> sqlx::Result<i64> {
    let before = super::reports::snapshot(tx, f.dossier_id).await?;
    let id = insert_fee_row(tx, f).await?;
    super::reports::refresh(tx, f.dossier_id, before).await?;
    Ok(id)
}

async fn insert_fee_row(tx: &mut Tx, f: &NewFee<'_>) -> sqlx::Result<i64> {
    on_tx!(tx, |c| {
        sqlx::query(
            "update fee_requests set state = 'replaced' where dossier_id = $1 and state = 'open'",
        )
        .bind(f.dossier_id)
        .execute(&mut **c)
        .await?;
        sqlx::query_scalar(
            "insert into fee_requests (dossier_id, amount, quoted, breakdown, collection, reason, state, created_at, created_by) \
             values ($1, $2, $3, $4, $5, $6, 'open', $7, $8) returning id",
        )
        .bind(f.dossier_id)
        .bind(f.amount)
        .bind(f.quoted)
        .bind(f.breakdown)
        .bind(f.collection)
        .bind(f.reason)
        .bind(utc(f.at))
        .bind(f.by)
        .fetch_one(&mut **c)
        .await
    })
}

const FEE_COLS: &str =
    "id, dossier_id, amount, quoted, breakdown, collection, reason, state, created_at, paid_at";

/// The dossier's fee requests, newest first.
pub async fn fees_of(db: &Db, dossier_id: DossierId) -> sqlx::Result<Vec<FeeRow>> {
    let sql = format!("select {FEE_COLS} from fee_requests where dossier_id = $1 and state <> 'replaced' order by id desc");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(dossier_id)
        .fetch_all(p)
        .await)
}

/// Marks a fee request paid.
pub async fn fee_paid(tx: &mut Tx, id: i64, at: OffsetDateTime) -> sqlx::Result<bool> {
    on_tx!(tx, |c| sqlx::query(
        "update fee_requests set state = 'paid', paid_at = $2 where id = $1 and state = 'open'"
    )
    .bind(id)
    .bind(utc(at))
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// A payment as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentRow {
    pub id: i64,
    pub fee_request_id: i64,
    pub dossier_id: DossierId,
    pub order_ref: String,
    pub method: String,
    pub amount: i64,
    pub state: String,
    pub created_at: OffsetDateTime,
    pub gateway_created: String,
    pub paid_at: Option<OffsetDateTime>,
    pub gateway_txn: Option<String>,
    pub gateway_code: Option<String>,
    pub receipt_no: Option<String>,
}

const PAY_COLS: &str = "id, fee_request_id, dossier_id, order_ref, method, amount, state, created_at, gateway_created, \
     paid_at, gateway_txn, gateway_code, receipt_no";

/// A payment to insert.
#[derive(Debug, Clone)]
pub struct NewPayment<'a> {
    pub fee_request_id: i64,
    pub dossier_id: DossierId,
    pub order_ref: &'a str,
    pub method: &'a str,
    pub amount: i64,
    pub at: OffsetDateTime,
    pub by: Option<UserId>,
    pub gateway_created: &'a str,
}

/// Inserts a pending payment.
pub async fn insert_payment(tx: &mut Tx, p: &NewPayment<'_>) -> sqlx::Result<i64> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "insert into payments (fee_request_id, dossier_id, order_ref, method, amount, state, created_at, created_by, gateway_created) \
         values ($1, $2, $3, $4, $5, 'pending', $6, $7, $8) returning id"
    )
    .bind(p.fee_request_id)
    .bind(p.dossier_id)
    .bind(p.order_ref)
    .bind(p.method)
    .bind(p.amount)
    .bind(utc(p.at))
    .bind(p.by)
    .bind(p.gateway_created)
    .fetch_one(&mut **c)
    .await
    })
}

/// The payment of an order reference.
pub async fn by_ref(db: &Db, order_ref: &str) -> sqlx::Result<Option<PaymentRow>> {
    let sql = format!("select {PAY_COLS} from payments where order_ref = $1");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(order_ref)
        .fetch_optional(p)
        .await)
}

/// The payment of an order reference, inside a transaction.
pub async fn by_ref_tx(tx: &mut Tx, order_ref: &str) -> sqlx::Result<Option<PaymentRow>> {
    let sql = format!("select {PAY_COLS} from payments where order_ref = $1");
    on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(order_ref)
        .fetch_optional(&mut **c)
        .await)
}

/// The dossier's payments, newest first.
pub async fn of_dossier(db: &Db, dossier_id: DossierId) -> sqlx::Result<Vec<PaymentRow>> {
    let sql = format!("select {PAY_COLS} from payments where dossier_id = $1 order by id desc");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(dossier_id)
        .fetch_all(p)
        .await)
}

/// How many payments a dossier has had (the next order's number).
pub async fn count_tx(tx: &mut Tx, dossier_id: DossierId) -> sqlx::Result<i64> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "select count(*) from payments where dossier_id = $1"
    )
    .bind(dossier_id)
    .fetch_one(&mut **c)
    .await)
}

/// Records the gateway's answer on a pending order. True only for the one call that moved it: a replay or a
/// concurrent duplicate finds it no longer pending and changes nothing.
pub async fn settle(
    tx: &mut Tx,
    order_ref: &str,
    state: &str,
    (txn, code): (&str, &str),
    at: OffsetDateTime,
) -> sqlx::Result<bool> {
    let dossier: Option<DossierId> = on_tx!(tx, |c| sqlx::query_scalar(
        "select dossier_id from payments where order_ref = $1"
    )
    .bind(order_ref)
    .fetch_optional(&mut **c)
    .await)?;
    let before = match dossier {
        Some(d) => super::reports::snapshot(tx, d).await?,
        None => None,
    };
    let moved = on_tx!(tx, |c| {
        sqlx::query(
        "update payments set state = $2, gateway_txn = $3, gateway_code = $4, paid_at = case when $2 = 'paid' then $5 else null end, \
         checked_at = $5 where order_ref = $1 and state = 'pending'"
    )
    .bind(order_ref)
    .bind(state)
    .bind(txn)
    .bind(code)
    .bind(utc(at))
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected() == 1)
    })?;
    if let (true, Some(d)) = (moved, dossier) {
        super::reports::refresh(tx, d, before).await?;
    }
    Ok(moved)
}

/// Gives a paid payment its receipt number (`BL-2026-000123`).
pub async fn set_receipt(tx: &mut Tx, id: i64, year: i32) -> sqlx::Result<String> {
    let no = format!("BL-{year}-{id:06}");
    on_tx!(tx, |c| sqlx::query(
        "update payments set receipt_no = $2 where id = $1"
    )
    .bind(id)
    .bind(&no)
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(no)
}

/// Online orders still pending that were created before `before` (their callback never came).
pub async fn stale_pending(
    db: &Db,
    before: OffsetDateTime,
    limit: i64,
) -> sqlx::Result<Vec<PaymentRow>> {
    let sql = format!(
        "select {PAY_COLS} from payments where state = 'pending' and method in ('vnpay', 'dvcqg') and created_at < $1 \
         order by id limit $2"
    );
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(utc(before))
        .bind(limit)
        .fetch_all(p)
        .await)
}

/// One line of the reconciliation report: a payment or a dossier that owes one.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReconRow {
    pub dossier_code: String,
    pub dossier_status: i16,
    pub procedure_name: String,
    pub fee_state: Option<String>,
    pub fee_amount: Option<i64>,
    pub order_ref: Option<String>,
    pub method: Option<String>,
    pub amount: Option<i64>,
    pub state: Option<String>,
    pub paid_at: Option<OffsetDateTime>,
    pub receipt_no: Option<String>,
    pub gateway_txn: Option<String>,
    pub fee_request_id: Option<i64>,
}

/// The day's payments of an agency's dossiers, and the open fee requests of dossiers waiting for payment.
pub async fn reconciliation(
    db: &Db,
    agency_id: motcua_domain::ids::AgencyId,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> sqlx::Result<Vec<ReconRow>> {
    let sql = "select d.code as dossier_code, d.status as dossier_status, pr.name as procedure_name, f.state as fee_state, \
         f.amount as fee_amount, p.order_ref, p.method, p.amount, p.state, p.paid_at, p.receipt_no, p.gateway_txn, \
         f.id as fee_request_id \
         from payments p join dossiers d on d.id = p.dossier_id join procedures pr on pr.code = d.procedure_code \
         left join fee_requests f on f.id = p.fee_request_id \
         where d.receiving_agency_id = $1 and p.created_at >= $2 and p.created_at < $3 \
         union all \
         select d.code, d.status, pr.name, f.state, f.amount, null, null, null, null, null, null, null, f.id \
         from fee_requests f join dossiers d on d.id = f.dossier_id join procedures pr on pr.code = d.procedure_code \
         where d.receiving_agency_id = $1 and f.state = 'open' and f.created_at < $3 \
         and not exists (select 1 from payments q where q.fee_request_id = f.id and q.created_at >= $2 and q.created_at < $3) \
         order by 1";
    on_db!(db, |p| sqlx::query_as(sql)
        .bind(agency_id)
        .bind(utc(from))
        .bind(utc(to))
        .fetch_all(p)
        .await)
}

/// The code of a dossier by its id.
pub async fn code_of(db: &Db, id: DossierId) -> sqlx::Result<Option<String>> {
    on_db!(db, |p| sqlx::query_scalar(
        "select code from dossiers where id = $1"
    )
    .bind(id)
    .fetch_optional(p)
    .await)
}

/// The province of a dossier's receiving unit.
pub async fn province_of_payment(db: &Db, dossier_id: DossierId) -> sqlx::Result<Option<String>> {
    on_db!(db, |p| {
        sqlx::query_scalar(
        "select coalesce(u.province_code, u.code) from dossiers d join agencies a on a.id = d.receiving_agency_id \
         join units u on u.code = a.unit_code where d.id = $1"
    )
    .bind(dossier_id)
    .fetch_optional(p)
    .await
    })
}
