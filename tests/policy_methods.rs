//! `methods = [..]` in `policy!`: the methods a `DefaultPolicy` allows (any
//! other is refused `403`, as a route's are), and the allow-list of routes
//! using the policy with `#[cors(policy = ..)]`, which a route's own
//! `methods = [..]` replaces. Every case asserts the status and the exact set
//! of CORS headers.

use actix_web::http::{Method, StatusCode};
use actix_web::middleware::from_fn;
use actix_web::{delete, get, post, put, route, test, web, App, HttpResponse};
use route_cors::{cors, policy, CorsAware, DefaultPolicy};

mod common;
use common::{auth, check, preflight, set, Case, Headers, PREFLIGHT_VARY};

const APP: &str = "https://app.example.com";

policy!(
    API,
    origins = ["https://app.example.com"],
    methods = [GET, POST, DELETE],
    max_age = 600
);

/// No `#[cors]`: the default applies.
#[get("/orders")]
async fn orders() -> HttpResponse {
    HttpResponse::Ok().body("orders")
}

/// No `#[cors]`, a method the default does not list.
#[put("/orders")]
async fn replace_orders() -> HttpResponse {
    HttpResponse::Ok().body("replaced")
}

/// The policy's methods: `POST` and `DELETE` here, `PUT` refused.
#[cors(policy = API)]
#[route(
    "/cart",
    method = "GET",
    method = "POST",
    method = "DELETE",
    method = "PUT"
)]
async fn cart() -> HttpResponse {
    HttpResponse::Ok().body("cart")
}

/// Its own `methods` replace the policy's.
#[cors(policy = API, methods = [PUT])]
#[route("/profile", method = "GET", method = "PUT")]
async fn profile() -> HttpResponse {
    HttpResponse::Ok().body("profile")
}

/// A route serving exactly the policy's methods, one by one.
#[cors(policy = API)]
#[route("/notes", method = "GET", method = "POST", method = "DELETE")]
async fn notes() -> HttpResponse {
    HttpResponse::Ok().body("notes")
}

#[post("/hooks")]
async fn hook() -> HttpResponse {
    HttpResponse::Ok().body("hook")
}

#[delete("/hooks")]
async fn unhook() -> HttpResponse {
    HttpResponse::Ok().body("unhook")
}

fn allowed(methods: &str) -> Headers {
    set(&[
        ("access-control-allow-origin", APP),
        ("access-control-allow-methods", methods),
        ("access-control-max-age", "600"),
        PREFLIGHT_VARY,
    ])
}

fn actual() -> Headers {
    set(&[("access-control-allow-origin", APP), ("vary", "Origin")])
}

fn request(method: Method, uri: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(method)
        .uri(uri)
        .insert_header(("origin", APP))
        .insert_header(("authorization", "Bearer good"))
}

fn default_cases() -> Vec<Case<'static>> {
    let all = "GET, POST, DELETE";
    vec![
        (
            "GET",
            preflight("/api/orders", APP, "GET"),
            StatusCode::NO_CONTENT,
            allowed(all),
        ),
        (
            "POST",
            preflight("/api/hooks", APP, "POST"),
            StatusCode::NO_CONTENT,
            allowed(all),
        ),
        (
            "DELETE",
            preflight("/api/hooks", APP, "DELETE"),
            StatusCode::NO_CONTENT,
            allowed(all),
        ),
        // Served by a route without `#[cors]`, but not listed: refused.
        (
            "PUT",
            preflight("/api/orders", APP, "PUT"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        (
            "PATCH",
            preflight("/api/orders", APP, "PATCH"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        // Case matters, as for a route.
        (
            "get",
            preflight("/api/orders", APP, "get"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        // A path nothing serves: the same allow-list.
        (
            "GET, unserved",
            preflight("/api/nothing", APP, "GET"),
            StatusCode::NO_CONTENT,
            allowed(all),
        ),
        (
            "PUT, unserved",
            preflight("/api/nothing", APP, "PUT"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        // Actual requests are decorated as before.
        (
            "actual GET",
            request(Method::GET, "/api/orders"),
            StatusCode::OK,
            actual(),
        ),
        (
            "actual PUT",
            request(Method::PUT, "/api/orders"),
            StatusCode::OK,
            actual(),
        ),
    ]
}

#[actix_web::test]
async fn a_default_allows_exactly_its_methods() {
    let app = test::init_service(
        App::new().service(
            web::scope("/api")
                .wrap(DefaultPolicy::new(&API))
                .service(orders)
                .service(replace_orders)
                .service(hook)
                .service(unhook),
        ),
    )
    .await;
    check(&app, default_cases()).await;
}

#[actix_web::test]
async fn a_default_with_cors_aware_allows_exactly_its_methods() {
    let app = test::init_service(
        App::new().service(
            web::scope("/api")
                .wrap(CorsAware::new(from_fn(auth)))
                .wrap(DefaultPolicy::new(&API))
                .service(orders)
                .service(replace_orders)
                .service(hook)
                .service(unhook),
        ),
    )
    .await;
    check(&app, default_cases()).await;
}

#[actix_web::test]
async fn routes_using_the_policy_allow_its_methods() {
    let app = test::init_service(App::new().service(cart).service(profile).service(notes)).await;
    let cases = vec![
        (
            "cart GET",
            preflight("/cart", APP, "GET"),
            StatusCode::NO_CONTENT,
            allowed("GET, POST, DELETE"),
        ),
        (
            "cart DELETE",
            preflight("/cart", APP, "DELETE"),
            StatusCode::NO_CONTENT,
            allowed("GET, POST, DELETE"),
        ),
        // Served by the route, omitted by the policy: refused.
        (
            "cart PUT",
            preflight("/cart", APP, "PUT"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        (
            "cart actual DELETE",
            request(Method::DELETE, "/cart"),
            StatusCode::OK,
            actual(),
        ),
        // The route's own list replaces the policy's.
        (
            "profile PUT",
            preflight("/profile", APP, "PUT"),
            StatusCode::NO_CONTENT,
            allowed("PUT"),
        ),
        (
            "profile GET",
            preflight("/profile", APP, "GET"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        (
            "notes POST",
            preflight("/notes", APP, "POST"),
            StatusCode::NO_CONTENT,
            allowed("GET, POST, DELETE"),
        ),
    ];
    check(&app, cases).await;
}
