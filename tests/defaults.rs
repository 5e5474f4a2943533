//! `DefaultPolicy`: one compile-checked policy for the routes of a scope or of
//! the app that have no `#[cors]`, per-route `#[cors]` winning, `#[cors(none)]`
//! opting out, and the scope's 404 and 405 decorated. Every test asserts the
//! status and the exact set of CORS headers.

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
    expose = ["x-total"],
    credentials,
    max_age = 300
);

/// No `#[cors]`: the default applies.
#[get("/orders")]
async fn orders() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-total", "2"))
        .body("orders")
}

/// No `#[cors]`, another method on a path with an annotated route.
#[post("/mixed")]
async fn mixed_post() -> HttpResponse {
    HttpResponse::Created().body("created")
}

/// Its own, looser policy.
#[cors(origins = "*")]
#[get("/mixed")]
async fn mixed_get() -> HttpResponse {
    HttpResponse::Ok().body("public")
}

/// Its own, stricter policy: another origin, no credentials.
#[cors(origins = ["https://other.example.net"])]
#[get("/strict")]
async fn strict() -> HttpResponse {
    HttpResponse::Ok().body("strict")
}

/// Opted out.
#[cors(none)]
#[get("/health")]
async fn health() -> HttpResponse {
    HttpResponse::Ok().body("up")
}

fn default_allowed() -> Headers {
    set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-credentials", "true"),
        ("access-control-expose-headers", "x-total"),
        ("vary", "Origin"),
    ])
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

fn get(uri: &str, origin: &str) -> test::TestRequest {
    test::TestRequest::get()
        .uri(uri)
        .insert_header(("origin", origin))
}

async fn status_and_headers<S, B>(app: &S, req: test::TestRequest) -> (StatusCode, Headers)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let res = test::call_service(app, req.to_request()).await;
    (res.status(), cors_headers(&res))
}

macro_rules! api_scope {
    ($prefix:literal) => {
        web::scope($prefix)
            .wrap(DefaultPolicy::new(&API))
            .service(orders)
            .service(mixed_get)
            .service(mixed_post)
            .service(strict)
            .service(health)
            .service(web::resource("/things").route(web::get().to(HttpResponse::Ok)))
    };
}

#[actix_web::test]
async fn a_default_on_a_scope_covers_routes_without_cors_and_its_404_and_405() {
    let app = test::init_service(App::new().service(api_scope!("/api"))).await;
    let cases = [
        (get("/api/orders", APP), StatusCode::OK, default_allowed()),
        (
            get("/api/orders", OTHER),
            StatusCode::OK,
            set(&[("vary", "Origin")]),
        ),
        (
            test::TestRequest::get().uri("/api/orders"),
            StatusCode::OK,
            set(&[("vary", "Origin")]),
        ),
        // The scope's 404 and a resource's 405: readable by the page.
        (
            get("/api/nothing", APP),
            StatusCode::NOT_FOUND,
            default_allowed(),
        ),
        (
            test::TestRequest::post()
                .uri("/api/things")
                .insert_header(("origin", APP)),
            StatusCode::METHOD_NOT_ALLOWED,
            default_allowed(),
        ),
        // Preflights for routes without `#[cors]`, and for no route at all.
        (
            preflight("/api/orders", APP, "GET"),
            StatusCode::NO_CONTENT,
            default_preflight(),
        ),
        (
            preflight("/api/nothing", APP, "DELETE"),
            StatusCode::NO_CONTENT,
            default_preflight(),
        ),
        (
            preflight("/api/orders", OTHER, "GET"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        (
            preflight("/api/orders", APP, "TRACE"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
    ];
    for (req, status, headers) in cases {
        assert_eq!(status_and_headers(&app, req).await, (status, headers));
    }
    // Outside the scope, nothing changes.
    let app = test::init_service(
        App::new()
            .service(api_scope!("/api"))
            .service(web::resource("/out").to(HttpResponse::Ok)),
    )
    .await;
    assert_eq!(
        status_and_headers(&app, get("/out", APP)).await,
        (StatusCode::OK, set(&[]))
    );
}

#[actix_web::test]
async fn per_route_policies_win_whether_stricter_or_looser() {
    let app = test::init_service(App::new().service(api_scope!("/api"))).await;
    let any = set(&[("access-control-allow-origin", "*")]);
    let strict_allowed = set(&[("access-control-allow-origin", OTHER), ("vary", "Origin")]);
    let cases = [
        // Looser: any origin, even one the default refuses.
        (get("/api/mixed", OTHER), StatusCode::OK, any.clone()),
        (
            preflight("/api/mixed", OTHER, "GET"),
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", "*"),
                ("access-control-allow-methods", "GET"),
                PREFLIGHT_VARY,
            ]),
        ),
        // Stricter: the default's origin is refused there.
        (
            get("/api/strict", APP),
            StatusCode::OK,
            set(&[("vary", "Origin")]),
        ),
        (
            preflight("/api/strict", APP, "GET"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        (get("/api/strict", OTHER), StatusCode::OK, strict_allowed),
        // Two policies on one path: POST has no `#[cors]`, so the default.
        (
            test::TestRequest::post()
                .uri("/api/mixed")
                .insert_header(("origin", APP)),
            StatusCode::CREATED,
            default_allowed(),
        ),
        (
            preflight("/api/mixed", APP, "POST"),
            StatusCode::NO_CONTENT,
            default_preflight(),
        ),
        (
            preflight("/api/mixed", OTHER, "POST"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
    ];
    for (req, status, headers) in cases {
        assert_eq!(status_and_headers(&app, req).await, (status, headers));
    }
}

#[actix_web::test]
async fn an_opted_out_route_gets_no_cors_at_all() {
    let app = test::init_service(App::new().service(api_scope!("/api"))).await;
    let res = test::call_service(&app, get("/api/health", APP).to_request()).await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (StatusCode::OK, set(&[]))
    );
    assert_eq!(test::read_body(res).await, "up");
    // Its preflight is not answered: the route serves GET only.
    assert_eq!(
        status_and_headers(&app, preflight("/api/health", APP, "GET")).await,
        (StatusCode::NOT_FOUND, set(&[]))
    );
}

#[actix_web::test]
async fn a_default_on_the_app() {
    let app = test::init_service(
        App::new()
            .wrap(DefaultPolicy::new(&API))
            .service(orders)
            .service(strict)
            .service(web::scope("/v2").service(health)),
    )
    .await;
    let cases = [
        (get("/orders", APP), StatusCode::OK, default_allowed()),
        (
            get("/missing", APP),
            StatusCode::NOT_FOUND,
            default_allowed(),
        ),
        (
            preflight("/orders", APP, "GET"),
            StatusCode::NO_CONTENT,
            default_preflight(),
        ),
        (
            get("/strict", APP),
            StatusCode::OK,
            set(&[("vary", "Origin")]),
        ),
        (get("/v2/health", APP), StatusCode::OK, set(&[])),
    ];
    for (req, status, headers) in cases {
        assert_eq!(status_and_headers(&app, req).await, (status, headers));
    }
}

#[actix_web::test]
async fn a_default_with_cors_aware_auth() {
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
    let token =
        |req: test::TestRequest, t: &str| req.insert_header(("authorization", t.to_owned()));
    let cases = [
        // Preflights pass the auth by: the default's, and the route's own.
        (
            preflight("/secure/orders", APP, "GET"),
            StatusCode::NO_CONTENT,
            default_preflight(),
        ),
        (
            preflight("/secure/strict", OTHER, "GET"),
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", OTHER),
                ("access-control-allow-methods", "GET"),
                PREFLIGHT_VARY,
            ]),
        ),
        // The auth's own 401: the default on a route without `#[cors]`, the
        // route's policy on an annotated one.
        (
            get("/secure/orders", APP),
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
        (
            token(get("/secure/orders", APP), "Bearer good"),
            StatusCode::OK,
            default_allowed(),
        ),
        // The auth's `Err` on an annotated route: turned into a response by CorsAware.
        (
            token(get("/secure/strict", OTHER), "Bearer bad"),
            StatusCode::FORBIDDEN,
            set(&[("access-control-allow-origin", OTHER), ("vary", "Origin")]),
        ),
    ];
    for (req, status, headers) in cases {
        assert_eq!(status_and_headers(&app, req).await, (status, headers));
    }
    // The auth's `Err` on a route without `#[cors]` stays an `Err`, decorated
    // when the server renders it.
    let req = token(get("/secure/orders", APP), "Bearer bad").to_request();
    let Err(err) = app.call(req).await else {
        panic!("an error")
    };
    let res = err.error_response();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let headers = cors_headers_of(res.headers());
    assert_eq!(headers, default_allowed());
}

#[actix_web::test]
async fn a_service_that_serves_options_itself_answers_its_own_preflight() {
    let app = test::init_service(App::new().service(
        web::scope("/hooks").wrap(DefaultPolicy::new(&API)).service(
            web::resource("/catch-all").to(|| async { HttpResponse::Ok().body("hook ran") }),
        ),
    ))
    .await;
    // The catch-all takes the preflight, as actix-web routes it; its answer is
    // kept as it is (a preflight is never decorated as an actual response).
    let res =
        test::call_service(&app, preflight("/hooks/catch-all", APP, "GET").to_request()).await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (StatusCode::OK, set(&[]))
    );
    assert_eq!(test::read_body(res).await, "hook ran");
    // A path nothing serves OPTIONS on: the default answers.
    assert_eq!(
        status_and_headers(&app, preflight("/hooks/none", APP, "GET")).await,
        (StatusCode::NO_CONTENT, default_preflight())
    );
}
