//! Counters needed for a service level: Erlang C (M/M/c), and Erlang A (M/M/c+M) where people leave before their
//! number is called (measured as no-shows).
//!
//! Service level here is the share of arrivals called within `t`. Erlang C: `SL = 1 − C(c,a)·e^{−(cμ−λ)t}` with the
//! probability of waiting `C(c,a)` from the Erlang B recursion. Erlang A: the stationary distribution of the
//! birth–death chain (death rate `min(n,c)μ + max(n−c,0)θ`), and for an arrival who finds `q` waiting the time until
//! called is a sum of exponentials of rates `cμ + jθ`, `j = q…0`, evaluated by uniformization.

use serde::Serialize;

/// The most counters the advisor will consider.
pub const MAX_COUNTERS: u32 = 500;

/// What a number of counters gives.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Staffing {
    pub counters: u32,
    /// Share of arrivals called within the target time (0–1).
    pub service_level: f64,
    /// Mean time from ticket to call, in minutes (infinite when the counters cannot keep up).
    pub mean_wait_minutes: f64,
    /// Probability that an arrival waits at all.
    pub wait_probability: f64,
    /// Offered load in Erlangs (arrivals × handling time).
    pub load: f64,
}

/// Inputs of the model (rates per hour, times in minutes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Demand {
    pub arrivals_per_hour: f64,
    pub handling_minutes: f64,
    /// Rate at which a waiting person gives up, per hour (0 = Erlang C).
    pub abandon_per_hour: f64,
}

impl Demand {
    fn valid(&self) -> bool {
        self.arrivals_per_hour.is_finite()
            && self.arrivals_per_hour >= 0.0
            && self.handling_minutes.is_finite()
            && self.handling_minutes > 0.0
            && self.abandon_per_hour.is_finite()
            && self.abandon_per_hour >= 0.0
    }
}

/// Probability of waiting in M/M/c with offered load `a` (Erlang C); 1 when `c ≤ a`.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    if c == 0 || a >= f64::from(c) {
        return 1.0;
    }
    if a <= 0.0 {
        return 0.0;
    }
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let c = f64::from(c);
    c * b / (c - a * (1.0 - b))
}

/// The service level and mean wait of `c` counters, waiting time target `within` minutes.
pub fn evaluate(d: Demand, c: u32, within_minutes: f64) -> Staffing {
    let mu = 60.0 / d.handling_minutes;
    let load = d.arrivals_per_hour / mu;
    if d.abandon_per_hour > 0.0 {
        return erlang_a(d, c, within_minutes);
    }
    let pw = erlang_c(c, load);
    let cap = f64::from(c) * mu - d.arrivals_per_hour;
    if cap <= 0.0 {
        return Staffing {
            counters: c,
            service_level: 0.0,
            mean_wait_minutes: f64::INFINITY,
            wait_probability: 1.0,
            load,
        };
    }
    let t = within_minutes / 60.0;
    Staffing {
        counters: c,
        service_level: (1.0 - pw * (-cap * t).exp()).clamp(0.0, 1.0),
        mean_wait_minutes: pw / cap * 60.0,
        wait_probability: pw,
        load,
    }
}

/// The fewest counters with at least `target` called within `within` minutes; `None` for invalid input or when
/// even [`MAX_COUNTERS`] would not do.
pub fn recommend(d: Demand, within_minutes: f64, target: f64) -> Option<Staffing> {
    if !d.valid()
        || !(0.0..1.0).contains(&target)
        || !within_minutes.is_finite()
        || within_minutes < 0.0
    {
        return None;
    }
    if d.arrivals_per_hour == 0.0 {
        return Some(evaluate(d, 0, within_minutes)).map(|mut s| {
            s.service_level = 1.0;
            s.mean_wait_minutes = 0.0;
            s.wait_probability = 0.0;
            s
        });
    }
    let load = d.arrivals_per_hour * d.handling_minutes / 60.0;
    // Without abandonment fewer counters than the load can never keep up.
    let first = if d.abandon_per_hour > 0.0 {
        1
    } else {
        load.floor() as u32 + 1
    };
    (first.max(1)..=MAX_COUNTERS)
        .map(|c| evaluate(d, c, within_minutes))
        .find(|s| s.service_level >= target)
}

/// The counters to open hour by hour (each hour sized on its own arrivals: the stationary independent period
/// approximation), `None` if an hour cannot be met.
pub fn plan_day(
    arrivals_per_hour: &[f64],
    handling_minutes: f64,
    abandon_per_hour: f64,
    within_minutes: f64,
    target: f64,
) -> Option<Vec<Staffing>> {
    arrivals_per_hour
        .iter()
        .map(|&a| {
            recommend(
                Demand {
                    arrivals_per_hour: a,
                    handling_minutes,
                    abandon_per_hour,
                },
                within_minutes,
                target,
            )
        })
        .collect()
}

/// Erlang A by the truncated chain and uniformization (see the module note).
fn erlang_a(d: Demand, c: u32, within_minutes: f64) -> Staffing {
    let lambda = d.arrivals_per_hour;
    let mu = 60.0 / d.handling_minutes;
    let theta = d.abandon_per_hour;
    let load = lambda / mu;
    let death = |n: usize| -> f64 {
        let n = n as f64;
        let cf = f64::from(c);
        n.min(cf) * mu + (n - cf).max(0.0) * theta
    };
    // Stationary weights, in logs to stay finite, truncated where they are negligible.
    let mut logw = vec![0.0f64];
    let mut peak = 0.0f64;
    let limit = c as usize + 4000;
    for n in 1..limit {
        let next = logw[n - 1] + (lambda / death(n)).ln();
        peak = peak.max(next);
        logw.push(next);
        if n > c as usize && next < peak - 40.0 {
            break;
        }
    }
    let total: f64 = logw.iter().map(|l| (l - peak).exp()).sum();
    let p: Vec<f64> = logw.iter().map(|l| (l - peak).exp() / total).collect();
    let cu = c as usize;
    let queued: Vec<f64> = p.iter().skip(cu).copied().collect();
    let wait_probability = queued.iter().sum::<f64>();
    if c == 0 || queued.is_empty() {
        return Staffing {
            counters: c,
            service_level: 1.0 - wait_probability,
            mean_wait_minutes: 0.0,
            wait_probability,
            load,
        };
    }
    let k = queued.len();
    let rate = |j: usize| f64::from(c) * mu + j as f64 * theta;
    let big = rate(k);
    let t = within_minutes / 60.0;
    let lt = big * t;
    let steps = (lt + 12.0 * lt.sqrt() + 20.0).ceil() as usize;
    // absorbed[q]: probability of being called within m steps of the uniformized chain, starting q ahead.
    let mut absorbed = vec![0.0f64; k];
    let mut within = 0.0f64;
    let mut pois = (-lt).exp();
    let mut mean = 0.0f64;
    for (q, w) in queued.iter().enumerate() {
        mean += w * (0..=q).map(|j| 1.0 / rate(j)).sum::<f64>();
    }
    for m in 0..=steps {
        if m > 0 {
            pois *= lt / m as f64;
            for q in (0..k).rev() {
                let adv = rate(q) / big;
                let below = if q == 0 { 1.0 } else { absorbed[q - 1] };
                absorbed[q] = adv * below + (1.0 - adv) * absorbed[q];
            }
        }
        let reached: f64 = queued.iter().zip(&absorbed).map(|(w, a)| w * a).sum();
        within += pois * reached;
    }
    Staffing {
        counters: c,
        service_level: ((1.0 - wait_probability) + within).clamp(0.0, 1.0),
        mean_wait_minutes: mean * 60.0,
        wait_probability,
        load,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(l: f64, h: f64) -> Demand {
        Demand {
            arrivals_per_hour: l,
            handling_minutes: h,
            abandon_per_hour: 0.0,
        }
    }

    #[test]
    fn the_issue_figures() {
        let s8 = evaluate(d(36.0, 12.0), 8, 20.0);
        let s9 = evaluate(d(36.0, 12.0), 9, 20.0);
        assert!((s8.service_level - 0.815).abs() < 0.001, "{s8:?}");
        assert!((s9.service_level - 0.978).abs() < 0.001, "{s9:?}");
        let r = recommend(d(36.0, 12.0), 20.0, 0.9).expect("a plan");
        assert_eq!(r.counters, 9);
    }

    #[test]
    fn erlang_c_against_the_closed_form() {
        // C(c, a) = (a^c / c!)(c / (c − a)) / (Σ_{k<c} a^k/k! + (a^c / c!)(c / (c − a)))
        for (c, a) in [(1u32, 0.5f64), (3, 2.2), (8, 7.2), (12, 9.0)] {
            let mut sum = 0.0;
            let mut term = 1.0;
            for k in 0..c {
                if k > 0 {
                    term *= a / f64::from(k);
                }
                sum += term;
            }
            let top = term * a / f64::from(c) * f64::from(c) / (f64::from(c) - a);
            let closed = top / (sum + top);
            assert!((erlang_c(c, a) - closed).abs() < 1e-12, "c={c} a={a}");
        }
        assert_eq!(erlang_c(7, 7.2), 1.0);
        assert!(evaluate(d(36.0, 12.0), 7, 20.0)
            .mean_wait_minutes
            .is_infinite());
    }

    #[test]
    fn erlang_a_tends_to_erlang_c_and_is_kinder() {
        let c = evaluate(d(36.0, 12.0), 8, 20.0);
        let mut tiny = d(36.0, 12.0);
        tiny.abandon_per_hour = 1e-7;
        let a = evaluate(tiny, 8, 20.0);
        assert!(
            (a.service_level - c.service_level).abs() < 2e-3,
            "{a:?} vs {c:?}"
        );
        assert!((a.mean_wait_minutes - c.mean_wait_minutes).abs() < 0.05);
        let mut leaving = d(36.0, 12.0);
        leaving.abandon_per_hour = 2.0;
        let l = evaluate(leaving, 8, 20.0);
        assert!(l.service_level > c.service_level);
        // Even overloaded, people giving up keep the queue finite.
        assert!(evaluate(leaving, 6, 20.0).mean_wait_minutes.is_finite());
    }

    #[test]
    fn refuses_nonsense() {
        assert!(recommend(d(-1.0, 12.0), 20.0, 0.9).is_none());
        assert!(recommend(d(10.0, 0.0), 20.0, 0.9).is_none());
        assert!(recommend(d(10.0, 12.0), 20.0, 1.5).is_none());
        assert!(recommend(d(f64::NAN, 12.0), 20.0, 0.9).is_none());
        assert_eq!(
            recommend(d(0.0, 12.0), 20.0, 0.9).map(|s| s.counters),
            Some(0)
        );
    }
}
