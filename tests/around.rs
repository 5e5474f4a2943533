//! Middleware around annotated routes: `CorsAware` on a `Scope` or on `App`.
//! Every test asserts the status and the exact set of CORS headers (all
//! `access-control-*` and `vary`). Routes split by guards and registration
//! order are in `guards.rs`.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::sync::Mutex;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::StatusCode;
use actix_web::middleware::{from_fn, Next};
use actix_web::{get, options, post, test, web, App, Error, HttpResponse};
use actix_web_httpauth::extractors::bearer::BearerAuth;
use actix_web_httpauth::middleware::HttpAuthentication;
use route_cors::{cors, CorsAware};

mod common;
use common::{get_req, outcome, preflight, set, Headers, PREFLIGHT_VARY};

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";

/// What ran, in order: middleware (`mw /path`) and handlers (`handler name`).
/// Each test uses its own paths, so tests running in parallel do not mix.
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

// ---------------------------------------------------------------------------
// The middleware shapes users write.

/// Auth as a `from_fn` middleware answering `401` itself.
async fn require_token(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    ran(format!("mw {}", req.path()));
    if req.headers().get("authorization").map(|v| v.as_bytes()) == Some(b"Bearer good") {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let res = HttpResponse::Unauthorized()
        .insert_header(("www-authenticate", "Bearer"))
        .body("missing token");
    Ok(req.into_response(res).map_into_right_body())
}

/// A rate limiter failing with `Err`.
async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    ran(format!("limit {}", req.path()));
    if req.headers().contains_key("x-over-quota") {
        return Err(actix_web::error::ErrorTooManyRequests("slow down"));
    }
    next.call(req).await
}

/// Maintenance mode, as a hand-written `Transform`.
struct Maintenance;

struct MaintenanceMw<S> {
    service: S,
}

impl<S, B> Transform<S, ServiceRequest> for Maintenance
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = MaintenanceMw<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(MaintenanceMw { service }))
    }
}

impl<S, B> Service<ServiceRequest> for MaintenanceMw<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Error>>>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        ran(format!("maintenance {}", req.path()));
        if req.headers().contains_key("x-maintenance") {
            let res = HttpResponse::ServiceUnavailable()
                .insert_header(("retry-after", "120"))
                .body("maintenance");
            return Box::pin(ready(Ok(req.into_response(res).map_into_right_body())));
        }
        let fut = self.service.call(req);
        Box::pin(async move { fut.await.map(ServiceResponse::map_into_left_body) })
    }
}

// ---------------------------------------------------------------------------
// Auth on a scope: the most common real-app shape.

#[cors(origins = ["https://app.example.com"], headers = ["authorization"], credentials, max_age = 600)]
#[get("/stats")]
async fn stats(req: actix_web::HttpRequest) -> HttpResponse {
    ran(format!("handler stats {}", req.path()));
    HttpResponse::Ok().body("stats")
}

/// A public sibling on the same path, another method and policy.
#[cors(origins = "*", headers = ["authorization"], expose = ["x-total"])]
#[post("/stats")]
async fn post_stats(req: actix_web::HttpRequest) -> HttpResponse {
    ran(format!("handler post_stats {}", req.path()));
    HttpResponse::Created().body("posted")
}

/// Not annotated: a catch-all resource answering every method.
async fn hook(req: actix_web::HttpRequest) -> HttpResponse {
    ran(format!("handler hook {}", req.path()));
    HttpResponse::Ok().body("hook ran")
}

/// Not annotated: a user's own OPTIONS handler, registered first on its path.
#[options("/items")]
async fn items_options(req: actix_web::HttpRequest) -> HttpResponse {
    ran(format!("handler items_options {}", req.path()));
    HttpResponse::Ok().body("options ran")
}

#[cors(origins = ["https://app.example.com"])]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().body("items")
}

macro_rules! admin_app {
    ($scope:literal) => {
        App::new().service(
            web::scope($scope)
                .wrap(CorsAware::new(from_fn(require_token)))
                .service(items_options)
                .service(items)
                .service(stats)
                .service(post_stats)
                .service(web::resource("/hook").to(hook))
                .service(web::resource("/any").route(web::route().to(hook))),
        )
    };
}

fn allowed_stats() -> Headers {
    set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-credentials", "true"),
        ("vary", "Origin"),
    ])
}

#[actix_web::test]
async fn preflight_passes_scope_middleware_by_and_gets_the_route_policy() {
    let app = test::init_service(admin_app!("/a1")).await;
    let req = preflight("/a1/stats", APP, "GET")
        .insert_header(("access-control-request-headers", "authorization"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(
        outcome(res).await,
        (
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", APP),
                ("access-control-allow-credentials", "true"),
                ("access-control-allow-methods", "GET"),
                ("access-control-allow-headers", "authorization"),
                ("access-control-max-age", "600"),
                PREFLIGHT_VARY,
            ]),
            String::new()
        )
    );
    // The sibling on the same path answers for its own method.
    let req = preflight("/a1/stats", EVIL, "POST")
        .insert_header(("access-control-request-headers", "authorization"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(
        outcome(res).await,
        (
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", "*"),
                ("access-control-allow-methods", "POST"),
                ("access-control-allow-headers", "authorization"),
                PREFLIGHT_VARY,
            ]),
            String::new()
        )
    );
    // Refused: 403 without CORS headers. Neither the middleware nor a handler ran.
    for req in [
        preflight("/a1/stats", EVIL, "GET"),
        preflight("/a1/stats", APP, "GET")
            .insert_header(("access-control-request-headers", "x-secret")),
        preflight("/a1/stats", APP, "get"),
    ] {
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(
            outcome(res).await,
            (StatusCode::FORBIDDEN, set(&[]), String::new())
        );
    }
    assert_eq!(ran_under("/a1/stats"), Vec::<String>::new());
}

#[actix_web::test]
async fn middleware_responses_carry_the_route_policy() {
    let app = test::init_service(admin_app!("/a2")).await;
    let cases = [
        // Bad token from an allowed origin: the page can read the 401.
        (
            get_req("/a2/stats", Some(APP), Some("bad")),
            StatusCode::UNAUTHORIZED,
            allowed_stats(),
            "missing token",
        ),
        (
            get_req("/a2/stats", Some(APP), None),
            StatusCode::UNAUTHORIZED,
            allowed_stats(),
            "missing token",
        ),
        // Disallowed origin: only `Vary: Origin`, as the route would send.
        (
            get_req("/a2/stats", Some(EVIL), None),
            StatusCode::UNAUTHORIZED,
            set(&[("vary", "Origin")]),
            "missing token",
        ),
        // No Origin: what the route itself sends without one.
        (
            get_req("/a2/stats", None, None),
            StatusCode::UNAUTHORIZED,
            set(&[("vary", "Origin")]),
            "missing token",
        ),
        // Good token: through to the route, decorated once by it.
        (
            get_req("/a2/stats", Some(APP), Some("good")),
            StatusCode::OK,
            allowed_stats(),
            "stats",
        ),
        (
            get_req("/a2/stats", Some(EVIL), Some("good")),
            StatusCode::OK,
            set(&[("vary", "Origin")]),
            "stats",
        ),
    ];
    for (req, status, headers, body) in cases {
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(outcome(res).await, (status, headers, body.to_owned()));
    }
    // The any-origin sibling's policy applies to POST.
    let req = test::TestRequest::post()
        .uri("/a2/stats")
        .insert_header(("origin", EVIL));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.headers().get("www-authenticate").unwrap(), "Bearer");
    assert_eq!(
        outcome(res).await,
        (
            StatusCode::UNAUTHORIZED,
            set(&[
                ("access-control-allow-origin", "*"),
                ("access-control-expose-headers", "x-total")
            ]),
            "missing token".to_owned()
        )
    );
    let mw = |n: usize| vec!["mw /a2/stats".to_owned(); n];
    let mut expected = mw(5);
    expected.push("handler stats /a2/stats".to_owned());
    expected.extend(mw(1));
    expected.push("handler stats /a2/stats".to_owned());
    expected.extend(mw(1));
    assert_eq!(ran_under("/a2/stats"), expected);
}

#[actix_web::test]
async fn forged_preflights_to_other_services_still_go_through_the_middleware() {
    let app = test::init_service(admin_app!("/a3")).await;
    // A catch-all resource, `web::route()` without a method guard, a user's
    // own OPTIONS handler registered first, and a path with no route at all.
    for (path, who) in [
        ("/a3/hook", "hook"),
        ("/a3/any", "any"),
        ("/a3/items", "items"),
        ("/a3/nothing", "nothing"),
    ] {
        let res = test::call_service(&app, preflight(path, APP, "GET").to_request()).await;
        assert_eq!(
            outcome(res).await,
            (
                StatusCode::UNAUTHORIZED,
                set(&[]),
                "missing token".to_owned()
            ),
            "{who}"
        );
        assert_eq!(ran_under(path), vec![format!("mw {path}")], "{who}");
    }
    // With a good token, the middleware lets them through to their handlers.
    let req = preflight("/a3/items", APP, "GET").insert_header(("authorization", "Bearer good"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(
        outcome(res).await,
        (StatusCode::OK, set(&[]), "options ran".to_owned())
    );
    assert_eq!(
        ran_under("/a3"),
        vec![
            "mw /a3/items".to_owned(),
            "handler items_options /a3/items".to_owned()
        ]
    );
}

#[actix_web::test]
async fn requests_to_paths_without_an_annotated_route_get_no_cors_headers() {
    let app = test::init_service(admin_app!("/a4")).await;
    for path in ["/a4/hook", "/a4/nothing"] {
        let res = test::call_service(&app, get_req(path, Some(APP), None).to_request()).await;
        assert_eq!(
            outcome(res).await,
            (
                StatusCode::UNAUTHORIZED,
                set(&[]),
                "missing token".to_owned()
            )
        );
    }
    let res = test::call_service(
        &app,
        get_req("/a4/hook", Some(APP), Some("good")).to_request(),
    )
    .await;
    assert_eq!(
        outcome(res).await,
        (StatusCode::OK, set(&[]), "hook ran".to_owned())
    );
    ran_under("/a4");
}

// ---------------------------------------------------------------------------
// `Err` from a middleware, a hand-written `Transform`, nested layers,
// actix-web-httpauth.

#[cors(origins = ["https://app.example.com"], expose = ["x-id"])]
#[get("/report")]
async fn report(req: actix_web::HttpRequest) -> HttpResponse {
    ran(format!("handler report {}", req.path()));
    HttpResponse::Ok().body("report")
}

fn report_allowed() -> Headers {
    set(&[
        ("access-control-allow-origin", APP),
        ("access-control-expose-headers", "x-id"),
        ("vary", "Origin"),
    ])
}

#[actix_web::test]
async fn nested_layers_err_and_hand_written_transform() {
    let app = test::init_service(
        App::new()
            .wrap(CorsAware::new(from_fn(rate_limit)))
            .wrap(CorsAware::new(Maintenance))
            .service(
                web::scope("/nested")
                    .wrap(CorsAware::new(from_fn(require_token)))
                    .service(report),
            ),
    )
    .await;
    // The preflight passes all three layers by.
    let res = test::call_service(&app, preflight("/nested/report", APP, "GET").to_request()).await;
    assert_eq!(
        outcome(res).await,
        (
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", APP),
                ("access-control-allow-methods", "GET"),
                PREFLIGHT_VARY
            ]),
            String::new()
        )
    );
    assert_eq!(ran_under("/nested"), Vec::<String>::new());

    let over =
        get_req("/nested/report", Some(APP), Some("good")).insert_header(("x-over-quota", "1"));
    let down =
        get_req("/nested/report", Some(APP), Some("good")).insert_header(("x-maintenance", "1"));
    let cases = [
        (
            over,
            StatusCode::TOO_MANY_REQUESTS,
            "slow down",
            vec!["maintenance", "limit"],
        ),
        (
            down,
            StatusCode::SERVICE_UNAVAILABLE,
            "maintenance",
            vec!["maintenance"],
        ),
        (
            get_req("/nested/report", Some(APP), None),
            StatusCode::UNAUTHORIZED,
            "missing token",
            vec!["maintenance", "limit", "mw"],
        ),
        (
            get_req("/nested/report", Some(APP), Some("good")),
            StatusCode::OK,
            "report",
            vec!["maintenance", "limit", "mw", "handler report"],
        ),
    ];
    for (req, status, body, layers) in cases {
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(
            outcome(res).await,
            (status, report_allowed(), body.to_owned()),
            "{body}"
        );
        let layers: Vec<String> = layers
            .iter()
            .map(|l| match *l {
                "handler report" => "handler report /nested/report".to_owned(),
                l => format!("{l} /nested/report"),
            })
            .collect();
        assert_eq!(ran_under("/nested"), layers, "{body}");
    }
    // An `Err` for a path without an annotated route stays an `Err`.
    let req = get_req("/nested/none", Some(APP), None).insert_header(("x-over-quota", "1"));
    let Err(err) = app.call(req.to_request()).await else {
        panic!("an error")
    };
    assert_eq!(
        err.as_response_error().status_code(),
        StatusCode::TOO_MANY_REQUESTS
    );
    ran_under("/nested");
}

async fn validate_bearer(
    req: ServiceRequest,
    credentials: BearerAuth,
) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    if credentials.token() == "good" {
        Ok(req)
    } else {
        Err((actix_web::error::ErrorUnauthorized("bad token"), req))
    }
}

#[cors(origins = ["https://app.example.com"], headers = ["authorization"], credentials)]
#[get("/me")]
async fn me() -> HttpResponse {
    HttpResponse::Ok().body("me")
}

#[actix_web::test]
async fn actix_web_httpauth_bearer() {
    let app = test::init_service(
        App::new().service(
            web::scope("/bearer")
                .wrap(CorsAware::new(HttpAuthentication::bearer(validate_bearer)))
                .service(me),
        ),
    )
    .await;
    let req = preflight("/bearer/me", APP, "GET")
        .insert_header(("access-control-request-headers", "authorization"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let me_allowed = set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-credentials", "true"),
        ("vary", "Origin"),
    ]);
    for (token, status, body) in [
        (Some("bad"), StatusCode::UNAUTHORIZED, "bad token"),
        (None, StatusCode::UNAUTHORIZED, ""),
        (Some("good"), StatusCode::OK, "me"),
    ] {
        let res =
            test::call_service(&app, get_req("/bearer/me", Some(APP), token).to_request()).await;
        assert_eq!(
            outcome(res).await,
            (status, me_allowed.clone(), body.to_owned()),
            "{token:?}"
        );
    }
}
