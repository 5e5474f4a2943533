//! Headless Chromium, driven over the DevTools protocol.
//!
//! One browser process per test binary, one WebSocket to it, and one DevTools
//! session per page (flat sessions). An I/O thread owns the socket: commands
//! go to it through a channel, and it files replies by id and keeps every
//! event, so a test can wait for the event that explains a failed `fetch`.

use std::collections::HashMap;
use std::io;
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

/// How long to wait for a DevTools reply or an awaited event. Only a bound on
/// waiting: no test asserts anything about time.
pub const WAIT: Duration = Duration::from_secs(30);

/// The Chromium to run: `CHROMIUM` if set, else where the Debian package puts
/// it. `None` if that file does not exist.
pub fn chromium_path() -> Option<PathBuf> {
    let candidates = match std::env::var_os("CHROMIUM") {
        Some(p) => vec![PathBuf::from(p)],
        None => vec![
            PathBuf::from("/usr/bin/chromium"),
            PathBuf::from("/usr/bin/chromium-browser"),
        ],
    };
    candidates.into_iter().find(|p| p.is_file())
}

/// One DevTools event: the session it belongs to, its method and params.
#[derive(Debug, Clone)]
pub struct Event {
    pub session: Option<String>,
    pub method: String,
    pub params: Value,
}

#[derive(Default)]
struct Shared {
    replies: HashMap<u64, Value>,
    events: Vec<Event>,
    closed: Option<String>,
}

/// The connection to the browser.
pub struct Conn {
    next_id: AtomicU64,
    out: Mutex<Sender<String>>,
    shared: Arc<(Mutex<Shared>, Condvar)>,
}

impl Conn {
    /// Sends a command (to the browser, or to a page when `session` is given)
    /// and waits for its result.
    pub fn call(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.out
            .lock()
            .map_err(|_| "devtools sender poisoned".to_owned())?
            .send(msg.to_string())
            .map_err(|_| format!("devtools connection closed before `{method}`"))?;
        let (lock, cv) = &*self.shared;
        let deadline = Instant::now() + WAIT;
        let mut g = lock.lock().map_err(|_| "devtools state poisoned")?;
        loop {
            if let Some(reply) = g.replies.remove(&id) {
                if let Some(err) = reply.get("error") {
                    return Err(format!("`{method}` failed: {err}"));
                }
                return Ok(reply.get("result").cloned().unwrap_or(Value::Null));
            }
            if let Some(why) = &g.closed {
                return Err(format!(
                    "devtools connection closed during `{method}`: {why}"
                ));
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(format!("no reply to `{method}` within {WAIT:?}"));
            }
            g = cv
                .wait_timeout(g, deadline - now)
                .map_err(|_| "devtools state poisoned")?
                .0;
        }
    }

    /// The number of events received so far: a cursor for [`Conn::wait_event`].
    pub fn event_count(&self) -> usize {
        self.shared.0.lock().map(|g| g.events.len()).unwrap_or(0)
    }

    /// Shows `pick` each event from index `from` on, in arrival order and each
    /// once, waiting for more as needed, until it returns `Some`.
    pub fn wait_event<T>(
        &self,
        from: usize,
        mut pick: impl FnMut(&Event) -> Option<T>,
    ) -> Result<T, String> {
        let (lock, cv) = &*self.shared;
        let deadline = Instant::now() + WAIT;
        let mut cursor = from;
        let mut g = lock.lock().map_err(|_| "devtools state poisoned")?;
        loop {
            while cursor < g.events.len() {
                if let Some(t) = pick(&g.events[cursor]) {
                    return Ok(t);
                }
                cursor += 1;
            }
            if let Some(why) = &g.closed {
                return Err(format!("devtools connection closed: {why}"));
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(format!(
                    "awaited devtools event did not come within {WAIT:?}"
                ));
            }
            g = cv
                .wait_timeout(g, deadline - now)
                .map_err(|_| "devtools state poisoned")?
                .0;
        }
    }
}

fn io_loop(
    mut ws: WebSocket<TcpStream>,
    rx: Receiver<String>,
    shared: Arc<(Mutex<Shared>, Condvar)>,
) {
    let why = loop {
        let mut disconnected = false;
        loop {
            match rx.try_recv() {
                Ok(text) => {
                    if ws.send(Message::text(text)).is_err() {
                        break;
                    }
                }
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => {
                    disconnected = true;
                    break;
                }
            }
        }
        if disconnected {
            let _ = ws.close(None);
            break "connection dropped".to_owned();
        }
        match ws.read() {
            Ok(Message::Text(text)) => {
                let Ok(v) = serde_json::from_str::<Value>(text.as_str()) else {
                    continue;
                };
                let (lock, cv) = &*shared;
                let Ok(mut g) = lock.lock() else {
                    break "poisoned".to_owned();
                };
                if let Some(id) = v.get("id").and_then(Value::as_u64) {
                    g.replies.insert(id, v);
                } else if let Some(method) = v.get("method").and_then(Value::as_str) {
                    g.events.push(Event {
                        session: v
                            .get("sessionId")
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                        method: method.to_owned(),
                        params: v.get("params").cloned().unwrap_or(Value::Null),
                    });
                }
                cv.notify_all();
            }
            Ok(Message::Close(_)) => break "browser closed the connection".to_owned(),
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) => break e.to_string(),
        }
    };
    let (lock, cv) = &*shared;
    if let Ok(mut g) = lock.lock() {
        g.closed = Some(why);
    }
    cv.notify_all();
}

/// Reads the DevTools WebSocket URL Chromium writes into its profile.
fn devtools_url(proc: &mut Proc) -> Result<String, String> {
    let file = proc.profile.join("DevToolsActivePort");
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(text) = std::fs::read_to_string(&file) {
            let mut lines = text.lines();
            if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                return Ok(format!("ws://127.0.0.1:{}{}", port.trim(), path.trim()));
            }
        }
        if let Ok(Some(status)) = proc.child.try_wait() {
            return Err(format!("chromium exited early: {status}"));
        }
        if Instant::now() >= deadline {
            return Err("chromium wrote no DevToolsActivePort".to_owned());
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// The Chromium process and its profile directory. Dropping it kills the
/// process if it still runs and removes the directory.
struct Proc {
    child: Child,
    profile: PathBuf,
}

impl Drop for Proc {
    fn drop(&mut self) {
        // Chromium leads its own process group: end its helpers with it.
        crate::engines::kill_group(self.child.id(), "-KILL");
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A running headless Chromium. Dropping it closes the browser, kills the
/// process if it lingers, and removes its profile directory.
pub struct Browser {
    conn: Arc<Conn>,
    io: Option<JoinHandle<()>>,
    proc: Proc,
}

impl Browser {
    /// Starts Chromium headless on an OS-chosen DevTools port and connects.
    pub fn launch(chromium: &Path) -> Result<Browser, String> {
        static N: AtomicU64 = AtomicU64::new(0);
        let profile = std::env::temp_dir().join(format!(
            "route-cors-chromium-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).map_err(|e| format!("profile dir: {e}"))?;
        // Chromium's own messages, shown if it fails to start.
        let stderr = std::fs::File::create(profile.join("stderr.log"))
            .map(Stdio::from)
            .unwrap_or_else(|_| Stdio::null());
        let mut cmd = Command::new(chromium);
        // Keep every file Chromium writes inside the profile directory.
        cmd.env("XDG_CONFIG_HOME", profile.join("xdg-config"))
            .env("XDG_CACHE_HOME", profile.join("xdg-cache"));
        if std::env::var_os("HOME").is_none() {
            cmd.env("HOME", &profile);
        }
        let child = cmd
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-dev-shm-usage",
                "--mute-audio",
                "--hide-scrollbars",
                // The spec's rule that `*` in Access-Control-Allow-Headers
                // never covers Authorization.
                "--enable-features=CorsNonWildcardRequestHeadersSupport",
                "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", chromium.display()))?;
        // From here on, `Proc`'s Drop cleans up, even if connecting fails.
        let mut proc = Proc { child, profile };
        let ws_url = devtools_url(&mut proc).map_err(|e| {
            let log = std::fs::read_to_string(proc.profile.join("stderr.log")).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(15).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            format!("{e}; chromium's stderr ends with:\n{}", tail.join("\n"))
        })?;
        let addr = ws_url
            .strip_prefix("ws://")
            .and_then(|r| r.split('/').next())
            .ok_or_else(|| format!("unexpected devtools url {ws_url}"))?;
        let stream = TcpStream::connect(addr).map_err(|e| format!("connect {addr}: {e}"))?;
        let (ws, _) = tungstenite::client(ws_url.as_str(), stream)
            .map_err(|e| format!("devtools handshake: {e}"))?;
        ws.get_ref()
            .set_read_timeout(Some(Duration::from_millis(5)))
            .map_err(|e| e.to_string())?;
        let (tx, rx) = mpsc::channel();
        let shared: Arc<(Mutex<Shared>, Condvar)> = Arc::default();
        let conn = Arc::new(Conn {
            next_id: AtomicU64::new(1),
            out: Mutex::new(tx),
            shared: Arc::clone(&shared),
        });
        let io = thread::spawn(move || io_loop(ws, rx, shared));
        Ok(Browser {
            conn,
            io: Some(io),
            proc,
        })
    }

    /// Opens a new tab on `url`, in the browser context `context` if given
    /// (a context has its own cookies and caches), and waits until it has loaded.
    pub fn open(&self, url: &str, context: Option<&str>) -> Result<Page, String> {
        let mut params = json!({ "url": "about:blank" });
        if let Some(c) = context {
            params["browserContextId"] = json!(c);
        }
        let target = self.conn.call(None, "Target.createTarget", params)?;
        let target_id = target["targetId"].as_str().ok_or("no targetId")?.to_owned();
        let attached = self.conn.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        )?;
        let session = attached["sessionId"]
            .as_str()
            .ok_or("no sessionId")?
            .to_owned();
        let page = Page {
            conn: Arc::clone(&self.conn),
            session,
        };
        for domain in ["Page.enable", "Network.enable", "Runtime.enable"] {
            page.call(domain, json!({}))?;
        }
        page.navigate(url)?;
        Ok(page)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.conn.call(None, "Browser.close", json!({}));
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.proc.child.try_wait() {
                break;
            }
            thread::sleep(Duration::from_millis(20));
        }
        // Closing the sender ends the I/O thread.
        if let Ok(mut out) = self.conn.out.lock() {
            *out = mpsc::channel().0;
        }
        if let Some(io) = self.io.take() {
            let _ = io.join();
        }
        // `proc` drops next: it kills Chromium if still running.
    }
}

/// One tab, with its own DevTools session.
pub struct Page {
    conn: Arc<Conn>,
    session: String,
}

impl Page {
    /// A command on this page's session.
    pub fn call(&self, method: &str, params: Value) -> Result<Value, String> {
        self.conn.call(Some(&self.session), method, params)
    }

    /// Navigates and waits for the load event.
    pub fn navigate(&self, url: &str) -> Result<(), String> {
        let seen = self.conn.event_count();
        let nav = self.call("Page.navigate", json!({ "url": url }))?;
        if let Some(err) = nav.get("errorText").and_then(Value::as_str) {
            return Err(format!("navigating to {url}: {err}"));
        }
        let session = self.session.clone();
        self.conn.wait_event(seen, |e| {
            (e.session.as_deref() == Some(session.as_str()) && e.method == "Page.loadEventFired")
                .then_some(())
        })
    }

    /// The CORS error Chromium reported for the `nth` (from 0) request this
    /// page made to exactly `url`: `Ok(None)` if it loaded, `Ok(Some(..))` with
    /// `corsErrorStatus.corsError` if it failed for a CORS reason (or a note
    /// with the network error if it failed for another).
    pub fn cors_error(&self, url: &str, nth: usize) -> Result<Option<String>, String> {
        let session = self.session.clone();
        let mut ids: Vec<String> = Vec::new();
        let mut target: Option<String> = None;
        self.conn.wait_event(0, |e| {
            if e.session.as_deref() != Some(session.as_str()) {
                return None;
            }
            let id = e.params["requestId"].as_str().unwrap_or_default();
            match e.method.as_str() {
                "Network.requestWillBeSent"
                    if e.params["request"]["url"].as_str() == Some(url)
                        // Preflights come as type `Other`, without a frame.
                        && e.params["type"].as_str() == Some("Fetch") =>
                {
                    // A redirect re-sends the same id: count ids, not events.
                    if !ids.iter().any(|i| i == id) {
                        ids.push(id.to_owned());
                        if ids.len() == nth + 1 {
                            target = Some(id.to_owned());
                        }
                    }
                    None
                }
                "Network.loadingFinished" if target.as_deref() == Some(id) => Some(None),
                "Network.loadingFailed" if target.as_deref() == Some(id) => Some(Some(
                    match e.params["corsErrorStatus"]["corsError"].as_str() {
                        Some(c) => c.to_owned(),
                        None => format!(
                            "(not a CORS error: {})",
                            e.params["errorText"].as_str().unwrap_or("?")
                        ),
                    },
                )),
                _ => None,
            }
        })
    }

    /// A PNG screenshot of the whole page, `width` CSS pixels wide.
    pub fn screenshot(&self, width: u32) -> Result<Vec<u8>, String> {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": 600, "deviceScaleFactor": 1, "mobile": false }),
        )?;
        let metrics = self.call("Page.getLayoutMetrics", json!({}))?;
        let height = metrics["cssContentSize"]["height"]
            .as_f64()
            .unwrap_or(600.0)
            .ceil();
        let r = self.call(
            "Page.captureScreenshot",
            json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 },
            }),
        )?;
        let b64 = r["data"].as_str().ok_or("no screenshot data")?;
        data_encoding::BASE64
            .decode(b64.as_bytes())
            .map_err(|e| format!("screenshot base64: {e}"))
    }
}
