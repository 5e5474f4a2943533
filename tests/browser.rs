//! Real-browser tests: Chromium, Firefox ESR and WebKit (WebKitGTK's
//! MiniBrowser on a private Xvfb) make cross-origin `fetch` calls from pages
//! on one loopback port to `#[cors]` routes on another.
//!
//! The cases are a table (`browser/cases.rs`). Each engine runs all of them
//! in one browser process, one engine at a time: the runner pages
//! (`browser/runner.rs`) make the calls and POST what they observed back to
//! their server. One test per engine and case then asserts:
//! - what the page observed (resolved or `TypeError`, status, the headers
//!   JavaScript can read, the body);
//! - in Chromium, why a call failed: the DevTools `corsError`;
//! - what the API server received and answered (every request, preflights
//!   included, with `Origin`, ACRM, ACRH, cookies and the exact CORS headers);
//! - that `route_cors::test`, run on the same routes as a page in that
//!   engine, agrees: allowed or blocked, the reason, the readable headers
//!   and body, and the requests (so the preflight count).
//!
//! Engine differences are in the table, each with its reason. A missing
//! engine is skipped with one line saying how to install it, or fails when
//! `CI` is set.

#[path = "browser/api.rs"]
mod api;
#[path = "browser/cases.rs"]
mod cases;
#[path = "browser/cdp.rs"]
mod cdp;
#[allow(dead_code)]
#[path = "../examples/demo.rs"]
mod demo;
#[path = "browser/engines.rs"]
mod engines;
#[path = "browser/model.rs"]
mod model;
#[path = "browser/runner.rs"]
mod runner;
#[path = "browser/server.rs"]
mod server;

use std::collections::HashMap;
use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use actix_web::middleware::from_fn;
use actix_web::web::Data;
use actix_web::{App, HttpServer};
use libtest_mimic::{Arguments, Failed, Trial};
use route_cors::test::{Engine, EngineNote};
use serde_json::Value;

use cases::{Case, Sees, Tab, CASES};
use runner::{key, Plan, Reports};
use server::{Log, Running};

/// The longest one engine may take for all its pages.
const RUN_LIMIT: Duration = Duration::from_secs(120);

/// What one engine did, from its reports.
struct Observed {
    /// By `case#step`: the runner's JSON for that call.
    steps: HashMap<String, Value>,
    /// By `case#step`, in Chromium only: its DevTools `corsError`.
    why: HashMap<String, Option<String>>,
    /// The demo page's rows.
    demo: Value,
    /// The demo's blocked calls' `corsError`s, in Chromium only.
    demo_why: Vec<(String, Option<String>)>,
}

/// Everything the tests share. Field order is drop order: servers last.
struct Env {
    plan: Plan,
    log: Arc<Log>,
    reports: Arc<Reports>,
    needs: HashMap<Engine, engines::Needs>,
    runs: [OnceLock<Result<Observed, String>>; 3],
    /// Held while a browser runs: one engine at a time.
    slot: Mutex<()>,
    _servers: Vec<Running>,
}

fn listener() -> std::io::Result<TcpListener> {
    TcpListener::bind(("127.0.0.1", 0))
}

fn port(l: &TcpListener) -> Result<u16, String> {
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

impl Env {
    fn start(needs: HashMap<Engine, engines::Needs>) -> Result<Env, String> {
        let (page_l, api_l, demo_l, demo_api_l) = (listener(), listener(), listener(), listener());
        let e = |e: std::io::Error| e.to_string();
        let (page_l, api_l, demo_l, demo_api_l) = (
            page_l.map_err(e)?,
            api_l.map_err(e)?,
            demo_l.map_err(e)?,
            demo_api_l.map_err(e)?,
        );
        let plan = Plan {
            // `localhost`: cross-site with the main page, same-site with
            // the other one.
            api: format!("http://localhost:{}", port(&api_l)?),
            page_port: port(&page_l)?,
            demo_port: port(&demo_l)?,
            demo_api_port: port(&demo_api_l)?,
        };
        api::PAGE
            .set([plan.origin(Tab::Main)])
            .map_err(|e| e.to_string())?;
        api::OTHER
            .set([plan.origin(Tab::Other)])
            .map_err(|e| e.to_string())?;
        api::SUBDOMAINS
            .set([format!("http://*.localhost:{}", plan.page_port)])
            .map_err(|e| e.to_string())?;
        api::REPLACEABLE
            .set([api::NOBODY])
            .map_err(|e| e.to_string())?;
        demo::allow_page(plan.demo_port).map_err(|e| e.to_string())?;

        let log = Arc::new(Log::default());
        for (o, n) in origin_names(&plan) {
            log.name_origin(&o, n);
        }
        let reports = Arc::new(Reports::default());
        let mut servers = Vec::new();
        let app_log = Arc::clone(&log);
        let launch = runner::launch_routes(plan.clone());
        servers.push(
            server::spawn(move || {
                Ok(HttpServer::new(move || {
                    App::new()
                        .app_data(Data::from(Arc::clone(&app_log)))
                        .wrap(from_fn(server::record))
                        .wrap(from_fn(server::continue_to_next))
                        .configure(api::routes)
                        .configure(launch.clone())
                })
                .workers(1)
                .disable_signals()
                .listen(api_l)?
                .run())
            })
            .map_err(|e| e.to_string())?,
        );
        let routes = runner::page_routes(plan.clone(), Arc::clone(&reports));
        servers.push(
            server::spawn(move || {
                Ok(
                    HttpServer::new(move || App::new().configure(routes.clone()))
                        .workers(1)
                        .disable_signals()
                        .listen(page_l)?
                        .run(),
                )
            })
            .map_err(|e| e.to_string())?,
        );
        servers
            .push(server::spawn(move || demo::api_server(demo_api_l)).map_err(|e| e.to_string())?);
        let routes = runner::demo_routes(plan.demo_api_port, Arc::clone(&reports));
        servers.push(
            server::spawn(move || {
                Ok(
                    HttpServer::new(move || App::new().configure(routes.clone()))
                        .workers(1)
                        .disable_signals()
                        .listen(demo_l)?
                        .run(),
                )
            })
            .map_err(|e| e.to_string())?,
        );
        Ok(Env {
            plan,
            log,
            reports,
            needs,
            runs: Default::default(),
            slot: Mutex::new(()),
            _servers: servers,
        })
    }

    /// The engine's run, started on first use, one engine at a time.
    fn observed(&self, engine: Engine) -> Result<&Observed, Failed> {
        let idx = Engine::ALL.iter().position(|e| *e == engine).unwrap_or(0);
        self.runs[idx]
            .get_or_init(|| {
                let _slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
                let started = Instant::now();
                let r = self.run(engine);
                eprintln!(
                    "browser tests: {engine} ran every case and the demo page in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
                r
            })
            .as_ref()
            .map_err(|e| Failed::from(e.clone()))
    }

    fn run(&self, engine: Engine) -> Result<Observed, String> {
        let needs = self.needs.get(&engine).ok_or("engine not available")?;
        let mut running = engines::launch(engine, needs, &self.plan.start(engine))?;
        let deadline = Instant::now() + RUN_LIMIT;
        let mut steps = HashMap::new();
        for phase in 0..runner::TABS.len() {
            let v = self
                .reports
                .wait(engine, &phase.to_string(), deadline, || running.exited())?;
            if let Value::Object(m) = v {
                steps.extend(m);
            }
        }
        let demo = self
            .reports
            .wait(engine, "demo", deadline, || running.exited())?;
        let mut why = HashMap::new();
        let mut demo_why = Vec::new();
        if let Some((_, page)) = running.chromium() {
            for case in CASES {
                let mut calls_to: HashMap<&str, usize> = HashMap::new();
                for (i, s) in case.steps.iter().enumerate() {
                    if runner::is_form(s.init) {
                        // A navigation, not a `fetch`: no CORS error to ask for.
                        why.insert(format!("{}#{i}", case.name), None);
                        continue;
                    }
                    let url = self.plan.url(engine, case.name, s.path);
                    let nth = calls_to.entry(s.path).or_default();
                    why.insert(format!("{}#{i}", case.name), page.cors_error(&url, *nth)?);
                    *nth += 1;
                }
            }
            let api = format!("http://127.0.0.1:{}", self.plan.demo_api_port);
            for path in ["/partners", "/reports"] {
                // GET /reports is allowed; DELETE /reports, its second call, is not.
                let nth = usize::from(path == "/reports");
                demo_why.push((
                    path.to_owned(),
                    page.cors_error(&format!("{api}{path}"), nth)?,
                ));
            }
            let png = page.screenshot(1240)?;
            if !png.starts_with(b"\x89PNG\r\n\x1a\n") {
                return Err("the demo screenshot is not a PNG".to_owned());
            }
            if std::env::var_os("UPDATE_SCREENSHOT").is_some_and(|v| v == "1") {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/demo.png");
                std::fs::write(&path, &png).map_err(|e| e.to_string())?;
                eprintln!("wrote {} ({} bytes)", path.display(), png.len());
            }
        }
        drop(running);
        Ok(Observed {
            steps,
            why,
            demo,
            demo_why,
        })
    }
}

fn origin_names(plan: &Plan) -> Vec<(String, &'static str)> {
    vec![
        (plan.origin(Tab::Main), "<main>"),
        (plan.origin(Tab::Other), "<other>"),
        (plan.origin(Tab::Sub), "<sub>"),
        (plan.origin(Tab::Label), "<label>"),
        (plan.origin(Tab::Api), "<api>"),
    ]
}

/// What the page observed for one call, as one line:
/// `STATUS TYPE [readable headers] BODY`, or the error it threw.
fn seen(v: Option<&Value>) -> String {
    let Some(v) = v else {
        return "(no report for this call)".to_owned();
    };
    if v["ok"].as_bool() == Some(true) {
        let headers: Vec<&str> = v["headers"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        format!(
            "{} {} [{}] {}",
            v["status"],
            v["type"].as_str().unwrap_or("?"),
            headers.join(", "),
            v["body"].as_str().unwrap_or("?")
        )
    } else {
        v["error"].as_str().unwrap_or("?").to_owned()
    }
}

/// What a form step's page observes: nothing, it navigated away.
const NAVIGATED: &str = "navigated";

/// The line the page must observe.
fn want(sees: Sees, engine: Engine, subst: &dyn Fn(&str) -> String) -> String {
    match sees {
        Sees::Failed => engine.blocked_message().to_owned(),
        Sees::Navigated => NAVIGATED.to_owned(),
        Sees::Raw(s) => subst(s),
        Sees::Read(status, headers, body) => {
            let body = subst(body);
            let length = format!("content-length: {}", body.len());
            let mut all: Vec<&str> = headers.to_vec();
            all.push(&length);
            all.sort_unstable();
            format!("{status} cors [{}] {body}", all.join(", "))
        }
    }
}

fn check_case(env: &Env, engine: Engine, case: &Case) -> Result<(), Failed> {
    let obs = env.observed(engine)?;
    let k = key(engine, case.name);
    let main = env.plan.origin(Tab::Main);
    let subst = |s: &str| s.replace("{case}", &k).replace("{main}", &main);
    let (steps, server) = case.expected(engine);
    let because = case
        .differs
        .iter()
        .find(|d| d.engine == engine)
        .map(|d| format!(" (differs from the other engines: {})", d.reason))
        .unwrap_or_default();
    let mut seen_lines = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        let id = format!("{}#{i}", case.name);
        let got = if matches!(s.sees, Sees::Navigated) {
            NAVIGATED.to_owned()
        } else {
            seen(obs.steps.get(&id))
        };
        assert_eq!(
            got,
            want(s.sees, engine, &subst),
            "call {i}: what the page observed in {engine}{because}"
        );
        if engine == Engine::Chromium {
            assert_eq!(
                obs.why.get(&id).cloned().flatten().as_deref(),
                s.why,
                "call {i}: the corsError Chromium reported"
            );
        }
        if let Some(t) = s.timing {
            assert_eq!(
                obs.steps.get(&id).and_then(|v| v["timing"].as_str()),
                Some(t.as_str()),
                "call {i}: the Resource Timing entry in {engine}{because}"
            );
        }
        seen_lines.push(got);
    }
    let server: Vec<String> = server.iter().map(|l| subst(l)).collect();
    assert_eq!(
        env.log.lines(&k),
        server,
        "what the API server received from {engine}{because}"
    );
    if let Some(runs) = case.handler_runs {
        assert_eq!(
            api::handler_runs(&k),
            runs,
            "how many times the write route's handler ran for {engine}"
        );
    }

    // The model, as a page in this engine, on the same routes.
    // Its own app and log: the same keys as the engine's.
    let mk = k.clone();
    let origin = env.plan.origin(case.tab);
    // Not while a browser runs: the model's calls share the API's statics
    // (`api::REPLACEABLE`, which a case replaces) with the browser's.
    let (verdicts, model_lines, model_runs) = {
        let _slot = env.slot.lock().unwrap_or_else(|p| p.into_inner());
        let before = api::handler_runs(&mk);
        let (v, lines) = model::run(
            case,
            engine,
            &origin,
            &env.plan.api,
            &mk,
            &origin_names(&env.plan),
        );
        (v, lines, api::handler_runs(&mk) - before)
    };
    if let Some(runs) = case.handler_runs {
        assert_eq!(model_runs, runs, "handler runs with the model as {engine}");
        for v in &verdicts {
            // A write that was sent and did not run was refused by the
            // route; one never sent was refused at its preflight.
            let sent = v.answered().is_some();
            assert_eq!(
                (
                    v.write_refused(),
                    sent || v.preflight().is_some_and(|p| p.refused_by_route())
                ),
                (runs == 0 && sent, true),
                "the model's word on the write as {engine}:\n{v}"
            );
        }
    }
    let upto = case.http_cache_from.unwrap_or(steps.len());
    for (i, v) in verdicts.iter().enumerate().take(upto) {
        let lenient = v
            .engine_notes()
            .contains(&EngineNote::AuthorizationCoveredByWildcardInStockEngines);
        if lenient && engine == Engine::WebKit {
            // Documented: WebKit lets `*` cover Authorization.
            assert_ne!(
                seen_lines[i],
                engine.blocked_message(),
                "call {i}: WebKit is lenient here:\n{v}"
            );
            continue;
        }
        let model_seen = model::as_seen(v, engine).replace(&mk, &k);
        assert_eq!(
            model_seen, seen_lines[i],
            "call {i}: the model disagrees with {engine}:\n{v}"
        );
        if engine == Engine::Chromium {
            // A load that failed for another reason than CORS (the aborted
            // opaque answer of a refused `no-cors` write) is no CORS error.
            let why = obs
                .why
                .get(&format!("{}#{i}", case.name))
                .cloned()
                .flatten()
                .filter(|w| !w.starts_with("(not a CORS error"));
            assert_eq!(
                v.rule().and_then(|r| r.devtools_name()),
                why.as_deref(),
                "call {i}: the model's reason vs Chromium's:\n{v}"
            );
        }
    }
    let lenient = verdicts.iter().any(|v| {
        v.engine_notes()
            .contains(&EngineNote::AuthorizationCoveredByWildcardInStockEngines)
    });
    if case.http_cache_from.is_none() && !(lenient && engine == Engine::WebKit) {
        let model_lines: Vec<String> = model_lines.iter().map(|l| l.replace(&mk, &k)).collect();
        assert_eq!(
            model_lines, server,
            "what the app received from the model as {engine}"
        );
        let preflights: usize = verdicts.iter().map(|v| v.preflights_sent(engine)).sum();
        let options = server.iter().filter(|l| l.starts_with("OPTIONS ")).count();
        assert_eq!(
            preflights, options,
            "the model's preflight count as {engine}"
        );
    }
    Ok(())
}

/// The demo page, row by row, in one engine.
fn check_demo(env: &Env, engine: Engine) -> Result<(), Failed> {
    let obs = env.observed(engine)?;
    let rows = obs
        .demo
        .as_array()
        .ok_or("the demo's report is not a list")?;
    // (call, status if the page may read the response; None if the browser blocks it)
    let want: [(&str, Option<u64>); 17] = [
        ("GET /public", Some(200)),
        ("POST /session", Some(200)),
        ("GET /session", Some(200)),
        ("POST /notes (JSON)", Some(201)),
        ("PUT /notes/1", Some(200)),
        ("DELETE /notes/1", Some(204)),
        ("GET /flaky", Some(503)),
        ("GET /partners", None),
        ("GET /reports", Some(200)),
        ("DELETE /reports", None),
        // Scope auth behind `CorsAware`: its 401 is readable, the token passes.
        ("GET /admin/stats (no token)", Some(401)),
        ("GET /admin/stats (token)", Some(200)),
        // A scope's `DefaultPolicy`: a route without `#[cors]`, and the scope's 404.
        ("GET /api/orders", Some(200)),
        ("GET /api/missing", Some(404)),
        // Cross-origin writes: the page's own POST runs the handler; a form
        // post and a `no-cors` POST from a second, unlisted origin do not
        // (the server's count of handler runs, read before and after).
        ("POST /transfer (this page)", Some(200)),
        ("POST /transfer (form from evil.localhost)", Some(200)),
        ("POST /transfer (no-cors from evil.localhost)", Some(200)),
    ];
    let got: Vec<(String, Option<u64>, bool, String)> = rows
        .iter()
        .map(|r| {
            let observed = r["observed"].as_str().unwrap_or("?");
            let failure = observed
                .strip_prefix("CORS failure: ")
                .unwrap_or("")
                .to_owned();
            (
                r["call"].as_str().unwrap_or("?").to_owned(),
                r["status"].as_u64(),
                r["pass"].as_bool() == Some(true),
                failure,
            )
        })
        .collect();
    let expected: Vec<(String, Option<u64>, bool, String)> = want
        .iter()
        .map(|(c, s)| {
            (
                (*c).to_owned(),
                *s,
                true,
                if s.is_some() {
                    String::new()
                } else {
                    engine.blocked_message().to_owned()
                },
            )
        })
        .collect();
    assert_eq!(
        got, expected,
        "demo rows in {engine}: (call, status, as expected, error)\n{rows:#?}"
    );
    for row in &rows[15..] {
        let observed = row["observed"].as_str().unwrap_or("?");
        assert!(
            observed.starts_with("refused, the handler did not run (received: "),
            "demo row {} in {engine}: {observed}",
            row["call"]
        );
    }
    if engine == Engine::Chromium {
        let why: Vec<(&str, Option<&str>)> = obs
            .demo_why
            .iter()
            .map(|(p, w)| (p.as_str(), w.as_deref()))
            .collect();
        assert_eq!(
            why,
            [
                ("/partners", Some("MissingAllowOriginHeader")),
                ("/reports", Some("PreflightMissingAllowOriginHeader"))
            ],
            "CORS errors of the blocked rows"
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    let mut needs = HashMap::new();
    for engine in Engine::ALL {
        match engines::find(engine) {
            Ok(n) => {
                needs.insert(engine, n);
            }
            Err(install) if args.list => {
                let _ = install;
            }
            Err(install) if ci => {
                eprintln!("browser tests: FAILED: {engine} not found and CI is set; install it with {install}, as root");
                return ExitCode::FAILURE;
            }
            Err(install) => eprintln!("browser tests: {engine} SKIPPED, not found: install it with {install}, as root, or run ./scripts/test.sh"),
        }
    }
    let available: Vec<Engine> = needs.keys().copied().collect();
    let env = if args.list || available.is_empty() {
        None
    } else {
        match Env::start(needs) {
            Ok(env) => Some(Arc::new(env)),
            Err(e) => {
                eprintln!("browser tests: cannot start the servers: {e}");
                return ExitCode::FAILURE;
            }
        }
    };

    let mut trials = Vec::new();
    for engine in Engine::ALL {
        let skip = !available.contains(&engine);
        let prefix = runner::slug(engine);
        for case in CASES {
            let env = env.clone();
            trials.push(
                Trial::test(format!("{prefix}::{}", case.name), move || {
                    match (&env, skip) {
                        (Some(env), false) => check_case(env, engine, case),
                        _ => Err(Failed::from("skipped")),
                    }
                })
                .with_ignored_flag(skip),
            );
        }
        let env = env.clone();
        trials.push(
            Trial::test(
                format!("{prefix}::demo_page_every_row_as_expected"),
                move || match (&env, skip) {
                    (Some(env), false) => check_demo(env, engine),
                    _ => Err(Failed::from("skipped")),
                },
            )
            .with_ignored_flag(skip),
        );
    }
    let conclusion = libtest_mimic::run(&args, trials);
    drop(env);
    conclusion.exit_code()
}
