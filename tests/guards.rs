//! Routes split by guards on one path and method (tenants by `Host`, versions
//! by a header), and registration order: which route answers a preflight, and
//! what a service registered first on a path takes. Every test asserts the
//! status and the exact set of CORS headers (all `access-control-*` and
//! `vary`).

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{from_fn, Next};
use actix_web::{get, options, post, test, web, App, Error, HttpResponse};
use route_cors::{cors, CorsAware};

mod common;
use common::{cors_headers, get_req, outcome, preflight, set, PREFLIGHT_VARY};

const APP: &str = "https://app.example.com";

/// A rate limiter failing with `Err`, around the tenants.
async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.headers().contains_key("x-over-quota") {
        return Err(actix_web::error::ErrorTooManyRequests("slow down"));
    }
    next.call(req).await
}

// ---------------------------------------------------------------------------
// Routes split by guards on one path and method.

#[cors(origins = ["https://a.example"], headers = ["content-type"])]
#[get("/tenant", guard = "host_a")]
async fn tenant_a() -> HttpResponse {
    HttpResponse::Ok().body("a")
}

#[cors(origins = ["https://b.example"], credentials)]
#[get("/tenant", guard = "host_b")]
async fn tenant_b() -> HttpResponse {
    HttpResponse::Ok().body("b")
}

fn host_a(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.head()
        .headers
        .get("host")
        .is_some_and(|h| h == "a.api.test")
}

fn host_b(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.head()
        .headers
        .get("host")
        .is_some_and(|h| h == "b.api.test")
}

#[cors(origins = ["https://v1.example"])]
#[post("/versioned", guard = "v1")]
async fn versioned_v1() -> HttpResponse {
    HttpResponse::Ok().body("v1")
}

#[cors(origins = ["https://v2.example"])]
#[post("/versioned", guard = "v2")]
async fn versioned_v2() -> HttpResponse {
    HttpResponse::Ok().body("v2")
}

fn v1(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.head()
        .headers
        .get("x-api-version")
        .is_some_and(|h| h == "1")
}

fn v2(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.head()
        .headers
        .get("x-api-version")
        .is_some_and(|h| h == "2")
}

fn tenant_preflight(host: &str, origin: &str) -> test::TestRequest {
    preflight("/tenant", origin, "GET").insert_header(("host", host))
}

/// `a_first`: whether `tenant_a` is registered first (it then answers a
/// preflight for a host no route accepts).
async fn check_tenants<S, B>(app: &S, a_first: bool)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let a_headers = set(&[
        ("access-control-allow-origin", "https://a.example"),
        ("access-control-allow-methods", "GET"),
        ("access-control-allow-headers", "content-type"),
        PREFLIGHT_VARY,
    ]);
    let b = set(&[
        ("access-control-allow-origin", "https://b.example"),
        ("access-control-allow-credentials", "true"),
        ("access-control-allow-methods", "GET"),
        PREFLIGHT_VARY,
    ]);
    for (req, status, headers) in [
        (
            tenant_preflight("a.api.test", "https://a.example"),
            StatusCode::NO_CONTENT,
            a_headers.clone(),
        ),
        (
            tenant_preflight("b.api.test", "https://b.example"),
            StatusCode::NO_CONTENT,
            b,
        ),
        // Each tenant's preflight is judged by its own policy only.
        (
            tenant_preflight("a.api.test", "https://b.example"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        (
            tenant_preflight("b.api.test", "https://a.example"),
            StatusCode::FORBIDDEN,
            set(&[]),
        ),
        // A host no route accepts: the first route whose methods match answers.
        (
            tenant_preflight("c.api.test", "https://a.example"),
            if a_first {
                StatusCode::NO_CONTENT
            } else {
                StatusCode::FORBIDDEN
            },
            if a_first { a_headers.clone() } else { set(&[]) },
        ),
    ] {
        let res = test::call_service(app, req.to_request()).await;
        assert_eq!((res.status(), cors_headers(&res)), (status, headers));
    }
    let res = test::call_service(
        app,
        get_req("/tenant", Some("https://b.example"), None)
            .insert_header(("host", "b.api.test"))
            .to_request(),
    )
    .await;
    assert_eq!(
        outcome(res).await,
        (
            StatusCode::OK,
            set(&[
                ("access-control-allow-origin", "https://b.example"),
                ("access-control-allow-credentials", "true"),
                ("vary", "Origin")
            ]),
            "b".to_owned()
        )
    );
}

#[actix_web::test]
async fn host_split_tenants_get_their_own_preflights_in_both_orders() {
    let ab = test::init_service(App::new().service(tenant_a).service(tenant_b)).await;
    check_tenants(&ab, true).await;
    let ba = test::init_service(App::new().service(tenant_b).service(tenant_a)).await;
    check_tenants(&ba, false).await;
    // Behind a CORS-aware middleware too.
    let aware = test::init_service(
        App::new()
            .wrap(CorsAware::new(from_fn(rate_limit)))
            .service(tenant_b)
            .service(tenant_a),
    )
    .await;
    check_tenants(&aware, false).await;
    // The middleware's `Err` for tenant B carries tenant B's policy.
    let req = get_req("/tenant", Some("https://b.example"), None)
        .insert_header(("host", "b.api.test"))
        .insert_header(("x-over-quota", "1"));
    let res = test::call_service(&aware, req.to_request()).await;
    assert_eq!(
        outcome(res).await,
        (
            StatusCode::TOO_MANY_REQUESTS,
            set(&[
                ("access-control-allow-origin", "https://b.example"),
                ("access-control-allow-credentials", "true"),
                ("vary", "Origin")
            ]),
            "slow down".to_owned()
        )
    );
}

#[actix_web::test]
async fn guards_on_headers_a_preflight_never_has_fall_back_to_the_first_route() {
    for (first_origin, app) in [
        (
            "https://v1.example",
            App::new().service(versioned_v1).service(versioned_v2),
        ),
        (
            "https://v2.example",
            App::new().service(versioned_v2).service(versioned_v1),
        ),
    ] {
        let app = test::init_service(app).await;
        let res = test::call_service(
            &app,
            preflight("/versioned", first_origin, "POST").to_request(),
        )
        .await;
        assert_eq!(
            (res.status(), cors_headers(&res)),
            (
                StatusCode::NO_CONTENT,
                set(&[
                    ("access-control-allow-origin", first_origin),
                    ("access-control-allow-methods", "POST"),
                    PREFLIGHT_VARY
                ])
            )
        );
        // Actual requests still reach the route their header selects.
        for (version, origin, body) in [
            ("1", "https://v1.example", "v1"),
            ("2", "https://v2.example", "v2"),
        ] {
            let req = test::TestRequest::post()
                .uri("/versioned")
                .insert_header(("origin", origin))
                .insert_header(("x-api-version", version));
            let res = test::call_service(&app, req.to_request()).await;
            assert_eq!(
                outcome(res).await,
                (
                    StatusCode::OK,
                    set(&[("access-control-allow-origin", origin), ("vary", "Origin")]),
                    body.to_owned()
                )
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Registration order.

#[cors(origins = ["https://app.example.com"])]
#[get("/ordered")]
async fn ordered() -> HttpResponse {
    HttpResponse::Ok().body("annotated")
}

#[options("/ordered")]
async fn ordered_options() -> HttpResponse {
    HttpResponse::Ok().body("user options")
}

#[actix_web::test]
async fn the_first_service_registered_on_a_path_takes_the_preflight() {
    // Annotated route first: it answers its preflight.
    let app = test::init_service(App::new().service(ordered).service(ordered_options)).await;
    let res = test::call_service(&app, preflight("/ordered", APP, "GET").to_request()).await;
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
    // A user's OPTIONS handler first: it takes the preflight, as actix-web
    // routes to the first match; the browser then sees no CORS headers.
    let app = test::init_service(App::new().service(ordered_options).service(ordered)).await;
    let res = test::call_service(&app, preflight("/ordered", APP, "GET").to_request()).await;
    assert_eq!(
        outcome(res).await,
        (StatusCode::OK, set(&[]), "user options".to_owned())
    );
    // A resource built with routes (no resource guard) first: it answers
    // every method itself, 405 included, and the annotated route is unreachable.
    let app = test::init_service(
        App::new()
            .service(web::resource("/ordered").route(web::post().to(HttpResponse::Ok)))
            .service(ordered),
    )
    .await;
    let res = test::call_service(&app, preflight("/ordered", APP, "GET").to_request()).await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (StatusCode::METHOD_NOT_ALLOWED, set(&[]))
    );
    let res = test::call_service(
        &app,
        test::TestRequest::default()
            .method(Method::GET)
            .uri("/ordered")
            .insert_header(("origin", APP))
            .to_request(),
    )
    .await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (StatusCode::METHOD_NOT_ALLOWED, set(&[]))
    );
}
