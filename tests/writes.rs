//! Cross-origin write protection (cors-rules §2b): a state-changing request
//! from another origin that the route's policy does not trust is refused
//! with `403` and no CORS headers, before the handler, its extractors and its
//! own middleware run. Every case asserts the status, the exact set of CORS
//! headers, and what ran.

use std::sync::Mutex;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{from_fn, Next};
use actix_web::{delete, get, patch, post, put, test, web, App, Error, HttpResponse};
use route_cors::{cors, policy, CrossOriginProtection, DefaultPolicy, OriginSet};

mod common;
use common::{cors_headers, set, Headers};

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";

/// What ran, in order: handlers (`handler /path`), a route's own middleware
/// (`wrap /path`), extractors (`json /path`). Each test uses its own paths.
static RAN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn ran(what: String) {
    RAN.lock().unwrap().push(what);
}

/// What ran for paths under `prefix`, taken out of the log.
fn ran_under(prefix: &str) -> Vec<String> {
    let mut all = RAN.lock().unwrap();
    let (mine, rest): (Vec<_>, Vec<_>) = all.drain(..).partition(|e| e.contains(prefix));
    *all = rest;
    mine
}

fn handled(path: &str) -> HttpResponse {
    ran(format!("handler {path}"));
    HttpResponse::Ok().body("done")
}

/// A request: method, path, then `(name, value)` headers.
fn req(method: Method, path: &str, headers: &[(&str, &str)]) -> test::TestRequest {
    let mut req = test::TestRequest::default().method(method).uri(path);
    for &(name, value) in headers {
        req = req.append_header((name, value));
    }
    req
}

async fn status_and_headers<S, B>(app: &S, req: test::TestRequest) -> (StatusCode, Headers)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let res = test::call_service(app, req.to_request()).await;
    (res.status(), cors_headers(&res))
}

fn refused() -> (StatusCode, Headers) {
    (StatusCode::FORBIDDEN, set(&[]))
}

// ---------------------------------------------------------------------------
// The decision table, on an allow-list route with credentials.

#[cors(origins = ["https://app.example.com", "https://*.partner.example"], credentials)]
#[post("/t/transfer")]
async fn transfer() -> HttpResponse {
    handled("/t/transfer")
}

#[cors(origins = ["https://app.example.com"], credentials)]
#[get("/t/transfer")]
async fn transfer_page() -> HttpResponse {
    handled("/t/transfer GET")
}

fn echoed(origin: &str) -> Headers {
    set(&[
        ("access-control-allow-origin", origin),
        ("access-control-allow-credentials", "true"),
        ("vary", "Origin"),
    ])
}

#[actix_web::test]
async fn the_decision_table() {
    let app = test::init_service(App::new().service(transfer).service(transfer_page)).await;
    let vary = || (StatusCode::OK, set(&[("vary", "Origin")]));
    let ok = |origin: &str| (StatusCode::OK, echoed(origin));
    let post = |h: &[(&str, &str)]| req(Method::POST, "/t/transfer", h);
    let host = ("host", "api.example.com");
    #[rustfmt::skip]
    let cases: Vec<(&str, test::TestRequest, (StatusCode, Headers), bool)> = vec![
        // `Sec-Fetch-Site` present: `same-origin` and `none` pass.
        ("same-origin", post(&[("sec-fetch-site", "same-origin"), ("origin", EVIL), host]), vary(), true),
        ("none", post(&[("sec-fetch-site", "none"), host]), vary(), true),
        // Any other value is cross-origin: refused unless the origin is trusted.
        ("cross-site", post(&[("sec-fetch-site", "cross-site"), ("origin", EVIL), host]), refused(), false),
        ("same-site", post(&[("sec-fetch-site", "same-site"), ("origin", "https://api.example.com"), host]), refused(), false),
        ("unknown value", post(&[("sec-fetch-site", "sideways"), ("origin", EVIL), host]), refused(), false),
        ("wrong case", post(&[("sec-fetch-site", "Same-Origin"), ("origin", EVIL), host]), refused(), false),
        ("repeated", post(&[("sec-fetch-site", "same-origin"), ("sec-fetch-site", "same-origin"), ("origin", EVIL), host]), refused(), false),
        ("cross-site, trusted exact", post(&[("sec-fetch-site", "cross-site"), ("origin", APP), host]), ok(APP), true),
        ("cross-site, trusted pattern", post(&[("sec-fetch-site", "same-site"), ("origin", "https://a.b.partner.example"), host]), ok("https://a.b.partner.example"), true),
        ("cross-site, no Origin", post(&[("sec-fetch-site", "cross-site"), host]), refused(), false),
        // No `Sec-Fetch-Site`: no `Origin` is not a browser page.
        ("no headers", post(&[host]), vary(), true),
        ("no headers, no host", post(&[]), vary(), true),
        // `Origin` compared with `Host`.
        ("same host", post(&[("origin", "https://api.example.com"), host]), vary(), true),
        ("same host, other case", post(&[("origin", "https://api.example.com"), ("host", "API.Example.COM")]), vary(), true),
        ("same host, default port", post(&[("origin", "https://api.example.com"), ("host", "api.example.com:443")]), vary(), true),
        ("same host, scheme not compared", post(&[("origin", "http://api.example.com"), host]), vary(), true),
        ("other port", post(&[("origin", "https://api.example.com:8443"), host]), refused(), false),
        ("other host", post(&[("origin", EVIL), host]), refused(), false),
        ("null", post(&[("origin", "null"), host]), refused(), false),
        ("userinfo", post(&[("origin", "https://evil@api.example.com"), host]), refused(), false),
        ("a path", post(&[("origin", "https://api.example.com/"), host]), refused(), false),
        ("junk", post(&[("origin", "api.example.com"), host]), refused(), false),
        ("no host of its own", post(&[("origin", "https://api.example.com")]), refused(), false),
        ("forwarding headers ignored", post(&[("origin", EVIL), host, ("x-forwarded-host", "evil.example.net"), ("forwarded", "host=evil.example.net")]), refused(), false),
        ("trusted origin, other host", post(&[("origin", APP), host]), ok(APP), true),
        // Safe methods are never refused.
        ("GET cross-site", req(Method::GET, "/t/transfer", &[("sec-fetch-site", "cross-site"), ("origin", EVIL), host]), vary(), true),
    ];
    for (name, request, expected, handler_ran) in cases {
        assert_eq!(status_and_headers(&app, request).await, expected, "{name}");
        assert_eq!(!ran_under("/t/transfer").is_empty(), handler_ran, "{name}");
    }
    // Preflights are unchanged.
    let res = status_and_headers(&app, common::preflight("/t/transfer", EVIL, "POST")).await;
    assert_eq!(res, refused(), "preflight");
    assert!(ran_under("/t/transfer").is_empty());
}

// ---------------------------------------------------------------------------
// Before the extractors and the route's own middleware.

async fn counting(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    ran(format!("wrap {}", req.path()));
    next.call(req).await
}

#[derive(serde::Deserialize)]
struct Order {
    amount: u32,
}

#[cors(origins = ["https://app.example.com"])]
#[put("/x/orders", wrap = "from_fn(counting)")]
async fn put_order(order: web::Json<Order>) -> HttpResponse {
    ran(format!("json /x/orders {}", order.amount));
    handled("/x/orders")
}

#[actix_web::test]
async fn refused_before_extractors_and_the_routes_own_middleware() {
    let app = test::init_service(App::new().service(put_order)).await;
    // Not even JSON: a run extractor would answer 400.
    let request = req(Method::PUT, "/x/orders", &[("origin", EVIL)])
        .insert_header(("content-type", "text/plain"))
        .set_payload("not json");
    assert_eq!(status_and_headers(&app, request).await, refused());
    assert_eq!(ran_under("/x/orders"), Vec::<String>::new());
    // The trusted origin's bad body reaches the extractor, through the wrap.
    let request = req(Method::PUT, "/x/orders", &[("origin", APP)])
        .insert_header(("content-type", "text/plain"))
        .set_payload("not json");
    assert_eq!(
        status_and_headers(&app, request).await,
        (
            StatusCode::BAD_REQUEST,
            set(&[("access-control-allow-origin", APP), ("vary", "Origin")])
        )
    );
    assert_eq!(ran_under("/x/orders"), ["wrap /x/orders"]);
}

// ---------------------------------------------------------------------------
// Which routes are protected.

#[cors(origins = "*")]
#[post("/p/public")]
async fn public() -> HttpResponse {
    handled("/p/public")
}

#[cors(none)]
#[post("/p/saml/acs")]
async fn saml_acs() -> HttpResponse {
    handled("/p/saml/acs")
}

#[cors(origins = ["https://app.example.com"], dangerously_allow_cross_origin_writes)]
#[delete("/p/legacy")]
async fn legacy() -> HttpResponse {
    handled("/p/legacy")
}

policy!(
    PARTNER,
    origins = ["https://partner.example.com"],
    credentials
);

#[cors(policy = PARTNER)]
#[patch("/p/named")]
async fn named() -> HttpResponse {
    handled("/p/named")
}

static TENANTS: OriginSet = OriginSet::new("WRITES_TENANTS");

#[cors(origins = TENANTS)]
#[post("/p/set")]
async fn from_set() -> HttpResponse {
    handled("/p/set")
}

#[actix_web::test]
async fn each_kind_of_route() {
    TENANTS.set(["https://a.tenant.example"]).unwrap();
    let app = test::init_service(
        App::new()
            .service(public)
            .service(saml_acs)
            .service(legacy)
            .service(named)
            .service(from_set),
    )
    .await;
    let cross = |m: Method, path: &str, origin: &str| {
        req(
            m,
            path,
            &[("origin", origin), ("sec-fetch-site", "cross-site")],
        )
    };
    let vary = set(&[("vary", "Origin")]);
    let cases = [
        // Any origin is trusted: a public API's cross-origin POSTs work.
        (
            cross(Method::POST, "/p/public", EVIL),
            (StatusCode::OK, set(&[("access-control-allow-origin", "*")])),
            true,
        ),
        // No CORS, no protection.
        (
            cross(Method::POST, "/p/saml/acs", EVIL),
            (StatusCode::OK, set(&[])),
            true,
        ),
        // Opted in to cross-origin writes: runs, the browser hides the answer.
        (
            cross(Method::DELETE, "/p/legacy", EVIL),
            (StatusCode::OK, vary.clone()),
            true,
        ),
        // A named policy's origins.
        (cross(Method::PATCH, "/p/named", EVIL), refused(), false),
        (
            cross(Method::PATCH, "/p/named", "https://partner.example.com"),
            (StatusCode::OK, echoed("https://partner.example.com")),
            true,
        ),
        // An origin set's current contents.
        (
            cross(Method::POST, "/p/set", "https://b.tenant.example"),
            refused(),
            false,
        ),
        (
            cross(Method::POST, "/p/set", "https://a.tenant.example"),
            (
                StatusCode::OK,
                set(&[
                    ("access-control-allow-origin", "https://a.tenant.example"),
                    ("vary", "Origin"),
                ]),
            ),
            true,
        ),
    ];
    for (i, (request, expected, handler_ran)) in cases.into_iter().enumerate() {
        assert_eq!(
            status_and_headers(&app, request).await,
            expected,
            "case {i}"
        );
        assert_eq!(!ran_under("/p/").is_empty(), handler_ran, "case {i}");
    }
    TENANTS.replace(["https://b.tenant.example"]).unwrap();
    assert_eq!(
        status_and_headers(
            &app,
            cross(Method::POST, "/p/set", "https://b.tenant.example")
        )
        .await,
        (
            StatusCode::OK,
            set(&[
                ("access-control-allow-origin", "https://b.tenant.example"),
                ("vary", "Origin"),
            ])
        )
    );
    assert_eq!(ran_under("/p/set"), ["handler /p/set"]);
    assert_eq!(
        status_and_headers(
            &app,
            cross(Method::POST, "/p/set", "https://a.tenant.example")
        )
        .await,
        refused()
    );
    assert_eq!(ran_under("/p/set"), Vec::<String>::new());
}

// ---------------------------------------------------------------------------
// Routes under a `DefaultPolicy`, and `CrossOriginProtection`.

policy!(API, origins = ["https://app.example.com"], credentials);

#[post("/form")] // no #[cors]
async fn form(req: actix_web::HttpRequest) -> HttpResponse {
    handled(req.path())
}

#[cors(origins = ["https://other.example.org"])]
#[post("/own")]
async fn own(req: actix_web::HttpRequest) -> HttpResponse {
    handled(req.path())
}

#[cors(none)]
#[post("/callback")]
async fn callback(req: actix_web::HttpRequest) -> HttpResponse {
    handled(req.path())
}

static SISTERS: OriginSet = OriginSet::new("WRITES_SISTERS");

/// The cases of a scope `prefix` whose routes without `#[cors]` trust
/// `trusted` (and, under `CrossOriginProtection`, the request's own origin).
async fn check_scope<S, B>(app: &S, prefix: &str, trusted: &str, headers_of_trusted: Headers)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let path = |p: &str| format!("{prefix}{p}");
    let cross = |p: &str, origin: &str| {
        req(
            Method::POST,
            &path(p),
            &[("origin", origin), ("sec-fetch-site", "cross-site")],
        )
    };
    let cases = [
        (cross("/form", EVIL), refused(), "form", false),
        (
            cross("/form", trusted),
            (StatusCode::OK, headers_of_trusted),
            "form",
            true,
        ),
        // The route's own policy decides, whatever the scope's.
        (cross("/own", trusted), refused(), "own", false),
        (
            cross("/own", "https://other.example.org"),
            (
                StatusCode::OK,
                set(&[
                    ("access-control-allow-origin", "https://other.example.org"),
                    ("vary", "Origin"),
                ]),
            ),
            "own",
            true,
        ),
        (
            cross("/callback", EVIL),
            (StatusCode::OK, set(&[])),
            "callback",
            true,
        ),
        // What no route serves is refused too: nothing runs either way.
        (cross("/nothing", EVIL), refused(), "nothing", false),
    ];
    for (i, (request, expected, handler, handler_ran)) in cases.into_iter().enumerate() {
        assert_eq!(
            status_and_headers(app, request).await,
            expected,
            "{prefix} case {i}"
        );
        // Each test has its own scope prefix, so the full path tells its
        // handler runs from those of tests running alongside.
        let full = path(&format!("/{handler}"));
        let expected_ran = if handler_ran {
            vec![format!("handler {full}")]
        } else {
            vec![]
        };
        assert_eq!(ran_under(&full), expected_ran, "{prefix} case {i}");
    }
}

#[actix_web::test]
async fn under_a_default_policy() {
    let app = test::init_service(
        App::new().service(
            web::scope("/d")
                .wrap(DefaultPolicy::new(&API))
                .service(form)
                .service(own)
                .service(callback),
        ),
    )
    .await;
    check_scope(&app, "/d", APP, echoed(APP)).await;
}

#[actix_web::test]
async fn cross_origin_protection_for_routes_without_a_policy() {
    SISTERS.set(["https://shop.example.com"]).unwrap();
    let app = test::init_service(
        App::new().service(
            web::scope("/c")
                .wrap(CrossOriginProtection::new().trusted(&SISTERS))
                .service(form)
                .service(own)
                .service(callback),
        ),
    )
    .await;
    check_scope(&app, "/c", "https://shop.example.com", set(&[])).await;
    // The request's own origin, and no browser page, pass.
    let own_origin = req(
        Method::POST,
        "/c/form",
        &[
            ("origin", "https://www.example.com"),
            ("host", "www.example.com"),
        ],
    );
    assert_eq!(
        status_and_headers(&app, own_origin).await,
        (StatusCode::OK, set(&[]))
    );
    assert_eq!(
        status_and_headers(&app, req(Method::POST, "/c/form", &[])).await,
        (StatusCode::OK, set(&[]))
    );
    assert_eq!(ran_under("/c/form").len(), 2);
}

/// With a `DefaultPolicy` in the same scope, in either order: the default's
/// origins are trusted for the routes without `#[cors]`.
#[actix_web::test]
async fn cross_origin_protection_and_a_default_in_either_order() {
    let outside = test::init_service(
        App::new().service(
            web::scope("/o")
                .wrap(CrossOriginProtection::new())
                .wrap(DefaultPolicy::new(&API))
                .service(form)
                .service(own)
                .service(callback),
        ),
    )
    .await;
    check_scope(&outside, "/o", APP, echoed(APP)).await;
    let inside = test::init_service(
        App::new().service(
            web::scope("/i")
                .wrap(DefaultPolicy::new(&API))
                .wrap(CrossOriginProtection::new())
                .service(form)
                .service(own)
                .service(callback),
        ),
    )
    .await;
    check_scope(&inside, "/i", APP, echoed(APP)).await;
}

/// The reason, in the body, when `explain_rejections` is on (process-wide:
/// this binary's other tests never read a refusal's body).
#[actix_web::test]
async fn the_explained_body() {
    route_cors::explain_rejections(true);
    let app = test::init_service(App::new().service(put_order)).await;
    let res = test::call_service(
        &app,
        req(
            Method::PUT,
            "/x/orders",
            &[("origin", EVIL), ("sec-fetch-site", "cross-site")],
        )
        .to_request(),
    )
    .await;
    route_cors::explain_rejections(false);
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(cors_headers(&res), set(&[]));
    assert_eq!(
        common::body_of(res).await,
        "CORS cross-origin write refused (403) on PUT /x/orders from origin `https://evil.example.net` (Sec-Fetch-Site: cross-site): `Sec-Fetch-Site` is neither `same-origin` nor `none`; the route's policy does not allow this origin, so the handler did not run"
    );
}
