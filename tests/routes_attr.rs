//! `#[cors]` above actix-web's `#[routes]`: one handler on several paths and
//! methods, each route with the policy, its preflights and its decoration;
//! with `#[cors(none)]` and `#[cors(policy = ..)]` too; paths with and
//! without a leading slash, inside scopes and behind `CorsAware`. Every case
//! asserts the status and the exact set of CORS headers.

use actix_web::http::{Method, StatusCode};
use actix_web::middleware::from_fn;
use actix_web::{delete, get, patch, post, routes, test, web, App, HttpResponse};
use route_cors::{cors, policy, CorsAware, DefaultPolicy};

mod common;
use common::{auth, check, preflight, set, Headers, PREFLIGHT_VARY};

const APP: &str = "https://app.example.com";
const OTHER: &str = "https://other.example.net";

/// Two paths, and two methods on one of them.
#[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
#[routes]
#[get("/a")]
#[get("/b")]
#[post("/b")]
async fn stacked(req: actix_web::HttpRequest) -> HttpResponse {
    HttpResponse::Ok().body(format!("{} {}", req.method(), req.path()))
}

/// Scope routes written without a leading slash, and with one.
#[cors(origins = ["https://app.example.com"])]
#[routes]
#[get("view")]
#[post("view")]
#[delete("/{id}")]
async fn in_scope(req: actix_web::HttpRequest) -> HttpResponse {
    HttpResponse::Ok().body(format!("{} {}", req.method(), req.path()))
}

/// `methods` names a subset of the stacked methods.
#[cors(origins = ["https://app.example.com"], methods = [GET])]
#[routes]
#[get("/subset")]
#[post("/subset")]
async fn subset() -> HttpResponse {
    HttpResponse::Ok().body("subset")
}

/// Opted out on every stacked route.
#[cors(none)]
#[routes]
#[get("/none")]
#[post("none-too")]
async fn opted_out() -> HttpResponse {
    HttpResponse::Ok().body("none")
}

policy!(
    WRITES,
    origins = ["https://app.example.com"],
    methods = [GET, DELETE]
);
policy!(PLAIN, origins = ["https://app.example.com"], max_age = 60);

/// A named policy listing methods; the handler serves one more (`PATCH`).
#[cors(policy = WRITES)]
#[routes]
#[get("/items/{id}")]
#[delete("/items/{id}")]
#[patch("/items/{id}")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().body("item")
}

/// A named policy without methods: the union of the stacked ones.
#[cors(policy = PLAIN)]
#[routes]
#[get("/plain")]
#[delete("plain-too")]
async fn plain() -> HttpResponse {
    HttpResponse::Ok().body("plain")
}

fn allowed(methods: &str) -> Headers {
    set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-methods", methods),
        PREFLIGHT_VARY,
    ])
}

/// The preflight headers of `stacked`, which lists a request header.
fn allowed_with_headers() -> Headers {
    set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-methods", "GET, POST"),
        ("access-control-allow-headers", "content-type"),
        PREFLIGHT_VARY,
    ])
}

fn actual() -> Headers {
    set(&[("access-control-allow-origin", APP), ("vary", "Origin")])
}

fn request(method: Method, uri: &str, origin: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(method)
        .uri(uri)
        .insert_header(("origin", origin))
}

#[actix_web::test]
async fn every_stacked_route_answers_its_preflights_and_is_decorated() {
    let app = test::init_service(App::new().service(stacked)).await;
    let with_headers = |req: test::TestRequest| {
        req.insert_header(("access-control-request-headers", "content-type"))
    };
    let cases = vec![
        (
            "GET /a",
            preflight("/a", APP, "GET"),
            StatusCode::NO_CONTENT,
            allowed_with_headers(),
        ),
        (
            "GET /b",
            preflight("/b", APP, "GET"),
            StatusCode::NO_CONTENT,
            allowed_with_headers(),
        ),
        (
            "POST /b",
            preflight("/b", APP, "POST"),
            StatusCode::NO_CONTENT,
            allowed_with_headers(),
        ),
        (
            "POST /b with a header",
            with_headers(preflight("/b", APP, "POST")),
            StatusCode::NO_CONTENT,
            allowed_with_headers(),
        ),
        // A method no stacked route serves on that path: not this handler's.
        (
            "POST /a",
            preflight("/a", APP, "POST"),
            StatusCode::NOT_FOUND,
            set(&[]),
        ),
        (
            "PUT /b",
            preflight("/b", APP, "PUT"),
            StatusCode::NOT_FOUND,
            set(&[]),
        ),
        // Another origin: refused on every route.
        (
            "other on /a",
            preflight("/a", OTHER, "GET"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        (
            "other on /b",
            preflight("/b", OTHER, "POST"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        (
            "actual GET /a",
            request(Method::GET, "/a", APP),
            StatusCode::OK,
            actual(),
        ),
        (
            "actual GET /b",
            request(Method::GET, "/b", APP),
            StatusCode::OK,
            actual(),
        ),
        (
            "actual POST /b",
            request(Method::POST, "/b", APP),
            StatusCode::OK,
            actual(),
        ),
        (
            "actual GET /a, other origin",
            request(Method::GET, "/a", OTHER),
            StatusCode::OK,
            set(&[("vary", "Origin")]),
        ),
        (
            "actual POST /a",
            request(Method::POST, "/a", APP),
            StatusCode::NOT_FOUND,
            set(&[]),
        ),
    ];
    check(&app, cases).await;
}

#[actix_web::test]
async fn scope_routes_with_and_without_a_leading_slash_behind_cors_aware() {
    let app = test::init_service(
        App::new().service(
            web::scope("/s")
                .wrap(CorsAware::new(from_fn(auth)))
                .service(in_scope),
        ),
    )
    .await;
    let token = |req: test::TestRequest| req.insert_header(("authorization", "Bearer good"));
    let methods = "GET, POST, DELETE";
    let cases = vec![
        // Preflights are answered by the route, before the auth.
        (
            "GET view",
            preflight("/s/view", APP, "GET"),
            StatusCode::NO_CONTENT,
            allowed(methods),
        ),
        (
            "POST view",
            preflight("/s/view", APP, "POST"),
            StatusCode::NO_CONTENT,
            allowed(methods),
        ),
        (
            "DELETE {id}",
            preflight("/s/7", APP, "DELETE"),
            StatusCode::NO_CONTENT,
            allowed(methods),
        ),
        (
            "other origin",
            preflight("/s/view", OTHER, "GET"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        // The auth's 401, decorated by the route's policy.
        (
            "no token, GET view",
            request(Method::GET, "/s/view", APP),
            StatusCode::UNAUTHORIZED,
            actual(),
        ),
        (
            "no token, DELETE {id}",
            request(Method::DELETE, "/s/7", APP),
            StatusCode::UNAUTHORIZED,
            actual(),
        ),
        (
            "GET view",
            token(request(Method::GET, "/s/view", APP)),
            StatusCode::OK,
            actual(),
        ),
        (
            "POST view",
            token(request(Method::POST, "/s/view", APP)),
            StatusCode::OK,
            actual(),
        ),
        (
            "DELETE {id}",
            token(request(Method::DELETE, "/s/7", APP)),
            StatusCode::OK,
            actual(),
        ),
    ];
    check(&app, cases).await;
}

#[actix_web::test]
async fn methods_narrow_the_stacked_ones() {
    let app = test::init_service(App::new().service(subset)).await;
    let cases = vec![
        (
            "GET",
            preflight("/subset", APP, "GET"),
            StatusCode::NO_CONTENT,
            allowed("GET"),
        ),
        // Served, but not allowed cross-origin.
        (
            "POST",
            preflight("/subset", APP, "POST"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        (
            "actual GET",
            request(Method::GET, "/subset", APP),
            StatusCode::OK,
            actual(),
        ),
    ];
    check(&app, cases).await;
}

#[actix_web::test]
async fn opting_out_covers_every_stacked_route_under_a_default() {
    policy!(API, origins = ["https://app.example.com"]);
    let app = test::init_service(
        App::new().service(
            web::scope("/api")
                .wrap(DefaultPolicy::new(&API))
                .service(opted_out),
        ),
    )
    .await;
    let cases = vec![
        (
            "preflight /none",
            preflight("/api/none", APP, "GET"),
            StatusCode::NOT_FOUND,
            set(&[]),
        ),
        (
            "preflight none-too",
            preflight("/api/none-too", APP, "POST"),
            StatusCode::NOT_FOUND,
            set(&[]),
        ),
        (
            "GET /none",
            request(Method::GET, "/api/none", APP),
            StatusCode::OK,
            set(&[]),
        ),
        (
            "POST none-too",
            request(Method::POST, "/api/none-too", APP),
            StatusCode::OK,
            set(&[]),
        ),
    ];
    check(&app, cases).await;
}

#[actix_web::test]
async fn a_named_policy_on_stacked_routes() {
    let app = test::init_service(
        App::new()
            .service(items)
            .service(web::scope("/p").service(plain)),
    )
    .await;
    let plain_allowed = set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-methods", "GET, DELETE"),
        ("access-control-max-age", "60"),
        PREFLIGHT_VARY,
    ]);
    let cases = vec![
        // The policy's methods are the allow-list...
        (
            "GET",
            preflight("/items/1", APP, "GET"),
            StatusCode::NO_CONTENT,
            allowed("GET, DELETE"),
        ),
        (
            "DELETE",
            preflight("/items/1", APP, "DELETE"),
            StatusCode::NO_CONTENT,
            allowed("GET, DELETE"),
        ),
        // ...so a method the handler also serves is refused cross-origin.
        (
            "PATCH",
            preflight("/items/1", APP, "PATCH"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        (
            "actual DELETE",
            request(Method::DELETE, "/items/1", APP),
            StatusCode::OK,
            actual(),
        ),
        // Without methods in the policy, the stacked routes' own.
        (
            "plain GET",
            preflight("/p/plain", APP, "GET"),
            StatusCode::NO_CONTENT,
            plain_allowed.clone(),
        ),
        (
            "plain DELETE",
            preflight("/p/plain-too", APP, "DELETE"),
            StatusCode::NO_CONTENT,
            plain_allowed,
        ),
        (
            "plain actual",
            request(Method::DELETE, "/p/plain-too", APP),
            StatusCode::OK,
            actual(),
        ),
    ];
    check(&app, cases).await;
}

#[actix_web::test]
async fn stacked_routes_sharing_a_name_are_not_reported() {
    common::capture::install();
    let _app = test::init_service(
        App::new()
            .service(stacked)
            .service(opted_out)
            .service(items)
            .service(web::scope("/s").service(in_scope))
            .service(web::scope("/p").service(plain)),
    )
    .await;
    // Every stacked route of a handler has the handler's name; they share
    // one policy (or all opted out), so the lookup tells them apart by path.
    let warnings = common::capture::lines_containing(log::Level::Warn, "CORS");
    assert_eq!(warnings, Vec::<String>::new());
}
