//! Real-browser tests: headless Chromium runs cross-origin `fetch` calls from
//! a page on one loopback port against `#[cors]` routes on another.
//!
//! Each case asserts both sides: what the page observed (resolved or
//! `TypeError`, status, the headers JavaScript can read, the body), what the
//! API server received and answered (every request, preflights included, with
//! their `Origin`, ACRM, ACRH, cookies and the exact CORS response headers),
//! and, when a call must fail, why: the `corsError` Chromium reports through
//! the DevTools protocol.
//!
//! One Chromium and one set of servers serve every case; each case uses its
//! own URLs (`?case=NAME`), so cases run in parallel without sharing preflight
//! or HTTP cache entries. Without Chromium the suite is skipped with a loud
//! line, or fails when `CI` is set.

#[path = "browser/api.rs"]
mod api;
#[path = "browser/cdp.rs"]
mod cdp;
#[allow(dead_code)]
#[path = "../examples/demo.rs"]
mod demo;
#[path = "browser/server.rs"]
mod server;

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;

use actix_web::middleware::from_fn;
use actix_web::web::Data;
use actix_web::{web, App, HttpResponse, HttpServer};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{json, Value};

use cdp::{Browser, Page};
use server::{Log, Running};

const PAGE_HTML: &str = include_str!("browser/page.html");

/// `Vary` of every allowed preflight.
const PF_VARY: &str = "vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

/// Everything the cases share. Field order is drop order: the browser closes
/// before the servers stop.
struct Env {
    browser: Browser,
    /// A tab on `http://127.0.0.1:PAGE_PORT/`, the origin the API allows.
    main: Page,
    /// A tab on `http://localhost:PAGE_PORT/`: another origin, not allowed.
    other: Page,
    /// A tab on `http://a.localhost:PAGE_PORT/`, for the subdomain pattern.
    sub: Page,
    api: String,
    page_port: u16,
    log: Arc<Log>,
    _api_server: Running,
    _page_server: Running,
}

fn listener() -> std::io::Result<TcpListener> {
    TcpListener::bind(("127.0.0.1", 0))
}

impl Env {
    fn start(chromium: &std::path::Path) -> Result<Env, String> {
        let page_listener = listener().map_err(|e| e.to_string())?;
        let api_listener = listener().map_err(|e| e.to_string())?;
        let page_port = page_listener
            .local_addr()
            .map_err(|e| e.to_string())?
            .port();
        let api_port = api_listener.local_addr().map_err(|e| e.to_string())?.port();
        let main_origin = format!("http://127.0.0.1:{page_port}");
        let other_origin = format!("http://localhost:{page_port}");
        let sub_origin = format!("http://a.localhost:{page_port}");

        api::PAGE.set([&main_origin]).map_err(|e| e.to_string())?;
        api::SUBDOMAINS
            .set([format!("http://*.localhost:{page_port}")])
            .map_err(|e| e.to_string())?;

        let log = Arc::new(Log::default());
        log.name_origin(&main_origin, "<main>");
        log.name_origin(&other_origin, "<other>");
        log.name_origin(&sub_origin, "<sub>");

        let app_log = Arc::clone(&log);
        let api_server = server::spawn(move || {
            Ok(HttpServer::new(move || {
                App::new()
                    .app_data(Data::from(Arc::clone(&app_log)))
                    .wrap(from_fn(server::record))
                    .configure(api::routes)
            })
            .workers(1)
            .disable_signals()
            .listen(api_listener)?
            .run())
        })
        .map_err(|e| e.to_string())?;
        let page_server = server::spawn(move || {
            Ok(HttpServer::new(|| {
                App::new().route(
                    "/",
                    web::get().to(|| async {
                        HttpResponse::Ok()
                            .content_type("text/html; charset=utf-8")
                            .body(PAGE_HTML)
                    }),
                )
            })
            .workers(1)
            .disable_signals()
            .listen(page_listener)?
            .run())
        })
        .map_err(|e| e.to_string())?;

        let browser = Browser::launch(chromium)?;
        let main = browser.open(&format!("{main_origin}/"), None)?;
        let other = browser.open(&format!("{other_origin}/"), None)?;
        let sub = browser.open(&format!("{sub_origin}/"), None)?;
        Ok(Env {
            browser,
            main,
            other,
            sub,
            api: format!("http://127.0.0.1:{api_port}"),
            page_port,
            log,
            _api_server: api_server,
            _page_server: page_server,
        })
    }

    fn url(&self, path: &str, case: &str) -> String {
        format!("{}{path}?case={case}", self.api)
    }

    /// A tab on the main origin in a fresh browser context: its own cookies.
    fn isolated_main(&self) -> Result<Page, String> {
        let ctx = self
            .browser
            .conn()
            .call(None, "Target.createBrowserContext", json!({}))?;
        let id = ctx["browserContextId"].as_str().ok_or("no context id")?;
        self.browser
            .open(&format!("http://127.0.0.1:{}/", self.page_port), Some(id))
    }
}

/// What the page observed for one `fetch`, as one line:
/// `STATUS TYPE [readable headers] BODY`, or the error it threw.
fn fetch(page: &Page, url: &str, init: Value) -> String {
    let expr = format!("call({}, {})", json!(url), init);
    let v = match page.eval(&expr) {
        Ok(v) => v,
        Err(e) => panic!("evaluating the fetch of {url} failed: {e}"),
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

/// The CORS error Chromium reported for the `nth` (from 0) request to `url`.
fn cors_error(page: &Page, url: &str, nth: usize) -> Option<String> {
    match page.cors_error(url, nth) {
        Ok(e) => e,
        Err(e) => panic!("no network outcome for {url}: {e}"),
    }
}

/// The usual single-call case: one fetch, then the three checks.
struct One<'a> {
    page: &'a Page,
    path: &'a str,
    init: Value,
    /// What the page must observe: [`read`] or [`FAILED`].
    page_sees: &'a str,
    /// The CORS error Chromium must report, if the call must fail.
    why: Option<&'a str>,
    /// What the server must have received and answered, in order.
    server: &'a [&'a str],
}

/// With `BROWSER_DEBUG=1`, prints the DevTools network events of the
/// requests to `url`, to see what Chromium did in a failing case.
fn debug_events(env: &Env, case: &str, url: &str) {
    if std::env::var_os("BROWSER_DEBUG").is_none() {
        return;
    }
    let events = env.browser.conn().events();
    let ids: Vec<String> = events
        .iter()
        .filter(|e| e.params.to_string().contains(url))
        .filter_map(|e| e.params["requestId"].as_str().map(str::to_owned))
        .collect();
    for e in events.iter().filter(|e| {
        e.params["requestId"]
            .as_str()
            .is_some_and(|i| ids.iter().any(|x| x == i))
    }) {
        let mut p = e.params.clone();
        p["initiator"] = Value::Null;
        eprintln!("{case} {} {}", e.method, p);
    }
}

fn one(env: &Env, case: &str, c: One<'_>) {
    let url = env.url(c.path, case);
    let seen = fetch(c.page, &url, c.init);
    debug_events(env, case, &url);
    assert_eq!(seen, c.page_sees, "what the page observed");
    assert_eq!(
        cors_error(c.page, &url, 0).as_deref(),
        c.why,
        "the CORS error Chromium reported"
    );
    assert_eq!(env.log.lines(case), c.server, "what the server received");
}

/// What the page sees when the browser refuses a call.
const FAILED: &str = "TypeError: Failed to fetch";

/// What the page sees of a response it may read: `content-length` (always
/// readable) plus `headers`, sorted as `Headers` iterates them, and the body.
fn read(status: u16, headers: &[&str], body: &str) -> String {
    let length = format!("content-length: {}", body.len());
    let mut all: Vec<&str> = headers.to_vec();
    all.push(&length);
    all.sort_unstable();
    format!("{status} cors [{}] {body}", all.join(", "))
}

type Case = fn(&Env, &str);

fn cases() -> Vec<(&'static str, Case)> {
    vec![
        ("simple_get_allowed_origin", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/simple",
                    init: json!({}),
                    page_sees: &read(200, &[], "simple"),
                    why: None,
                    server: &["GET /simple origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"],
                },
            );
        }),
        ("simple_get_disallowed_origin", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.other,
                    path: "/simple",
                    init: json!({}),
                    page_sees: FAILED,
                    why: Some("MissingAllowOriginHeader"),
                    // The handler runs; only the CORS headers are withheld.
                    server: &["GET /simple origin=<other> -> 200 | vary: Origin"],
                },
            );
        }),
        ("simple_get_compile_time_list_excludes_page", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/elsewhere",
                    init: json!({}),
                    page_sees: FAILED,
                    why: Some("MissingAllowOriginHeader"),
                    server: &["GET /elsewhere origin=<main> -> 200 | vary: Origin"],
                },
            );
        }),
        ("any_origin_route_from_page", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/any",
                    init: json!({}),
                    page_sees: &read(200, &["x-any: 1"], "any"),
                    why: None,
                    server: &["GET /any origin=<main> -> 200 | access-control-allow-origin: * | access-control-expose-headers: x-any"],
                },
            );
        }),
        ("any_origin_route_from_other_origin", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.other,
                    path: "/any",
                    init: json!({}),
                    page_sees: &read(200, &["x-any: 1"], "any"),
                    why: None,
                    server: &["GET /any origin=<other> -> 200 | access-control-allow-origin: * | access-control-expose-headers: x-any"],
                },
            );
        }),
        ("json_post_with_preflight", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/json",
                    init: json!({"method": "POST", "headers": {"content-type": "application/json"}, "body": "{\"a\":1}"}),
                    page_sees: &read(200, &["content-type: application/json"], "{\"a\":1}"),
                    why: None,
                    server: &[
                        &format!("OPTIONS /json origin=<main> acrm=POST acrh=content-type -> 204 | access-control-allow-headers: content-type | access-control-allow-methods: POST | access-control-allow-origin: <main> | {PF_VARY}"),
                        "POST /json origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin",
                    ],
                },
            );
        }),
        ("json_post_from_disallowed_origin", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.other,
                    path: "/json",
                    init: json!({"method": "POST", "headers": {"content-type": "application/json"}, "body": "{\"a\":1}"}),
                    page_sees: FAILED,
                    why: Some("PreflightMissingAllowOriginHeader"),
                    // Rejected preflight: 403, nothing about the policy, and no POST follows.
                    server: &["OPTIONS /json origin=<other> acrm=POST acrh=content-type -> 403"],
                },
            );
        }),
        ("extractor_failure_readable", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/json",
                    init: json!({"method": "POST", "headers": {"content-type": "application/json"}, "body": "{"}),
                    page_sees: &read(400, &["content-type: text/plain; charset=utf-8"], "Json deserialize error: EOF while parsing an object at line 1 column 1"),
                    why: None,
                    server: &[
                        &format!("OPTIONS /json origin=<main> acrm=POST acrh=content-type -> 204 | access-control-allow-headers: content-type | access-control-allow-methods: POST | access-control-allow-origin: <main> | {PF_VARY}"),
                        "POST /json origin=<main> -> 400 | access-control-allow-origin: <main> | vary: Origin",
                    ],
                },
            );
        }),
        (
            "credentialed_cookie_set_then_sent_not_on_preflight",
            |env, case| {
                let page = env.isolated_main().expect("isolated tab");
                let login = env.url("/login", case);
                let whoami = env.url("/whoami", case);
                let cred = json!({"method": "POST", "credentials": "include"});
                assert_eq!(
                    fetch(&page, &login, cred),
                    read(200, &[], "logged in"),
                    "login: what the page observed"
                );
                let put = json!({"method": "PUT", "credentials": "include"});
                assert_eq!(
                    fetch(&page, &whoami, put),
                    read(200, &[], &format!("cookie: sid_{case}=yes")),
                    "whoami: what the page observed"
                );
                assert_eq!(cors_error(&page, &login, 0), None);
                assert_eq!(cors_error(&page, &whoami, 0), None);
                assert_eq!(
                env.log.lines(case),
                [
                    "POST /login origin=<main> -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <main> | vary: Origin".to_owned(),
                    // The preflight carries no cookie; the PUT does.
                    format!("OPTIONS /whoami origin=<main> acrm=PUT -> 204 | access-control-allow-credentials: true | access-control-allow-methods: PUT | access-control-allow-origin: <main> | {PF_VARY}"),
                    format!("PUT /whoami origin=<main> cookie=sid_{case}=yes -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <main> | vary: Origin"),
                ],
                "what the server received"
            );
            },
        ),
        (
            "credentialed_call_to_route_without_credentials",
            |env, case| {
                one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/simple",
                    init: json!({"credentials": "include"}),
                    page_sees: FAILED,
                    why: Some("InvalidAllowCredentials"),
                    server: &["GET /simple origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"],
                },
            );
            },
        ),
        ("credentialed_call_to_any_origin_route", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/any",
                    init: json!({"credentials": "include"}),
                    page_sees: FAILED,
                    why: Some("WildcardOriginNotAllowed"),
                    server: &["GET /any origin=<main> -> 200 | access-control-allow-origin: * | access-control-expose-headers: x-any"],
                },
            );
        }),
        ("put_with_preflight", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/item",
                    init: json!({"method": "PUT"}),
                    page_sees: &read(200, &[], "put"),
                    why: None,
                    server: &[
                        &format!("OPTIONS /item origin=<main> acrm=PUT -> 204 | access-control-allow-methods: PUT | access-control-allow-origin: <main> | {PF_VARY}"),
                        "PUT /item origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin",
                    ],
                },
            );
        }),
        ("delete_with_preflight", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/item",
                    init: json!({"method": "delete"}),
                    page_sees: &read(200, &[], "deleted"),
                    why: None,
                    // Browsers upper-case `delete`, so it matches `DELETE`.
                    server: &[
                        &format!("OPTIONS /item origin=<main> acrm=DELETE -> 204 | access-control-allow-methods: DELETE | access-control-allow-origin: <main> | {PF_VARY}"),
                        "DELETE /item origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin",
                    ],
                },
            );
        }),
        ("patch_upper_case_allowed", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/item",
                    init: json!({"method": "PATCH"}),
                    page_sees: &read(200, &[], "patched"),
                    why: None,
                    server: &[
                        &format!("OPTIONS /item origin=<main> acrm=PATCH -> 204 | access-control-allow-methods: PATCH | access-control-allow-origin: <main> | {PF_VARY}"),
                        "PATCH /item origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin",
                    ],
                },
            );
        }),
        ("patch_lower_case_rejected", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/item",
                    init: json!({"method": "patch"}),
                    page_sees: FAILED,
                    why: Some("PreflightMissingAllowOriginHeader"),
                    // `patch` stays lower case and does not match `PATCH`.
                    server: &["OPTIONS /item origin=<main> acrm=patch -> 403"],
                },
            );
        }),
        ("custom_header_allowed", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/custom",
                    init: json!({"headers": {"X-Allowed": "yes"}}),
                    page_sees: &read(200, &[], "x-allowed: yes"),
                    why: None,
                    server: &[
                        &format!("OPTIONS /custom origin=<main> acrm=GET acrh=x-allowed -> 204 | access-control-allow-headers: x-allowed | access-control-allow-methods: GET | access-control-allow-origin: <main> | {PF_VARY}"),
                        "GET /custom origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin",
                    ],
                },
            );
        }),
        ("custom_header_not_allowed", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/custom",
                    init: json!({"headers": {"X-Allowed": "yes", "X-Other": "no"}}),
                    page_sees: FAILED,
                    why: Some("PreflightMissingAllowOriginHeader"),
                    server: &[
                        "OPTIONS /custom origin=<main> acrm=GET acrh=x-allowed,x-other -> 403",
                    ],
                },
            );
        }),
        ("authorization_on_any_header_route_is_named", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/any-header",
                    init: json!({"headers": {"Authorization": "Bearer t", "X-Custom": "1"}}),
                    page_sees: &read(200, &[], "authorization: Bearer t"),
                    why: None,
                    // `*` does not cover Authorization: the checked names are echoed.
                    server: &[
                        &format!("OPTIONS /any-header origin=<main> acrm=GET acrh=authorization,x-custom -> 204 | access-control-allow-headers: authorization,x-custom | access-control-allow-methods: GET | access-control-allow-origin: <main> | {PF_VARY}"),
                        "GET /any-header origin=<main> authorization=Bearer t -> 200 | access-control-allow-origin: <main> | vary: Origin",
                    ],
                },
            );
        }),
        (
            "authorization_control_star_does_not_cover_it",
            |env, case| {
                // The control for the case above: a hand-made preflight answer of
                // `*` is refused for Authorization, so naming it is what made the
                // case above pass.
                one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/star-headers-control",
                    init: json!({"headers": {"Authorization": "Bearer t"}}),
                    page_sees: FAILED,
                    why: Some("HeaderDisallowedByPreflightResponse"),
                    server: &["OPTIONS /star-headers-control origin=<main> acrm=GET acrh=authorization -> 204 | access-control-allow-headers: * | access-control-allow-methods: GET | access-control-allow-origin: <main>"],
                },
            );
            },
        ),
        (
            "any_header_route_without_authorization_answers_star",
            |env, case| {
                one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/any-header",
                    init: json!({"headers": {"X-Custom": "1"}}),
                    page_sees: &read(200, &[], "authorization: (none)"),
                    why: None,
                    server: &[
                        &format!("OPTIONS /any-header origin=<main> acrm=GET acrh=x-custom -> 204 | access-control-allow-headers: * | access-control-allow-methods: GET | access-control-allow-origin: <main> | {PF_VARY}"),
                        "GET /any-header origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin",
                    ],
                },
            );
            },
        ),
        ("handler_404_readable", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/status/404",
                    init: json!({}),
                    page_sees: &read(404, &[], "status 404"),
                    why: None,
                    server: &["GET /status/404 origin=<main> -> 404 | access-control-allow-origin: <main> | vary: Origin"],
                },
            );
        }),
        ("handler_500_readable", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/status/500",
                    init: json!({}),
                    page_sees: &read(500, &[], "status 500"),
                    why: None,
                    server: &["GET /status/500 origin=<main> -> 500 | access-control-allow-origin: <main> | vary: Origin"],
                },
            );
        }),
        ("path_extractor_failure_readable", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/status/abc",
                    init: json!({}),
                    page_sees: &read(404, &["content-type: text/plain; charset=utf-8"], "can not parse \"abc\" to a u16"),
                    why: None,
                    server: &["GET /status/abc origin=<main> -> 404 | access-control-allow-origin: <main> | vary: Origin"],
                },
            );
        }),
        ("inner_middleware_401_readable", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/guarded",
                    init: json!({"headers": {"Authorization": "Bearer bad"}}),
                    page_sees: &read(401, &["content-type: text/plain; charset=utf-8"], "bad token"),
                    why: None,
                    // The preflight does not run the auth middleware.
                    server: &[
                        &format!("OPTIONS /guarded origin=<main> acrm=GET acrh=authorization -> 204 | access-control-allow-headers: authorization | access-control-allow-methods: GET | access-control-allow-origin: <main> | {PF_VARY}"),
                        "GET /guarded origin=<main> authorization=Bearer bad -> 401 | access-control-allow-origin: <main> | vary: Origin",
                    ],
                },
            );
        }),
        ("inner_middleware_passes_good_token", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/guarded",
                    init: json!({"headers": {"Authorization": "Bearer good"}}),
                    page_sees: &read(200, &[], "secret"),
                    why: None,
                    server: &[
                        &format!("OPTIONS /guarded origin=<main> acrm=GET acrh=authorization -> 204 | access-control-allow-headers: authorization | access-control-allow-methods: GET | access-control-allow-origin: <main> | {PF_VARY}"),
                        "GET /guarded origin=<main> authorization=Bearer good -> 200 | access-control-allow-origin: <main> | vary: Origin",
                    ],
                },
            );
        }),
        ("exposed_header_readable_unexposed_not", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/expose",
                    init: json!({}),
                    // x-hidden was sent but is not readable.
                    page_sees: &read(200, &["x-exposed: shown"], "expose"),
                    why: None,
                    server: &["GET /expose origin=<main> -> 200 | access-control-allow-origin: <main> | access-control-expose-headers: x-exposed | vary: Origin"],
                },
            );
        }),
        ("max_age_600_one_preflight_for_two_calls", |env, case| {
            max_age(env, case, "/max-age-600", Some("600"), 1);
        }),
        ("max_age_0_one_preflight_per_call", |env, case| {
            max_age(env, case, "/max-age-0", Some("0"), 2);
        }),
        ("max_age_absent_browser_default", |env, case| {
            max_age(env, case, "/max-age-none", None, 1);
        }),
        ("two_policies_one_path_get_any_origin", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/shared",
                    init: json!({}),
                    page_sees: &read(200, &[], "shared get"),
                    why: None,
                    server: &["GET /shared origin=<main> -> 200 | access-control-allow-origin: *"],
                },
            );
        }),
        ("two_policies_one_path_post_page_origin", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/shared",
                    init: json!({"method": "POST", "headers": {"content-type": "application/json"}, "body": "[1]"}),
                    page_sees: &read(201, &["content-type: application/json"], "[1]"),
                    why: None,
                    server: &[
                        &format!("OPTIONS /shared origin=<main> acrm=POST acrh=content-type -> 204 | access-control-allow-headers: content-type | access-control-allow-methods: POST | access-control-allow-origin: <main> | {PF_VARY}"),
                        "POST /shared origin=<main> -> 201 | access-control-allow-origin: <main> | vary: Origin",
                    ],
                },
            );
        }),
        (
            "two_policies_one_path_delete_other_policy_denies",
            |env, case| {
                one(
                    env,
                    case,
                    One {
                        page: &env.main,
                        path: "/shared",
                        init: json!({"method": "DELETE"}),
                        page_sees: FAILED,
                        why: Some("PreflightMissingAllowOriginHeader"),
                        server: &["OPTIONS /shared origin=<main> acrm=DELETE -> 403"],
                    },
                );
            },
        ),
        ("subdomain_pattern_get", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.sub,
                    path: "/sub",
                    init: json!({}),
                    page_sees: &read(200, &[], "sub get"),
                    why: None,
                    server: &["GET /sub origin=<sub> -> 200 | access-control-allow-origin: <sub> | vary: Origin"],
                },
            );
        }),
        ("subdomain_pattern_put_with_preflight", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.sub,
                    path: "/sub",
                    init: json!({"method": "PUT"}),
                    page_sees: &read(200, &[], "sub put"),
                    why: None,
                    server: &[
                        &format!("OPTIONS /sub origin=<sub> acrm=PUT -> 204 | access-control-allow-methods: PUT | access-control-allow-origin: <sub> | {PF_VARY}"),
                        "PUT /sub origin=<sub> -> 200 | access-control-allow-origin: <sub> | vary: Origin",
                    ],
                },
            );
        }),
        ("subdomain_pattern_excludes_bare_localhost", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.other,
                    path: "/sub",
                    init: json!({}),
                    page_sees: FAILED,
                    why: Some("MissingAllowOriginHeader"),
                    server: &["GET /sub origin=<other> -> 200 | vary: Origin"],
                },
            );
        }),
        ("subdomain_pattern_excludes_ip_origin", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/sub",
                    init: json!({}),
                    page_sees: FAILED,
                    why: Some("MissingAllowOriginHeader"),
                    server: &["GET /sub origin=<main> -> 200 | vary: Origin"],
                },
            );
        }),
        ("redirect_carries_cors_headers", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/redirect",
                    init: json!({}),
                    page_sees: &read(200, &[], "simple"),
                    why: None,
                    // The 307 is decorated, so the browser follows it.
                    server: &[
                        "GET /redirect origin=<main> -> 307 | access-control-allow-origin: <main> | vary: Origin",
                        "GET /simple origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin",
                    ],
                },
            );
        }),
        ("handler_cors_headers_replaced_not_appended", |env, case| {
            one(
                env,
                case,
                One {
                    page: &env.main,
                    path: "/handler-sets-cors",
                    init: json!({}),
                    // Two ACAO lines would fail; x-secret is no longer exposed.
                    page_sees: &read(200, &[], "handler headers"),
                    why: None,
                    server: &["GET /handler-sets-cors origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"],
                },
            );
        }),
        ("vary_origin_keeps_cached_response_correct", |env, case| {
            let url = env.url("/cached", case);
            // A no-cors load first (no Origin), cached for ten minutes…
            assert_eq!(
                fetch(&env.main, &url, json!({"mode": "no-cors"})),
                "0 opaque [] ",
                "no-cors load"
            );
            // …must not be reused for a CORS request: Vary: Origin sends it to the server.
            let body = format!("cached, origin: http://127.0.0.1:{}", env.page_port);
            let want = read(200, &["cache-control: max-age=600"], &body);
            assert_eq!(fetch(&env.main, &url, json!({})), want, "first cors load");
            // The CORS response itself is reused for the same origin.
            assert_eq!(fetch(&env.main, &url, json!({})), want, "second cors load");
            assert_eq!(cors_error(&env.main, &url, 1), None);
            assert_eq!(cors_error(&env.main, &url, 2), None);
            assert_eq!(
                env.log.lines(case),
                [
                    "GET /cached -> 200 | vary: Origin",
                    "GET /cached origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin",
                ],
                "what the server received"
            );
        }),
        (
            "vary_control_without_vary_reuses_wrong_response",
            |env, case| {
                // The control for the case above, on a hand-made route without
                // Vary: Origin: the browser reuses the cached no-cors response, so
                // the CORS load fails. This shows the case above can fail.
                let url = env.url("/cached-control", case);
                assert_eq!(
                    fetch(&env.main, &url, json!({"mode": "no-cors"})),
                    "0 opaque [] ",
                    "no-cors load"
                );
                assert_eq!(fetch(&env.main, &url, json!({})), FAILED, "cors load");
                assert_eq!(
                    cors_error(&env.main, &url, 1).as_deref(),
                    Some("MissingAllowOriginHeader")
                );
                assert_eq!(
                    env.log.lines(case),
                    ["GET /cached-control -> 200"],
                    "what the server received"
                );
            },
        ),
    ]
}

/// Two identical preflighted calls in a row; `preflights` is how many
/// preflights the server must see.
fn max_age(env: &Env, case: &str, path: &str, max_age: Option<&str>, preflights: usize) {
    let url = env.url(path, case);
    let init = json!({"headers": {"X-Probe": "1"}});
    let body = max_age.unwrap_or("none");
    let want = read(200, &[], body);
    assert_eq!(fetch(&env.main, &url, init.clone()), want, "first call");
    assert_eq!(fetch(&env.main, &url, init), want, "second call");
    let acma = max_age
        .map(|a| format!("access-control-max-age: {a} | "))
        .unwrap_or_default();
    let preflight = format!("OPTIONS {path} origin=<main> acrm=GET acrh=x-probe -> 204 | access-control-allow-headers: x-probe | access-control-allow-methods: GET | access-control-allow-origin: <main> | {acma}{PF_VARY}");
    let get = format!(
        "GET {path} origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"
    );
    let want: Vec<String> = if preflights == 1 {
        vec![preflight, get.clone(), get]
    } else {
        vec![preflight.clone(), get.clone(), preflight, get]
    };
    assert_eq!(env.log.lines(case), want, "what the server received");
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = Vec::new();
    let names: Vec<(&'static str, Case)> = cases();

    let chromium = cdp::chromium_path();
    let env = match (&chromium, args.list) {
        (_, true) => None,
        (None, false) => {
            let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
            if ci {
                eprintln!(
                    "browser tests: FAILED: Chromium not found (CHROMIUM, /usr/bin/chromium) and CI is set; install it with `apt-get install -y chromium` (or set CHROMIUM=/path/to/chromium)"
                );
                return ExitCode::FAILURE;
            }
            eprintln!(
                "browser tests: SKIPPED, Chromium not found: install it with `sudo apt-get install -y chromium` (or set CHROMIUM=/path/to/chromium) to run them"
            );
            None
        }
        (Some(path), false) => match Env::start(path) {
            Ok(env) => Some(Arc::new(env)),
            Err(e) => {
                eprintln!("browser tests: cannot start the browser and servers: {e}");
                return ExitCode::FAILURE;
            }
        },
    };

    for (name, case) in names {
        let env = env.clone();
        let skip = env.is_none();
        trials.push(
            Trial::test(name, move || match env {
                Some(env) => {
                    case(&env, name);
                    Ok(())
                }
                None => Err(Failed::from("skipped")),
            })
            .with_ignored_flag(skip),
        );
    }
    {
        let env = env.clone();
        let skip = env.is_none();
        trials.push(
            Trial::test("demo_page_every_row_as_expected", move || match env {
                Some(env) => demo_page(&env),
                None => Err(Failed::from("skipped")),
            })
            .with_ignored_flag(skip),
        );
    }

    let conclusion = libtest_mimic::run(&args, trials);
    // Every trial has finished and dropped its handle: this closes Chromium
    // and stops the servers.
    drop(env);
    conclusion.exit_code()
}

/// Opens the demo page (the demo's own servers, started in this process),
/// waits until every call has run, checks each row against what the browser
/// did, and takes a screenshot. `UPDATE_SCREENSHOT=1` writes it to
/// `docs/demo.png`; normal runs never touch tracked files.
fn demo_page(env: &Env) -> Result<(), Failed> {
    let api_listener = listener()?;
    let page_listener = listener()?;
    let api_port = api_listener.local_addr()?.port();
    let page_port = page_listener.local_addr()?.port();
    demo::allow_page(page_port)?;
    let _api = server::spawn(move || demo::api_server(api_listener))?;
    let _page = server::spawn(move || demo::page_server(page_listener, api_port))?;

    // Its own browser context: the demo's cookie stays out of other cases.
    let ctx = env
        .browser
        .conn()
        .call(None, "Target.createBrowserContext", json!({}))?;
    let ctx = ctx["browserContextId"].as_str().ok_or("no context id")?;
    let page = env
        .browser
        .open(&format!("http://127.0.0.1:{page_port}/"), Some(ctx))?;
    let rows = page.eval("window.demo")?;
    let rows = rows.as_array().ok_or("window.demo is not a list")?;

    // (call, status if the page may read the response; None if the browser blocks it)
    let want: [(&str, Option<u64>); 10] = [
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
    ];
    let got: Vec<(String, Option<u64>, bool)> = rows
        .iter()
        .map(|r| {
            (
                r["call"].as_str().unwrap_or("?").to_owned(),
                r["status"].as_u64(),
                r["pass"].as_bool() == Some(true),
            )
        })
        .collect();
    let expected: Vec<(String, Option<u64>, bool)> = want
        .iter()
        .map(|(c, s)| ((*c).to_owned(), *s, true))
        .collect();
    assert_eq!(
        got, expected,
        "demo rows: (call, status, row says as expected)\n{rows:#?}"
    );

    // Each row is coloured by its outcome.
    let classes =
        page.eval("[...document.querySelectorAll('#rows tr')].map(tr => tr.className)")?;
    let want_classes: Vec<&str> = want
        .iter()
        .map(|(_, s)| if s.is_some() { "allowed" } else { "blocked" })
        .collect();
    assert_eq!(classes, json!(want_classes), "row colours");

    // Why the two blocked calls failed, and that the others did not.
    let api = format!("http://127.0.0.1:{api_port}");
    let mut calls_to: std::collections::HashMap<&str, usize> = Default::default();
    for (call, status) in want {
        let path = call.split(' ').nth(1).unwrap_or("/");
        let url = format!("{api}{path}");
        // Rows share URLs (POST and GET /session…): the nth call to this URL.
        let count = calls_to.entry(path).or_default();
        let nth = *count;
        *count += 1;
        let why = cors_error(&page, &url, nth);
        let want_why = match (call, status) {
            ("GET /partners", _) => Some("MissingAllowOriginHeader"),
            ("DELETE /reports", _) => Some("PreflightMissingAllowOriginHeader"),
            _ => None,
        };
        assert_eq!(why.as_deref(), want_why, "CORS error of {call}");
    }

    let png = page.screenshot(1240)?;
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "screenshot is not a PNG"
    );
    if std::env::var_os("UPDATE_SCREENSHOT").is_some_and(|v| v == "1") {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/demo.png");
        std::fs::create_dir_all(path.parent().ok_or("no docs dir")?)?;
        std::fs::write(&path, &png)?;
        eprintln!("wrote {} ({} bytes)", path.display(), png.len());
    }
    Ok(())
}
