//! `route_cors::test` on real routes: the app's own origin (`fetch_at`, and
//! tenants split by `Host`), a page on the app's own origin, and who answered
//! a refused preflight (route-cors, or a middleware in front of the route),
//! told by route-cors itself. Each test asserts the verdict, the statuses and
//! the exact CORS headers the app sent.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderValue;
use actix_web::middleware::{from_fn, Next};
use actix_web::{get, put, test, web, App, Error, HttpResponse};
use route_cors::test::{Credentials, Engine, Fetch, Page, Rule};
use route_cors::{cors, policy, CorsAware, DefaultPolicy};

const PAGE_A: &str = "https://app.a.test";
const PAGE_B: &str = "https://app.b.test";

fn pairs(lines: &[(&str, &str)]) -> Vec<(String, String)> {
    lines
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

const PREFLIGHT_VARY: (&str, &str) = (
    "vary",
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);

// ---------------------------------------------------------------------------
// Tenants split by `Host`: one path and method, a policy each.

#[cors(origins = ["https://app.a.test"], credentials)]
#[put("/notes", guard = "tenant_a")]
async fn notes_a() -> HttpResponse {
    HttpResponse::Ok().body("a")
}

#[cors(origins = ["https://app.b.test"])]
#[put("/notes", guard = "tenant_b")]
async fn notes_b() -> HttpResponse {
    HttpResponse::Ok().body("b")
}

fn host_is(ctx: &actix_web::guard::GuardContext<'_>, host: &str) -> bool {
    ctx.head().headers.get("host").is_some_and(|h| h == host)
}

fn tenant_a(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    host_is(ctx, "a.acme.test")
}

fn tenant_b(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    host_is(ctx, "b.acme.test")
}

macro_rules! tenants {
    () => {
        test::init_service(App::new().service(notes_a).service(notes_b)).await
    };
}

#[actix_web::test]
async fn tenants_split_by_host_are_reached_through_the_app_origin() {
    let app = tenants!();
    let v = route_cors::test::fetch_at(
        &app,
        "https://a.acme.test",
        PAGE_A,
        Fetch::put("/notes").credentials(Credentials::Include),
    )
    .await
    .assert_allowed();
    assert_eq!((v.status(), v.body()), (Some(200), Some(&b"a"[..])));
    let p = v.preflight().expect("a preflight");
    assert_eq!(
        (p.status(), p.cors_headers()),
        (
            204,
            &pairs(&[
                ("access-control-allow-credentials", "true"),
                ("access-control-allow-methods", "PUT"),
                ("access-control-allow-origin", PAGE_A),
                PREFLIGHT_VARY,
            ])[..]
        )
    );
    assert_eq!(
        v.fetch_metadata(),
        pairs(&[
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-mode", "cors"),
            ("sec-fetch-dest", "empty"),
        ])
    );

    let v = route_cors::test::fetch_at(&app, "https://b.acme.test", PAGE_B, Fetch::put("/notes"))
        .await
        .assert_allowed();
    assert_eq!((v.status(), v.body()), (Some(200), Some(&b"b"[..])));
    assert_eq!(
        v.readable_headers(),
        pairs(&[("content-length", "1")]),
        "{v}"
    );

    // Tenant B's policy judges tenant B's preflight, whoever asks.
    let v = route_cors::test::fetch_at(&app, "https://b.acme.test", PAGE_A, Fetch::put("/notes"))
        .await
        .assert_blocked(Rule::PreflightMissingAllowOriginHeader);
    let p = v.preflight().expect("a preflight");
    assert_eq!(
        (p.status(), p.cors_headers(), p.refused_by_route()),
        (403, &[][..], true)
    );
    assert_eq!(
        v.blocked().map(|b| b.message()),
        Some("Access to fetch at '/notes' from origin 'https://app.a.test' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource. (route-cors answers a refused preflight with 403 and no CORS headers; its debug log, target `cors_runtime`, says why.)")
    );
    assert_eq!(
        v.answered(),
        None,
        "no actual request after a refused preflight"
    );
}

/// A `Host` no tenant serves: the preflight cannot tell the tenants apart by
/// their guards, so the first route whose methods match answers it (with its
/// policy, `credentials` included), and the actual request then reaches no
/// route. Documented in the README ("Routes split by guards") and on
/// `CorsAware`.
#[actix_web::test]
async fn a_host_no_tenant_serves_gets_the_first_tenants_preflight_then_404() {
    let app = tenants!();
    for app_origin in [Some("https://c.acme.test"), None] {
        let mut page = Page::new(&app, PAGE_A);
        if let Some(o) = app_origin {
            page = page.at(o);
        }
        let v = page
            .fetch(Fetch::put("/notes").credentials(Credentials::Include))
            .await
            .assert_blocked(Rule::MissingAllowOriginHeader);
        let p = v.preflight().expect("a preflight");
        assert_eq!(
            (p.status(), p.cors_headers()),
            (
                204,
                &pairs(&[
                    ("access-control-allow-credentials", "true"),
                    ("access-control-allow-methods", "PUT"),
                    ("access-control-allow-origin", PAGE_A),
                    PREFLIGHT_VARY,
                ])[..]
            ),
            "{app_origin:?}"
        );
        assert_eq!(v.answered(), Some(404), "{v}");
    }
}

#[actix_web::test]
async fn the_app_origin_is_checked_like_any_origin_and_never_panics() {
    let app = tenants!();
    for (origin, why) in [
        ("https://a.acme.test/", "origin `https://a.acme.test/` has a path; write `https://a.acme.test`"),
        ("https://a.acme.test:443", "origin `https://a.acme.test:443` names the default port; write `https://a.acme.test`"),
        ("https://*.acme.test", "origin `https://*.acme.test` is a pattern; the app has one origin, such as `https://api.example.com`"),
    ] {
        let v = route_cors::test::fetch_at(&app, origin, PAGE_A, Fetch::put("/notes"))
            .await
            .assert_blocked(Rule::InvalidAppOrigin);
        assert_eq!(
            v.blocked().map(|b| b.message().to_owned()),
            Some(format!("The app's origin is invalid: {why}. Give it as a serialized origin (scheme, host, and a port other than the scheme's default), such as 'https://api.example.com'.")),
        );
        assert_eq!((v.answered(), v.preflight().is_none()), (None, true));
    }
    for origin in [
        "",
        "null",
        "a.acme.test",
        "HTTPS://A.acme.test",
        "https://a.acme.test\n",
        "https://ä.test",
    ] {
        let v = route_cors::test::fetch_at(&app, origin, PAGE_A, Fetch::get("/notes")).await;
        assert_eq!(v.rule(), Some(Rule::InvalidAppOrigin), "{origin:?}: {v}");
    }
}

#[actix_web::test]
async fn a_page_on_the_apps_own_origin_makes_same_origin_calls() {
    let app = tenants!();
    let mut page =
        Page::for_engine(&app, "https://a.acme.test", Engine::Chromium).at("https://a.acme.test");
    let v = page
        .fetch(Fetch::put("/notes").cookie("sid=1"))
        .await
        .assert_allowed();
    assert_eq!(
        (v.preflight().is_none(), v.preflights_sent(Engine::Chromium)),
        (true, 0)
    );
    assert_eq!(
        (v.status(), v.response_type(), v.cookies_sent()),
        (Some(200), Some("basic"), true)
    );
    // Every header but Set-Cookie is readable.
    assert_eq!(
        v.readable_headers(),
        pairs(&[("content-length", "1"), ("vary", "Origin")]),
        "{v}"
    );
    assert_eq!(
        v.fetch_metadata(),
        pairs(&[
            ("sec-fetch-site", "same-origin"),
            ("sec-fetch-mode", "cors"),
            ("sec-fetch-dest", "empty"),
        ])
    );
    // `mode: "same-origin"` is allowed there.
    page.fetch(Fetch::put("/notes").mode(route_cors::test::Mode::SameOrigin))
        .await
        .assert_allowed();
}

// ---------------------------------------------------------------------------
// Who answered a refused preflight.

/// Answers every request without `Authorization: Bearer good` itself, with
/// `status`, as an auth check, an IP block or a rate limiter does.
async fn gate(
    status: u16,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.headers().get("authorization") == Some(&HeaderValue::from_static("Bearer good")) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let status = actix_web::http::StatusCode::from_u16(status).unwrap_or_default();
    Ok(req
        .into_response(HttpResponse::build(status).body("no"))
        .map_into_right_body())
}

async fn auth_401(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    gate(401, req, next).await
}

async fn ip_block_403(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    gate(403, req, next).await
}

async fn limit_429(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    gate(429, req, next).await
}

#[cors(origins = ["https://app.a.test"], headers = ["authorization"])]
#[get("/stats")]
async fn stats_401() -> HttpResponse {
    HttpResponse::Ok().body("stats")
}

#[cors(origins = ["https://app.a.test"], headers = ["authorization"])]
#[get("/stats")]
async fn stats_403() -> HttpResponse {
    HttpResponse::Ok().body("stats")
}

#[cors(origins = ["https://app.a.test"], headers = ["authorization"])]
#[get("/stats")]
async fn stats_429() -> HttpResponse {
    HttpResponse::Ok().body("stats")
}

#[cors(origins = ["https://app.a.test"], headers = ["authorization"])]
#[get("/stats")]
async fn stats_aware() -> HttpResponse {
    HttpResponse::Ok().body("stats")
}

policy!(
    API,
    origins = ["https://app.a.test"],
    headers = ["authorization"]
);

async fn orders() -> HttpResponse {
    HttpResponse::Ok().body("orders")
}

fn middleware_hint(status: u16) -> String {
    format!("Access to fetch at '/{status}/stats' from origin 'https://app.a.test' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource. (route-cors did not answer this preflight: a middleware answered it with {status} before the route. Wrap that middleware in `route_cors::CorsAware::new(..)`, which answers the preflights of annotated routes from their policy; see docs/debugging.md.)")
}

#[actix_web::test]
async fn a_middleware_answering_the_preflight_is_told_apart_from_route_cors() {
    let app = test::init_service(
        App::new()
            .service(
                web::scope("/401")
                    .wrap(from_fn(auth_401))
                    .service(stats_401),
            )
            .service(
                web::scope("/403")
                    .wrap(from_fn(ip_block_403))
                    .service(stats_403),
            )
            .service(
                web::scope("/429")
                    .wrap(from_fn(limit_429))
                    .service(stats_429),
            )
            .service(
                web::scope("/aware")
                    .wrap(CorsAware::new(from_fn(ip_block_403)))
                    .service(stats_aware),
            )
            .service(
                web::scope("/api")
                    .wrap(DefaultPolicy::new(&API))
                    .route("/orders", web::get().to(orders)),
            ),
    )
    .await;
    let with_token = |path: &str| Fetch::get(path).header("Authorization", "Bearer good");
    for status in [401, 403, 429] {
        let v = route_cors::test::fetch(&app, PAGE_A, with_token(&format!("/{status}/stats")))
            .await
            .assert_blocked(Rule::PreflightMissingAllowOriginHeader);
        let p = v.preflight().expect("a preflight");
        assert_eq!(
            (p.status(), p.cors_headers(), p.refused_by_route()),
            (status, &[][..], false)
        );
        assert_eq!(
            v.blocked().map(|b| b.message().to_owned()),
            Some(middleware_hint(status))
        );
    }

    // Wrapped in `CorsAware`: the preflight passes the middleware by, and
    // its own 403 is readable.
    let v = route_cors::test::fetch(&app, PAGE_A, with_token("/aware/stats"))
        .await
        .assert_allowed();
    assert_eq!((v.status(), v.body()), (Some(200), Some(&b"stats"[..])));
    let v = route_cors::test::fetch(
        &app,
        PAGE_A,
        Fetch::get("/aware/stats").header("Authorization", "Bearer bad"),
    )
    .await
    .assert_allowed();
    assert_eq!((v.status(), v.body()), (Some(403), Some(&b"no"[..])));

    // route-cors's own refusals, from `CorsAware` (on the route's behalf)
    // and from a `DefaultPolicy`: a 403 with no CORS headers too, told apart
    // exactly.
    for path in ["/aware/stats", "/api/orders"] {
        let v = route_cors::test::fetch(&app, "https://evil.example", with_token(path))
            .await
            .assert_blocked(Rule::PreflightMissingAllowOriginHeader);
        let p = v.preflight().expect("a preflight");
        assert_eq!(
            (p.status(), p.cors_headers(), p.refused_by_route()),
            (403, &[][..], true),
            "{path}"
        );
        assert!(
            v.to_string().contains("(route-cors answers a refused preflight with 403 and no CORS headers; its debug log, target `cors_runtime`, says why.)\n"),
            "{v}"
        );
    }
}
