//! Hostile and malformed input, and look-alike origins, for each kind of
//! policy. Every case gets a clean outcome: no panic, no CORS headers where
//! the answer is a rejection, and the handler's response intact where the
//! request is not a preflight. Each test asserts the status and the exact set
//! of CORS headers (every `access-control-*` header and `vary`).
//!
//! Crashes found by the fuzz targets and the property tests are pinned here too.

use std::collections::BTreeMap;

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{delete, get, patch, post, put, test as atest, App, HttpResponse};
use route_cors::rules::{check_origin, OriginReason};
use route_cors::{cors, OriginSet};

/// A credentialed allow-list of two origins, a header list.
#[cors(
    origins = ["https://foo.com", "https://bar.com"],
    credentials,
    headers = ["x-foo", "content-type"],
    expose = ["x-total"]
)]
#[post("/list")]
async fn list() -> HttpResponse {
    HttpResponse::Created()
        .insert_header(("x-handler", "list"))
        .body("list handler")
}

/// A subdomain pattern and one loopback origin with a port.
#[cors(
    origins = ["https://*.example.com", "http://localhost:3000"],
    headers = ["x-foo"]
)]
#[put("/pattern")]
async fn pattern() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-handler", "pattern"))
        .body("pattern handler")
}

static RUNTIME: OriginSet = OriginSet::new("ADVERSARIAL_ORIGINS");

/// Origins read at startup: one exact origin and one pattern.
#[cors(origins = RUNTIME)]
#[delete("/runtime")]
async fn runtime() -> HttpResponse {
    HttpResponse::Accepted()
        .insert_header(("x-handler", "runtime"))
        .body("runtime handler")
}

/// Any origin, any header.
#[cors(origins = "*", headers = "*")]
#[get("/any")]
async fn anyone() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-handler", "any"))
        .body("any handler")
}

/// Credentials and any header: requested names are echoed.
#[cors(origins = ["https://foo.com"], credentials, headers = "*")]
#[patch("/echo")]
async fn echoing() -> HttpResponse {
    HttpResponse::Ok().body("echo handler")
}

/// The app under test, behind a closure so its service type needs no name.
struct TestApp(Box<dyn Fn(atest::TestRequest) -> OutcomeFuture>);

type OutcomeFuture = Pin<Box<dyn Future<Output = Outcome>>>;

async fn app() -> TestApp {
    if !RUNTIME.is_set() {
        let _ = RUNTIME.set(["https://foo.com", "https://*.example.com"]);
    }
    let svc = Rc::new(
        atest::init_service(
            App::new()
                .service(list)
                .service(pattern)
                .service(runtime)
                .service(anyone)
                .service(echoing),
        )
        .await,
    );
    TestApp(Box::new(move |req| {
        let svc = Rc::clone(&svc);
        Box::pin(async move { outcome(atest::call_service(&*svc, req.to_request()).await).await })
    }))
}

/// What a test checks of a response.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    status: StatusCode,
    /// Every `access-control-*` header and `vary`: name → values, in order.
    cors: BTreeMap<String, Vec<String>>,
    handler: Option<String>,
    body: String,
}

async fn send(app: &TestApp, req: atest::TestRequest) -> Outcome {
    (app.0)(req).await
}

async fn outcome(res: ServiceResponse) -> Outcome {
    let status = res.status();
    let mut cors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in res.headers() {
        if name.as_str().starts_with("access-control-") || name == "vary" {
            cors.entry(name.as_str().to_owned())
                .or_default()
                .push(String::from_utf8_lossy(value.as_bytes()).into_owned());
        }
    }
    let handler = res
        .headers()
        .get("x-handler")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = String::from_utf8_lossy(&atest::read_body(res).await).into_owned();
    Outcome {
        status,
        cors,
        handler,
        body,
    }
}

fn headers(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in pairs {
        out.entry((*k).to_owned())
            .or_default()
            .push((*v).to_owned());
    }
    out
}

/// One route of the app, and the outcomes it gives.
#[derive(Clone, Debug)]
struct Route {
    path: &'static str,
    method: Method,
    status: StatusCode,
    handler: &'static str,
}

const LIST: Route = Route {
    path: "/list",
    method: Method::POST,
    status: StatusCode::CREATED,
    handler: "list",
};
const PATTERN: Route = Route {
    path: "/pattern",
    method: Method::PUT,
    status: StatusCode::OK,
    handler: "pattern",
};
const RUNTIME_ROUTE: Route = Route {
    path: "/runtime",
    method: Method::DELETE,
    status: StatusCode::ACCEPTED,
    handler: "runtime",
};
const ANY: Route = Route {
    path: "/any",
    method: Method::GET,
    status: StatusCode::OK,
    handler: "any",
};

impl Route {
    /// An actual request carrying these `Origin` lines.
    fn actual(&self, origins: &[HeaderValue]) -> atest::TestRequest {
        let mut req = atest::TestRequest::default()
            .method(self.method.clone())
            .uri(self.path);
        for o in origins {
            req = req.append_header((HeaderName::from_static("origin"), o.clone()));
        }
        req
    }

    /// A preflight for the route's method carrying these `Origin` lines.
    fn preflight(&self, origins: &[HeaderValue]) -> atest::TestRequest {
        let mut req = atest::TestRequest::default()
            .method(Method::OPTIONS)
            .uri(self.path)
            .insert_header(("access-control-request-method", self.method.as_str()));
        for o in origins {
            req = req.append_header((HeaderName::from_static("origin"), o.clone()));
        }
        req
    }

    /// The handler's own response, with `cors` as its exact CORS headers.
    fn handled(&self, cors: &[(&str, &str)]) -> Outcome {
        Outcome {
            status: self.status,
            cors: headers(cors),
            handler: Some(self.handler.to_owned()),
            body: format!("{} handler", self.handler),
        }
    }

    /// The handler's response to an origin the route does not allow.
    fn handled_denied(&self) -> Outcome {
        match self.handler {
            "any" => self.handled(&[("access-control-allow-origin", "*")]),
            _ => self.handled(&[("vary", "Origin")]),
        }
    }
}

/// A rejected preflight: 403, empty, no CORS headers at all.
fn rejected() -> Outcome {
    Outcome {
        status: StatusCode::FORBIDDEN,
        cors: BTreeMap::new(),
        handler: None,
        body: String::new(),
    }
}

const PREFLIGHT_VARY: (&str, &str) = (
    "vary",
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);

fn any_preflight_allowed() -> Outcome {
    Outcome {
        status: StatusCode::NO_CONTENT,
        cors: headers(&[
            ("access-control-allow-origin", "*"),
            ("access-control-allow-methods", "GET"),
            PREFLIGHT_VARY,
        ]),
        handler: None,
        body: String::new(),
    }
}

fn hv(bytes: &[u8]) -> HeaderValue {
    HeaderValue::from_bytes(bytes).expect("a value an HTTP parser can deliver")
}

/// Every allow-list route treats `origins` as not allowed: handler intact
/// with `Vary: Origin` only, preflight 403 without CORS headers. The
/// any-origin route answers `*` to both.
async fn assert_never_matches(app: &TestApp, origins: &[HeaderValue]) {
    for route in [LIST, PATTERN, RUNTIME_ROUTE] {
        assert_eq!(
            send(app, route.actual(origins)).await,
            route.handled_denied(),
            "{origins:?} on {}",
            route.path
        );
        assert_eq!(
            send(app, route.preflight(origins)).await,
            rejected(),
            "preflight {origins:?} on {}",
            route.path
        );
    }
    assert_eq!(send(app, ANY.actual(origins)).await, ANY.handled_denied());
    assert_eq!(
        send(app, ANY.preflight(origins)).await,
        any_preflight_allowed(),
        "any-origin preflight {origins:?}"
    );
}

#[actix_web::test]
async fn origin_not_utf8() {
    let app = app().await;
    assert_never_matches(&app, &[hv(b"https://f\xf6\xf6.com")]).await;
    assert_never_matches(&app, &[hv(b"https://a.ex\xffample.com")]).await;
    assert_never_matches(&app, &[hv(b"\xff\xfe")]).await;
}

#[actix_web::test]
async fn origin_8_kib_long() {
    let app = app().await;
    let long_host = format!("https://{}.com", "a".repeat(8 * 1024));
    assert_never_matches(&app, &[hv(long_host.as_bytes())]).await;
    // Valid-looking labels under an allowed pattern, but far past 253 bytes.
    let label = "a".repeat(60);
    let labels = vec![label.as_str(); 8 * 1024 / 61].join(".");
    let long_sub = format!("https://{labels}.example.com");
    assert!(long_sub.len() > 8000);
    assert_never_matches(&app, &[hv(long_sub.as_bytes())]).await;
    // One label of 64 bytes is one too many.
    let sub64 = format!("https://{}.example.com", "a".repeat(64));
    assert_never_matches(&app, &[hv(sub64.as_bytes())]).await;
}

#[actix_web::test]
async fn origin_empty_or_blank() {
    let app = app().await;
    assert_never_matches(&app, &[hv(b"")]).await;
    assert_never_matches(&app, &[hv(b" ")]).await;
    assert_never_matches(&app, &[hv(b"\t")]).await;
}

#[actix_web::test]
async fn several_origin_lines_never_match() {
    let app = app().await;
    let foo = hv(b"https://foo.com");
    // Even two identical, allowed lines.
    assert_never_matches(&app, &[foo.clone(), foo.clone()]).await;
    assert_never_matches(&app, &[foo, hv(b"https://a.example.com")]).await;
}

#[actix_web::test]
async fn origin_lists_never_match() {
    let app = app().await;
    for v in [
        "https://foo.com, https://bar.com",
        "https://foo.com,https://foo.com",
        "a, b",
        "https://a.example.com, https://evil.net",
    ] {
        assert_never_matches(&app, &[hv(v.as_bytes())]).await;
    }
}

#[actix_web::test]
async fn origin_with_control_characters() {
    let app = app().await;
    // No HTTP parser delivers CR, LF, NUL or DEL inside a value, and actix
    // refuses to build one.
    for bad in [
        &b"https://foo.com\r\n"[..],
        b"https://foo.com\n",
        b"https://foo\0.com",
        b"https://foo.com\x7f",
        b"https://foo.com\x01",
    ] {
        assert!(HeaderValue::from_bytes(bad).is_err(), "{bad:?}");
    }
    // A tab is the one control character a value may hold.
    for v in [
        &b"https://foo.com\t"[..],
        b"\thttps://foo.com",
        b"https://fo\to.com",
        b"https://a.example.com\t",
        b"https://a\t.example.com",
    ] {
        assert_never_matches(&app, &[hv(v)]).await;
    }
}

#[actix_web::test]
async fn origin_null() {
    let app = app().await;
    assert_never_matches(&app, &[hv(b"null")]).await;
    assert_never_matches(&app, &[hv(b"NULL")]).await;
}

// ---------------------------------------------------------------------------
// Access-Control-Request-Method.

fn list_preflight(acrm: &[&[u8]], acrh: &[&[u8]]) -> atest::TestRequest {
    let mut req = atest::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/list")
        .insert_header(("origin", "https://foo.com"));
    for m in acrm {
        req = req.append_header((
            HeaderName::from_static("access-control-request-method"),
            hv(m),
        ));
    }
    for h in acrh {
        req = req.append_header((
            HeaderName::from_static("access-control-request-headers"),
            hv(h),
        ));
    }
    req
}

fn list_allowed() -> Outcome {
    Outcome {
        status: StatusCode::NO_CONTENT,
        cors: headers(&[
            ("access-control-allow-origin", "https://foo.com"),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "POST"),
            ("access-control-allow-headers", "x-foo, content-type"),
            PREFLIGHT_VARY,
        ]),
        handler: None,
        body: String::new(),
    }
}

#[actix_web::test]
async fn malformed_acrm_is_rejected() {
    let app = app().await;
    // The control: the same preflight with a clean ACRM passes.
    assert_eq!(
        send(&app, list_preflight(&[b"POST"], &[])).await,
        list_allowed()
    );
    for acrm in [
        &[&b"GET, DELETE"[..]][..],
        &[b"POST, POST"],
        &[b"POST "],
        &[b""],
        &[b" "],
        &[b"P\xd6ST"],
        // Two lines, even when both name the route's method.
        &[b"POST", b"POST"],
        &[b"POST", b"DELETE"],
    ] {
        assert_eq!(
            send(&app, list_preflight(acrm, &[])).await,
            rejected(),
            "ACRM {acrm:?}"
        );
    }
}

#[actix_web::test]
async fn acrm_case_variants_are_rejected() {
    let app = app().await;
    for acrm in [&b"post"[..], b"Post", b"pOST"] {
        assert_eq!(
            send(&app, list_preflight(&[acrm], &[])).await,
            rejected(),
            "ACRM {acrm:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Access-Control-Request-Headers.

#[actix_web::test]
async fn acrh_one_mib_of_commas() {
    let app = app().await;
    let commas = vec![b','; 1 << 20];
    assert_eq!(
        send(&app, list_preflight(&[b"POST"], &[&commas])).await,
        rejected()
    );
    let echo = atest::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/echo")
        .insert_header(("origin", "https://foo.com"))
        .insert_header(("access-control-request-method", "PATCH"))
        .insert_header(("access-control-request-headers", hv(&commas)));
    assert_eq!(send(&app, echo).await, rejected());
}

#[actix_web::test]
async fn acrh_ten_thousand_names() {
    let app = app().await;
    let names = vec!["x-foo"; 10_000].join(", ");
    assert_eq!(
        send(&app, list_preflight(&[b"POST"], &[names.as_bytes()])).await,
        rejected()
    );
    let distinct: Vec<String> = (0..10_000).map(|i| format!("x-h{i}")).collect();
    let any = atest::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/any")
        .insert_header(("origin", "https://foo.com"))
        .insert_header(("access-control-request-method", "GET"))
        .insert_header(("access-control-request-headers", distinct.join(",")));
    assert_eq!(send(&app, any).await, rejected());
}

#[actix_web::test]
async fn acrh_invalid_tokens() {
    let app = app().await;
    for acrh in [
        &b"x-foo, bad header"[..],
        b"x-foo, x@foo",
        b"x-foo, \"x-foo\"",
        b"x-foo; content-type",
        b"x-foo, (x)",
        b"x-f\xf6o",
        b"x-foo, x/y",
        b"x-foo, {}",
    ] {
        assert_eq!(
            send(&app, list_preflight(&[b"POST"], &[acrh])).await,
            rejected(),
            "ACRH {:?}",
            String::from_utf8_lossy(acrh)
        );
    }
}

#[actix_web::test]
async fn acrh_empty_items_are_tolerated_up_to_sixteen() {
    let app = app().await;
    let sixteen = format!("{}x-foo", ",".repeat(16));
    let seventeen = format!("{}x-foo", ",".repeat(17));
    let spaced = format!("x-foo{}", ", ".repeat(17));
    assert_eq!(
        send(&app, list_preflight(&[b"POST"], &[sixteen.as_bytes()])).await,
        list_allowed()
    );
    for acrh in [&seventeen, &spaced] {
        assert_eq!(
            send(&app, list_preflight(&[b"POST"], &[acrh.as_bytes()])).await,
            rejected(),
            "ACRH {acrh:?}"
        );
    }
    // Empty items and OWS are tolerated as browsers tolerate them.
    for acrh in [&b""[..], b" ", b",", b" x-foo ,\tcontent-type\t", b"X-Foo"] {
        assert_eq!(
            send(&app, list_preflight(&[b"POST"], &[acrh])).await,
            list_allowed(),
            "ACRH {acrh:?}"
        );
    }
}

#[actix_web::test]
async fn acrh_not_allowed_is_rejected() {
    let app = app().await;
    for acrh in [
        &[&b"x-bar"[..]][..],
        &[b"x-foo, x-bar"],
        &[b"x-foo", b"x-bar"],
        &[b"authorization"],
        &[b"x-fooo"],
        &[b"x-fo"],
    ] {
        assert_eq!(
            send(&app, list_preflight(&[b"POST"], acrh)).await,
            rejected(),
            "ACRH {acrh:?}"
        );
    }
}

/// Regression (property tests): an echoed ACAH never carries empty items,
/// and several ACRH lines are echoed as one clean list.
#[actix_web::test]
async fn echoed_acah_is_a_clean_token_list() {
    let app = app().await;
    let echo_req = |acrh: &[&str]| {
        let mut req = atest::TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/echo")
            .insert_header(("origin", "https://foo.com"))
            .insert_header(("access-control-request-method", "PATCH"));
        for h in acrh {
            req = req.append_header((
                HeaderName::from_static("access-control-request-headers"),
                hv(h.as_bytes()),
            ));
        }
        req
    };
    let allowed = |acah: Option<&str>| {
        let mut cors = vec![
            ("access-control-allow-origin", "https://foo.com"),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "PATCH"),
            PREFLIGHT_VARY,
        ];
        if let Some(v) = acah {
            cors.push(("access-control-allow-headers", v));
        }
        Outcome {
            status: StatusCode::NO_CONTENT,
            cors: headers(&cors),
            handler: None,
            body: String::new(),
        }
    };
    for (acrh, acah) in [
        (&["x-a, x-b"][..], Some("x-a, x-b")),
        (&[",x-a,, X-B ,"], Some("x-a, X-B")),
        (&["x-a", "authorization"], Some("x-a, authorization")),
        (&["x-a,", ",x-b"], Some("x-a, x-b")),
        (&[""], None),
        (&[" , "], None),
        (&[], None),
    ] {
        assert_eq!(
            send(&app, echo_req(acrh)).await,
            allowed(acah),
            "ACRH {acrh:?}"
        );
    }
    // Without credentials `*` is sent, but `authorization` is named alone.
    let any = atest::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/any")
        .insert_header(("origin", "https://foo.com"))
        .insert_header(("access-control-request-method", "GET"))
        .insert_header(("access-control-request-headers", ",authorization,"));
    let mut expected = any_preflight_allowed();
    expected.cors.insert(
        "access-control-allow-headers".into(),
        vec!["authorization".into()],
    );
    assert_eq!(send(&app, any).await, expected);
}

// ---------------------------------------------------------------------------
// Look-alike origins, for each kind of policy.

/// `good` are answered with themselves; every look-alike is not.
async fn assert_look_alikes(route: Route, good: &[&str], look_alikes: &[&str]) {
    let app = app().await;
    for origin in good {
        let o = [hv(origin.as_bytes())];
        let outcome = send(&app, route.actual(&o)).await;
        assert_eq!(outcome.status, route.status, "{origin}");
        assert_eq!(
            outcome.cors.get("access-control-allow-origin"),
            Some(&vec![(*origin).to_owned()]),
            "{origin} on {}",
            route.path
        );
    }
    for origin in look_alikes {
        let o = [hv(origin.as_bytes())];
        assert_eq!(
            send(&app, route.actual(&o)).await,
            route.handled_denied(),
            "{origin} on {}",
            route.path
        );
        assert_eq!(
            send(&app, route.preflight(&o)).await,
            rejected(),
            "preflight {origin} on {}",
            route.path
        );
    }
}

/// Look-alikes of `https://foo.com` and `https://bar.com`.
const LIST_LOOK_ALIKES: &[&str] = &[
    "https://barfoo.com",
    "https://foobar.com",
    "https://foo.combar.com",
    "https://foo.com.bar.com",
    "https://bar.com.evil.net",
    "https://www.foo.com",
    "https://oo.com",
    "https://foo.co",
    "https://foo.com.",
    "https://foo.com/",
    "https://foo.com:443",
    "https://foo.com:8443",
    "http://foo.com",
    "wss://foo.com",
    "https://FOO.com",
    "HTTPS://foo.com",
    "https://Foo.Com",
    " https://foo.com",
    "https://foo.com ",
    "https://user@foo.com",
    "https://foo.com?x",
    "https://foo.com#x",
    "https//foo.com",
    "foo.com",
    "https://xn--foo.com",
];

/// Look-alikes of `https://*.example.com`.
const PATTERN_LOOK_ALIKES: &[&str] = &[
    "https://evilexample.com",
    "https://example.com",
    "https://example.com.evil.net",
    "https://a.example.com.evil.net",
    "https://a.example.co",
    "https://a.example.comm",
    "https://aexample.com",
    "https://.example.com",
    "https://a..example.com",
    "https://a.example.com.",
    "https://a.example.com/",
    "https://*.example.com",
    "https://a.example.com:443",
    "https://a.example.com:8443",
    "http://a.example.com",
    "wss://a.example.com",
    "https://A.example.com",
    "https://a.EXAMPLE.com",
    "HTTPS://a.example.com",
    "https://a b.example.com",
    "https://a@b.example.com",
    "https://a.example.com%2eevil.net",
];

#[actix_web::test]
async fn look_alikes_of_a_list() {
    assert_look_alikes(
        LIST,
        &["https://foo.com", "https://bar.com"],
        LIST_LOOK_ALIKES,
    )
    .await;
}

#[actix_web::test]
async fn look_alikes_of_a_pattern() {
    assert_look_alikes(
        PATTERN,
        &[
            "https://a.example.com",
            "https://a.b.example.com",
            "https://xn--bcher-kva.example.com",
            "http://localhost:3000",
        ],
        PATTERN_LOOK_ALIKES,
    )
    .await;
    assert_look_alikes(
        PATTERN,
        &[],
        &[
            "http://localhost:3001",
            "http://localhost:30000",
            "http://localhost",
            "https://localhost:3000",
            "http://127.0.0.1:3000",
            "http://[::1]:3000",
            "http://LOCALHOST:3000",
            "http://a.localhost:3000",
            "http://localhost:3000.evil.net",
            "http://localhost:03000",
        ],
    )
    .await;
}

/// Found while fuzzing (the `whole_request` model missed the limit): a
/// domain has at most 253 bytes, so a subdomain one byte longer never matches.
#[actix_web::test]
async fn pattern_subdomains_stop_at_253_bytes() {
    let host = |len: usize| {
        let mut s = String::new();
        while s.len() + ".example.com".len() < len {
            if !s.is_empty() {
                s.push('.');
            }
            let room = (len - ".example.com".len() - s.len()).min(60);
            s.push_str(&"a".repeat(room));
        }
        s.push_str(".example.com");
        assert_eq!(s.len(), len);
        format!("https://{s}")
    };
    let longest = host(253);
    assert_look_alikes(PATTERN, &[&longest], &[&host(254), &host(300)]).await;
}

#[actix_web::test]
async fn look_alikes_of_a_runtime_set() {
    let mut all: Vec<&str> = LIST_LOOK_ALIKES.to_vec();
    all.extend_from_slice(PATTERN_LOOK_ALIKES);
    assert_look_alikes(
        RUNTIME_ROUTE,
        &["https://foo.com", "https://a.example.com"],
        &all,
    )
    .await;
}

// ---------------------------------------------------------------------------
// Crashes found by fuzzing and property testing.

static FOUND: OriginSet = OriginSet::new("FOUND_BY_FUZZING");

/// Found by the property tests (and the `origin_validator` fuzz target):
/// a `*.` followed by a lone `[` sliced an empty IPv6 host and panicked,
/// which would have crashed the `#[cors]` attribute or startup.
#[test]
fn wildcard_before_a_lone_bracket_is_an_error() {
    for s in ["https://*.[", "http://*.[", "https://*.[]", "https://*.[:1"] {
        let err = check_origin(s).expect_err(s);
        assert!(
            matches!(
                err.reason(),
                OriginReason::BadIpv6 | OriginReason::BadPort | OriginReason::WildcardOnIp
            ),
            "{s}: {err}"
        );
        assert!(!err.to_string().is_empty());
    }
    assert_eq!(
        check_origin("https://*.[").unwrap_err().to_string(),
        "origin `https://*.[` has an invalid IPv6 address"
    );
    let err = FOUND
        .set(["https://*.[", "https://ok.example"])
        .unwrap_err();
    assert_eq!(
        err.problems,
        vec!["origin `https://*.[` has an invalid IPv6 address".to_owned()]
    );
    assert!(!FOUND.is_set());
}

/// Found by the `origin_validator` fuzz target in its first minute: a pattern
/// whose suffix is 252 or 253 bytes long was accepted, yet no origin can ever
/// match it (a subdomain would pass the 253-byte limit of a domain).
#[test]
fn pattern_suffix_leaves_room_for_a_subdomain() {
    let found = "htts://*.pxaemlc.e-o0.4ppppppppagmlc.emo0.4pppppppppppppppppppppppppppppppppp.pxaemlc.emo0.4pppppppppppepppppppppppppppppppppppppppppp.pxaemlc.emo0.4pppppppppepppppppppppppppppppppppppppppp.pxaemlc.emo0.4ppppppppppppplc.emo0.4pppppppppppppppaemlc.emo0.4pppppppe";
    assert_eq!(
        check_origin(found).unwrap_err().reason(),
        OriginReason::BadHost
    );
    // Build suffixes of exact lengths from 50-byte labels.
    let suffix = |len: usize| {
        let mut s = String::new();
        while s.len() < len {
            if !s.is_empty() {
                s.push('.');
            }
            let room = (len - s.len()).min(50);
            s.push_str(&"b".repeat(room));
        }
        assert_eq!(s.len(), len);
        s
    };
    for len in [252, 253] {
        let p = format!("https://*.{}", suffix(len));
        assert_eq!(
            check_origin(&p).unwrap_err().reason(),
            OriginReason::BadHost,
            "{len}"
        );
        // The exact origin of that length stays valid.
        assert!(check_origin(&format!("https://{}", suffix(len))).is_ok());
    }
    let longest = suffix(251);
    let longest_pattern = format!("https://*.{longest}");
    let p = check_origin(&longest_pattern).unwrap();
    let sub = format!("https://x.{longest}");
    let sub = route_cors::rules::parse_request_origin(sub.as_bytes()).unwrap();
    assert!(route_cors::rules::pattern_matches(&p, &sub));
}
