//! A PostgreSQL streaming replica's position against its primary.

use super::Db;

/// Where a replica stands.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicaLag {
    /// Bytes of the primary's write-ahead log not replayed on the replica yet.
    pub bytes: i64,
    /// Seconds since the last transaction the replica replayed, or 0 when it has replayed all it received.
    pub seconds: f64,
}

/// Reads the replica's replay position and compares it with the primary's current one. `None` when either is not
/// PostgreSQL or the replica is not in recovery (a promoted or mistaken URL).
pub async fn lag(primary: &Db, replica: &Db) -> sqlx::Result<Option<ReplicaLag>> {
    let (Db::Postgres(p, _), Db::Postgres(r, _)) = (primary, replica) else {
        return Ok(None);
    };
    let (recovering, replayed, seconds): (bool, Option<String>, f64) = sqlx::query_as(
        "select pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, \
         case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0::float8 \
         else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp())::float8, 0) end",
    )
    .fetch_one(r)
    .await?;
    let Some(replayed) = replayed.filter(|_| recovering) else {
        return Ok(None);
    };
    let bytes: Option<i64> =
        sqlx::query_scalar("select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::int8")
            .bind(replayed)
            .fetch_one(p)
            .await?;
    Ok(Some(ReplicaLag {
        bytes: bytes.unwrap_or(0).max(0),
        seconds: seconds.max(0.0),
    }))
}
