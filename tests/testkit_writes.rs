//! `route_cors::test` on cross-origin writes (cors-rules §2b): an attacker's
//! form post and `no-cors` fetch, the Fetch metadata the browser sends with
//! them, and the verdict's word that the route refused the write and that the
//! handler did not run (told by route-cors itself), checked against a count
//! of handler runs. Each case asserts the app's status, the exact CORS
//! headers the page saw, and how many times the handler ran.

use std::cell::RefCell;

use actix_web::{post, test, web, App, HttpResponse};
use route_cors::test::{Credentials, Enctype, Fetch, Form, Mode, Page, Rule};
use route_cors::{cors, CrossOriginProtection};

const API: &str = "https://api.example.com";
const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";

thread_local! {
    /// The handlers that ran, by route. Per thread: each test serves its
    /// requests on its own thread.
    static RAN: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

fn run(route: &'static str) -> HttpResponse {
    RAN.with(|r| r.borrow_mut().push(route));
    HttpResponse::Ok().body("done")
}

/// How many times `route`'s handler ran on this thread.
fn runs(route: &str) -> usize {
    RAN.with(|r| r.borrow().iter().filter(|x| **x == route).count())
}

#[cors(origins = ["https://app.example.com"], credentials)]
#[post("/transfer")]
async fn transfer() -> HttpResponse {
    run("transfer")
}

#[cors(origins = "*")]
#[post("/public")]
async fn public() -> HttpResponse {
    run("public")
}

#[cors(none)]
#[post("/hook")]
async fn hook() -> HttpResponse {
    run("hook")
}

#[cors(origins = ["https://app.example.com"], dangerously_allow_cross_origin_writes)]
#[post("/legacy")]
async fn legacy() -> HttpResponse {
    run("legacy")
}

#[post("/email")] // a server-rendered form, no CORS
async fn email() -> HttpResponse {
    run("email")
}

/// Answers 403 with no CORS headers itself, as route-cors's refusal does.
#[post("/forbidden")]
async fn forbidden() -> HttpResponse {
    HttpResponse::Forbidden().finish()
}

macro_rules! app {
    () => {
        test::init_service(
            App::new()
                .service(transfer)
                .service(public)
                .service(hook)
                .service(legacy)
                .service(forbidden)
                .service(
                    web::scope("/account")
                        .wrap(CrossOriginProtection::new())
                        .service(email),
                ),
        )
        .await
    };
}

fn pairs(lines: &[(&str, &str)]) -> Vec<(String, String)> {
    lines
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

fn metadata(site: &str, mode: &str, dest: &str) -> Vec<(String, String)> {
    pairs(&[
        ("sec-fetch-site", site),
        ("sec-fetch-mode", mode),
        ("sec-fetch-dest", dest),
    ])
}

const REFUSED_LINE: &str =
    "  the route refused this cross-origin write: 403 with no CORS headers, and the handler did not run\n";

#[actix_web::test]
async fn an_attackers_form_post_is_refused_before_the_handler() {
    let app = app!();
    for enctype in [Enctype::UrlEncoded, Enctype::Multipart, Enctype::TextPlain] {
        let mut page = Page::new(&app, EVIL).at(API);
        let v = page
            .submit(
                Form::post("/transfer")
                    .field("to", "mallory")
                    .enctype(enctype)
                    .cookie("sid=victim"),
            )
            .await
            .assert_allowed()
            .assert_write_refused();
        assert_eq!(
            (
                v.answered(),
                v.status(),
                v.response_type(),
                v.cookies_sent()
            ),
            (Some(403), Some(0), None, true)
        );
        assert_eq!(
            v.fetch_metadata(),
            metadata("cross-site", "navigate", "document")
        );
        assert_eq!(v.readable_headers(), &[] as &[(String, String)]);
        let text = v.to_string();
        assert!(text.starts_with(&format!("<form method=\"post\" action=\"/transfer\" enctype=\"{}\"><input name=\"to\" value=\"mallory\"></form>, submitted from https://evil.example.net: sent, a navigation: the answer replaces the page, whose script reads nothing\n", enctype.as_str())), "{text}");
        assert!(text.contains(REFUSED_LINE), "{text}");
    }
    // A site's other origin is not the app's own origin either.
    route_cors::test::fetch_at(
        &app,
        API,
        "https://blog.example.com",
        Fetch::post("/transfer").text("x"),
    )
    .await
    .assert_write_refused();
    assert_eq!(runs("transfer"), 0, "the handler never ran");
}

#[actix_web::test]
async fn a_no_cors_or_simple_cors_post_from_an_unlisted_origin_is_refused() {
    let app = app!();
    let v = route_cors::test::fetch_at(
        &app,
        API,
        EVIL,
        Fetch::post("/transfer")
            .text("to=mallory")
            .mode(Mode::NoCors)
            .credentials(Credentials::Include),
    )
    .await
    .assert_allowed()
    .assert_write_refused();
    assert_eq!(
        (
            v.status(),
            v.response_type(),
            v.answered(),
            v.preflight().is_none()
        ),
        (Some(0), Some("opaque"), Some(403), true)
    );
    assert_eq!(
        v.fetch_metadata(),
        metadata("cross-site", "no-cors", "empty")
    );
    assert!(v.to_string().contains(REFUSED_LINE), "{v}");

    // A `cors` fetch with a safelisted body needs no preflight either: the
    // page gets a CORS error, and the handler did not run.
    let v =
        route_cors::test::fetch_at(&app, API, EVIL, Fetch::post("/transfer").form("to=mallory"))
            .await
            .assert_blocked(Rule::MissingAllowOriginHeader)
            .assert_write_refused();
    assert_eq!(
        v.blocked().map(|b| b.message()),
        Some("Access to fetch at '/transfer' from origin 'https://evil.example.net' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. (route-cors refused this cross-origin write before the route: 403 with no CORS headers, and the handler did not run; its debug log, target `cors_runtime`, says why.)")
    );
    // Without the app's origin, the page is on another site: the same.
    route_cors::test::fetch(
        &app,
        EVIL,
        Fetch::post("/transfer").text("x").mode(Mode::NoCors),
    )
    .await
    .assert_write_refused();
    assert_eq!(runs("transfer"), 0, "the handler never ran");
}

#[actix_web::test]
async fn the_listed_origin_and_the_apps_own_pages_reach_the_handler() {
    let app = app!();
    // The listed origin's credentialed fetch: same-site, and trusted.
    let v = route_cors::test::fetch_at(
        &app,
        API,
        APP,
        Fetch::post("/transfer")
            .text("to=bob")
            .credentials(Credentials::Include),
    )
    .await
    .assert_allowed();
    assert_eq!((v.status(), v.write_refused()), (Some(200), false));
    assert_eq!(
        v.readable_headers(),
        pairs(&[("content-length", "4")]),
        "{v}"
    );
    assert_eq!(v.fetch_metadata(), metadata("same-site", "cors", "empty"));
    assert!(v.to_string().contains("  the app answered 200\n"), "{v}");
    // The app's own page posts a form: same-origin.
    let v = Page::new(&app, API)
        .at(API)
        .submit(Form::post("/transfer").field("to", "bob"))
        .await;
    assert_eq!((v.answered(), v.write_refused()), (Some(200), false));
    assert_eq!(
        v.fetch_metadata(),
        metadata("same-origin", "navigate", "document")
    );
    // A form `GET` is never refused (the route serves POST only: 404).
    let v = route_cors::test::submit(&app, EVIL, Form::get("/transfer").field("to", "x")).await;
    assert_eq!((v.answered(), v.write_refused()), (Some(404), false));
    assert_eq!(runs("transfer"), 2);
}

#[actix_web::test]
async fn without_fetch_metadata_the_origin_is_compared_with_the_host() {
    let app = app!();
    // An app on plain http (not loopback): browsers send no Sec-Fetch-*.
    let v = Page::new(&app, "http://evil.example.net")
        .at("http://api.example.com")
        .submit(Form::post("/transfer"))
        .await
        .assert_write_refused();
    assert!(v.fetch_metadata().is_empty(), "{v}");
    // Its own page: `Origin` and `Host` name the same host and port.
    let v = Page::new(&app, "http://api.example.com")
        .at("http://api.example.com")
        .submit(Form::post("/transfer"))
        .await;
    assert_eq!(
        (
            v.answered(),
            v.write_refused(),
            v.fetch_metadata().is_empty()
        ),
        (Some(200), false, true)
    );
    // A loopback app gets Sec-Fetch-*; `localhost` and `127.0.0.1` are
    // different sites.
    let v = Page::new(&app, "http://127.0.0.1:3000")
        .at("http://localhost:8080")
        .submit(Form::post("/transfer"))
        .await
        .assert_write_refused();
    assert_eq!(
        v.fetch_metadata(),
        metadata("cross-site", "navigate", "document")
    );
    let v = Page::new(&app, "http://localhost:3000")
        .at("http://localhost:8080")
        .submit(Form::post("/transfer"))
        .await
        .assert_write_refused();
    assert_eq!(
        v.fetch_metadata(),
        metadata("same-site", "navigate", "document")
    );
    assert_eq!(runs("transfer"), 1);
}

#[actix_web::test]
async fn unprotected_routes_run_the_handler_and_the_verdict_says_so() {
    let app = app!();
    for path in ["/public", "/hook", "/legacy"] {
        let v = route_cors::test::submit(&app, EVIL, Form::post(path)).await;
        assert_eq!(
            (v.answered(), v.write_refused()),
            (Some(200), false),
            "{path}: {v}"
        );
        assert!(!v.to_string().contains("refused"), "{v}");
    }
    // The same answer as a refusal, from a handler: not route-cors's.
    let v = route_cors::test::submit(&app, EVIL, Form::post("/forbidden")).await;
    assert_eq!((v.answered(), v.write_refused()), (Some(403), false));
    assert!(v.to_string().contains("  the app answered 403\n"), "{v}");
    // A route without a policy, under `CrossOriginProtection`: refused; its
    // own origin passes.
    route_cors::test::submit(&app, EVIL, Form::post("/account/email"))
        .await
        .assert_write_refused();
    let v = Page::new(&app, API)
        .at(API)
        .submit(Form::post("/account/email"))
        .await;
    assert_eq!((v.answered(), v.write_refused()), (Some(200), false));
    assert_eq!(
        ["public", "hook", "legacy", "email"].map(runs),
        [1, 1, 1, 1]
    );
}
