//! Claims of `docs/migrating-from-actix-cors.md` that its worked example
//! (`examples/migrated.rs`) does not exercise, on the shape of a public API
//! migrated from actix-cors: any origin, header and method on most routes; an
//! analytics scope whose origins come from the environment, where `*` means
//! any origin; routes written without a leading slash; and a rate limiter
//! around the app that used to write `Access-Control-Allow-Origin: *` on its
//! own `429` by hand. Exact statuses and sets of CORS headers.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::{from_fn, Next};
use actix_web::{get, post, test, web, App, Error, HttpResponse};
use route_cors::{cors, CorsAware, OriginSet};

mod common;
use common::{cors_headers, preflight, set, Headers, PREFLIGHT_VARY};

const SITE: &str = "https://site.example.com";
const OTHER: &str = "https://blog.example.net";

/// The analytics scope's origins: `ANALYTICS_ORIGINS`, where `*` means any.
static ANALYTICS: OriginSet = OriginSet::new("analytics");

#[cors(origins = ANALYTICS, headers = ["content-type"])]
#[post("view")]
async fn view() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

/// Was `allow_any_origin().allow_any_header().allow_any_method().send_wildcard()`.
#[cors(origins = "*", headers = "*")]
#[get("{id}")]
async fn project(id: web::Path<String>) -> HttpResponse {
    HttpResponse::Ok().body(id.into_inner())
}

/// Answers `429` itself when the client is over its limit (here: asks to
/// be), with the header it used to add by hand so that pages could read it.
async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.headers().contains_key("x-over-limit") {
        let res = HttpResponse::TooManyRequests()
            .insert_header(("access-control-allow-origin", "*"))
            .insert_header(("retry-after", "30"))
            .finish();
        return Ok(req.into_response(res).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

fn app() -> App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    App::new()
        .wrap(CorsAware::new(from_fn(rate_limit)))
        .service(web::scope("/v2/analytics").service(view))
        .service(web::scope("/v2/project").service(project))
}

fn post_view(origin: &str, over_limit: bool) -> actix_http::Request {
    let mut req = test::TestRequest::post()
        .uri("/v2/analytics/view")
        .insert_header(("origin", origin))
        .insert_header(("content-type", "application/json"));
    if over_limit {
        req = req.insert_header(("x-over-limit", "1"));
    }
    req.to_request()
}

#[actix_web::test]
async fn an_env_list_where_star_means_any_and_a_rate_limiter_wrapped_in_cors_aware() {
    let var = "ROUTE_CORS_TEST_ANALYTICS_ORIGINS";
    std::env::set_var(var, "*");
    ANALYTICS.set_from_env_or(var, [SITE]).expect("`*` alone");
    let app = test::init_service(app()).await;
    let star = set(&[("access-control-allow-origin", "*")]);

    // `*` from the environment: the scope route written `view` answers its
    // preflight as `origins = "*"` would, past the rate limiter.
    let res = test::call_service(
        &app,
        preflight("/v2/analytics/view", OTHER, "POST")
            .insert_header(("access-control-request-headers", "content-type"))
            .to_request(),
    )
    .await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", "*"),
                ("access-control-allow-methods", "POST"),
                ("access-control-allow-headers", "content-type"),
                PREFLIGHT_VARY,
            ])
        )
    );
    let res = test::call_service(&app, post_view(OTHER, false)).await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (StatusCode::NO_CONTENT, star.clone())
    );

    // The limiter's own `429`: one `*`, the route's, not two.
    let res = test::call_service(&app, post_view(OTHER, true)).await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (StatusCode::TOO_MANY_REQUESTS, star.clone())
    );
    assert_eq!(res.headers().get("retry-after").unwrap(), "30");

    // The list replaced by one origin: the limiter's hand-written `*` gives
    // way to the route's answer for each origin.
    ANALYTICS.replace([SITE]).expect("valid origins");
    let res = test::call_service(&app, post_view(SITE, true)).await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (
            StatusCode::TOO_MANY_REQUESTS,
            set(&[("access-control-allow-origin", SITE), ("vary", "Origin")])
        )
    );
    let res = test::call_service(&app, post_view(OTHER, true)).await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (StatusCode::TOO_MANY_REQUESTS, set(&[("vary", "Origin")])),
        "an origin the list does not name reads nothing, `*` written by hand included"
    );

    // The any-origin scope, route written `{id}`: `*`, no `Vary`, whatever
    // the origin; `Authorization` is echoed rather than covered by `*`.
    let res = test::call_service(
        &app,
        test::TestRequest::get()
            .uri("/v2/project/abc")
            .insert_header(("origin", OTHER))
            .to_request(),
    )
    .await;
    assert_eq!((res.status(), cors_headers(&res)), (StatusCode::OK, star));
    let res = test::call_service(
        &app,
        preflight("/v2/project/abc", OTHER, "GET")
            .insert_header(("access-control-request-headers", "authorization,x-trace"))
            .to_request(),
    )
    .await;
    let expected: Headers = set(&[
        ("access-control-allow-origin", "*"),
        ("access-control-allow-methods", "GET"),
        ("access-control-allow-headers", "authorization,x-trace"),
        PREFLIGHT_VARY,
    ]);
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (StatusCode::NO_CONTENT, expected)
    );
}
