//! A small W3C WebDriver client over plain HTTP/1.1 (chromedriver on localhost), for the browser journeys.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok();
    let payload = body.map(Value::to_string).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    );
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    let mut r = BufReader::new(s);
    let mut line = String::new();
    let mut len: Option<usize> = None;
    let mut chunked = false;
    r.read_line(&mut line).map_err(|e| e.to_string())?;
    loop {
        line.clear();
        r.read_line(&mut line).map_err(|e| e.to_string())?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let lower = l.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            len = v.trim().parse().ok();
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    let mut buf = Vec::new();
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line).map_err(|e| e.to_string())?;
            let n = usize::from_str_radix(line.trim(), 16).map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).map_err(|e| e.to_string())?;
            buf.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = len {
        buf.resize(n, 0);
        r.read_exact(&mut buf).map_err(|e| e.to_string())?;
    } else {
        r.read_to_end(&mut buf).map_err(|e| e.to_string())?;
    }
    let v: Value = serde_json::from_slice(&buf)
        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&buf)))?;
    if v["value"]["error"].is_string() {
        return Err(format!(
            "{} {path}: {}",
            v["value"]["error"], v["value"]["message"]
        ));
    }
    Ok(v["value"].clone())
}

/// Waits a little for the browser or chromedriver, another process (the application's clock is not involved).
#[expect(
    clippy::disallowed_methods,
    reason = "polls an external process, not the app clock"
)]
fn pause(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}

fn b64decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    out
}

/// chromedriver plus one browser session.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    base: String,
    pub shots: PathBuf,
    shot_n: usize,
    axe: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Where the browser tests find their tools; `scripts/test` installs them.
pub fn tools() -> (PathBuf, PathBuf) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let axe = root.join("target/browser-deps/node_modules/axe-core/axe.min.js");
    let driver = PathBuf::from(
        std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
    );
    assert!(
        driver.exists() && axe.exists(),
        "browser tests need chromedriver ({}) and axe-core ({}); scripts/test installs both",
        driver.display(),
        axe.display()
    );
    (driver, axe)
}

impl Browser {
    /// Starts chromedriver and a headless Chromium at a phone's size (or a desk's), for pages under `base`.
    pub fn start(base: &str, shots: &Path, width: u32, height: u32) -> Browser {
        let (driver_bin, axe) = tools();
        let port = free_port();
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver");
        let t0 = Instant::now();
        while http(port, "GET", "/status", None).is_err() {
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            pause(100);
        }
        let profile = shots.join(format!("profile-{port}"));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                // Debian's /usr/bin/chromium is a shell wrapper; chromedriver needs the browser itself.
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| {
                    if Path::new("/usr/lib/chromium/chromium").exists() { "/usr/lib/chromium/chromium".into() } else { "/usr/bin/chromium".into() }
                }),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         format!("--window-size={width},{height}"), format!("--user-data-dir={}", profile.display()),
                         "--lang=vi-VN", "--force-device-scale-factor=1"]
            }
        }}});
        let v = http(port, "POST", "/session", Some(&caps)).expect("session");
        std::fs::create_dir_all(shots).expect("shots dir");
        Browser {
            driver,
            port,
            session: v["sessionId"].as_str().expect("session id").to_owned(),
            base: base.trim_end_matches('/').to_owned(),
            shots: shots.to_owned(),
            shot_n: 0,
            axe: std::fs::read_to_string(axe).expect("axe"),
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let p = format!("/session/{}{path}", self.session);
        http(self.port, method, &p, body.as_ref())
            .unwrap_or_else(|e| panic!("webdriver {path}: {e}"))
    }

    /// Opens a path of the application.
    pub fn go(&self, path: &str) {
        self.cmd(
            "POST",
            "/url",
            Some(json!({"url": format!("{}{path}", self.base)})),
        );
    }

    /// The current path and query.
    pub fn path(&self) -> String {
        let u = self.cmd("GET", "/url", None);
        u.as_str()
            .unwrap_or("")
            .trim_start_matches(&self.base)
            .to_owned()
    }

    fn try_find(&self, css: &str) -> Option<String> {
        let p = format!("/session/{}/element", self.session);
        http(
            self.port,
            "POST",
            &p,
            Some(&json!({"using": "css selector", "value": css})),
        )
        .ok()
        .and_then(|v| v[ELEMENT].as_str().map(str::to_owned))
    }

    /// The element matching `css` (waits up to 5 s).
    pub fn find(&self, css: &str) -> String {
        let t0 = Instant::now();
        loop {
            if let Some(e) = self.try_find(css) {
                return e;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(5),
                "no element {css} on {}:\n{}",
                self.path(),
                self.text("main")
            );
            pause(100);
        }
    }

    /// Waits until no element matches (up to 5 s).
    pub fn wait_gone(&self, css: &str) {
        let t0 = Instant::now();
        while self.try_find(css).is_some() {
            assert!(
                t0.elapsed() < Duration::from_secs(5),
                "{css} is still there"
            );
            pause(100);
        }
    }

    /// Whether an element is on the page now.
    pub fn has(&self, css: &str) -> bool {
        self.try_find(css).is_some()
    }

    pub fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    /// Clicks something that loads a new page, and waits until it has loaded.
    pub fn nav(&self, css: &str) {
        self.script("window.__motcuaOld = true");
        self.click(css);
        let t0 = Instant::now();
        loop {
            let v = self.script(
                "return window.__motcuaOld === undefined && document.readyState === 'complete'",
            );
            if v == Value::Bool(true) {
                return;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "no new page after clicking {css} on {}",
                self.path()
            );
            pause(50);
        }
    }

    /// Types into a field (after clearing it). For a file input, `text` is the file's path.
    pub fn fill(&self, css: &str, text: &str) {
        let e = self.find(css);
        let _ = http(
            self.port,
            "POST",
            &format!("/session/{}/element/{e}/clear", self.session),
            Some(&json!({})),
        );
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({"text": text})),
        );
    }

    /// Adds keystrokes to a field without clearing it (`\u{E007}` is Enter).
    pub fn keys(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({"text": text})),
        );
    }

    /// Chooses an option of a select by its value.
    pub fn select(&self, css: &str, value: &str) {
        self.click(&format!("{css} option[value=\"{value}\"]"));
    }

    /// The visible text of an element.
    pub fn text(&self, css: &str) -> String {
        match self.try_find(css) {
            Some(e) => self
                .cmd("GET", &format!("/element/{e}/text"), None)
                .as_str()
                .unwrap_or("")
                .to_owned(),
            None => String::new(),
        }
    }

    /// A field's current value.
    pub fn value(&self, css: &str) -> String {
        let e = self.find(css);
        self.cmd("GET", &format!("/element/{e}/property/value"), None)
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    /// Runs a script and returns its value.
    pub fn script(&self, js: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
    }

    /// The session cookie (for fetching a PDF as this user).
    pub fn cookie(&self, name: &str) -> Option<String> {
        let v = self.cmd("GET", &format!("/cookie/{name}"), None);
        v["value"].as_str().map(str::to_owned)
    }

    /// Saves a screenshot as `NN-name.png` and returns its path.
    pub fn shot(&mut self, name: &str) -> PathBuf {
        self.shot_n += 1;
        let v = self.cmd("GET", "/screenshot", None);
        let png = b64decode(v.as_str().unwrap_or(""));
        assert!(png.starts_with(b"\x89PNG"), "screenshot is a PNG");
        let p = self.shots.join(format!("{:02}-{name}.png", self.shot_n));
        std::fs::write(&p, png).expect("write screenshot");
        p
    }

    /// Runs axe-core (WCAG 2.0/2.1 A and AA rules) and returns the serious and critical violations.
    pub fn axe(&self) -> Vec<String> {
        let script = format!(
            "{}\nconst done = arguments[arguments.length - 1];\naxe.run(document, {{runOnly: {{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}}}).then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))).catch(e => done(['axe failed: ' + e]));",
            self.axe
        );
        let v = self.cmd(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": []})),
        );
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_else(|| vec![format!("axe returned {v}")])
    }

    /// Screenshot plus accessibility check of the page now shown: fails on any serious or critical violation.
    pub fn check(&mut self, name: &str) {
        self.shot(name);
        let v = self.axe();
        assert!(v.is_empty(), "axe on {} ({name}): {v:#?}", self.path());
        let html_lang = self.script("return document.documentElement.lang");
        assert!(html_lang == "vi" || html_lang == "en", "page language set");
    }
}
