//! The runner: pages that make every case's calls in one engine and POST what
//! they observed back to their own server, which the test waits for.
//!
//! One engine run is a chain of pages: the cases of the main tab on
//! `http://127.0.0.1:PAGE`, then `http://localhost:PAGE`,
//! `http://a.localhost:PAGE` and `http://pr-7.localhost:PAGE`, then the form
//! steps, then the demo page on its own server. Each page reports, then
//! navigates to the next; the demo page reports last.
//!
//! A form step is a top-level navigation: a launcher page on the step's tab
//! origin submits the form, whose action carries `next=` (the next launcher,
//! or the demo page); the API server answers such a request with a `303` to
//! it, after logging the route's own answer (`server::continue_to_next`).

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, HttpResponse};
use route_cors::test::Engine;
use serde_json::{json, Value};

use crate::cases::{Tab, CASES};

/// The phases of a run, in order; the demo page comes after them.
pub const TABS: [Tab; 4] = [Tab::Main, Tab::Other, Tab::Sub, Tab::Label];

/// Where everything is.
#[derive(Clone)]
pub struct Plan {
    /// `http://localhost:API_PORT`.
    pub api: String,
    pub page_port: u16,
    pub demo_port: u16,
    pub demo_api_port: u16,
}

/// A lower-case engine name, as in URLs and case keys.
pub fn slug(engine: Engine) -> String {
    engine.to_string().to_lowercase()
}

/// The key of a case in one engine: its `?case=` value and server-log key.
pub fn key(engine: Engine, case: &str) -> String {
    format!("{}-{case}", slug(engine))
}

impl Plan {
    pub fn origin(&self, tab: Tab) -> String {
        let host = match tab {
            Tab::Main => "127.0.0.1",
            Tab::Other => "localhost",
            Tab::Sub => "a.localhost",
            Tab::Label => "pr-7.localhost",
            Tab::Api => return self.api.clone(),
        };
        format!("http://{host}:{}", self.page_port)
    }

    /// The URL of a call of a case.
    pub fn url(&self, engine: Engine, case: &str, path: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("{}{path}{sep}case={}", self.api, key(engine, case))
    }

    fn phase_url(&self, engine: Engine, phase: usize) -> String {
        match TABS.get(phase) {
            Some(tab) => format!("{}/run/{}/{phase}", self.origin(*tab), slug(engine)),
            None => self.launcher_url(engine, 0),
        }
    }

    /// Every form step, in table order: its tab, case and path.
    fn form_steps(engine: Engine) -> Vec<(Tab, &'static str, &'static str)> {
        let mut out = Vec::new();
        for case in CASES {
            for s in case.expected(engine).0 {
                if is_form(s.init) {
                    out.push((case.tab, case.name, s.path));
                }
            }
        }
        out
    }

    /// The page that submits form step `n`, on its tab's origin; after the
    /// last one, the demo page.
    fn launcher_url(&self, engine: Engine, n: usize) -> String {
        match Self::form_steps(engine).get(n) {
            Some((tab, _, _)) => format!("{}/launch/{}/{n}", self.origin(*tab), slug(engine)),
            None => format!(
                "http://127.0.0.1:{}/?engine={}",
                self.demo_port,
                slug(engine)
            ),
        }
    }

    fn launcher_html(&self, engine: Engine, n: usize) -> Option<String> {
        let (_, case, path) = *Self::form_steps(engine).get(n)?;
        Some(
            LAUNCHER
                .replace(
                    "/*ACTION*/",
                    &json!(self.url(engine, case, path)).to_string(),
                )
                .replace(
                    "/*NEXT*/",
                    &json!(self.launcher_url(engine, n + 1)).to_string(),
                ),
        )
    }

    /// The first page of a run.
    pub fn start(&self, engine: Engine) -> String {
        self.phase_url(engine, 0)
    }

    fn runner_html(&self, engine: Engine, phase: usize) -> String {
        let Some(tab) = TABS.get(phase) else {
            return String::new();
        };
        let mut steps = Vec::new();
        for case in CASES.iter().filter(|c| c.tab == *tab) {
            for (i, s) in case.expected(engine).0.iter().enumerate() {
                if is_form(s.init) {
                    continue;
                }
                let init: Value = serde_json::from_str(s.init).unwrap_or(Value::Null);
                steps.push(json!({
                    "key": format!("{}#{i}", case.name),
                    "url": self.url(engine, case.name, s.path),
                    "init": init,
                    "timing": s.timing.is_some(),
                }));
            }
        }
        RUNNER
            .replace("/*STEPS*/", &Value::from(steps).to_string())
            .replace(
                "/*REPORT*/",
                &json!(format!("/report/{}/{phase}", slug(engine))).to_string(),
            )
            .replace(
                "/*NEXT*/",
                &json!(self.phase_url(engine, phase + 1)).to_string(),
            )
    }
}

/// Whether a step is a form submission (`"form": "post"` in its `init`).
pub fn is_form(init: &str) -> bool {
    serde_json::from_str::<Value>(init).is_ok_and(|v| v.get("form").is_some())
}

/// Submits one form at top level, by script, as an attacker's page does.
const LAUNCHER: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>route-cors form step</title>
<form method="post"><input name="to" value="mallory"></form>
<script>
"use strict";
const f = document.forms[0];
f.action = /*ACTION*/ + "&next=" + encodeURIComponent(/*NEXT*/);
f.submit();
</script>
"#;

const RUNNER: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>route-cors browser cases</title>
<script>
"use strict";
const STEPS = /*STEPS*/;
// Runs one fetch and reports what this page could observe: whether it
// resolved or threw, the status, every header JavaScript may read, the body.
async function call(url, init) {
  // `_pause` (ms): wait first, e.g. for the HTTP cache to store a response.
  if (init._pause) await new Promise((done) => setTimeout(done, init._pause));
  try {
    const r = await fetch(url, { ...init, signal: AbortSignal.timeout(15000) });
    const headers = [];
    r.headers.forEach((value, name) => headers.push(name + ": " + value));
    let body;
    try { body = await r.text(); } catch (e) { body = "(body unreadable: " + e + ")"; }
    return { ok: true, type: r.type, status: r.status, headers, body };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
}
// Whether the call's Resource Timing entry shows its `requestStart`, which
// browsers zero for a cross-origin response without Timing-Allow-Origin.
// The entry is queued when the body has been read: wait for it up to 1 s.
async function timing(url) {
  const name = new URL(url).href;
  for (let i = 0; i < 50; i++) {
    const e = performance.getEntriesByName(name, "resource").pop();
    if (e) return e.requestStart > 0 ? "visible" : "hidden";
    await new Promise((done) => setTimeout(done, 20));
  }
  return "no entry";
}
(async () => {
  const results = {};
  for (const s of STEPS) {
    // The buffer holds 250 entries: make room for this call's.
    if (s.timing) performance.clearResourceTimings();
    const r = await call(s.url, s.init);
    if (s.timing) r.timing = await timing(s.url);
    results[s.key] = r;
  }
  await fetch(/*REPORT*/, { method: "POST", body: JSON.stringify(results) });
  location.href = /*NEXT*/;
})();
</script>
<p>route-cors browser cases</p>
"#;

/// Reports received, by (engine, phase); the demo's phase is `demo`.
#[derive(Default)]
pub struct Reports {
    got: Mutex<HashMap<(String, String), Value>>,
    cv: Condvar,
}

impl Reports {
    fn put(&self, engine: String, phase: String, v: Value) {
        if let Ok(mut g) = self.got.lock() {
            g.insert((engine, phase), v);
        }
        self.cv.notify_all();
    }

    /// Waits until `deadline` for the report of `phase`, or until `gone`
    /// says the browser has exited.
    pub fn wait(
        &self,
        engine: Engine,
        phase: &str,
        deadline: Instant,
        mut gone: impl FnMut() -> Option<String>,
    ) -> Result<Value, String> {
        let k = (slug(engine), phase.to_owned());
        let mut g = self.got.lock().map_err(|_| "reports poisoned")?;
        loop {
            if let Some(v) = g.remove(&k) {
                return Ok(v);
            }
            if let Some(status) = gone() {
                return Err(format!(
                    "{engine} exited ({status}) before reporting phase {phase}"
                ));
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(format!("{engine} did not report phase {phase} in time"));
            }
            let wait = (deadline - now).min(Duration::from_millis(200));
            g = self
                .cv
                .wait_timeout(g, wait)
                .map_err(|_| "reports poisoned")?
                .0;
        }
    }
}

async fn report(
    path: web::Path<(String, String)>,
    body: web::Bytes,
    reports: web::Data<Reports>,
) -> HttpResponse {
    let (engine, phase) = path.into_inner();
    let v = serde_json::from_slice(&body)
        .unwrap_or_else(|e| json!({ "unparsable report": e.to_string() }));
    reports.put(engine, phase, v);
    HttpResponse::NoContent().finish()
}

fn engine_named(s: &str) -> Option<Engine> {
    Engine::ALL.into_iter().find(|e| slug(*e) == s)
}

/// The form launchers (`/launch/{engine}/{n}`), on the page server and on
/// the API server (for the API's own page).
pub fn launch_routes(plan: Plan) -> impl Fn(&mut web::ServiceConfig) + Clone {
    move |cfg| {
        let plan = plan.clone();
        cfg.route(
            "/launch/{engine}/{n}",
            web::get().to(move |p: web::Path<(String, usize)>| {
                let (engine, n) = p.into_inner();
                let html = engine_named(&engine).and_then(|e| plan.launcher_html(e, n));
                async move {
                    match html {
                        Some(h) => HttpResponse::Ok()
                            .content_type("text/html; charset=utf-8")
                            .body(h),
                        None => HttpResponse::NotFound().finish(),
                    }
                }
            }),
        );
    }
}

/// The routes of the case pages' server.
pub fn page_routes(plan: Plan, reports: Arc<Reports>) -> impl Fn(&mut web::ServiceConfig) + Clone {
    let launch = launch_routes(plan.clone());
    move |cfg| {
        let plan = plan.clone();
        launch(cfg);
        cfg.app_data(web::Data::from(Arc::clone(&reports)))
            .route("/report/{engine}/{phase}", web::post().to(report))
            .route(
                "/run/{engine}/{phase}",
                web::get().to(move |p: web::Path<(String, usize)>| {
                    let (engine, phase) = p.into_inner();
                    let html = engine_named(&engine).map(|e| plan.runner_html(e, phase));
                    async move {
                        match html {
                            Some(h) => HttpResponse::Ok()
                                .content_type("text/html; charset=utf-8")
                                .body(h),
                            None => HttpResponse::NotFound().finish(),
                        }
                    }
                }),
            );
    }
}

/// The demo's own page, with a script that reports its rows when done.
pub fn demo_routes(
    api_port: u16,
    reports: Arc<Reports>,
) -> impl Fn(&mut web::ServiceConfig) + Clone {
    let html = include_str!("../../examples/demo/page.html")
        .replace("{{API_PORT}}", &api_port.to_string());
    move |cfg| {
        let html = html.clone();
        crate::demo::attacker(cfg);
        cfg.app_data(web::Data::from(Arc::clone(&reports)))
            .route("/report/{engine}/{phase}", web::post().to(report))
            .route(
                "/",
                web::get().to(move |q: web::Query<HashMap<String, String>>| {
                    let engine = q.get("engine").cloned().unwrap_or_default();
                    let reporter = format!(
                        "<script>window.demo.then((rows) => fetch({}, {{ method: \"POST\", body: JSON.stringify(rows) }}));</script>\n</body>",
                        json!(format!("/report/{engine}/demo"))
                    );
                    let page = html.replace("</body>", &reporter);
                    async move { HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page) }
                }),
            );
    }
}
