//! A deterministic generator of national-scale data: an agency for every commune, ward and special zone and a
//! department per province; dossiers spread by procedure popularity (Zipf over the catalog) and unit size (Zipf
//! over the units, in a fixed shuffled order), over the year before `now`, with a realistic status mix (about nine
//! in ten completed, nine in ten of those on time). Everything generated is marked demo.

use crate::store::bench::{self as sb, BulkDossier};
use crate::store::reports::{Accumulator, Snapshot};
use crate::store::{agencies, Db};
use motcua_domain::catalog::Channel;
use motcua_domain::ids::AgencyId;
use motcua_domain::report::Facts;
use motcua_domain::status::Status;
use time::{Duration, OffsetDateTime};

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Cumulative Zipf weights (exponent 1) over `n` items.
fn zipf(n: usize) -> Vec<f64> {
    let mut acc = 0.0;
    (1..=n)
        .map(|k| {
            acc += 1.0 / k as f64;
            acc
        })
        .collect()
}

fn pick(cum: &[f64], r: &mut Rng) -> usize {
    let x = r.unit() * cum.last().copied().unwrap_or(1.0);
    cum.partition_point(|c| *c < x)
        .min(cum.len().saturating_sub(1))
}

/// What was generated.
pub struct Generated {
    pub dossiers: u64,
    pub agencies: usize,
    pub provinces: usize,
    pub seconds: f64,
}

/// Creates the agencies (once) and `n` dossiers, with their rollups; deterministic for a seed.
pub async fn national(
    db: &Db,
    n: u64,
    now: OffsetDateTime,
    seed: u64,
) -> anyhow::Result<Generated> {
    let t = std::time::Instant::now();
    let units = sb::units(db).await?;
    let mut tx = db.begin().await?;
    let rows: Vec<agencies::NewAgency> = units
        .iter()
        .map(|(code, level, _)| agencies::NewAgency {
            identifier: format!("{code}.BENCH"),
            identifier_is_placeholder: true,
            name: if level == "province" {
                format!("Sở Tư pháp {code} (dữ liệu đo tải)")
            } else {
                format!("UBND xã {code} (dữ liệu đo tải)")
            },
            kind: if level == "province" {
                "department".into()
            } else {
                "commune_pc".into()
            },
            unit_code: code.clone(),
            parent_id: None,
        })
        .collect();
    agencies::insert_missing(&mut tx, &rows).await?;
    tx.commit().await?;
    let mut places: Vec<(i64, bool)> = Vec::new();
    for (code, level, _) in &units {
        if let Some(a) = agencies::by_identifier(db, &format!("{code}.BENCH")).await? {
            places.push((a.id.0, level == "province"));
        }
    }
    let mut rng = Rng::new(seed);
    // Unit size: a fixed shuffle, then Zipf over it (a few big wards, many small communes).
    for i in (1..places.len()).rev() {
        let j = usize::try_from(rng.below(i as u64 + 1)).unwrap_or(0);
        places.swap(i, j);
    }
    let unit_cum = zipf(places.len());
    let commune_procs = sb::procedures(db, true).await?;
    let province_procs = sb::procedures(db, false).await?;
    let (cp, pp) = (zipf(commune_procs.len()), zipf(province_procs.len()));
    let mut acc = Accumulator::default();
    let mut batch = Vec::with_capacity(4000);
    let mut tx = db.begin().await?;
    for i in 0..n {
        let (agency, province) = places[pick(&unit_cum, &mut rng)];
        let (procs, cum) = if province {
            (&province_procs, &pp)
        } else {
            (&commune_procs, &cp)
        };
        let procedure = procs[pick(cum, &mut rng)].clone();
        let received =
            now - Duration::minutes(i64::try_from(rng.below(365 * 24 * 60)).unwrap_or(0));
        let due = received + Duration::days(1 + i64::try_from(rng.below(15)).unwrap_or(0));
        let roll = rng.unit();
        let online = rng.unit() < 0.35;
        let (status, completed, closed) = if roll < 0.86 {
            let late = rng.unit() < 0.09;
            let done = if late {
                due + Duration::days(1 + i64::try_from(rng.below(5)).unwrap_or(0))
            } else {
                received + (due - received) * rng.unit()
            };
            let done = done.min(now);
            (
                if rng.unit() < 0.8 {
                    Status::Returned
                } else {
                    Status::Completed
                },
                Some(done),
                Some(done),
            )
        } else if roll < 0.89 {
            (
                Status::Withdrawn,
                None,
                Some(received + Duration::hours(30)),
            )
        } else if roll < 0.90 {
            (Status::Refused, None, Some(received + Duration::hours(2)))
        } else if roll < 0.93 {
            (Status::AwaitingSupplement, None, None)
        } else {
            (Status::Processing, None, None)
        };
        let d = BulkDossier {
            code: format!("B{seed:x}-{i:09}"),
            procedure_code: procedure.clone(),
            agency_id: agency,
            channel: if online { "online" } else { "in_person" },
            status: status as i16,
            received_at: received,
            due_at: due,
            completed_at: completed,
            closed_at: closed,
        };
        acc.add(&Snapshot {
            agency_id: AgencyId(agency),
            procedure_code: procedure,
            facts: Facts {
                status,
                channel: if online {
                    Channel::Online
                } else {
                    Channel::InPerson
                },
                received_at: Some(received),
                due_at: Some(due),
                completed_at: completed,
                closed_at: closed,
                bundle_child: false,
                paid_online: false,
                digitized: false,
                reused: false,
                e_result: false,
                charged: false,
            },
        });
        batch.push(d);
        if batch.len() == 4000 {
            sb::insert_dossiers(&mut tx, &batch).await?;
            batch.clear();
            if i % 100_000 == 99_999 {
                // The rollups of each 100 000 in the same transaction as their dossiers (memory stays bounded).
                acc.flush(&mut tx).await?;
                tx.commit().await?;
                tx = db.begin().await?;
                eprintln!("  … {} hồ sơ / dossiers", i + 1);
            }
        }
    }
    sb::insert_dossiers(&mut tx, &batch).await?;
    acc.flush(&mut tx).await?;
    crate::store::report_provinces::derive(&mut tx).await?;
    tx.commit().await?;
    let provinces = units.iter().filter(|u| u.1 == "province").count();
    Ok(Generated {
        dossiers: n,
        agencies: places.len(),
        provinces,
        seconds: t.elapsed().as_secs_f64(),
    })
}
