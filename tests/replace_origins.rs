//! Origin sets replaced while the server runs: `replace`, `replace_from_env`
//! and `replace_from_config` validate like `set`, keep the current list when
//! they refuse one, and swap the whole list at once for the next request.
//! Behaviour tests assert the status and the exact set of CORS headers (all
//! `access-control-*` headers and `vary`); the last test replaces a set in a
//! loop while other threads send requests through it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Barrier;

use actix_web::http::Method;
use actix_web::{get, post, test, App, HttpResponse};
use route_cors::rules::{Conflict, OriginReason};
use route_cors::{cors, CredentialedOriginSet, OriginSet, OriginsConfig, ProblemReason};

mod common;
use common::{cors_headers, preflight, set, Headers, PREFLIGHT_VARY};

fn request(method: Method, uri: &str, origin: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(method)
        .uri(uri)
        .insert_header(("origin", origin))
}

/// The CORS headers of an allowed actual request on a credentialed route.
fn allowed(origin: &str) -> Headers {
    set(&[
        ("access-control-allow-origin", origin),
        ("access-control-allow-credentials", "true"),
        ("vary", "Origin"),
    ])
}

/// The CORS headers of a refused actual request: only `Vary`.
fn refused() -> Headers {
    set(&[("vary", "Origin")])
}

// --- The next request uses the new list. -------------------------------------

static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("PARTNERS");

#[cors(origins = PARTNERS, credentials, headers = ["content-type"])]
#[post("/partners")]
async fn partners_route() -> HttpResponse {
    HttpResponse::Created().finish()
}

#[actix_web::test]
async fn a_replacement_applies_to_the_next_request() {
    PARTNERS
        .set(["https://a.example.com", "https://*.old.example"])
        .expect("valid origins");
    let app = test::init_service(App::new().service(partners_route)).await;
    let send = |origin: &'static str| {
        let req = request(Method::POST, "/partners", origin).to_request();
        let app = &app;
        async move {
            let res = test::call_service(app, req).await;
            let headers = cors_headers(&res);
            // A write from an origin the set does not list is refused before
            // the handler, with no CORS headers: `refused()` stands for it.
            match res.status().as_u16() {
                201 => headers,
                403 if headers.is_empty() => refused(),
                status => panic!("{origin}: {status} {headers:?}"),
            }
        }
    };

    assert_eq!(
        send("https://a.example.com").await,
        allowed("https://a.example.com")
    );
    assert_eq!(
        send("https://x.old.example").await,
        allowed("https://x.old.example")
    );
    assert_eq!(send("https://b.example.com").await, refused());

    PARTNERS
        .replace([
            "https://b.example.com",
            "https://*.new.example",
            "http://localhost:3000",
        ])
        .expect("valid origins");

    // The same app, the next request: the old origins are gone, the new ones answer.
    assert_eq!(send("https://a.example.com").await, refused());
    assert_eq!(send("https://x.old.example").await, refused());
    assert_eq!(
        send("https://b.example.com").await,
        allowed("https://b.example.com")
    );
    assert_eq!(
        send("https://y.z.new.example").await,
        allowed("https://y.z.new.example")
    );
    assert_eq!(
        send("http://localhost:3000").await,
        allowed("http://localhost:3000")
    );
    assert_eq!(send("https://new.example").await, refused()); // never the apex

    let res = test::call_service(
        &app,
        preflight("/partners", "https://b.example.com", "POST")
            .insert_header(("access-control-request-headers", "content-type"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", "https://b.example.com"),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "POST"),
            ("access-control-allow-headers", "content-type"),
            PREFLIGHT_VARY,
        ])
    );
    let res = test::call_service(
        &app,
        preflight("/partners", "https://a.example.com", "POST").to_request(),
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(cors_headers(&res), Headers::new());

    // `set` keeps its meaning: once filled, it refuses, and changes nothing.
    let err = PARTNERS.set(["https://c.example.com"]).unwrap_err();
    assert_eq!(err.problems, ["origin set `PARTNERS` is already set"]);
    assert_eq!(err.problems[0].reason(), &ProblemReason::AlreadySet);
    assert_eq!(err.problems[0].entry(), None);
    assert_eq!(send("https://c.example.com").await, refused());
    assert_eq!(
        send("https://b.example.com").await,
        allowed("https://b.example.com")
    );
}

// --- A refused replacement keeps the list in force. --------------------------

static KEPT: CredentialedOriginSet = CredentialedOriginSet::new("KEPT");

#[cors(origins = KEPT, credentials)]
#[get("/kept")]
async fn kept_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn a_refused_replacement_keeps_the_old_list_and_lists_every_problem() {
    KEPT.set(["https://a.example.com"]).expect("valid origins");
    let app = test::init_service(App::new().service(kept_route)).await;
    let check_old_list = || async {
        let res = test::call_service(
            &app,
            request(Method::GET, "/kept", "https://a.example.com").to_request(),
        )
        .await;
        assert_eq!(res.status(), 200);
        assert_eq!(cors_headers(&res), allowed("https://a.example.com"));
        let res = test::call_service(
            &app,
            request(Method::GET, "/kept", "https://ok.example.com").to_request(),
        )
        .await;
        assert_eq!(cors_headers(&res), refused());
    };

    let err = KEPT
        .replace([
            "https://ok.example.com",
            "*",
            "https://App.example.com/",
            "http://plain.example.com",
            "",
        ])
        .unwrap_err();
    assert_eq!(err.source, "KEPT");
    assert_eq!(
        err.to_string(),
        "invalid CORS origins in KEPT:\n  \
         - `*` (any origin) cannot be in an origin set for credentialed routes: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the allowed origins\n  \
         - origin `https://App.example.com/` has a path; write `https://app.example.com`\n  \
         - origin `http://plain.example.com` (`KEPT` serves credentialed routes): plain-`http` origins other than loopback cannot be combined with `credentials`: cookies and tokens would cross the network unencrypted; use `https://`\n  \
         - origin is empty; write a full origin such as `https://app.example.com`"
    );
    let typed: Vec<_> = err
        .problems
        .iter()
        .map(|p| (p.position(), p.entry(), p.reason().clone()))
        .collect();
    assert_eq!(
        typed,
        [
            (Some(1), Some("*"), ProblemReason::AnyOrigin),
            (
                Some(2),
                Some("https://App.example.com/"),
                ProblemReason::Origin(OriginReason::Path)
            ),
            (
                Some(3),
                Some("http://plain.example.com"),
                ProblemReason::Credentials(Conflict::PlainHttp)
            ),
            (
                Some(4),
                Some(""),
                ProblemReason::Origin(OriginReason::Empty)
            ),
        ]
    );
    check_old_list().await;

    // An empty list is refused too.
    let err = KEPT.replace(Vec::<String>::new()).unwrap_err();
    assert_eq!(
        err.problems,
        ["the list of origins is empty; name at least one origin"]
    );
    assert_eq!(err.problems[0].reason(), &ProblemReason::EmptyList);
    assert_eq!(err.problems[0].position(), None);
    check_old_list().await;

    // From the environment: positions count the comma-separated entries.
    let var = "ROUTE_CORS_TEST_REPLACE_BAD";
    std::env::set_var(var, "https://ok.example.com, null,, https://*.github.io");
    let err = KEPT.replace_from_env(var).unwrap_err();
    assert_eq!(err.source, var);
    assert_eq!(
        err.problems
            .iter()
            .map(|p| (p.position(), p.reason().clone()))
            .collect::<Vec<_>>(),
        [
            (Some(1), ProblemReason::Origin(OriginReason::Null)),
            (Some(2), ProblemReason::Origin(OriginReason::Empty)),
            (
                Some(3),
                ProblemReason::Credentials(Conflict::PublicSuffixWildcard)
            ),
        ]
    );
    check_old_list().await;

    // A variable that is not set.
    let err = KEPT
        .replace_from_env("ROUTE_CORS_TEST_REPLACE_UNSET")
        .unwrap_err();
    assert_eq!(
        err.problems,
        ["environment variable `ROUTE_CORS_TEST_REPLACE_UNSET` cannot be read: environment variable not found"]
    );
    assert_eq!(
        err.problems[0].reason(),
        &ProblemReason::EnvUnreadable(std::env::VarError::NotPresent)
    );
    check_old_list().await;

    // From a configuration: the source names the field.
    let config = OriginsConfig {
        allowed_origins: vec!["https://b.example.com:443".into()],
    };
    let err = KEPT.replace_from_config(&config).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid CORS origins in configuration field `allowed_origins` of `KEPT`:\n  \
         - origin `https://b.example.com:443` names the default port; write `https://b.example.com`"
    );
    check_old_list().await;

    // A good one, from each source, takes effect.
    std::env::set_var(var, "https://env.example.com");
    KEPT.replace_from_env(var).expect("valid origins");
    let res = test::call_service(
        &app,
        request(Method::GET, "/kept", "https://env.example.com").to_request(),
    )
    .await;
    assert_eq!(cors_headers(&res), allowed("https://env.example.com"));
    let config = OriginsConfig {
        allowed_origins: vec!["https://cfg.example.com".into()],
    };
    KEPT.replace_from_config(&config).expect("valid origins");
    let res = test::call_service(
        &app,
        request(Method::GET, "/kept", "https://cfg.example.com").to_request(),
    )
    .await;
    assert_eq!(cors_headers(&res), allowed("https://cfg.example.com"));
    let res = test::call_service(
        &app,
        request(Method::GET, "/kept", "https://env.example.com").to_request(),
    )
    .await;
    assert_eq!(cors_headers(&res), refused());
}

// --- `replace` fills an empty set. -------------------------------------------

static LATE: OriginSet = OriginSet::new("LATE");

#[cors(origins = LATE)]
#[get("/late")]
async fn late_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn replace_fills_an_empty_set_and_set_then_fails() {
    let app = test::init_service(App::new().service(late_route)).await;
    let origin = "https://late.example.com";
    let res = test::call_service(&app, request(Method::GET, "/late", origin).to_request()).await;
    assert_eq!(cors_headers(&res), refused());

    assert!(!LATE.is_set());
    LATE.replace([origin]).expect("valid origins");
    assert!(LATE.is_set());
    let res = test::call_service(&app, request(Method::GET, "/late", origin).to_request()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        cors_headers(&res),
        set(&[("access-control-allow-origin", origin), ("vary", "Origin")])
    );
    assert_eq!(
        LATE.set(["https://other.example.com"])
            .unwrap_err()
            .problems,
        ["origin set `LATE` is already set"]
    );
}

// --- Replacing while requests are answered. ----------------------------------

static SWAPPED: CredentialedOriginSet = CredentialedOriginSet::new("SWAPPED");

#[cors(origins = SWAPPED, credentials)]
#[get("/swapped")]
async fn swapped_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// The two lists the replacing thread alternates between.
const LIST_A: [&str; 3] = [
    "https://a.example.com",
    "https://*.a.example.com",
    "https://both.example.com",
];
const LIST_B: [&str; 3] = [
    "https://b.example.com",
    "https://*.b.example.com",
    "https://both.example.com",
];

/// The origins the requests cycle through, and whether lists A and B allow each.
const ORIGINS: [(&str, bool, bool); 6] = [
    ("https://a.example.com", true, false),
    ("https://x.a.example.com", true, false),
    ("https://b.example.com", false, true),
    ("https://y.b.example.com", false, true),
    ("https://both.example.com", true, true),
    ("https://neither.example.com", false, false),
];

// `test` is actix-web's module here: name the built-in attribute in full.
#[std::prelude::rust_2021::test]
fn replacing_under_load_answers_from_one_list_or_the_other() {
    const READERS: usize = 3;
    const REQUESTS: usize = 3_000;

    SWAPPED.set(LIST_A).expect("valid origins");
    // Even: list `generation / 2 % 2` (A, then B) is in force. Odd: a
    // replacement is under way. A request that starts and ends in the same
    // even generation must answer exactly from that generation's list.
    let generation = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let strict = AtomicUsize::new(0);
    let start = Barrier::new(READERS + 1);

    std::thread::scope(|s| {
        for reader in 0..READERS {
            let (generation, done, strict, start) = (&generation, &done, &strict, &start);
            s.spawn(move || {
                // Counted even if an assertion fails, so the replacer stops.
                let _done = Done(done);
                actix_web::rt::System::new().block_on(async move {
                    // Services are !Send: one app per thread, one shared set.
                    let app = test::init_service(App::new().service(swapped_route)).await;
                    start.wait();
                    for i in 0..REQUESTS {
                        let (origin, in_a, in_b) = ORIGINS[(i + reader) % ORIGINS.len()];
                        let before = generation.load(Ordering::SeqCst);
                        let res = test::call_service(
                            &app,
                            request(Method::GET, "/swapped", origin).to_request(),
                        )
                        .await;
                        let after = generation.load(Ordering::SeqCst);
                        assert_eq!(res.status(), 200);
                        let got = cors_headers(&res);
                        let expect = |allowed_here: bool| {
                            if allowed_here {
                                allowed(origin)
                            } else {
                                refused()
                            }
                        };
                        if before == after && before.is_multiple_of(2) {
                            let in_force = if (before / 2).is_multiple_of(2) {
                                in_a
                            } else {
                                in_b
                            };
                            assert_eq!(got, expect(in_force), "{origin} in generation {before}");
                            strict.fetch_add(1, Ordering::Relaxed);
                        } else {
                            assert!(
                                got == expect(in_a) || got == expect(in_b),
                                "{origin}: {got:?} is neither list's answer"
                            );
                        }
                    }
                });
            });
        }
        let (generation, done, start) = (&generation, &done, &start);
        s.spawn(move || {
            start.wait();
            let mut swaps = 0usize;
            while done.load(Ordering::SeqCst) < READERS {
                let next = if swaps.is_multiple_of(2) {
                    LIST_B
                } else {
                    LIST_A
                };
                generation.fetch_add(1, Ordering::SeqCst); // odd: under way
                SWAPPED.replace(next).expect("valid origins");
                generation.fetch_add(1, Ordering::SeqCst); // even: `next` in force
                swaps += 1;
                // Let some requests run in a quiet generation.
                if swaps.is_multiple_of(4) {
                    std::thread::yield_now();
                }
            }
            assert!(swaps > 10, "only {swaps} replacements ran");
        });
    });
    // Some requests fell in a quiet generation and were checked exactly.
    let strict = strict.load(Ordering::Relaxed);
    assert!(strict > 0, "no request was checked against a known list");
    assert_eq!(
        SWAPPED.set(LIST_A).unwrap_err().problems,
        ["origin set `SWAPPED` is already set"]
    );
}

/// Counts a finished reader thread when dropped.
struct Done<'a>(&'a AtomicUsize);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

// --- The log. ----------------------------------------------------------------

/// Every `info` and `debug` line about the set `LOGGED`.
struct Capture(std::sync::Mutex<Vec<(log::Level, String)>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = record.args().to_string();
        if line.contains("`LOGGED`") {
            self.0.lock().unwrap().push((record.level(), line));
        }
    }

    fn flush(&self) {}
}

static CAPTURE: Capture = Capture(std::sync::Mutex::new(Vec::new()));

static LOGGED: OriginSet = OriginSet::new("LOGGED");

#[std::prelude::rust_2021::test]
fn a_replacement_is_logged_with_its_counts() {
    log::set_logger(&CAPTURE).expect("no other logger in this test binary");
    log::set_max_level(log::LevelFilter::Debug);

    LOGGED
        .set(["https://a.example.com"])
        .expect("valid origins");
    LOGGED
        .replace([
            "https://b.example.com",
            "https://c.example.com",
            "https://*.d.example.com",
        ])
        .expect("valid origins");
    LOGGED
        .replace(["*", "https://b.example.com"])
        .expect_err("refused");
    LOGGED.replace(["*"]).expect("any origin");
    std::env::set_var("ROUTE_CORS_TEST_LOGGED", "https://e.example.com");
    LOGGED
        .replace_from_env("ROUTE_CORS_TEST_LOGGED")
        .expect("valid origins");
    assert_eq!(
        *CAPTURE.0.lock().unwrap(),
        [
            (
                log::Level::Info,
                "CORS origin set `LOGGED` replaced: 2 exact origin(s), 1 pattern(s)"
                    .to_owned()
            ),
            (
                log::Level::Debug,
                "CORS origin set `LOGGED` now allows: https://b.example.com, https://c.example.com, https://*.d.example.com"
                    .to_owned()
            ),
            (
                log::Level::Info,
                "CORS origin set `LOGGED` replaced: `*` (any origin)".to_owned()
            ),
            (
                log::Level::Debug,
                "CORS origin set `LOGGED` now allows: *".to_owned()
            ),
            (
                log::Level::Info,
                "CORS origin set `LOGGED` replaced from ROUTE_CORS_TEST_LOGGED: 1 exact origin(s), 0 pattern(s)"
                    .to_owned()
            ),
            (
                log::Level::Debug,
                "CORS origin set `LOGGED` now allows: https://e.example.com".to_owned()
            ),
        ]
    );
}
