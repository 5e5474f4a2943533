//! A capturing `log::Log` for the suites that assert log lines: every line,
//! with the thread that logged it (tests run in parallel, each
//! `#[actix_web::test]` on its own thread) and its level.

use std::sync::{Mutex, Once};
use std::thread::ThreadId;

use log::{Level, LevelFilter, Log, Metadata, Record};

struct Capture {
    lines: Mutex<Vec<(ThreadId, Level, String)>>,
}

impl Log for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &Record<'_>) {
        self.lines.lock().unwrap().push((
            std::thread::current().id(),
            record.level(),
            record.args().to_string(),
        ));
    }

    fn flush(&self) {}
}

static CAPTURE: Capture = Capture {
    lines: Mutex::new(Vec::new()),
};

/// Installs the logger once per test binary, at debug level.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        log::set_logger(&CAPTURE).expect("no other logger in this test binary");
        log::set_max_level(LevelFilter::Debug);
    });
}

/// Takes the lines this thread logged at `level` since the last call.
pub fn take(level: Level) -> Vec<String> {
    let me = std::thread::current().id();
    let mut all = CAPTURE.lines.lock().unwrap();
    let mut out = Vec::new();
    all.retain(|(thread, l, line)| {
        if *thread == me && *l == level {
            out.push(line.clone());
            false
        } else {
            true
        }
    });
    out
}

/// Every line logged at `level` by any thread that contains `needle`.
pub fn lines_containing(level: Level, needle: &str) -> Vec<String> {
    CAPTURE
        .lines
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, l, line)| *l == level && line.contains(needle))
        .map(|(_, _, line)| line.clone())
        .collect()
}
