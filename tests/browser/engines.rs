//! Starting the three engines on one URL: Chromium (driven over the DevTools
//! protocol, for its `corsError` reasons), Firefox ESR headless, and WebKitGTK's
//! MiniBrowser on a private Xvfb display. Each runs in its own process group,
//! which a guard kills and reaps before the profile directory is removed.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use route_cors::test::Engine;

use crate::cdp;

const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser";

/// What an engine needs: the browser executable (and, for WebKit, Xvfb).
pub struct Needs {
    pub paths: Vec<PathBuf>,
}

fn env_or(var: &str, defaults: &[&str]) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(p) => Some(PathBuf::from(p)).filter(|p| p.is_file()),
        None => defaults.iter().map(PathBuf::from).find(|p| p.is_file()),
    }
}

/// The engine's executables, or how to install them.
pub fn find(engine: Engine) -> Result<Needs, &'static str> {
    let (found, install) = match engine {
        Engine::Chromium => (
            cdp::chromium_path().map(|p| vec![p]),
            "`apt-get install -y chromium` (or set CHROMIUM=/path/to/chromium)",
        ),
        Engine::Firefox => (
            env_or("FIREFOX", &["/usr/bin/firefox-esr", "/usr/bin/firefox"]).map(|p| vec![p]),
            "`apt-get install -y firefox-esr` (or set FIREFOX=/path/to/firefox)",
        ),
        Engine::WebKit => (
            env_or("MINIBROWSER", &[MINIBROWSER])
                .zip(env_or("XVFB", &["/usr/bin/Xvfb"]))
                .map(|(a, b)| vec![a, b]),
            "`apt-get install -y libwebkitgtk-6.0-4 xvfb` (or set MINIBROWSER and XVFB to their paths)",
        ),
    };
    found.map(|paths| Needs { paths }).ok_or(install)
}

/// A fresh, empty directory for one browser's profile and files.
fn scratch(engine: Engine) -> Result<PathBuf, String> {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "route-cors-{}-{}-{}",
        engine.to_string().to_lowercase(),
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["home", "config", "cache", "data", "profile"] {
        std::fs::create_dir_all(dir.join(sub)).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    Ok(dir)
}

/// Sends `signal` to the process group led by `pid`.
pub fn kill_group(pid: u32, signal: &str) {
    // The child is its own process group leader: `-PID` is the group.
    let _ = Command::new("kill")
        .args([signal, "--", &format!("-{pid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// A process group. Dropping it kills the group, reaps the leader, then
/// removes `dir` if given.
pub struct Group {
    child: Child,
    signal: &'static str,
    dir: Option<PathBuf>,
}

impl Group {
    fn spawn(
        mut cmd: Command,
        signal: &'static str,
        dir: Option<PathBuf>,
    ) -> Result<Group, String> {
        let program = format!("{:?}", cmd.get_program());
        let child = cmd
            .process_group(0)
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {program}: {e}"))?;
        Ok(Group { child, signal, dir })
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        kill_group(self.child.id(), self.signal);
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) | Err(_) => break,
                Ok(None) if Instant::now() >= deadline => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    break;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        // The group's last helpers may still be exiting: retry briefly.
        if let Some(dir) = &self.dir {
            for _ in 0..50 {
                if std::fs::remove_dir_all(dir).is_ok() || !dir.exists() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

fn log_file(dir: &Path, name: &str) -> Stdio {
    std::fs::File::create(dir.join(name))
        .map(Stdio::from)
        .unwrap_or_else(|_| Stdio::null())
}

/// A running engine showing one URL. Dropping it closes it.
pub enum Running {
    Chromium {
        /// Dropped first: the tab before the browser.
        page: Box<cdp::Page>,
        browser: Box<cdp::Browser>,
    },
    Other {
        browser: Group,
        /// WebKit's display, stopped after the browser.
        _display: Option<Group>,
    },
}

impl Running {
    /// The Chromium tab, for its DevTools events and a screenshot.
    pub fn chromium(&self) -> Option<(&cdp::Browser, &cdp::Page)> {
        match self {
            Running::Chromium { page, browser } => Some((browser, page)),
            Running::Other { .. } => None,
        }
    }

    /// Whether the browser process has exited, with its status.
    pub fn exited(&mut self) -> Option<String> {
        match self {
            Running::Chromium { .. } => None,
            Running::Other { browser, .. } => browser
                .child
                .try_wait()
                .ok()
                .flatten()
                .map(|s| s.to_string()),
        }
    }
}

/// The Firefox preferences: no first-run pages, nothing that reaches outside
/// hosts, and the Fetch standard's rule for Authorization.
const FIREFOX_PREFS: &[(&str, &str)] = &[
    ("browser.shell.checkDefaultBrowser", "false"),
    ("browser.startup.homepage_override.mstone", "\"ignore\""),
    ("browser.aboutwelcome.enabled", "false"),
    ("startup.homepage_welcome_url", "\"\""),
    ("startup.homepage_first_run_url", "\"\""),
    ("browser.newtabpage.enabled", "false"),
    ("browser.sessionstore.resume_from_crash", "false"),
    ("datareporting.policy.dataSubmissionEnabled", "false"),
    ("datareporting.healthreport.uploadEnabled", "false"),
    ("toolkit.telemetry.enabled", "false"),
    ("toolkit.telemetry.unified", "false"),
    ("app.shield.optoutstudies.enabled", "false"),
    ("app.normandy.enabled", "false"),
    ("app.update.auto", "false"),
    ("app.update.enabled", "false"),
    ("extensions.update.enabled", "false"),
    ("browser.safebrowsing.update.enabled", "false"),
    ("browser.safebrowsing.malware.enabled", "false"),
    ("browser.safebrowsing.phishing.enabled", "false"),
    ("browser.safebrowsing.downloads.enabled", "false"),
    ("network.captive-portal-service.enabled", "false"),
    ("network.connectivity-service.enabled", "false"),
    ("network.dns.disablePrefetch", "true"),
    ("network.prefetch-next", "false"),
    ("network.http.speculative-parallel-limit", "0"),
    ("network.trr.mode", "5"),
    ("media.gmp-manager.updateEnabled", "false"),
    ("media.gmp-gmpopenh264.enabled", "false"),
    ("services.settings.server", "\"data:,\""),
    // The Fetch standard: `Access-Control-Allow-Headers: *` never covers
    // Authorization.
    (
        "network.cors_preflight.authorization_covered_by_wildcard",
        "false",
    ),
];

fn xdg(cmd: &mut Command, dir: &Path) {
    cmd.env("HOME", dir.join("home"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_DATA_HOME", dir.join("data"));
}

/// Starts `engine` on `url`.
pub fn launch(engine: Engine, needs: &Needs, url: &str) -> Result<Running, String> {
    match engine {
        Engine::Chromium => {
            let browser = cdp::Browser::launch(&needs.paths[0])?;
            let page = browser.open(url, None)?;
            Ok(Running::Chromium {
                page: Box::new(page),
                browser: Box::new(browser),
            })
        }
        Engine::Firefox => {
            let dir = scratch(engine)?;
            let prefs: String = FIREFOX_PREFS
                .iter()
                .map(|(k, v)| format!("user_pref(\"{k}\", {v});\n"))
                .collect();
            std::fs::write(dir.join("profile/user.js"), prefs).map_err(|e| e.to_string())?;
            let mut cmd = Command::new(&needs.paths[0]);
            xdg(&mut cmd, &dir);
            cmd.env_remove("DISPLAY")
                .env_remove("WAYLAND_DISPLAY")
                .env("MOZ_HEADLESS", "1")
                .env("MOZ_CRASHREPORTER_DISABLE", "1")
                .args(["--headless", "--no-remote", "--profile"])
                .arg(dir.join("profile"))
                .arg(url)
                .stdout(log_file(&dir, "stdout.log"))
                .stderr(log_file(&dir, "stderr.log"));
            let browser = Group::spawn(cmd, "-KILL", Some(dir))?;
            Ok(Running::Other {
                browser,
                _display: None,
            })
        }
        Engine::WebKit => {
            let dir = scratch(engine)?;
            let mut x = Command::new(&needs.paths[1]);
            x.args([
                "-displayfd",
                "1",
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "1280x800x24",
                "-nocursor",
            ])
            .stdout(Stdio::piped())
            .stderr(log_file(&dir, "xvfb.log"));
            // SIGTERM, so that Xvfb removes its lock file.
            let mut display = Group::spawn(x, "-TERM", None)?;
            let out = display.child.stdout.take().ok_or("no Xvfb stdout")?;
            let mut line = String::new();
            BufReader::new(out)
                .read_line(&mut line)
                .map_err(|e| format!("reading Xvfb's display: {e}"))?;
            let n = line.trim();
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("Xvfb printed no display number ({line:?})"));
            }
            let mut cmd = Command::new(&needs.paths[0]);
            xdg(&mut cmd, &dir);
            cmd.env("DISPLAY", format!(":{n}"))
                .env("GDK_BACKEND", "x11")
                .env("NO_AT_BRIDGE", "1")
                .env("GTK_A11Y", "none")
                .env_remove("WAYLAND_DISPLAY")
                .arg("--enable-itp")
                .arg(url)
                .stdout(log_file(&dir, "stdout.log"))
                .stderr(log_file(&dir, "stderr.log"));
            let browser = Group::spawn(cmd, "-KILL", Some(dir))?;
            Ok(Running::Other {
                browser,
                _display: Some(display),
            })
        }
    }
}
