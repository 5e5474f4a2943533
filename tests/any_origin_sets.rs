//! `*` as the whole list of a plain `OriginSet`: the route then answers
//! exactly as one written with `origins = "*"`, preflights included, and a
//! `replace` switches to `*` and back. Each test compares a route on a set
//! with its twin written `origins = "*"` (same other keys), and pins the exact
//! status and set of CORS headers of both. A set of `*` also trusts every
//! origin's cross-origin writes, as `"*"` does, until a list replaces it.

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::{from_fn, Next};
use actix_web::{body::MessageBody, dev::ServiceRequest, get, test, web, App, Error};
use actix_web::{HttpResponse, ResponseError};
use route_cors::{cors, CorsAware, OriginSet};

mod common;
use common::{cors_headers, preflight, set, Headers, PREFLIGHT_VARY};

const APP: &str = "https://app.example.com";
const OTHER: &str = "https://other.example.net";

/// Each test has its own set: they run in parallel.
static SAME: OriginSet = OriginSet::new("SAME");
static SWITCHED: OriginSet = OriginSet::new("SWITCHED");
static GUARDED: OriginSet = OriginSet::new("GUARDED");
static FROM_ENV: OriginSet = OriginSet::new("FROM_ENV");

macro_rules! twins {
    ($set:ident, $on_set:ident, $set_path:literal, $on_star:ident, $star_path:literal) => {
        #[cors(origins = $set, headers = ["content-type"], expose = ["x-id"], max_age = 60, timing)]
        #[get($set_path)]
        async fn $on_set() -> HttpResponse {
            HttpResponse::Ok()
                .insert_header(("x-id", "7"))
                .insert_header(("vary", "accept"))
                .finish()
        }

        #[cors(origins = "*", headers = ["content-type"], expose = ["x-id"], max_age = 60, timing)]
        #[get($star_path)]
        async fn $on_star() -> HttpResponse {
            HttpResponse::Ok()
                .insert_header(("x-id", "7"))
                .insert_header(("vary", "accept"))
                .finish()
        }
    };
}

twins!(SAME, same_set, "/set", same_star, "/star");
twins!(
    SWITCHED,
    switched_set,
    "/switched",
    switched_star,
    "/switched-star"
);
twins!(FROM_ENV, env_set, "/env", env_star, "/env-star");

/// The allowed preflight of a twin, asking for `GET` and `content-type`.
/// (The twins serve `GET`; cross-origin writes are the last test's.)
fn allowed_preflight() -> Headers {
    set(&[
        ("access-control-allow-origin", "*"),
        ("access-control-allow-methods", "GET"),
        ("access-control-allow-headers", "content-type"),
        ("access-control-max-age", "60"),
        PREFLIGHT_VARY,
    ])
}

/// An actual response of a twin: `*`, no `Vary: Origin` (the handler's
/// `Vary` kept as it is).
fn any_actual() -> Headers {
    set(&[
        ("access-control-allow-origin", "*"),
        ("access-control-expose-headers", "x-id"),
        ("timing-allow-origin", "*"),
        ("vary", "accept"),
    ])
}

fn actual(uri: &str, origin: Option<&str>) -> test::TestRequest {
    let mut req = test::TestRequest::get().uri(uri);
    if let Some(origin) = origin {
        req = req.insert_header(("origin", origin));
    }
    req
}

/// Status and CORS headers of the route on the set and of its twin, which
/// must agree, for the same request built for each path.
async fn both<S, B>(
    app: &S,
    paths: (&str, &str),
    req: impl Fn(&str) -> test::TestRequest,
) -> (StatusCode, Headers)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let on_set = test::call_service(app, req(paths.0).to_request()).await;
    let on_star = test::call_service(app, req(paths.1).to_request()).await;
    let got = (on_set.status(), cors_headers(&on_set));
    assert_eq!(got, (on_star.status(), cors_headers(&on_star)), "{paths:?}");
    got
}

#[actix_web::test]
async fn a_set_of_star_answers_exactly_as_origins_star() {
    SAME.set(["*"]).expect("`*` alone");
    let app = test::init_service(App::new().service(same_set).service(same_star)).await;
    let paths = ("/set", "/star");

    for origin in [APP, OTHER, "http://localhost:3000", "null"] {
        let got = both(&app, paths, |p| {
            preflight(p, origin, "GET")
                .insert_header(("access-control-request-headers", "content-type"))
        })
        .await;
        assert_eq!(
            got,
            (StatusCode::NO_CONTENT, allowed_preflight()),
            "{origin}"
        );
    }
    // Refused for what it asks, not for its origin: `403`, no CORS headers.
    let got = both(&app, paths, |p| {
        preflight(p, OTHER, "GET").insert_header(("access-control-request-headers", "x-secret"))
    })
    .await;
    assert_eq!(got, (StatusCode::FORBIDDEN, Headers::new()));
    // No route serves `PUT` there: routing answers, as on the twin.
    let got = both(&app, paths, |p| preflight(p, OTHER, "PUT")).await;
    assert_eq!(got, (StatusCode::NOT_FOUND, Headers::new()));

    // Actual requests: from any origin, from none, from a malformed one.
    for origin in [
        Some(APP),
        Some(OTHER),
        Some("null"),
        Some("not an origin"),
        None,
    ] {
        let got = both(&app, paths, |p| actual(p, origin)).await;
        assert_eq!(got, (StatusCode::OK, any_actual()), "{origin:?}");
    }
    // Two `Origin` lines: still `*`, as on the twin.
    let got = both(&app, paths, |p| {
        actual(p, Some(APP)).append_header(("origin", OTHER))
    })
    .await;
    assert_eq!(got, (StatusCode::OK, any_actual()));
}

#[actix_web::test]
async fn replace_switches_a_route_to_star_and_back() {
    SWITCHED.set([APP]).expect("valid origins");
    let app = test::init_service(App::new().service(switched_set).service(switched_star)).await;
    let ask = |origin: &'static str| {
        move |p: &str| {
            preflight(p, origin, "GET")
                .insert_header(("access-control-request-headers", "content-type"))
        }
    };
    let call = |uri: &str, req: test::TestRequest| {
        let req = req.uri(uri).to_request();
        let app = &app;
        async move {
            let res = test::call_service(app, req).await;
            (res.status(), cors_headers(&res))
        }
    };
    let listed = |origin: &str| {
        (
            StatusCode::OK,
            set(&[
                ("access-control-allow-origin", origin),
                ("access-control-expose-headers", "x-id"),
                ("timing-allow-origin", origin),
                ("vary", "accept, Origin"),
            ]),
        )
    };
    let refused = (StatusCode::OK, set(&[("vary", "accept, Origin")]));

    // A list: the listed origin is echoed, another is refused.
    assert_eq!(
        call("/switched", ask(APP)("/switched")).await,
        (
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", APP),
                ("access-control-allow-methods", "GET"),
                ("access-control-allow-headers", "content-type"),
                ("access-control-max-age", "60"),
                PREFLIGHT_VARY,
            ])
        )
    );
    assert_eq!(
        call("/switched", ask(OTHER)("/switched")).await,
        (StatusCode::FORBIDDEN, Headers::new())
    );
    assert_eq!(call("/switched", actual("/", Some(APP))).await, listed(APP));
    assert_eq!(call("/switched", actual("/", Some(OTHER))).await, refused);

    // Replaced by `*`: from the next request on, the twin's answers.
    SWITCHED.replace(["*"]).expect("`*` alone");
    let paths = ("/switched", "/switched-star");
    for origin in [APP, OTHER] {
        assert_eq!(
            both(&app, paths, ask(origin)).await,
            (StatusCode::NO_CONTENT, allowed_preflight()),
            "{origin}"
        );
        assert_eq!(
            both(&app, paths, |p| actual(p, Some(origin))).await,
            (StatusCode::OK, any_actual()),
            "{origin}"
        );
    }

    // A refused replacement keeps `*` in force.
    let err = SWITCHED.replace([APP, "*"]).expect_err("`*` among others");
    assert_eq!(
        err.problems,
        ["`*` (any origin) must be the only entry of an origin set: next to it the other entries mean nothing; write `*` alone to allow any origin, or remove it to allow only the listed origins"]
    );
    assert_eq!(
        both(&app, paths, |p| actual(p, Some(OTHER))).await,
        (StatusCode::OK, any_actual())
    );

    // Back to a list: `Vary: Origin` again, and the other origin refused.
    SWITCHED.replace([OTHER]).expect("valid origins");
    assert_eq!(
        call("/switched", ask(APP)("/switched")).await,
        (StatusCode::FORBIDDEN, Headers::new())
    );
    assert_eq!(
        call("/switched", actual("/", Some(OTHER))).await,
        listed(OTHER)
    );
    assert_eq!(call("/switched", actual("/", Some(APP))).await, refused);
    assert_eq!(
        call("/switched", actual("/", None)).await,
        refused,
        "no `Origin`: `Vary` only"
    );
}

#[actix_web::test]
async fn star_from_the_environment_with_defaults_for_development() {
    let var = "ROUTE_CORS_TEST_ANY_FROM_ENV";
    std::env::set_var(var, "*");
    FROM_ENV
        .set_from_env_or(var, ["http://localhost:3000"])
        .expect("`*` alone");
    let app = test::init_service(App::new().service(env_set).service(env_star)).await;
    let got = both(&app, ("/env", "/env-star"), |p| actual(p, Some(OTHER))).await;
    assert_eq!(got, (StatusCode::OK, any_actual()));
}

// --- Behind `CorsAware`: the middleware's own answers get `*` too. ---------

#[derive(Debug)]
struct Unauthorized;

impl std::fmt::Display for Unauthorized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no token")
    }
}

impl ResponseError for Unauthorized {
    fn status_code(&self) -> StatusCode {
        StatusCode::UNAUTHORIZED
    }
}

async fn require_token(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.headers().contains_key("authorization") {
        next.call(req).await
    } else {
        Err(Unauthorized.into())
    }
}

#[cors(origins = GUARDED, headers = ["authorization"])]
#[get("/items")]
async fn guarded_items() -> HttpResponse {
    HttpResponse::Ok().body("items")
}

#[cors(origins = "*", headers = ["authorization"])]
#[get("/items-star")]
async fn guarded_items_star() -> HttpResponse {
    HttpResponse::Ok().body("items")
}

#[actix_web::test]
async fn behind_cors_aware_the_preflight_passes_and_the_401_is_readable() {
    GUARDED.set(["*"]).expect("`*` alone");
    let app = test::init_service(
        App::new().service(
            web::scope("/api")
                .wrap(CorsAware::new(from_fn(require_token)))
                .service(guarded_items)
                .service(guarded_items_star),
        ),
    )
    .await;
    let paths = ("/api/items", "/api/items-star");
    let got = both(&app, paths, |p| {
        preflight(p, OTHER, "GET")
            .insert_header(("access-control-request-headers", "authorization"))
    })
    .await;
    assert_eq!(
        got,
        (
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", "*"),
                ("access-control-allow-methods", "GET"),
                ("access-control-allow-headers", "authorization"),
                PREFLIGHT_VARY,
            ])
        )
    );
    let star = set(&[("access-control-allow-origin", "*")]);
    let got = both(&app, paths, |p| {
        test::TestRequest::get()
            .uri(p)
            .insert_header(("origin", OTHER))
    })
    .await;
    assert_eq!(got, (StatusCode::UNAUTHORIZED, star.clone()));
    let got = both(&app, paths, |p| {
        test::TestRequest::get()
            .uri(p)
            .insert_header(("origin", OTHER))
            .insert_header(("authorization", "Bearer t"))
    })
    .await;
    assert_eq!(got, (StatusCode::OK, star));
}

// --- Cross-origin writes: `*` in a set trusts every origin, as `"*"` does. --

static WRITES: OriginSet = OriginSet::new("WRITES");

#[cors(origins = WRITES)]
#[actix_web::post("/writes")]
async fn write_on_set() -> HttpResponse {
    HttpResponse::Created().finish()
}

#[cors(origins = "*")]
#[actix_web::post("/writes-star")]
async fn write_on_star() -> HttpResponse {
    HttpResponse::Created().finish()
}

#[actix_web::test]
async fn a_set_of_star_trusts_cross_origin_writes_until_replaced_by_a_list() {
    WRITES.set(["*"]).expect("`*` alone");
    let app = test::init_service(App::new().service(write_on_set).service(write_on_star)).await;
    let post = |origin: &'static str| {
        move |p: &str| {
            test::TestRequest::post()
                .uri(p)
                .insert_header(("origin", origin))
                .insert_header(("sec-fetch-site", "cross-site"))
        }
    };
    let star = set(&[("access-control-allow-origin", "*")]);
    assert_eq!(
        both(&app, ("/writes", "/writes-star"), post(OTHER)).await,
        (StatusCode::CREATED, star)
    );

    WRITES.replace([APP]).expect("valid origins");
    let res = test::call_service(&app, post(OTHER)("/writes").to_request()).await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (StatusCode::FORBIDDEN, Headers::new()),
        "an origin the list does not name: refused before the handler"
    );
    let res = test::call_service(&app, post(APP)("/writes").to_request()).await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (
            StatusCode::CREATED,
            set(&[("access-control-allow-origin", APP), ("vary", "Origin")])
        )
    );
}

// `CrossOriginProtection::trusted` reads a set the same way: `*` trusts every
// origin's writes; a list, only its own.

static SISTERS: OriginSet = OriginSet::new("SISTERS");

#[actix_web::post("/account/email")]
async fn change_email() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("location", "/account"))
        .finish()
}

#[actix_web::test]
async fn cross_origin_protection_trusting_a_set_of_star_trusts_every_origin() {
    SISTERS.set(["*"]).expect("`*` alone");
    let app = test::init_service(
        App::new()
            .wrap(route_cors::CrossOriginProtection::new().trusted(&SISTERS))
            .service(change_email),
    )
    .await;
    let post = |origin: &str| {
        test::TestRequest::post()
            .uri("/account/email")
            .insert_header(("origin", origin))
            .insert_header(("sec-fetch-site", "cross-site"))
            .to_request()
    };
    let res = test::call_service(&app, post(OTHER)).await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (StatusCode::SEE_OTHER, Headers::new())
    );
    SISTERS.replace([APP]).expect("valid origins");
    let res = test::call_service(&app, post(OTHER)).await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (StatusCode::FORBIDDEN, Headers::new())
    );
    let res = test::call_service(&app, post(APP)).await;
    assert_eq!(
        (res.status(), cors_headers(&res)),
        (StatusCode::SEE_OTHER, Headers::new())
    );
}
