//! `motcua search eval FILE`: how well the search answers a set of queries as citizens type them (top-1, top-3)
//! and how fast (p50, p99 of the index alone, in this process).

use super::search::Built;
use motcua_domain::search::Level;
use std::time::{Duration, Instant};

/// One query of the set.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Case {
    pub query: String,
    /// The right codes, space-separated; the first is the best answer, any of them counts.
    pub codes: String,
    /// `commune`, `province` or empty: the level of the office searching.
    #[serde(default)]
    pub level: String,
}

/// A query the search did not answer first.
#[derive(Debug, Clone)]
pub struct Miss {
    pub query: String,
    pub expected: String,
    pub got: Vec<String>,
    pub in_top3: bool,
}

/// The figures.
#[derive(Debug, Clone)]
pub struct Report {
    pub queries: usize,
    pub top1: usize,
    pub top3: usize,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub procedures: usize,
    pub misses: Vec<Miss>,
}

/// Reads the set (CSV with the header `query,codes,level`).
pub fn read(text: &str) -> anyhow::Result<Vec<Case>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, row) in r.deserialize::<Case>().enumerate() {
        let c = row.map_err(|e| anyhow::anyhow!("dòng / line {}: {e}", i + 2))?;
        if c.query.trim().is_empty() || c.codes.trim().is_empty() {
            anyhow::bail!(
                "dòng / line {}: thiếu câu tìm hoặc mã / query or codes missing",
                i + 2
            );
        }
        if !c.level.is_empty() && Level::parse(&c.level).is_none() {
            anyhow::bail!("dòng / line {}: cấp là commune, province hoặc để trống / level is commune, province or empty", i + 2);
        }
        out.push(c);
    }
    Ok(out)
}

/// Runs every query `rounds` times (the first answer is judged; every run is timed).
pub fn run(built: &Built, cases: &[Case], rounds: usize) -> Report {
    let mut times = Vec::with_capacity(cases.len() * rounds.max(1));
    let (mut top1, mut top3) = (0, 0);
    let mut misses = Vec::new();
    for c in cases {
        let level = Level::parse(&c.level);
        let want: Vec<&str> = c.codes.split_whitespace().collect();
        let mut got = Vec::new();
        for _ in 0..rounds.max(1) {
            let t = Instant::now();
            let hits = built.index.search(&c.query, level, false);
            times.push(t.elapsed());
            got = hits.iter().take(3).map(|h| h.code.to_owned()).collect();
        }
        let first = got.first().is_some_and(|g| want.contains(&g.as_str()));
        let three = got.iter().any(|g| want.contains(&g.as_str()));
        top1 += usize::from(first);
        top3 += usize::from(three);
        if !first {
            misses.push(Miss {
                query: c.query.clone(),
                expected: c.codes.clone(),
                got,
                in_top3: three,
            });
        }
    }
    times.sort();
    let at = |p: f64| {
        times
            .get(((times.len().saturating_sub(1)) as f64 * p).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    Report {
        queries: cases.len(),
        top1,
        top3,
        p50: at(0.5),
        p99: at(0.99),
        max: times.last().copied().unwrap_or_default(),
        procedures: built.index.len(),
        misses,
    }
}

/// The report as printed.
pub fn print(r: &Report, show_misses: bool) -> String {
    let pct = |n: usize| 100.0 * n as f64 / r.queries.max(1) as f64;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut s = format!(
        "Tìm kiếm / search: {} câu / queries, {} thủ tục / procedures\n\
         top-1: {:.1}% ({}/{})\ntop-3: {:.1}% ({}/{})\n\
         thời gian / latency: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms\n",
        r.queries,
        r.procedures,
        pct(r.top1),
        r.top1,
        r.queries,
        pct(r.top3),
        r.top3,
        r.queries,
        ms(r.p50),
        ms(r.p99),
        ms(r.max)
    );
    if show_misses {
        for m in &r.misses {
            s.push_str(&format!(
                "{} {:?}: cần / want {} — được / got {}\n",
                if m.in_top3 { "~" } else { "✗" },
                m.query,
                m.expected,
                m.got.join(" ")
            ));
        }
    }
    s
}
