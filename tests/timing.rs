//! `timing`: `Timing-Allow-Origin` on actual responses, the same value as
//! `Access-Control-Allow-Origin`, and never for a refused origin.

mod common;

use actix_web::http::StatusCode;
use actix_web::{get, test, App, HttpResponse};
use common::{cors_headers, preflight, set, PREFLIGHT_VARY};
use route_cors::cors;

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";

#[cors(origins = ["https://app.example.com"], timing)]
#[get("/timed")]
async fn timed() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

#[cors(origins = "*", timing)]
#[get("/public")]
async fn public() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

#[cors(origins = ["https://app.example.com"], credentials, timing)]
#[get("/own")]
async fn own() -> HttpResponse {
    // A handler that sets its own, wider value: the route's policy replaces it.
    HttpResponse::Ok()
        .insert_header(("timing-allow-origin", "*"))
        .body("ok")
}

#[cors(origins = ["https://app.example.com"])]
#[get("/untimed")]
async fn untimed() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("timing-allow-origin", "https://cdn.example.com"))
        .body("ok")
}

route_cors::policy!(TIMED, origins = ["https://app.example.com"], timing);

#[cors(policy = TIMED)]
#[get("/named")]
async fn named() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

#[cors(policy = TIMED, timing = false)]
#[get("/named-off")]
async fn named_off() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

macro_rules! app {
    () => {
        test::init_service(
            App::new()
                .service(timed)
                .service(public)
                .service(own)
                .service(untimed)
                .service(named)
                .service(named_off),
        )
        .await
    };
}

fn get(uri: &str, origin: Option<&str>) -> test::TestRequest {
    let req = test::TestRequest::get().uri(uri);
    match origin {
        Some(o) => req.insert_header(("origin", o)),
        None => req,
    }
}

#[actix_web::test]
async fn allowed_origins_get_the_same_value_as_acao() {
    let app = app!();
    for (uri, origin, expected) in [
        (
            "/timed",
            APP,
            set(&[
                ("access-control-allow-origin", APP),
                ("timing-allow-origin", APP),
                ("vary", "Origin"),
            ]),
        ),
        (
            "/public",
            EVIL,
            set(&[
                ("access-control-allow-origin", "*"),
                ("timing-allow-origin", "*"),
            ]),
        ),
        (
            "/own",
            APP,
            set(&[
                ("access-control-allow-origin", APP),
                ("access-control-allow-credentials", "true"),
                ("timing-allow-origin", APP),
                ("vary", "Origin"),
            ]),
        ),
        (
            "/named",
            APP,
            set(&[
                ("access-control-allow-origin", APP),
                ("timing-allow-origin", APP),
                ("vary", "Origin"),
            ]),
        ),
    ] {
        let res = test::call_service(&app, get(uri, Some(origin)).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        assert_eq!(cors_headers(&res), expected, "{uri}");
    }
}

#[actix_web::test]
async fn refused_or_absent_origins_never_get_it() {
    let app = app!();
    for (uri, origin) in [
        ("/timed", Some(EVIL)),
        ("/timed", None),
        ("/own", Some(EVIL)),
        ("/named", Some(EVIL)),
    ] {
        let res = test::call_service(&app, get(uri, origin).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{uri} {origin:?}");
        // `/own`'s handler set `*`: removed, since the origin is refused.
        assert_eq!(
            cors_headers(&res),
            set(&[("vary", "Origin")]),
            "{uri} {origin:?}"
        );
    }
}

#[actix_web::test]
async fn off_by_default_and_overridable_per_route() {
    let app = app!();
    // Without `timing` the route leaves the handler's own header alone.
    let res = test::call_service(&app, get("/untimed", Some(APP)).to_request()).await;
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", APP),
            ("timing-allow-origin", "https://cdn.example.com"),
            ("vary", "Origin"),
        ])
    );
    let res = test::call_service(&app, get("/named-off", Some(APP)).to_request()).await;
    assert_eq!(
        cors_headers(&res),
        set(&[("access-control-allow-origin", APP), ("vary", "Origin")])
    );
}

#[actix_web::test]
async fn preflights_do_not_carry_it() {
    let app = app!();
    let res = test::call_service(&app, preflight("/timed", APP, "GET").to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        cors_headers(&res),
        set(&[
            ("access-control-allow-origin", APP),
            ("access-control-allow-methods", "GET"),
            PREFLIGHT_VARY,
        ])
    );
}
