//! Exact in every corner: scope routes written without a leading slash (or
//! with a dynamic first segment, or the empty path) are found behind
//! `CorsAware` and under `DefaultPolicy`; `DefaultPolicy` knows, rather than
//! guesses from headers, whether a route decorated a response; and the order
//! of `wrap` between `DefaultPolicy` and `CorsAware` does not matter. Every
//! case asserts the status and the exact set of CORS headers.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::from_fn;
use actix_web::{get, post, test, web, App, Error, HttpResponse};
use route_cors::{cors, policy, CorsAware, DefaultPolicy};

mod common;
use common::{auth, cors_headers, cors_headers_of, preflight, set, Headers, PREFLIGHT_VARY};

const APP: &str = "https://app.example.com";
const OTHER: &str = "https://other.example.net";

policy!(
    API,
    origins = ["https://app.example.com"],
    headers = ["content-type"],
    credentials,
    max_age = 300
);

policy!(PUBLIC, origins = "*");

fn get(uri: &str, origin: &str) -> test::TestRequest {
    test::TestRequest::get()
        .uri(uri)
        .insert_header(("origin", origin))
}

fn post_req(uri: &str, origin: &str) -> test::TestRequest {
    test::TestRequest::post()
        .uri(uri)
        .insert_header(("origin", origin))
}

fn token(req: test::TestRequest, t: &str) -> test::TestRequest {
    req.insert_header(("authorization", t.to_owned()))
}

async fn status_and_headers<S, B>(app: &S, req: test::TestRequest) -> (StatusCode, Headers)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let res = test::call_service(app, req.to_request()).await;
    (res.status(), cors_headers(&res))
}

// ---------------------------------------------------------------------------
// Item 0: every path form actix-web accepts in a scope.

/// No leading slash: actix-web registers it as `/view`.
#[cors(origins = ["https://app.example.com"], headers = ["authorization", "content-type"], credentials)]
#[post("view")]
async fn view() -> HttpResponse {
    HttpResponse::Ok().body("viewed")
}

/// A dynamic first segment, without a leading slash.
#[cors(origins = ["https://app.example.com"], headers = ["authorization"])]
#[get("{id}")]
async fn by_id(id: web::Path<String>) -> HttpResponse {
    HttpResponse::Ok().body(id.into_inner())
}

/// The scope's own path.
#[cors(origins = ["https://app.example.com"], headers = ["authorization"])]
#[get("")]
async fn index() -> HttpResponse {
    HttpResponse::Ok().body("index")
}

fn view_allowed() -> Headers {
    set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-credentials", "true"),
        ("vary", "Origin"),
    ])
}

fn echo_allowed() -> Headers {
    set(&[("access-control-allow-origin", APP), ("vary", "Origin")])
}

#[actix_web::test]
async fn scope_routes_without_a_leading_slash_are_found_behind_cors_aware() {
    let app = test::init_service(
        App::new().service(
            web::scope("/v2/analytics")
                .wrap(CorsAware::new(from_fn(auth)))
                .service(view)
                .service(index)
                .service(by_id),
        ),
    )
    .await;
    let cases = [
        // Preflights pass the auth by, answered from each route's policy.
        (
            preflight("/v2/analytics/view", APP, "POST")
                .insert_header(("access-control-request-headers", "authorization")),
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", APP),
                ("access-control-allow-credentials", "true"),
                ("access-control-allow-methods", "POST"),
                (
                    "access-control-allow-headers",
                    "authorization, content-type",
                ),
                PREFLIGHT_VARY,
            ]),
        ),
        (
            preflight("/v2/analytics/42", APP, "GET")
                .insert_header(("access-control-request-headers", "authorization")),
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", APP),
                ("access-control-allow-methods", "GET"),
                ("access-control-allow-headers", "authorization"),
                PREFLIGHT_VARY,
            ]),
        ),
        (
            preflight("/v2/analytics", APP, "GET")
                .insert_header(("access-control-request-headers", "authorization")),
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", APP),
                ("access-control-allow-methods", "GET"),
                ("access-control-allow-headers", "authorization"),
                PREFLIGHT_VARY,
            ]),
        ),
        // A refused preflight is still the route's answer, not the auth's.
        (
            preflight("/v2/analytics/view", OTHER, "POST"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        // The auth's 401 and `Err` carry each route's policy.
        (
            post_req("/v2/analytics/view", APP),
            StatusCode::UNAUTHORIZED,
            view_allowed(),
        ),
        (
            token(post_req("/v2/analytics/view", APP), "Bearer bad"),
            StatusCode::FORBIDDEN,
            view_allowed(),
        ),
        (
            get("/v2/analytics/42", APP),
            StatusCode::UNAUTHORIZED,
            echo_allowed(),
        ),
        (
            get("/v2/analytics", APP),
            StatusCode::UNAUTHORIZED,
            echo_allowed(),
        ),
        (
            get("/v2/analytics/42", OTHER),
            StatusCode::UNAUTHORIZED,
            set(&[("vary", "Origin")]),
        ),
        // Through the auth: decorated once, by the route.
        (
            token(post_req("/v2/analytics/view", APP), "Bearer good"),
            StatusCode::OK,
            view_allowed(),
        ),
        (
            token(get("/v2/analytics/42", APP), "Bearer good"),
            StatusCode::OK,
            echo_allowed(),
        ),
        (
            token(get("/v2/analytics", APP), "Bearer good"),
            StatusCode::OK,
            echo_allowed(),
        ),
    ];
    for (i, (req, status, headers)) in cases.into_iter().enumerate() {
        assert_eq!(
            status_and_headers(&app, req).await,
            (status, headers),
            "case {i}"
        );
    }
}

/// Opted out, without a leading slash, under a default.
#[cors(none)]
#[post("hook")]
async fn hook() -> HttpResponse {
    HttpResponse::Ok().body("hooked")
}

#[actix_web::test]
async fn scope_routes_without_a_leading_slash_are_found_under_a_default() {
    let app = test::init_service(
        App::new().service(
            web::scope("/v2/analytics")
                .wrap(DefaultPolicy::new(&PUBLIC))
                .service(hook)
                .service(view)
                .service(index)
                .service(by_id),
        ),
    )
    .await;
    let cases = [
        // The opted-out route gets no CORS at all, preflight or not.
        (
            post_req("/v2/analytics/hook", APP),
            StatusCode::OK,
            set(&[]),
        ),
        (
            preflight("/v2/analytics/hook", APP, "POST"),
            StatusCode::NOT_FOUND,
            set(&[]),
        ),
        // The annotated routes keep their own policies, not the default's `*`.
        (
            post_req("/v2/analytics/view", APP),
            StatusCode::OK,
            view_allowed(),
        ),
        (get("/v2/analytics/42", APP), StatusCode::OK, echo_allowed()),
        (get("/v2/analytics", APP), StatusCode::OK, echo_allowed()),
        (
            get("/v2/analytics/42", OTHER),
            StatusCode::OK,
            set(&[("vary", "Origin")]),
        ),
        (
            preflight("/v2/analytics/42", OTHER, "GET"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        // What no route serves gets the default.
        (
            get("/v2/analytics/a/b", OTHER),
            StatusCode::NOT_FOUND,
            set(&[("access-control-allow-origin", "*")]),
        ),
    ];
    for (i, (req, status, headers)) in cases.into_iter().enumerate() {
        assert_eq!(
            status_and_headers(&app, req).await,
            (status, headers),
            "case {i}"
        );
    }
}

// ---------------------------------------------------------------------------
// Item 1: the default knows whether a route decorated the response.

/// No `#[cors]`; the handler varies on `Origin` for reasons of its own.
#[get("/per-origin")]
async fn per_origin() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("vary", "Origin"))
        .body("per origin")
}

/// No `#[cors]`; the handler says its response varies on everything.
#[get("/uncacheable")]
async fn uncacheable() -> HttpResponse {
    HttpResponse::Ok().insert_header(("vary", "*")).body("any")
}

/// No `#[cors]`; leftovers of hand-written CORS.
#[get("/hand-written")]
async fn hand_written() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("access-control-allow-origin", "https://stale.example.org"))
        .insert_header(("vary", "Accept-Encoding, Origin"))
        .body("stale")
}

fn default_allowed() -> Headers {
    set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-credentials", "true"),
        ("vary", "Origin"),
    ])
}

#[actix_web::test]
async fn a_handler_setting_vary_itself_still_gets_the_default_once() {
    let app = test::init_service(
        App::new().service(
            web::scope("/api")
                .wrap(DefaultPolicy::new(&API))
                .service(per_origin)
                .service(uncacheable)
                .service(hand_written),
        ),
    )
    .await;
    let cases = [
        (get("/api/per-origin", APP), default_allowed()),
        (
            get("/api/uncacheable", APP),
            set(&[
                ("access-control-allow-origin", APP),
                ("access-control-allow-credentials", "true"),
                ("vary", "*"),
            ]),
        ),
        (
            get("/api/hand-written", APP),
            set(&[
                ("access-control-allow-origin", APP),
                ("access-control-allow-credentials", "true"),
                ("vary", "Accept-Encoding, Origin"),
            ]),
        ),
        (get("/api/per-origin", OTHER), set(&[("vary", "Origin")])),
    ];
    for (i, (req, headers)) in cases.into_iter().enumerate() {
        assert_eq!(
            status_and_headers(&app, req).await,
            (StatusCode::OK, headers),
            "case {i}"
        );
    }
}

/// Nested defaults: the scope's, inside the app's, applies; once.
#[actix_web::test]
async fn nested_defaults_decorate_once_with_the_innermost() {
    let app = test::init_service(
        App::new().wrap(DefaultPolicy::new(&PUBLIC)).service(
            web::scope("/api")
                .wrap(DefaultPolicy::new(&API))
                .service(per_origin),
        ),
    )
    .await;
    assert_eq!(
        status_and_headers(&app, get("/api/per-origin", APP)).await,
        (StatusCode::OK, default_allowed())
    );
    // Outside the scope, the app's default.
    assert_eq!(
        status_and_headers(&app, get("/elsewhere", APP)).await,
        (
            StatusCode::NOT_FOUND,
            set(&[("access-control-allow-origin", "*")])
        )
    );
}

// ---------------------------------------------------------------------------
// Item 2: the order of `wrap` between `DefaultPolicy` and `CorsAware`.

/// No `#[cors]`: the default applies.
#[post("/orders")]
async fn orders() -> HttpResponse {
    HttpResponse::Created().body("created")
}

/// Its own policy.
#[cors(origins = ["https://other.example.net"], headers = ["authorization"])]
#[get("/strict")]
async fn strict() -> HttpResponse {
    HttpResponse::Ok().body("strict")
}

fn default_preflight() -> Headers {
    set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-credentials", "true"),
        (
            "access-control-allow-methods",
            "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT",
        ),
        ("access-control-allow-headers", "content-type"),
        ("access-control-max-age", "300"),
        PREFLIGHT_VARY,
    ])
}

/// The same cases, whichever `wrap` comes first.
async fn check_both_orders<S, B>(app: &S, order: &str)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let cases = [
        // Preflights pass the auth by: the default's, and the route's own.
        (
            preflight("/secure/orders", APP, "POST"),
            StatusCode::NO_CONTENT,
            default_preflight(),
        ),
        (
            preflight("/secure/nothing-here", APP, "GET"),
            StatusCode::NO_CONTENT,
            default_preflight(),
        ),
        (
            preflight("/secure/strict", OTHER, "GET"),
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", OTHER),
                ("access-control-allow-methods", "GET"),
                ("access-control-allow-headers", "authorization"),
                PREFLIGHT_VARY,
            ]),
        ),
        // The auth's 401 is readable: the default's headers on a route
        // without `#[cors]`, the route's own on an annotated one.
        (
            post_req("/secure/orders", APP),
            StatusCode::UNAUTHORIZED,
            default_allowed(),
        ),
        (
            get("/secure/strict", OTHER),
            StatusCode::UNAUTHORIZED,
            set(&[("access-control-allow-origin", OTHER), ("vary", "Origin")]),
        ),
        (
            get("/secure/strict", APP),
            StatusCode::UNAUTHORIZED,
            set(&[("vary", "Origin")]),
        ),
        // Authenticated: decorated exactly once.
        (
            token(post_req("/secure/orders", APP), "Bearer good"),
            StatusCode::CREATED,
            default_allowed(),
        ),
        (
            token(get("/secure/strict", OTHER), "Bearer good"),
            StatusCode::OK,
            set(&[("access-control-allow-origin", OTHER), ("vary", "Origin")]),
        ),
        // The auth's `Err` on an annotated route.
        (
            token(get("/secure/strict", OTHER), "Bearer bad"),
            StatusCode::FORBIDDEN,
            set(&[("access-control-allow-origin", OTHER), ("vary", "Origin")]),
        ),
    ];
    for (i, (req, status, headers)) in cases.into_iter().enumerate() {
        assert_eq!(
            status_and_headers(app, req).await,
            (status, headers),
            "{order}, case {i}"
        );
    }
    // The auth's `Err` on a route without `#[cors]`: readable, whether it is
    // turned into a response by `CorsAware` (default inside) or decorated when
    // it is rendered (default outside).
    let req = token(post_req("/secure/orders", APP), "Bearer bad").to_request();
    let res = match app.call(req).await {
        Ok(res) => (res.status(), cors_headers(&res)),
        Err(err) => {
            let res = err.error_response();
            (res.status(), cors_headers_of(res.headers()))
        }
    };
    assert_eq!(res, (StatusCode::FORBIDDEN, default_allowed()), "{order}");
}

#[actix_web::test]
async fn default_outside_cors_aware() {
    let app = test::init_service(
        App::new().service(
            web::scope("/secure")
                .wrap(CorsAware::new(from_fn(auth)))
                .wrap(DefaultPolicy::new(&API))
                .service(orders)
                .service(strict),
        ),
    )
    .await;
    check_both_orders(&app, "default outside").await;
}

#[actix_web::test]
async fn default_inside_cors_aware() {
    let app = test::init_service(
        App::new().service(
            web::scope("/secure")
                .wrap(DefaultPolicy::new(&API))
                .wrap(CorsAware::new(from_fn(auth)))
                .service(orders)
                .service(strict),
        ),
    )
    .await;
    check_both_orders(&app, "default inside").await;
}

/// With another middleware between the two, and on `App`.
#[actix_web::test]
async fn default_inside_cors_aware_on_the_app_with_a_logger_between() {
    let app = test::init_service(
        App::new()
            .wrap(DefaultPolicy::new(&API))
            .wrap(actix_web::middleware::Logger::default())
            .wrap(CorsAware::new(from_fn(auth)))
            .service(web::scope("/secure").service(orders).service(strict)),
    )
    .await;
    check_both_orders(&app, "default inside, on the app").await;
}
