//! A fixed-window rate limit per client address, driven by the application's clock (tests advance it).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use time::OffsetDateTime;

/// Counts requests per client in one-minute windows.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<Option<IpAddr>, (i64, u32)>>,
}

impl RateLimiter {
    /// Whether one more request from `client` is allowed at `now` under `per_minute` (0 = no limit).
    pub fn allow(&self, client: Option<IpAddr>, now: OffsetDateTime, per_minute: u32) -> bool {
        if per_minute == 0 {
            return true;
        }
        let minute = now.unix_timestamp().div_euclid(60);
        let Ok(mut w) = self.windows.lock() else {
            return true;
        };
        if w.len() > 50_000 {
            w.retain(|_, (m, _)| *m == minute);
        }
        let e = w.entry(client).or_insert((minute, 0));
        if e.0 != minute {
            *e = (minute, 0);
        }
        e.1 += 1;
        e.1 <= per_minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn windows_per_client() {
        let r = RateLimiter::default();
        let t = datetime!(2026-11-23 09:00:10 UTC);
        let a: Option<IpAddr> = "10.0.0.1".parse().ok();
        let b: Option<IpAddr> = "10.0.0.2".parse().ok();
        assert!((0..3).all(|_| r.allow(a, t, 3)));
        assert!(!r.allow(a, t, 3));
        assert!(r.allow(b, t, 3), "another client has its own window");
        assert!(
            r.allow(a, t + time::Duration::seconds(60), 3),
            "a new minute"
        );
        assert!(r.allow(a, t, 0), "0 disables the limit");
    }
}
