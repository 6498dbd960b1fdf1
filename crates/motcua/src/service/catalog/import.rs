//! Imports of official data: administrative units (2025 state, 2026 update), the old→new merge map, the procedure
//! catalog (scraped detail JSON and catalog CSV), calendar overrides; default agencies for every unit.

use crate::on_db;
use crate::store::agencies::{self, NewAgency};
use crate::store::procedures::{self, ProcedureInput};
use crate::store::units::{self, MergeRow, UnitInput};
use crate::store::{calendar, utc, Db};
use motcua_domain::calendar::{DayOverride, OverrideKind};
use motcua_domain::catalog::{self, Levels, ParseStatus, RawRecord};
use motcua_domain::ids::UserId;
use serde::Serialize;
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};

/// The 2025 units (QĐ 19/2025/QĐ-TTg), shipped in the binary: see `data/SOURCES.md`.
pub const UNITS_2025: &[u8] = include_bytes!("../../../data/admin_units_2025_full.csv");
/// The state after 30/04/2026 (Đồng Nai a municipality; 10 communes became wards).
pub const UNITS_2026: &[u8] = include_bytes!("../../../data/admin_units_2026_full.csv");
/// The old→new map of 2025.
pub const MERGE_MAP: &[u8] = include_bytes!("../../../data/admin_units_2025_merge_map.csv");
/// 2,642 national procedures (catalog rows).
pub const CATALOG_CSV: &[u8] = include_bytes!("../../../data/tthc_catalog_sample.csv");
/// 588 commune-level procedures with full detail.
pub const CATALOG_JSON: &[u8] = include_bytes!("../../../data/tthc_commune_level_sample.json");

/// When the two-tier units took effect.
pub const EFFECTIVE_2025: Date = time::macros::date!(2025 - 07 - 01);
/// When the 2026 change took effect.
pub const EFFECTIVE_2026: Date = time::macros::date!(2026 - 04 - 30);

fn csv_rows(bytes: &[u8]) -> anyhow::Result<Vec<BTreeMap<String, String>>> {
    let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = r.headers()?.clone();
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| anyhow::anyhow!("dòng {} / line {}: {e}", i + 2, i + 2))?;
        out.push(
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_owned(), v.trim().to_owned()))
                .collect(),
        );
    }
    Ok(out)
}

fn need<'a>(row: &'a BTreeMap<String, String>, col: &str, line: usize) -> anyhow::Result<&'a str> {
    row.get(col)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            anyhow::anyhow!("dòng {line}: thiếu cột {col} / line {line}: missing column {col}")
        })
}

/// What a unit import did.
#[derive(Debug, Clone, Serialize)]
pub struct UnitsReport {
    pub provinces: units::UnitImport,
    pub communes: units::UnitImport,
    pub agencies_created: u64,
}

/// Imports a units CSV (the short `admin_units_*.csv` or the `_full` form). Existing codes keep their identity; a
/// changed name or type becomes a history row effective from `effective`.
pub async fn units_csv(
    db: &Db,
    bytes: &[u8],
    effective: Date,
    source: &str,
) -> anyhow::Result<UnitsReport> {
    let rows = csv_rows(bytes)?;
    let mut provinces: BTreeMap<String, UnitInput> = BTreeMap::new();
    let mut communes = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let line = i + 2;
        let pc = motcua_domain::codes::ProvinceCode::parse(need(row, "province_code", line)?)
            .map_err(|e| anyhow::anyhow!("dòng {line} / line {line}: {e}"))?;
        let uc = motcua_domain::codes::UnitCode::parse(need(row, "unit_code", line)?)
            .map_err(|e| anyhow::anyhow!("dòng {line} / line {line}: {e}"))?;
        let pname = need(row, "province_name", line)?.to_owned();
        let pkind = row
            .get("province_type")
            .cloned()
            .filter(|k| !k.is_empty())
            .unwrap_or_else(|| {
                if pname.starts_with("Thành phố") {
                    "municipality".into()
                } else {
                    "province".into()
                }
            });
        let pshort = row.get("province_short_name").cloned().unwrap_or_else(|| {
            pname
                .trim_start_matches("Thành phố ")
                .trim_start_matches("Tỉnh ")
                .to_owned()
        });
        provinces
            .entry(pc.to_string())
            .or_insert_with(|| UnitInput {
                code: pc.to_string(),
                level: "province",
                province_code: None,
                name: pname.clone(),
                short_name: pshort.clone(),
                name_en: row
                    .get("province_name_en")
                    .cloned()
                    .unwrap_or_else(|| motcua_domain::text::strip_diacritics(&pshort)),
                kind: pkind,
            });
        let uname = need(row, "unit_name", line)?.to_owned();
        let kind = need(row, "unit_type", line)?.to_owned();
        if !["ward", "commune", "special_zone"].contains(&kind.as_str()) {
            anyhow::bail!("dòng {line}: loại đơn vị '{kind}' không hợp lệ / line {line}: unit type must be ward, commune or special_zone");
        }
        let ushort = row.get("unit_short_name").cloned().unwrap_or_else(|| {
            ["Phường ", "Xã ", "Đặc khu "]
                .iter()
                .fold(uname.clone(), |n, p| n.trim_start_matches(p).to_owned())
        });
        communes.push(UnitInput {
            code: uc.to_string(),
            level: "commune",
            province_code: Some(pc.to_string()),
            name: uname,
            name_en: row
                .get("unit_name_en")
                .cloned()
                .unwrap_or_else(|| motcua_domain::text::strip_diacritics(&ushort)),
            short_name: ushort,
            kind,
        });
    }
    let province_rows: Vec<UnitInput> = provinces.into_values().collect();
    let mut tx = db.begin().await?;
    let p = units::import(&mut tx, &province_rows, effective, source).await?;
    let c = units::import(&mut tx, &communes, effective, source).await?;
    let mut agencies = Vec::new();
    for u in &province_rows {
        agencies.push(NewAgency {
            identifier: format!("{}.UBND", u.code),
            identifier_is_placeholder: true,
            name: format!("Ủy ban nhân dân {}", u.name),
            kind: "province_pc".into(),
            unit_code: u.code.clone(),
            parent_id: None,
        });
        agencies.push(NewAgency {
            identifier: format!("{}.TTPVHCC", u.code),
            identifier_is_placeholder: true,
            name: format!("Trung tâm Phục vụ hành chính công {}", u.name),
            kind: "province_center".into(),
            unit_code: u.code.clone(),
            parent_id: None,
        });
    }
    for u in &communes {
        agencies.push(NewAgency {
            identifier: format!("{}.UBND", u.code),
            identifier_is_placeholder: true,
            name: format!("Ủy ban nhân dân {}", u.name),
            kind: "commune_pc".into(),
            unit_code: u.code.clone(),
            parent_id: None,
        });
        agencies.push(NewAgency {
            identifier: u.code.clone(),
            identifier_is_placeholder: true,
            name: format!("Trung tâm Phục vụ hành chính công {}", u.name),
            kind: "commune_center".into(),
            unit_code: u.code.clone(),
            parent_id: None,
        });
    }
    let created = agencies::insert_missing(&mut tx, &agencies).await?;
    tx.commit().await?;
    Ok(UnitsReport {
        provinces: p,
        communes: c,
        agencies_created: created,
    })
}

/// Imports the old→new merge map CSV.
pub async fn merge_map_csv(db: &Db, bytes: &[u8]) -> anyhow::Result<usize> {
    let rows = csv_rows(bytes)?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let line = i + 2;
        let g = |c: &str| r.get(c).cloned().unwrap_or_default();
        need(r, "new_unit_code", line)?;
        // Five island districts had no communes: the district itself is the old unit.
        let old_name = match g("old_unit_name") {
            n if n.is_empty() => need(r, "old_district_name", line)?.to_owned(),
            n => n,
        };
        out.push(MergeRow {
            old_province_code: g("old_province_code"),
            old_province_name: g("old_province_name"),
            old_district_code: g("old_district_code"),
            old_district_name: g("old_district_name"),
            old_unit_code: g("old_unit_code"),
            old_unit_name: old_name,
            new_province_code: g("new_province_code"),
            new_unit_code: g("new_unit_code"),
            new_unit_name: g("new_unit_name"),
            merge_type: g("merge_type"),
            resolution: g("resolution"),
        });
    }
    let mut tx = db.begin().await?;
    let n = units::import_merge_map(&mut tx, &out).await?;
    tx.commit().await?;
    Ok(n)
}

/// How a procedure import went.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ProceduresReport {
    pub total: usize,
    pub full: usize,
    pub partial: usize,
    pub none: usize,
    /// Records in which a time printed without a unit got its unit from the description, steps or 15:00 rule.
    pub units_inferred: usize,
    pub catalog_only: usize,
    /// Detail records left out because their name is not the catalogue's name for that code (a scrape of another
    /// page: their papers and steps belong to a different procedure).
    pub mismatched: Vec<String>,
}

/// Imports procedures: a JSON array of scraped detail records, or a catalog CSV (detected from the content).
pub async fn procedures(
    db: &Db,
    bytes: &[u8],
    source: &str,
    now: OffsetDateTime,
) -> anyhow::Result<ProceduresReport> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let mut report = ProceduresReport::default();
    let inputs: Vec<ProcedureInput> = if first == Some(b'[') {
        let records: Vec<RawRecord> = serde_json::from_slice(bytes).map_err(|e| {
            anyhow::anyhow!("JSON thủ tục không hợp lệ / invalid procedure JSON: {e}")
        })?;
        let mut v = Vec::with_capacity(records.len());
        let known = procedures::names(db).await?;
        for r in &records {
            motcua_domain::codes::ProcedureCode::parse(&r.ma_thu_tuc)
                .map_err(|e| anyhow::anyhow!("mã thủ tục '{}': {e}", r.ma_thu_tuc))?;
            if known.get(&r.ma_thu_tuc).is_some_and(|n| {
                motcua_domain::text::search_key(n)
                    != motcua_domain::text::search_key(&r.ten_thu_tuc)
            }) {
                report.mismatched.push(r.ma_thu_tuc.clone());
                continue;
            }
            let p = catalog::parse_record(r);
            if p.detail
                .channels
                .iter()
                .any(|c| !matches!(c.time_unit_source.as_str(), "stated" | "none" | "missing"))
            {
                report.units_inferred += 1;
            }
            match p.detail.parse_status {
                ParseStatus::Full => report.full += 1,
                ParseStatus::Partial => report.partial += 1,
                ParseStatus::None => report.none += 1,
            }
            v.push(ProcedureInput {
                code: p.code.clone(),
                name: p.name.clone(),
                field: p.field.clone(),
                levels: p.levels,
                procedure_type: p.procedure_type.clone(),
                decision: p.decision.clone(),
                issuing_agency: String::new(),
                implementing_agency: p.detail.implementing_agency.clone(),
                ministry_group: r.bo_nganh_folder.clone(),
                online_level: p.online_level.as_str().into(),
                cutoff: p.detail.cutoff.clone(),
                parse_status: p.detail.parse_status.as_str().into(),
                has_limit: p
                    .detail
                    .time_limit(motcua_domain::catalog::Channel::InPerson, false)
                    .0
                    .is_some(),
                detail: Some(serde_json::to_string(&p.detail)?),
                raw: Some(serde_json::to_string(r)?),
                source: source.into(),
            });
        }
        v
    } else {
        let rows = csv_rows(bytes)?;
        let mut v = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let line = i + 2;
            let code = need(r, "procedure_code", line)?;
            motcua_domain::codes::ProcedureCode::parse(code)
                .map_err(|e| anyhow::anyhow!("dòng {line} / line {line}: {e}"))?;
            let g = |c: &str| r.get(c).cloned().unwrap_or_default();
            report.catalog_only += 1;
            v.push(ProcedureInput {
                code: code.to_owned(),
                name: need(r, "name", line)?.to_owned(),
                field: g("field"),
                levels: Levels::parse(&g("level")).checked_against(&g("implementing_agency")),
                procedure_type: g("procedure_type"),
                decision: g("decision"),
                issuing_agency: g("issuing_agency"),
                implementing_agency: g("implementing_agency"),
                ministry_group: g("ministry_group"),
                online_level: "none".into(),
                cutoff: None,
                parse_status: "catalog_only".into(),
                has_limit: false,
                detail: None,
                raw: Some(serde_json::to_string(r)?),
                source: source.into(),
            });
        }
        v
    };
    report.total = inputs.len();
    let mut tx = db.begin().await?;
    procedures::upsert(&mut tx, &inputs, now).await?;
    let kind = if first == Some(b'[') {
        "procedures_json"
    } else {
        "procedures_csv"
    };
    crate::on_tx!(&mut tx, |c| {
        sqlx::query("insert into import_runs (at, kind, source, total, full_count, partial_count, none_count, note) values ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(utc(now)).bind(kind).bind(source).bind(report.total as i64).bind(report.full as i64)
        .bind(report.partial as i64).bind(report.none as i64).bind(format!("catalog_only={} units_inferred={} mismatched={}", report.catalog_only, report.units_inferred, report.mismatched.join(" ")))
        .execute(&mut **c).await.map(|r| r.rows_affected())
    })?;
    tx.commit().await?;
    Ok(report)
}

/// Imports calendar overrides from CSV: `date,kind,note` with kind `day_off` or `working_day`.
pub async fn calendar_csv(db: &Db, bytes: &[u8], source: &str) -> anyhow::Result<usize> {
    let rows = csv_rows(bytes)?;
    let mut out = Vec::new();
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    for (i, r) in rows.iter().enumerate() {
        let line = i + 2;
        let date = Date::parse(need(r, "date", line)?, fmt).map_err(|_| {
            anyhow::anyhow!(
                "dòng {line}: ngày phải là YYYY-MM-DD / line {line}: date must be YYYY-MM-DD"
            )
        })?;
        let kind = OverrideKind::parse(need(r, "kind", line)?)
            .ok_or_else(|| anyhow::anyhow!("dòng {line}: kind là day_off hoặc working_day / line {line}: kind is day_off or working_day"))?;
        out.push(DayOverride {
            date,
            kind,
            note: r.get("note").cloned().unwrap_or_default(),
        });
    }
    let mut tx = db.begin().await?;
    let n = calendar::upsert(&mut tx, &out, source).await?;
    tx.commit().await?;
    Ok(n)
}

/// Imports agencies from CSV `identifier,name,kind,unit_code[,replaces]`: new agencies are created; a row with
/// `replaces` gives an existing (placeholder) agency its official identifier and name. Returns (created, renamed).
pub async fn agencies_csv(db: &Db, bytes: &[u8]) -> anyhow::Result<(u64, u64)> {
    let rows = csv_rows(bytes)?;
    let kinds: Vec<&str> = agencies::kinds().map(|k| k.0).collect();
    let mut new = Vec::new();
    let mut renames = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let line = i + 2;
        let identifier = need(r, "identifier", line)?;
        motcua_domain::codes::check_identifier(identifier)
            .map_err(|e| anyhow::anyhow!("dòng {line} / line {line}: {e}"))?;
        let kind = need(r, "kind", line)?;
        if !kinds.contains(&kind) {
            anyhow::bail!("dòng {line}: loại cơ quan '{kind}' không hợp lệ ({}) / line {line}: unknown agency kind", kinds.join(", "));
        }
        let unit = need(r, "unit_code", line)?;
        if units::get(db, unit).await?.is_none() {
            anyhow::bail!("dòng {line}: không có đơn vị {unit} / line {line}: no unit {unit}");
        }
        let name = need(r, "name", line)?.to_owned();
        let agency = NewAgency {
            identifier: identifier.to_owned(),
            identifier_is_placeholder: false,
            name,
            kind: kind.to_owned(),
            unit_code: unit.to_owned(),
            parent_id: None,
        };
        match r.get("replaces").filter(|x| !x.is_empty()) {
            Some(old) => renames.push((old.clone(), agency, line)),
            None => new.push(agency),
        }
    }
    let mut tx = db.begin().await?;
    let created = agencies::insert_missing(&mut tx, &new).await?;
    let mut renamed = 0;
    for (old, agency, line) in &renames {
        let n = agencies::reidentify(&mut tx, old, agency).await?;
        if n == 0 {
            anyhow::bail!("dòng {line}: không có cơ quan mã {old} / line {line}: no agency {old}");
        }
        renamed += n;
    }
    tx.commit().await?;
    Ok((created, renamed))
}

/// An administrator importing a list from the administration page: a province administrator writes the province's
/// own values, the system administrator the national ones; either way with an audit row in the same transaction.
/// The CLI (no issuer), run by the system's operator, writes the national values.
#[derive(Debug, Clone, Copy)]
pub struct Issuer<'a> {
    pub province: Option<&'a str>,
    pub by: UserId,
    pub role: &'a str,
    pub request_id: &'a str,
    pub now: OffsetDateTime,
}

/// One list's rows: procedure code, online level, boundary-free.
type FlagRow = (String, Option<String>, Option<bool>);

async fn write_flags(
    db: &Db,
    issuer: Option<&Issuer<'_>>,
    rows: &[FlagRow],
    action: &str,
) -> anyhow::Result<u64> {
    let mut tx = db.begin().await?;
    let mut n = 0;
    match issuer.and_then(|w| w.province.map(|p| (w, p))) {
        Some((who, province)) => {
            for (code, level, bf) in rows {
                n += procedures::set_province_flags(
                    &mut tx,
                    &procedures::ProvinceFlags {
                        province,
                        procedure: code,
                        online_level: level.as_deref(),
                        boundary_free: *bf,
                        by: Some(who.by),
                    },
                    who.now,
                )
                .await?;
            }
        }
        None => {
            let levels: Vec<(String, String)> = rows
                .iter()
                .filter_map(|(c, l, _)| l.clone().map(|l| (c.clone(), l)))
                .collect();
            let free: Vec<String> = rows
                .iter()
                .filter(|(_, _, b)| *b == Some(true))
                .map(|(c, _, _)| c.clone())
                .collect();
            n += procedures::set_online_levels(&mut tx, &levels).await?;
            n += procedures::set_boundary_free_tx(&mut tx, &free, true).await?;
        }
    }
    if let Some(who) = issuer {
        crate::store::audit::write_tx(
            &mut tx,
            &crate::store::audit::AuditEntry {
                at: who.now,
                actor_user_id: Some(who.by),
                actor_role: who.role.into(),
                action: action.into(),
                entity: "procedure".into(),
                entity_key: match who.province {
                    Some(p) => format!("{n} thủ tục, tỉnh {p}"),
                    None => format!("{n} thủ tục"),
                },
                dossier_id: None,
                purpose: "quản trị hệ thống".into(),
                request_id: who.request_id.into(),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// Marks the procedures of a boundary-free list (one code per line, `#` comments); returns (marked, listed).
pub async fn boundary_free_list(
    db: &Db,
    bytes: &[u8],
    issuer: Option<&Issuer<'_>>,
) -> anyhow::Result<(u64, usize)> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("tệp phải là UTF-8 / file must be UTF-8"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let c = motcua_domain::codes::ProcedureCode::parse(line)
            .map_err(|e| anyhow::anyhow!("dòng {} / line {}: {e}", i + 1, i + 1))?;
        rows.push((c.to_string(), None, Some(true)));
    }
    let n = write_flags(db, issuer, &rows, "import_boundary_free").await?;
    Ok((n, rows.len()))
}

/// Sets online levels from CSV `procedure_code,online_level` (full | partial | none), e.g. the province's list of
/// fully online (toàn trình) services. Returns how many procedures changed.
pub async fn online_levels_csv(
    db: &Db,
    bytes: &[u8],
    issuer: Option<&Issuer<'_>>,
) -> anyhow::Result<u64> {
    let mut rows = Vec::new();
    for (i, r) in csv_rows(bytes)?.iter().enumerate() {
        let line = i + 2;
        let code = motcua_domain::codes::ProcedureCode::parse(need(r, "procedure_code", line)?)
            .map_err(|e| anyhow::anyhow!("dòng {line} / line {line}: {e}"))?;
        let level = motcua_domain::catalog::OnlineLevel::parse(need(r, "online_level", line)?).ok_or_else(|| {
            anyhow::anyhow!("dòng {line}: online_level là full, partial hoặc none / line {line}: online_level is full, partial or none")
        })?;
        rows.push((code.to_string(), Some(level.as_str().to_owned()), None));
    }
    write_flags(db, issuer, &rows, "import_online_levels").await
}

/// Whether reference data is present.
pub async fn has_units(db: &Db) -> anyhow::Result<bool> {
    let n: i64 = on_db!(db, |p| sqlx::query_scalar("select count(*) from units")
        .fetch_one(p)
        .await)?;
    Ok(n > 0)
}

/// Loads everything shipped in the binary (2025 units, merge map, catalog CSV then detail JSON) if not loaded yet.
pub async fn bootstrap(
    db: &Db,
    now: OffsetDateTime,
) -> anyhow::Result<Option<(UnitsReport, usize, ProceduresReport)>> {
    if has_units(db).await? {
        return Ok(None);
    }
    let u = units_csv(
        db,
        UNITS_2025,
        EFFECTIVE_2025,
        "QĐ 19/2025/QĐ-TTg (admin_units_2025_full.csv)",
    )
    .await?;
    let m = merge_map_csv(db, MERGE_MAP).await?;
    procedures(db, CATALOG_CSV, "tthc_catalog_sample.csv", now).await?;
    let p = procedures(db, CATALOG_JSON, "tthc_commune_level_sample.json", now).await?;
    Ok(Some((u, m, p)))
}
