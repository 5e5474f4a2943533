//! The registry of annotated routes, at its edges: the startup warning about
//! two annotated routes sharing a resource name (which `CorsAware` uses to
//! find a route), and when it stays silent. Lines are captured with the
//! suites' `log::Log`; each case uses its own names, since a warning is
//! logged once per process.

mod common;

use actix_web::http::StatusCode;
use actix_web::{test, web, App};
use common::capture::{install, lines_containing};
use log::Level;

const APP: &str = "https://app.example.com";

/// The warnings about the resource name `name`.
fn same_name_warnings(name: &str) -> Vec<String> {
    lines_containing(Level::Warn, &format!("share the resource name `{name}`"))
}

/// Two modules, each with annotated routes whose functions (so resource
/// names) are the same as the other's.
mod first {
    use actix_web::{get, HttpResponse};
    use route_cors::cors;

    #[cors(origins = ["https://app.example.com"])]
    #[get("/report")]
    pub async fn clash() -> HttpResponse {
        HttpResponse::Ok().body("first")
    }

    #[cors(none)]
    #[get("/health")]
    pub async fn quiet_none() -> HttpResponse {
        HttpResponse::Ok().body("first health")
    }

    #[cors(none)]
    #[get("/status")]
    pub async fn loud_none() -> HttpResponse {
        HttpResponse::Ok().body("first status")
    }

    #[cors(none)]
    #[get("/mixed")]
    pub async fn mixed() -> HttpResponse {
        HttpResponse::Ok().body("first mixed")
    }

    #[cors(origins = ["https://app.example.com"])]
    #[get("/shared")]
    pub async fn shared() -> HttpResponse {
        HttpResponse::Ok().body("shared")
    }
}

mod second {
    use actix_web::{get, HttpResponse};
    use route_cors::cors;

    #[cors(origins = ["https://other.example.com"])]
    #[get("/report")]
    pub async fn clash() -> HttpResponse {
        HttpResponse::Ok().body("second")
    }

    #[cors(none)]
    #[get("/health")]
    pub async fn quiet_none() -> HttpResponse {
        HttpResponse::Ok().body("second health")
    }

    #[cors(none)]
    #[get("/other-status")]
    pub async fn loud_none() -> HttpResponse {
        HttpResponse::Ok().body("second status")
    }

    #[cors(origins = ["https://app.example.com"])]
    #[get("/mixed")]
    pub async fn mixed() -> HttpResponse {
        HttpResponse::Ok().body("second mixed")
    }
}

#[actix_web::test]
async fn two_policies_under_one_name_are_warned_about_once() {
    install();
    for _ in 0..2 {
        let app = test::init_service(
            App::new()
                .service(web::scope("/one").service(first::clash))
                .service(web::scope("/two").service(second::clash)),
        )
        .await;
        // Each still answers with its own policy when reached directly.
        let req = test::TestRequest::get()
            .uri("/two/report")
            .insert_header(("origin", "https://other.example.com"));
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers().get("access-control-allow-origin").unwrap(),
            "https://other.example.com"
        );
    }
    let warnings = same_name_warnings("clash");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("GET /report (`clash`) and GET /report (`clash`)"),
        "{warnings:?}"
    );
}

#[actix_web::test]
async fn one_route_registered_twice_is_not_warned_about() {
    install();
    // The same annotated route in two scopes (one policy), and in a second
    // app on this thread: nothing to tell apart.
    for _ in 0..2 {
        let app = test::init_service(
            App::new()
                .service(web::scope("/v1").service(first::shared))
                .service(web::scope("/v2").service(first::shared)),
        )
        .await;
        let req = test::TestRequest::get()
            .uri("/v2/shared")
            .insert_header(("origin", APP));
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(
            res.headers().get("access-control-allow-origin").unwrap(),
            APP
        );
    }
    assert_eq!(same_name_warnings("shared"), Vec::<String>::new());
}

#[actix_web::test]
async fn opted_out_routes_under_one_name_are_warned_about_only_on_another_path() {
    install();
    let _app = test::init_service(
        App::new()
            // Both opted out, one path: nothing to tell apart.
            .service(web::scope("/a").service(first::quiet_none))
            .service(web::scope("/b").service(second::quiet_none))
            // Both opted out, other paths: told apart by their patterns.
            .service(web::scope("/c").service(first::loud_none))
            .service(web::scope("/d").service(second::loud_none))
            // One opted out, one with a policy.
            .service(web::scope("/e").service(first::mixed))
            .service(web::scope("/f").service(second::mixed)),
    )
    .await;
    assert_eq!(same_name_warnings("quiet_none"), Vec::<String>::new());
    // Opted-out routes are found by their pattern among the routes of one
    // name, so two of them on other paths need no warning either.
    assert_eq!(same_name_warnings("loud_none"), Vec::<String>::new());
    let mixed = same_name_warnings("mixed");
    assert_eq!(mixed.len(), 1, "{mixed:?}");
    assert!(
        mixed[0].contains("GET /mixed (`mixed`) and GET /mixed (`mixed`)"),
        "{mixed:?}"
    );
}

// ---------------------------------------------------------------------------
// A `DefaultPolicy` hands a preflight's default to a `CorsAware` inside it
// for the time of its call only: a later preflight that reuses the request's
// memory, in a scope without a default, goes through that scope's middleware.

mod defaults {
    use actix_web::body::MessageBody;
    use actix_web::dev::{ServiceRequest, ServiceResponse};
    use actix_web::middleware::Next;
    use actix_web::{Error, HttpResponse};

    route_cors::policy!(pub SCOPE_A_DEFAULT, origins = ["https://app.example.com"]);

    /// Lets nothing through.
    pub async fn deny(
        req: ServiceRequest,
        _next: Next<impl MessageBody + 'static>,
    ) -> Result<ServiceResponse<impl MessageBody>, Error> {
        Ok(req.into_response(HttpResponse::Unauthorized().body("denied")))
    }

    pub async fn plain() -> HttpResponse {
        HttpResponse::Ok().body("plain")
    }
}

#[actix_web::test]
async fn a_default_is_handed_to_a_cors_aware_inside_only_for_its_own_preflight() {
    use actix_web::middleware::from_fn;
    use common::{outcome, preflight, set, PREFLIGHT_VARY};
    use route_cors::{CorsAware, DefaultPolicy};

    let app = test::init_service(
        App::new()
            .service(
                web::scope("/a")
                    .wrap(CorsAware::new(from_fn(defaults::deny)))
                    .wrap(DefaultPolicy::new(&defaults::SCOPE_A_DEFAULT))
                    .route("/plain", web::get().to(defaults::plain)),
            )
            .service(
                web::scope("/b")
                    .wrap(CorsAware::new(from_fn(defaults::deny)))
                    .route("/plain", web::get().to(defaults::plain)),
            ),
    )
    .await;
    // An `/a` preflight, then two `/b` ones: actix-web pools request heads,
    // and in a test app the heads of successive requests alternate between
    // two, so the second `/b` preflight has the head the `/a` one had.
    for _ in 0..3 {
        let res = test::call_service(&app, preflight("/a/plain", APP, "GET").to_request()).await;
        assert_eq!(
            outcome(res).await,
            (
                StatusCode::NO_CONTENT,
                set(&[
                    ("access-control-allow-origin", APP),
                    (
                        "access-control-allow-methods",
                        "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
                    ),
                    PREFLIGHT_VARY,
                ]),
                String::new()
            )
        );
        for _ in 0..2 {
            let req = preflight("/b/plain", APP, "GET").to_request();
            let res = test::call_service(&app, req).await;
            assert_eq!(
                outcome(res).await,
                (StatusCode::UNAUTHORIZED, set(&[]), "denied".to_owned())
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Routes on one path with other methods, each with a guard a preflight never
// satisfies (a header only the actual request has): the preflight falls back
// to the first route whose methods match, not to the first route on the path.

mod split {
    use actix_web::guard::GuardContext;
    use actix_web::{get, post, HttpResponse};
    use route_cors::cors;

    pub fn accepts_json(ctx: &GuardContext<'_>) -> bool {
        ctx.head()
            .headers
            .get("accept")
            .is_some_and(|v| v == "application/json")
    }

    pub fn sends_json(ctx: &GuardContext<'_>) -> bool {
        ctx.head()
            .headers
            .get("content-type")
            .is_some_and(|v| v == "application/json")
    }

    #[cors(origins = ["https://read.example"])]
    #[get("/docs", guard = "accepts_json")]
    pub async fn docs_read() -> HttpResponse {
        HttpResponse::Ok().body("read")
    }

    #[cors(origins = ["https://write.example"], headers = ["content-type"])]
    #[post("/docs", guard = "sends_json")]
    pub async fn docs_write() -> HttpResponse {
        HttpResponse::Created().body("written")
    }
}

#[actix_web::test]
async fn a_preflight_unmatched_by_guards_falls_back_to_the_first_route_of_its_method() {
    use common::{outcome, preflight, set, PREFLIGHT_VARY};

    let app = test::init_service(
        App::new()
            .service(split::docs_read)
            .service(split::docs_write),
    )
    .await;
    let req = preflight("/docs", "https://write.example", "POST")
        .insert_header(("access-control-request-headers", "content-type"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(
        outcome(res).await,
        (
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", "https://write.example"),
                ("access-control-allow-methods", "POST"),
                ("access-control-allow-headers", "content-type"),
                PREFLIGHT_VARY,
            ]),
            String::new()
        )
    );
    let res = test::call_service(
        &app,
        preflight("/docs", "https://read.example", "GET").to_request(),
    )
    .await;
    assert_eq!(
        outcome(res).await,
        (
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", "https://read.example"),
                ("access-control-allow-methods", "GET"),
                PREFLIGHT_VARY,
            ]),
            String::new()
        )
    );
}

#[actix_web::test]
async fn a_cors_aware_without_a_default_inside_logs_no_error() {
    use actix_web::middleware::from_fn;
    use route_cors::CorsAware;

    install();
    let app = test::init_service(
        App::new().service(
            web::scope("/alone")
                .wrap(CorsAware::new(from_fn(defaults::deny)))
                .route("/plain", web::get().to(defaults::plain)),
        ),
    )
    .await;
    let res = test::call_service(
        &app,
        test::TestRequest::get().uri("/alone/plain").to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        lines_containing(Level::Error, "`DefaultPolicy`"),
        Vec::<String>::new()
    );
}

// ---------------------------------------------------------------------------
// A path whose routes neither serve nor opt out of the method a preflight
// asks for is unserved: the default answers it, even when another method of
// the path opted out.

mod half_opted_out {
    use actix_web::{get, post, HttpResponse};
    use route_cors::cors;

    #[cors(none)]
    #[get("/ledger")]
    pub async fn ledger_read() -> HttpResponse {
        HttpResponse::Ok().body("read")
    }

    #[cors(origins = ["https://other.example.com"])]
    #[post("/ledger")]
    pub async fn ledger_write() -> HttpResponse {
        HttpResponse::Created().body("written")
    }
}

#[actix_web::test]
async fn a_method_no_route_serves_gets_the_default_beside_an_opted_out_one() {
    use common::{outcome, preflight, set, PREFLIGHT_VARY};
    use route_cors::DefaultPolicy;

    let app = test::init_service(
        App::new().service(
            web::scope("/mix")
                .wrap(DefaultPolicy::new(&defaults::SCOPE_A_DEFAULT))
                .service(half_opted_out::ledger_read)
                .service(half_opted_out::ledger_write),
        ),
    )
    .await;
    let res = test::call_service(&app, preflight("/mix/ledger", APP, "DELETE").to_request()).await;
    assert_eq!(
        outcome(res).await,
        (
            StatusCode::NO_CONTENT,
            set(&[
                ("access-control-allow-origin", APP),
                (
                    "access-control-allow-methods",
                    "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
                ),
                PREFLIGHT_VARY,
            ]),
            String::new()
        )
    );
    // The opted-out method is left to actix-web: no route serves `OPTIONS`.
    let res = test::call_service(&app, preflight("/mix/ledger", APP, "GET").to_request()).await;
    assert_eq!(
        outcome(res).await,
        (StatusCode::NOT_FOUND, set(&[]), String::new())
    );
}
