//! Behaviour of `#[cors]` on real actix-web routes, one test per rule of the
//! run-time contract (cors-rules §2). Every test asserts the status and the
//! exact set of CORS headers (all `access-control-*` headers and `vary`).

use std::future::{ready, Ready};
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{
    delete, get, head, patch, post, put, route, test, web, App, HttpResponse, Responder,
};
use route_cors::cors;

mod common;
use common::{body_of, cors_headers, preflight, set, PREFLIGHT_VARY};

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";

// ---------------------------------------------------------------------------
// Routes used by several tests.

static INVOICE_CALLS: AtomicUsize = AtomicUsize::new(0);

#[derive(serde::Deserialize)]
struct Invoice {
    amount: u32,
}

/// A credentialed JSON POST.
#[cors(
    origins = ["https://app.example.com", "http://localhost:3000"],
    headers = ["content-type", "x-request-id"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600
)]
#[post("/invoices")]
async fn create_invoice(body: web::Json<Invoice>) -> HttpResponse {
    INVOICE_CALLS.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Created()
        .insert_header(("x-request-id", "r-1"))
        .body(format!("amount={}", body.amount))
}

/// A public list on the same path, with another policy.
#[cors(origins = "*", expose = ["x-total"])]
#[get("/invoices")]
async fn list_invoices() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-total", "3"))
        .body("list")
}

fn app_invoices() -> App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new().service(list_invoices).service(create_invoice)
}

// ---------------------------------------------------------------------------
// What counts as a preflight.

#[cors(origins = ["https://app.example.com"])]
#[route("/opt", method = "GET", method = "OPTIONS")]
async fn serves_options() -> HttpResponse {
    HttpResponse::Ok().body("own options")
}

#[actix_web::test]
async fn only_options_with_origin_and_acrm_is_a_preflight() {
    let app = test::init_service(app_invoices().service(serves_options)).await;

    // OPTIONS without ACRM on a path with no OPTIONS handler: the usual 404.
    let req = test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/invoices")
        .insert_header(("origin", APP))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(cors_headers(&res), set(&[]));

    // OPTIONS with ACRM but no Origin: not a preflight either.
    let req = test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/invoices")
        .insert_header(("access-control-request-method", "POST"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(cors_headers(&res), set(&[]));

    // A plain OPTIONS on a route that serves OPTIONS reaches its handler, decorated.
    let req = test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/opt")
        .insert_header(("origin", APP))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        cors_headers(&res),
        set(&[("access-control-allow-origin", APP), ("vary", "Origin")])
    );
    assert_eq!(body_of(res).await, "own options");
}

// ---------------------------------------------------------------------------
// Allowed and rejected preflights.

#[actix_web::test]
async fn allowed_preflight_is_204_and_skips_the_handler() {
    let app = test::init_service(app_invoices()).await;
    let before = INVOICE_CALLS.load(Ordering::SeqCst);
    let req = preflight("/invoices", APP, "POST")
        .insert_header((
            "access-control-request-headers",
            "content-type,x-request-id",
        ))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", APP),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "POST"),
            ("access-control-allow-headers", "content-type, x-request-id"),
            ("access-control-max-age", "600"),
            PREFLIGHT_VARY,
        ])
    );
    assert_eq!(body_of(res).await, "");
    assert_eq!(INVOICE_CALLS.load(Ordering::SeqCst), before);
}

#[actix_web::test]
async fn rejected_preflights_are_403_without_cors_headers() {
    let app = test::init_service(app_invoices().service(update_item)).await;
    let cases: Vec<(&str, test::TestRequest)> = vec![
        ("origin not allowed", preflight("/invoices", EVIL, "POST")),
        (
            "header not allowed",
            preflight("/invoices", APP, "POST")
                .insert_header(("access-control-request-headers", "content-type,x-secret")),
        ),
        (
            "ACRH not a token list",
            preflight("/invoices", APP, "POST")
                .insert_header(("access-control-request-headers", "content type")),
        ),
        ("ACRM not a token", preflight("/invoices", APP, "PO ST")),
        ("method case differs", preflight("/items/1", APP, "patch")),
        (
            "origin with trailing slash",
            preflight("/invoices", "https://app.example.com/", "POST"),
        ),
        (
            "origin in upper case",
            preflight("/invoices", "https://APP.example.com", "POST"),
        ),
    ];
    for (why, req) in cases {
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{why}");
        assert_eq!(cors_headers(&res), set(&[]), "{why}");
        assert_eq!(body_of(res).await, "", "{why}");
    }
}

#[actix_web::test]
async fn preflight_for_a_method_no_route_serves_finds_no_route() {
    let app = test::init_service(app_invoices()).await;
    let res = test::call_service(&app, preflight("/invoices", APP, "DELETE").to_request()).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(cors_headers(&res), set(&[]));
}

// ---------------------------------------------------------------------------
// Methods byte-exact, header names case-insensitive.

#[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
#[patch("/items/{id}")]
async fn update_item(path: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(format!("patched {}", path.into_inner()))
}

#[actix_web::test]
async fn methods_match_byte_exactly_and_headers_ignore_case() {
    let app = test::init_service(App::new().service(update_item)).await;
    let res = test::call_service(
        &app,
        preflight("/items/7", APP, "PATCH")
            .insert_header(("access-control-request-headers", "Content-Type"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", APP),
            ("access-control-allow-methods", "PATCH"),
            ("access-control-allow-headers", "content-type"),
            PREFLIGHT_VARY,
        ])
    );
    let res = test::call_service(&app, preflight("/items/7", APP, "patch").to_request()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(cors_headers(&res), set(&[]));
}

#[cors(origins = "*", headers = "*")]
#[put("/any-header")]
async fn any_header_public() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], headers = "*", credentials)]
#[put("/any-header-cred")]
async fn any_header_credentialed() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn any_header_names_authorization_and_never_sends_star_with_credentials() {
    let app = test::init_service(
        App::new()
            .service(any_header_public)
            .service(any_header_credentialed),
    )
    .await;
    let cases = [
        ("/any-header", "x-a,x-b", "*", false),
        (
            "/any-header",
            "authorization,x-a",
            "authorization,x-a",
            false,
        ),
        ("/any-header-cred", "x-a,x-b", "x-a,x-b", true),
    ];
    for (uri, acrh, acah, cred) in cases {
        let res = test::call_service(
            &app,
            preflight(uri, APP, "PUT")
                .insert_header(("access-control-request-headers", acrh))
                .to_request(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{uri} {acrh}");
        let mut expected = vec![
            ("access-control-allow-methods", "PUT"),
            ("access-control-allow-headers", acah),
            PREFLIGHT_VARY,
        ];
        if cred {
            expected.push(("access-control-allow-origin", APP));
            expected.push(("access-control-allow-credentials", "true"));
        } else {
            expected.push(("access-control-allow-origin", "*"));
        }
        assert_eq!(cors_headers(&res), set(&expected), "{uri} {acrh}");
    }
}

// ---------------------------------------------------------------------------
// Actual requests.

#[cors(origins = ["https://app.example.com"], expose = ["x-request-id"], credentials)]
#[get("/profile")]
async fn profile() -> HttpResponse {
    HttpResponse::Ok()
        // Headers the handler sets itself: CORS ones are replaced, others kept.
        .insert_header(("access-control-allow-origin", "*"))
        .insert_header(("access-control-allow-credentials", "false"))
        .append_header(("vary", "Accept-Encoding"))
        .append_header(("set-cookie", "a=1"))
        .append_header(("set-cookie", "b=2"))
        .insert_header(("x-request-id", "r-9"))
        .body("me")
}

#[actix_web::test]
async fn allowed_origin_gets_one_acao_and_kept_headers() {
    let app = test::init_service(App::new().service(profile)).await;
    let req = test::TestRequest::get()
        .uri("/profile")
        .insert_header(("origin", APP))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", APP),
            ("access-control-allow-credentials", "true"),
            ("access-control-expose-headers", "x-request-id"),
            ("vary", "Accept-Encoding, Origin"),
        ])
    );
    let cookies: Vec<_> = res.headers().get_all("set-cookie").collect();
    assert_eq!(cookies, ["a=1", "b=2"]);
    assert_eq!(res.headers().get("x-request-id").unwrap(), "r-9");
    assert_eq!(body_of(res).await, "me");
}

#[actix_web::test]
async fn disallowed_or_missing_origin_runs_the_handler_without_cors_headers() {
    let app = test::init_service(App::new().service(profile)).await;
    for origin in [Some(EVIL), None] {
        let mut req = test::TestRequest::get().uri("/profile");
        if let Some(o) = origin {
            req = req.insert_header(("origin", o));
        }
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{origin:?}");
        // The handler's own ACAO/ACAC are removed too: nothing about the policy leaks.
        assert_eq!(
            cors_headers(&res),
            set(&[("vary", "Accept-Encoding, Origin")]),
            "{origin:?}"
        );
        assert_eq!(body_of(res).await, "me");
    }
}

#[actix_web::test]
async fn any_origin_route_always_sends_star_and_no_vary() {
    let app = test::init_service(app_invoices()).await;
    for origin in [Some(APP), Some(EVIL), Some("null"), None] {
        let mut req = test::TestRequest::get().uri("/invoices");
        if let Some(o) = origin {
            req = req.insert_header(("origin", o));
        }
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            cors_headers(&res),
            set(&[
                ("access-control-allow-origin", "*"),
                ("access-control-expose-headers", "x-total"),
            ]),
            "{origin:?}"
        );
    }
}

#[actix_web::test]
async fn invalid_origin_values_never_match() {
    let app = test::init_service(App::new().service(profile)).await;
    let bad: Vec<Vec<HeaderValue>> = vec![
        vec![HeaderValue::from_static(APP), HeaderValue::from_static(APP)],
        vec![HeaderValue::from_static(
            "https://app.example.com, https://app.example.com",
        )],
        vec![HeaderValue::from_static("")],
        vec![HeaderValue::from_static("not an origin")],
        vec![HeaderValue::from_static("https://app.example.com/")],
    ];
    for values in bad {
        let mut req = test::TestRequest::get().uri("/profile").to_request();
        for v in &values {
            req.headers_mut()
                .append(HeaderName::from_static("origin"), v.clone());
        }
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::OK, "{values:?}");
        assert_eq!(
            cors_headers(&res),
            set(&[("vary", "Accept-Encoding, Origin")]),
            "{values:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Every actual response is decorated: errors, extractor failures, inner
// middleware errors, redirects, 304 and HEAD.

#[derive(Debug)]
struct ApiError;

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("teapot")
    }
}

impl actix_web::ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::IM_A_TEAPOT
    }
}

#[cors(origins = ["https://app.example.com"])]
#[get("/fails")]
async fn fails() -> Result<HttpResponse, ApiError> {
    Err(ApiError)
}

#[cors(origins = ["https://app.example.com"])]
#[get("/redirect")]
async fn redirect() -> HttpResponse {
    HttpResponse::Found()
        .insert_header(("location", "/profile"))
        .finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/cached")]
async fn not_modified() -> HttpResponse {
    HttpResponse::NotModified().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[head("/head")]
async fn head_only() -> HttpResponse {
    HttpResponse::Ok().insert_header(("x-size", "10")).finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/numbers/{n}")]
async fn number(n: web::Path<u8>) -> impl Responder {
    n.to_string()
}

#[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
#[post("/small")]
async fn small_body(body: web::Bytes) -> impl Responder {
    body.len().to_string()
}

#[actix_web::test]
async fn errors_redirects_304_and_head_are_decorated() {
    let app = test::init_service(
        App::new()
            .app_data(web::PayloadConfig::new(8))
            .app_data(web::JsonConfig::default().limit(64))
            .service(fails)
            .service(redirect)
            .service(not_modified)
            .service(head_only)
            .service(number)
            .service(create_invoice)
            .service(small_body),
    )
    .await;
    let cases: Vec<(&str, Method, &str, Option<&str>, StatusCode)> = vec![
        (
            "handler Err",
            Method::GET,
            "/fails",
            None,
            StatusCode::IM_A_TEAPOT,
        ),
        (
            "redirect",
            Method::GET,
            "/redirect",
            None,
            StatusCode::FOUND,
        ),
        (
            "304",
            Method::GET,
            "/cached",
            None,
            StatusCode::NOT_MODIFIED,
        ),
        ("HEAD", Method::HEAD, "/head", None, StatusCode::OK),
        (
            "bad path parameter",
            Method::GET,
            "/numbers/999",
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            "payload too large",
            Method::POST,
            "/small",
            Some("0123456789"),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ];
    for (why, method, uri, body, status) in cases {
        let mut req = test::TestRequest::default()
            .method(method)
            .uri(uri)
            .insert_header(("origin", APP));
        if let Some(b) = body {
            req = req.set_payload(b.to_owned());
        }
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), status, "{why}");
        assert_eq!(
            cors_headers(&res),
            set(&[("access-control-allow-origin", APP), ("vary", "Origin")]),
            "{why}"
        );
    }

    // A bad JSON body on the credentialed route: 400, with the route's full policy.
    let req = test::TestRequest::post()
        .uri("/invoices")
        .insert_header(("origin", APP))
        .insert_header(("content-type", "application/json"))
        .set_payload("{not json")
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", APP),
            ("access-control-allow-credentials", "true"),
            ("access-control-expose-headers", "x-request-id"),
            ("vary", "Origin"),
        ])
    );
}

// ---------------------------------------------------------------------------
// A route with an auth middleware: its 401 (an `Err` from the middleware)
// carries CORS headers, and its preflight is answered before the auth runs.

static AUTH_CALLS: AtomicUsize = AtomicUsize::new(0);

/// Refuses every request without `authorization: Bearer ok` with an `Err`.
struct RequireToken;

impl<S, B> Transform<S, ServiceRequest> for RequireToken
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B, BoxBody>>;
    type Error = actix_web::Error;
    type Transform = RequireTokenService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RequireTokenService { service }))
    }
}

struct RequireTokenService<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for RequireTokenService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B, BoxBody>>;
    type Error = actix_web::Error;
    type Future =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>>>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        AUTH_CALLS.fetch_add(1, Ordering::SeqCst);
        let ok = req
            .headers()
            .get("authorization")
            .is_some_and(|v| v == "Bearer ok");
        if !ok {
            return Box::pin(ready(Err(actix_web::error::ErrorUnauthorized(
                "missing token",
            ))));
        }
        let fut = self.service.call(req);
        Box::pin(async move { fut.await.map(ServiceResponse::map_into_left_body) })
    }
}

#[cors(
    origins = ["https://app.example.com"],
    headers = ["authorization"],
    credentials
)]
#[delete("/account", wrap = "RequireToken")]
async fn delete_account() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

#[actix_web::test]
async fn inner_middleware_error_is_decorated_and_preflight_skips_it() {
    let app = test::init_service(App::new().service(delete_account)).await;
    let before = AUTH_CALLS.load(Ordering::SeqCst);
    let res = test::call_service(
        &app,
        preflight("/account", APP, "DELETE")
            .insert_header(("access-control-request-headers", "authorization"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", APP),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "DELETE"),
            ("access-control-allow-headers", "authorization"),
            PREFLIGHT_VARY,
        ])
    );
    assert_eq!(
        AUTH_CALLS.load(Ordering::SeqCst),
        before,
        "auth ran for a preflight"
    );

    let expected = set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-credentials", "true"),
        ("vary", "Origin"),
    ]);
    let req = test::TestRequest::delete()
        .uri("/account")
        .insert_header(("origin", APP))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(cors_headers(&res), expected);
    assert_eq!(body_of(res).await, "missing token");

    let req = test::TestRequest::delete()
        .uri("/account")
        .insert_header(("origin", APP))
        .insert_header(("authorization", "Bearer ok"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(cors_headers(&res), expected);
}

// ---------------------------------------------------------------------------
// Two policies on one path, in both registration orders.

#[actix_web::test]
async fn two_policies_on_one_path_in_any_registration_order() {
    let app_a = test::init_service(App::new().service(list_invoices).service(create_invoice)).await;
    let app_b = test::init_service(App::new().service(create_invoice).service(list_invoices)).await;
    let post_policy = set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-credentials", "true"),
        ("access-control-allow-methods", "POST"),
        ("access-control-allow-headers", "content-type, x-request-id"),
        ("access-control-max-age", "600"),
        PREFLIGHT_VARY,
    ]);
    let get_policy = set(&[
        ("access-control-allow-origin", "*"),
        ("access-control-allow-methods", "GET"),
        PREFLIGHT_VARY,
    ]);
    for res in [
        test::call_service(&app_a, preflight("/invoices", APP, "POST").to_request()).await,
        test::call_service(&app_b, preflight("/invoices", APP, "POST").to_request()).await,
    ] {
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        assert_eq!(cors_headers(&res), post_policy);
    }
    for res in [
        test::call_service(&app_a, preflight("/invoices", APP, "GET").to_request()).await,
        test::call_service(&app_b, preflight("/invoices", APP, "GET").to_request()).await,
    ] {
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        assert_eq!(cors_headers(&res), get_policy);
    }
    // The POST route's origins do not leak into the GET route's actual
    // response, and back: the GET route's `*` does not make the POST route
    // trust `EVIL`, so its cross-origin write is refused before the handler.
    let req = test::TestRequest::post()
        .uri("/invoices")
        .insert_header(("origin", EVIL))
        .insert_header(("content-type", "application/json"))
        .set_payload(r#"{"amount":5}"#)
        .to_request();
    let res = test::call_service(&app_b, req).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(cors_headers(&res), set(&[]));
    assert_eq!(body_of(res).await, "");
    // From the app's own page (same origin), the handler runs, decorated by
    // the POST route's policy, which does not list `EVIL`.
    let req = test::TestRequest::post()
        .uri("/invoices")
        .insert_header(("origin", EVIL))
        .insert_header(("sec-fetch-site", "same-origin"))
        .insert_header(("content-type", "application/json"))
        .set_payload(r#"{"amount":5}"#)
        .to_request();
    let res = test::call_service(&app_b, req).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(cors_headers(&res), set(&[("vary", "Origin")]));
    assert_eq!(body_of(res).await, "amount=5");
}
