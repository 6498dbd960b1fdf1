//! The ID card QR parser against its corpus (`qr_corpus.txt`: every sample's expected outcome), then a mutation
//! fuzzer seeded from the corpus: bytes flipped, inserted, deleted and fields duplicated or dropped, each result
//! parsed; it must answer, never panic, and an accepted card must carry a 12-digit number and a real birth date.
//! `MOTCUA_FUZZ_ITERS` sets the number of mutations (default 20,000; the long run is quoted in the notes).

use motcua_domain::qr::CardQr;
use motcua_domain::queue::sim::Rng;

const CORPUS: &str = include_str!("qr_corpus.txt");

fn samples() -> Vec<(bool, &'static str)> {
    CORPUS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k == "ok", v))
        .collect()
}

#[test]
fn every_sample_answers_as_expected() {
    let s = samples();
    assert!(s.len() >= 20, "the corpus is read");
    for (ok, raw) in s {
        let r = CardQr::parse(raw);
        assert_eq!(r.is_ok(), ok, "{raw:?}: {r:?}");
        if let Ok(c) = r {
            assert_eq!(c.id.expose().len(), 12);
            assert!(!c.name.is_empty());
        }
    }
}

fn mutate(rng: &mut Rng, s: &str) -> String {
    let mut b: Vec<u8> = s.as_bytes().to_vec();
    let pick = |rng: &mut Rng, n: usize| (rng.uniform() * n as f64) as usize % n.max(1);
    match pick(rng, 6) {
        0 if !b.is_empty() => {
            let i = pick(rng, b.len());
            b[i] ^= 1 << pick(rng, 8);
        }
        1 => {
            let i = pick(rng, b.len() + 1);
            let c = [b'|', b'0', b'9', b' ', 0xC3, 0xA1, b'x'][pick(rng, 7)];
            b.insert(i.min(b.len()), c);
        }
        2 if !b.is_empty() => {
            let i = pick(rng, b.len());
            b.remove(i);
        }
        3 => {
            let f: Vec<&str> = s.split('|').collect();
            let i = pick(rng, f.len());
            let mut g = f.clone();
            g.insert(i, f[i]);
            return g.join("|");
        }
        4 => {
            let f: Vec<&str> = s.split('|').collect();
            let mut g = f.clone();
            if !g.is_empty() {
                g.remove(pick(rng, f.len()));
            }
            return g.join("|");
        }
        _ => {
            let i = pick(rng, b.len() + 1);
            b.truncate(i);
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

#[test]
fn mutations_of_the_corpus_are_always_answered() {
    let iters: u64 = std::env::var("MOTCUA_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let corpus = samples();
    let mut rng = Rng::new(0x5EED_CCCD);
    let (mut accepted, mut refused) = (0u64, 0u64);
    let started = std::time::Instant::now();
    for n in 0..iters {
        let (_, seed) = corpus[(n as usize) % corpus.len()];
        let mut s = seed.to_owned();
        for _ in 0..=(rng.uniform() * 4.0) as usize {
            s = mutate(&mut rng, &s);
        }
        match CardQr::parse(&s) {
            Ok(c) => {
                accepted += 1;
                assert!(
                    c.id.expose().len() == 12 && c.id.expose().bytes().all(|b| b.is_ascii_digit()),
                    "{s:?}"
                );
                assert!(!c.sex.is_empty(), "{s:?}");
            }
            Err(_) => refused += 1,
        }
    }
    eprintln!(
        "{iters} mutations in {:.1} s: {accepted} accepted, {refused} refused",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(accepted + refused, iters);
    assert!(
        refused > 0 && accepted > 0,
        "the mutations reach both outcomes"
    );
}
