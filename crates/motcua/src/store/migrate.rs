//! Embedded migrations, one folder per backend with the same names in the same order; checksummed like sqlx's.

use super::{Backend, Db};
use crate::on_db;
use sha2::{Digest, Sha256};

/// A migration: version, name, SQLite text, PostgreSQL text.
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

/// Every migration, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_init",
        sqlite: include_str!("../../migrations/sqlite/0001_init.sql"),
        postgres: include_str!("../../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "0002_workflows",
        sqlite: include_str!("../../migrations/sqlite/0002_workflows.sql"),
        postgres: include_str!("../../migrations/postgres/0002_workflows.sql"),
    },
    Migration {
        version: 3,
        name: "0003_web",
        sqlite: include_str!("../../migrations/sqlite/0003_web.sql"),
        postgres: include_str!("../../migrations/postgres/0003_web.sql"),
    },
    Migration {
        version: 4,
        name: "0004_security",
        sqlite: include_str!("../../migrations/sqlite/0004_security.sql"),
        postgres: include_str!("../../migrations/postgres/0004_security.sql"),
    },
    Migration {
        version: 5,
        name: "0005_limit_source",
        sqlite: include_str!("../../migrations/sqlite/0005_limit_source.sql"),
        postgres: include_str!("../../migrations/postgres/0005_limit_source.sql"),
    },
    Migration {
        version: 6,
        name: "0006_applicant_key",
        sqlite: include_str!("../../migrations/sqlite/0006_applicant_key.sql"),
        postgres: include_str!("../../migrations/postgres/0006_applicant_key.sql"),
    },
    Migration {
        version: 7,
        name: "0007_checklists",
        sqlite: include_str!("../../migrations/sqlite/0007_checklists.sql"),
        postgres: include_str!("../../migrations/postgres/0007_checklists.sql"),
    },
    Migration {
        version: 8,
        name: "0008_queue",
        sqlite: include_str!("../../migrations/sqlite/0008_queue.sql"),
        postgres: include_str!("../../migrations/postgres/0008_queue.sql"),
    },
    Migration {
        version: 9,
        name: "0009_money",
        sqlite: include_str!("../../migrations/sqlite/0009_money.sql"),
        postgres: include_str!("../../migrations/postgres/0009_money.sql"),
    },
    Migration {
        version: 10,
        name: "0010_queue_near",
        sqlite: include_str!("../../migrations/sqlite/0010_queue_near.sql"),
        postgres: include_str!("../../migrations/postgres/0010_queue_near.sql"),
    },
    Migration {
        version: 11,
        name: "0011_reports",
        sqlite: include_str!("../../migrations/sqlite/0011_reports.sql"),
        postgres: include_str!("../../migrations/postgres/0011_reports.sql"),
    },
    Migration {
        version: 12,
        name: "0012_staff",
        sqlite: include_str!("../../migrations/sqlite/0012_staff.sql"),
        postgres: include_str!("../../migrations/postgres/0012_staff.sql"),
    },
    Migration {
        version: 13,
        name: "0013_public_rev",
        sqlite: include_str!("../../migrations/sqlite/0013_public_rev.sql"),
        postgres: include_str!("../../migrations/postgres/0013_public_rev.sql"),
    },
    Migration {
        version: 14,
        name: "0014_report_provinces",
        sqlite: include_str!("../../migrations/sqlite/0014_report_provinces.sql"),
        postgres: include_str!("../../migrations/postgres/0014_report_provinces.sql"),
    },
    Migration {
        version: 15,
        name: "0015_report_procedure_index",
        sqlite: include_str!("../../migrations/sqlite/0015_report_procedure_index.sql"),
        postgres: include_str!("../../migrations/postgres/0015_report_procedure_index.sql"),
    },
];

const CREATE: &str = "create table if not exists motcua_migrations (version bigint primary key, name text not null, checksum text not null)";

impl Migration {
    fn sql(&self, b: Backend) -> &'static str {
        match b {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }
    fn checksum(&self, b: Backend) -> String {
        hex::encode(Sha256::digest(self.sql(b).as_bytes()))
    }
}

/// Versions applied so far with their checksums.
async fn applied(db: &Db) -> anyhow::Result<Vec<(i64, String)>> {
    on_db!(db, |p| sqlx::raw_sql(CREATE)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    let rows: Vec<(i64, String)> = on_db!(db, |p| {
        sqlx::query_as("select version, checksum from motcua_migrations order by version")
            .fetch_all(p)
            .await
    })?;
    Ok(rows)
}

/// Migrations not applied yet; fails if an applied one was edited, or if the database has migrations this binary
/// does not know (a newer motcua wrote it: running an older one on it would misread its tables).
pub async fn pending(db: &Db) -> anyhow::Result<Vec<&'static Migration>> {
    let done = applied(db).await?;
    let b = db.backend();
    for (v, sum) in &done {
        let Some(m) = MIGRATIONS.iter().find(|m| m.version == *v) else {
            anyhow::bail!(
                "cơ sở dữ liệu có bản chuyển đổi {v} mà phiên bản motcua này không biết: hãy chạy phiên bản mới hơn / \
                 the database has migration {v}, which this motcua does not know: run the newer version that wrote it"
            );
        };
        if m.checksum(b) != *sum {
            anyhow::bail!(
                "migration {} was edited after it was applied (checksum differs)",
                m.name
            );
        }
    }
    Ok(MIGRATIONS
        .iter()
        .filter(|m| !done.iter().any(|(v, _)| *v == m.version))
        .collect())
}

/// Applies pending migrations, each in its own transaction. Returns how many ran.
pub async fn run(db: &Db) -> anyhow::Result<usize> {
    let todo = pending(db).await?;
    let b = db.backend();
    for m in &todo {
        let mut tx = db.begin().await?;
        crate::on_tx!(&mut tx, |c| {
            sqlx::raw_sql(m.sql(b)).execute(&mut **c).await?;
            sqlx::query(
                "insert into motcua_migrations (version, name, checksum) values ($1, $2, $3)",
            )
            .bind(m.version)
            .bind(m.name)
            .bind(m.checksum(b))
            .execute(&mut **c)
            .await?;
        });
        tx.commit().await?;
        tracing::info!(migration = m.name, "migration applied");
    }
    Ok(todo.len())
}
