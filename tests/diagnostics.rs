//! Diagnostics: the debug line logged for every rejected preflight and every
//! refused actual request on an allow-list route (route, origin, exact
//! reason, the browser's console error), and the info-level summary of each
//! annotated route's policy, logged once however many workers build the app.
//! Lines are captured with a small `log::Log` implementation.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{delete, get, patch, post, put, test as atest, App, HttpResponse, HttpServer};
use route_cors::{cors, CredentialedOriginSet, OriginSet};

// ---------------------------------------------------------------------------
// The capturing logger.

use common::capture::{install, lines_containing, take};
use log::Level;

// ---------------------------------------------------------------------------
// Routes.

/// A credentialed route with a header list.
#[cors(origins = ["https://app.example.com"], credentials, headers = ["x-token"])]
#[patch("/items/{id}")]
async fn update_item() -> HttpResponse {
    HttpResponse::Ok().body("updated")
}

/// A route without credentials and without request headers.
#[cors(origins = ["https://app.example.com"])]
#[post("/public")]
async fn public() -> HttpResponse {
    HttpResponse::Ok().body("public")
}

static NEVER_FILLED: CredentialedOriginSet = CredentialedOriginSet::new("NEVER_FILLED");

/// A credentialed route whose startup list is never filled.
#[cors(origins = NEVER_FILLED, credentials)]
#[delete("/partners")]
async fn partners() -> HttpResponse {
    HttpResponse::Ok().body("partners")
}

const BROWSER: &str = "the browser reports \"Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.\"";

fn preflight(path: &str, origin: &[u8], acrm: &[u8]) -> atest::TestRequest {
    atest::TestRequest::default()
        .method(Method::OPTIONS)
        .uri(path)
        .insert_header(("origin", HeaderValue::from_bytes(origin).unwrap()))
        .insert_header((
            "access-control-request-method",
            HeaderValue::from_bytes(acrm).unwrap(),
        ))
}

fn with_acrh(req: atest::TestRequest, acrh: &str) -> atest::TestRequest {
    req.insert_header(("access-control-request-headers", acrh))
}

macro_rules! app {
    () => {
        atest::init_service(
            App::new()
                .service(update_item)
                .service(public)
                .service(partners),
        )
        .await
    };
}

/// The status and the names of the CORS headers, to tie each log line to the
/// response it explains.
fn outline(res: &ServiceResponse) -> (StatusCode, Vec<String>) {
    let mut names: Vec<String> = res
        .headers()
        .keys()
        .map(|k| k.as_str().to_owned())
        .filter(|k| k.starts_with("access-control-") || k == "vary")
        .collect();
    names.sort();
    (res.status(), names)
}

#[actix_web::test]
async fn every_rejected_preflight_logs_one_line_naming_route_origin_reason_and_browser_error() {
    install();
    let app = app!();
    take(Level::Debug);
    let item = "/items/7";
    let good = b"https://app.example.com";
    let cases: Vec<(atest::TestRequest, String)> = vec![
        (
            preflight(item, b"https://evil.example", b"PATCH"),
            format!("CORS preflight rejected (403) on PATCH /items/{{id}} from origin `https://evil.example`: origin not allowed by the route's policy; {BROWSER}"),
        ),
        (
            preflight(item, b"https://app.example.com.evil.net", b"PATCH"),
            format!("CORS preflight rejected (403) on PATCH /items/{{id}} from origin `https://app.example.com.evil.net`: origin not allowed by the route's policy; {BROWSER}"),
        ),
        (
            preflight(item, b"null", b"PATCH"),
            format!("CORS preflight rejected (403) on PATCH /items/{{id}} from origin `null`: origin `null` (sandboxed iframes, `file:` and `data:` pages, cross-origin redirects) is never allowed; {BROWSER}"),
        ),
        (
            preflight(item, b"https://app.example.com, https://evil.example", b"PATCH"),
            format!("CORS preflight rejected (403) on PATCH /items/{{id}} from origin `https://app.example.com, https://evil.example`: malformed `Origin` (not a serialized origin such as `https://app.example.com`), which never matches; {BROWSER}"),
        ),
        (
            preflight(item, b"https://\xffapp.example.com", b"PATCH"),
            format!("CORS preflight rejected (403) on PATCH /items/{{id}} from origin `https://\u{fffd}app.example.com`: malformed `Origin` (not a serialized origin such as `https://app.example.com`), which never matches; {BROWSER}"),
        ),
        (
            preflight(item, b"", b"PATCH"),
            format!("CORS preflight rejected (403) on PATCH /items/{{id}} from origin ``: empty `Origin`, which never matches; {BROWSER}"),
        ),
        (
            preflight(item, good, b"PATCH").append_header((
                HeaderName::from_static("origin"),
                HeaderValue::from_static("https://app.example.com"),
            )),
            format!("CORS preflight rejected (403) on PATCH /items/{{id}} from origin `https://app.example.com`: several `Origin` lines, which never match; {BROWSER}"),
        ),
        (
            preflight(item, good, b"patch"),
            format!("CORS preflight rejected (403) on PATCH /items/{{id}} from origin `https://app.example.com`: method `patch` not allowed (allowed: PATCH; methods match case-sensitively and browsers send `patch` as written); {BROWSER} (a preflight answered without the refusal would fail with \"Method patch is not allowed by Access-Control-Allow-Methods in preflight response.\")"),
        ),
        (
            preflight(item, good, b"GET, PATCH"),
            format!("CORS preflight rejected (403) on PATCH /items/{{id}} from origin `https://app.example.com`: malformed Access-Control-Request-Method `GET, PATCH` (several lines, or not a method name); {BROWSER}"),
        ),
        (
            with_acrh(preflight(item, good, b"PATCH"), "x-token,x-foo"),
            format!("CORS preflight rejected (403) on PATCH /items/{{id}} from origin `https://app.example.com`: header `x-foo` not allowed (allowed: x-token); {BROWSER} (a preflight answered without the refusal would fail with \"Request header field x-foo is not allowed by Access-Control-Allow-Headers in preflight response.\")"),
        ),
        (
            with_acrh(preflight(item, good, b"PATCH"), "x-token, bad header"),
            format!("CORS preflight rejected (403) on PATCH /items/{{id}} from origin `https://app.example.com`: malformed Access-Control-Request-Headers (an item that is not a header name, a line longer than 4096 bytes, or more than 16 empty items); {BROWSER}"),
        ),
        (
            with_acrh(preflight("/public", good, b"POST"), "content-type"),
            format!("CORS preflight rejected (403) on POST /public from origin `https://app.example.com`: header `content-type` not allowed (the route allows only CORS-safelisted headers); {BROWSER} (a preflight answered without the refusal would fail with \"Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.\")"),
        ),
        (
            preflight("/partners", good, b"DELETE"),
            format!("CORS preflight rejected (403) on DELETE /partners from origin `https://app.example.com`: origin not allowed: the route's origin set was never filled, so no origin is allowed; {BROWSER}"),
        ),
    ];
    for (req, line) in cases {
        let res = atest::call_service(&app, req.to_request()).await;
        assert_eq!(outline(&res), (StatusCode::FORBIDDEN, vec![]), "{line}");
        assert_eq!(take(Level::Debug), vec![line]);
    }
}

#[actix_web::test]
async fn refused_cross_origin_writes_log_one_line_with_or_without_credentials() {
    install();
    let app = app!();
    take(Level::Debug);
    let actual = |method: Method, path: &str, origin: &'static [u8]| {
        atest::TestRequest::default()
            .method(method)
            .uri(path)
            .insert_header(("origin", HeaderValue::from_bytes(origin).unwrap()))
    };
    let no_host = "(Sec-Fetch-Site: (none)): no `Sec-Fetch-Site`, and the request names no host of its own (no `Host`, no authority); the route's policy does not allow this origin, so the handler did not run";
    for (req, line) in [
        (
            actual(Method::PATCH, "/items/1", b"https://evil.example"),
            format!("CORS cross-origin write refused (403) on PATCH /items/{{id}} from origin `https://evil.example` {no_host}"),
        ),
        (
            actual(Method::PATCH, "/items/1", b"https://APP.example.com"),
            "CORS cross-origin write refused (403) on PATCH /items/{id} from origin `https://APP.example.com` (Sec-Fetch-Site: (none)): no `Sec-Fetch-Site`, and the `Origin` is not exactly `scheme://host[:port]`; the route's policy does not allow this origin, so the handler did not run".to_owned(),
        ),
        (
            actual(Method::PATCH, "/items/1", b"https://app.example.com\t")
                .insert_header(("sec-fetch-site", "cross-site")),
            "CORS cross-origin write refused (403) on PATCH /items/{id} from origin `https://app.example.com\u{fffd}` (Sec-Fetch-Site: cross-site): `Sec-Fetch-Site` is neither `same-origin` nor `none`; the route's policy does not allow this origin, so the handler did not run".to_owned(),
        ),
        (
            // Without credentials too.
            actual(Method::POST, "/public", b"https://evil.example")
                .insert_header(("host", "api.example.com")),
            "CORS cross-origin write refused (403) on POST /public from origin `https://evil.example` (Sec-Fetch-Site: (none)): no `Sec-Fetch-Site`, and the `Origin`'s host and port are not the request's own (`Host`); the route's policy does not allow this origin, so the handler did not run".to_owned(),
        ),
        (
            actual(Method::DELETE, "/partners", b"null"),
            "CORS cross-origin write refused (403) on DELETE /partners from origin `null` (Sec-Fetch-Site: (none)): no `Sec-Fetch-Site`, and `Origin: null` is never the request's own origin; the route's policy does not allow this origin, so the handler did not run".to_owned(),
        ),
    ] {
        let res = atest::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        // No CORS header at all.
        assert_eq!(outline(&res).1, Vec::<String>::new());
        assert_eq!(take(Level::Debug), vec![line]);
    }
    // The app's own page (same origin) is not refused, and nothing is hidden
    // from it, so nothing is logged.
    let req = actual(Method::POST, "/public", b"https://api.example.com")
        .insert_header(("host", "api.example.com"));
    let res = atest::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(outline(&res).1, vec!["vary".to_owned()]);
    assert_eq!(take(Level::Debug), Vec::<String>::new());
}

#[actix_web::test]
async fn allowed_requests_and_requests_without_origin_log_nothing() {
    install();
    let app = app!();
    take(Level::Debug);
    let good = b"https://app.example.com";
    for req in [
        with_acrh(preflight("/items/1", good, b"PATCH"), "X-Token"),
        preflight("/public", good, b"POST"),
        atest::TestRequest::default()
            .method(Method::PATCH)
            .uri("/items/1")
            .insert_header(("origin", "https://app.example.com")),
        // No Origin: same-origin or not a browser; nothing to explain.
        atest::TestRequest::default()
            .method(Method::PATCH)
            .uri("/items/1"),
        atest::TestRequest::default()
            .method(Method::POST)
            .uri("/public")
            .insert_header(("origin", "https://app.example.com")),
    ] {
        let res = atest::call_service(&app, req.to_request()).await;
        assert!(res.status().is_success(), "{}", res.status());
        assert_eq!(take(Level::Debug), Vec::<String>::new());
    }
}

// ---------------------------------------------------------------------------
// Startup summary.

/// Every key set.
#[allow(deprecated)] // `private_network` is deprecated; its behaviour is kept
#[cors(
    origins = ["https://b.example", "https://a.example", "https://*.example.org:8443"],
    credentials,
    headers = ["x-a", "X-B"],
    expose = ["x-total"],
    max_age = 600,
    private_network
)]
#[put("/summary/full")]
async fn summary_full() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// The fewest keys.
#[cors(origins = "*")]
#[get("/summary/any")]
async fn summary_any() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// Any header, with credentials.
#[cors(origins = ["https://a.example"], credentials, headers = "*")]
#[get("/summary/echo")]
async fn summary_echo() -> HttpResponse {
    HttpResponse::Ok().finish()
}

static SUMMARY_SET: OriginSet = OriginSet::new("SUMMARY_ORIGINS");

/// Origins read at startup, never filled.
#[cors(origins = SUMMARY_SET, headers = "*")]
#[delete("/summary/runtime")]
async fn summary_runtime() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[test]
fn startup_summary_is_logged_once_per_route_not_per_worker() {
    install();
    static FACTORY_CALLS: AtomicUsize = AtomicUsize::new(0);
    actix_web::rt::System::new().block_on(async {
        let server = HttpServer::new(|| {
            FACTORY_CALLS.fetch_add(1, Ordering::SeqCst);
            App::new()
                .service(summary_full)
                .service(summary_any)
                .service(summary_echo)
                .service(summary_runtime)
        })
        .workers(2)
        .bind(("127.0.0.1", 0))
        .unwrap();
        let addr = server.addrs()[0];
        let server = server.run();
        let handle = server.handle();
        let running = actix_web::rt::spawn(server);
        // One request on loopback proves the server is up.
        let status = actix_web::rt::task::spawn_blocking(move || {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(
                b"GET /summary/any HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            )
            .unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).unwrap();
            out.lines().next().unwrap_or_default().to_owned()
        })
        .await
        .unwrap();
        assert_eq!(status, "HTTP/1.1 200 OK");
        handle.stop(true).await;
        running.await.unwrap().unwrap();
    });
    // Both workers built the app, and so every route's middleware twice.
    assert_eq!(FACTORY_CALLS.load(Ordering::SeqCst), 2);
    // Build it once more in this thread, as a test would.
    actix_web::rt::System::new().block_on(async {
        let _app = atest::init_service(App::new().service(summary_full)).await;
    });

    let expected = [
        "CORS policy of PUT /summary/full: origins https://a.example, https://b.example, https://*.example.org:8443; methods PUT; request headers x-a, x-b; credentials yes; expose x-total; max-age 600s; private network access allowed",
        "CORS policy of GET /summary/any: origins * (any origin); methods GET; request headers: CORS-safelisted only; credentials no; expose none; max-age not sent (browsers cache preflights 5s)",
        "CORS policy of GET /summary/echo: origins https://a.example; methods GET; request headers: any (requested names echoed, as credentials forbid `*`); credentials yes; expose none; max-age not sent (browsers cache preflights 5s)",
        "CORS policy of DELETE /summary/runtime: origins from the startup list `SUMMARY_ORIGINS`, NOT FILLED YET (no origin is allowed until it is); methods DELETE; request headers: any (`*`; `authorization` named when requested); credentials no; expose none; max-age not sent (browsers cache preflights 5s)",
    ];
    for line in expected {
        let route = line.split(':').next().unwrap().to_owned() + ":";
        assert_eq!(lines_containing(Level::Info, &route), vec![line.to_owned()]);
    }
}

// ---------------------------------------------------------------------------
// Routes inside scopes, and registration order.

#[cors(origins = ["https://app.example.com"])]
#[get("/stats")]
async fn scoped_stats() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn a_scoped_route_logs_its_full_path_when_first_reached() {
    install();
    let app = atest::init_service(
        App::new().service(actix_web::web::scope("/admin").service(scoped_stats)),
    )
    .await;
    // actix-web joins the scope prefix only when it routes a request.
    assert_eq!(take(Level::Info), Vec::<String>::new());
    for _ in 0..2 {
        let req = atest::TestRequest::get().uri("/admin/stats");
        let res = atest::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    assert_eq!(
        take(Level::Info),
        vec!["CORS policy of GET /admin/stats: origins https://app.example.com; methods GET; request headers: CORS-safelisted only; credentials no; expose none; max-age not sent (browsers cache preflights 5s)".to_owned()]
    );
}

#[cors(origins = ["https://a.example"])]
#[get("/shadowed")]
async fn shadowing() -> HttpResponse {
    HttpResponse::Ok().body("first")
}

#[cors(origins = ["https://b.example"])]
#[get("/shadowed")]
async fn shadowed() -> HttpResponse {
    HttpResponse::Ok().body("second")
}

#[actix_web::test]
async fn an_annotated_route_hidden_by_an_earlier_one_is_warned_about_once() {
    install();
    for _ in 0..2 {
        let app = atest::init_service(App::new().service(shadowing).service(shadowed)).await;
        let res = atest::call_service(
            &app,
            atest::TestRequest::get()
                .uri("/shadowed")
                .insert_header(("origin", "https://b.example"))
                .to_request(),
        )
        .await;
        // The first route takes it: its policy refuses the second's origin.
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers().get("vary").unwrap(), "Origin");
        assert!(!res.headers().contains_key("access-control-allow-origin"));
    }
    assert_eq!(
        lines_containing(Level::Warn, "/shadowed"),
        vec!["CORS route GET /shadowed (`shadowed`) is registered after GET /shadowed (`shadowing`) on the same path, which has no guards and also serves GET: actix-web routes every such request and preflight to the first one, so shadowed never sees them; give one of them a guard, or register the one you want first".to_owned()]
    );
}

// ---------------------------------------------------------------------------
// What applies under a default policy.

route_cors::policy!(DIAG_DEFAULT, origins = ["https://app.example.com"]);

#[cors(none)]
#[get("/diag-health")]
async fn diag_health() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn a_default_and_an_opted_out_route_say_what_applies() {
    install();
    let app = atest::init_service(
        App::new().service(
            actix_web::web::scope("/diag")
                .wrap(route_cors::DefaultPolicy::new(&DIAG_DEFAULT))
                .service(diag_health),
        ),
    )
    .await;
    let res = atest::call_service(
        &app,
        atest::TestRequest::get()
            .uri("/diag/diag-health")
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        lines_containing(Level::Info, "diag-health"),
        vec!["CORS opted out: GET /diag/diag-health (`diag_health`) has `#[cors(none)]`: no CORS headers, no cross-origin write protection, and a `DefaultPolicy` around it does not apply".to_owned()]
    );
    assert_eq!(
        lines_containing(Level::Info, "scope `/diag`"),
        vec!["CORS default policy of scope `/diag`, for its routes without #[cors] and its 404 and 405: origins https://app.example.com; methods DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT; request headers: CORS-safelisted only; credentials no; expose none; max-age not sent (browsers cache preflights 5s)".to_owned()]
    );
}

// ---------------------------------------------------------------------------
// Every line names the route as the URL is written: scope prefixes included.

#[cors(origins = ["https://app.example.com"])]
#[get("/stats")]
async fn nested_stats() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = "*")]
#[get("/status")]
async fn nested_status() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn lines_name_the_full_path_in_nested_scopes() {
    install();
    let app = atest::init_service(
        App::new().service(
            actix_web::web::scope("/nest")
                .wrap(route_cors::DefaultPolicy::new(&DIAG_DEFAULT))
                .service(
                    actix_web::web::scope("/admin")
                        .service(nested_stats)
                        .service(nested_status),
                ),
        ),
    )
    .await;
    take(Level::Debug);
    let evil = b"https://evil.example";
    let tail = "the handler ran, but its response carries no CORS headers, so the browser hides it from the page and reports \"No 'Access-Control-Allow-Origin' header is present on the requested resource.\"";
    let get = atest::TestRequest::get()
        .uri("/nest/admin/stats")
        .insert_header(("origin", HeaderValue::from_static("https://evil.example")));
    for (req, status, line) in [
        (
            preflight("/nest/admin/stats", evil, b"GET"),
            StatusCode::FORBIDDEN,
            format!("CORS preflight rejected (403) on GET /nest/admin/stats from origin `https://evil.example`: origin not allowed by the route's policy; {BROWSER}"),
        ),
        (
            get,
            StatusCode::OK,
            format!("CORS request refused on GET /nest/admin/stats from origin `https://evil.example`: origin not allowed by the route's policy; {tail}"),
        ),
        // The default answered because no route serves POST there: it says
        // so, and blames its own policy, not the route's.
        (
            preflight("/nest/admin/status", evil, b"POST"),
            StatusCode::FORBIDDEN,
            format!("CORS preflight rejected (403) on POST /nest/admin/status (no route serves POST on this path, which serves GET: the default policy answered) from origin `https://evil.example`: origin not allowed by the default policy; {BROWSER}"),
        ),
        (
            preflight("/nest/nothing", evil, b"DELETE"),
            StatusCode::FORBIDDEN,
            format!("CORS preflight rejected (403) on DELETE /nest/nothing (a route without #[cors]: the default policy) from origin `https://evil.example`: origin not allowed by the default policy; {BROWSER}"),
        ),
        (
            atest::TestRequest::post()
                .uri("/nest/form")
                .insert_header(("origin", HeaderValue::from_static("https://evil.example"))),
            StatusCode::FORBIDDEN,
            "CORS cross-origin write refused (403) on POST /nest/form (a route without #[cors]: the default policy) from origin `https://evil.example` (Sec-Fetch-Site: (none)): no `Sec-Fetch-Site`, and the request names no host of its own (no `Host`, no authority); the default policy does not allow this origin, so the handler did not run".to_owned(),
        ),
    ] {
        let res = atest::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), status, "{line}");
        assert_eq!(take(Level::Debug), vec![line]);
    }
}
