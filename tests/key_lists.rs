//! The list keys as a browser sees them: `methods = [..]` narrows what a
//! preflight may ask for to some of the route's own methods, and a name
//! listed twice (in `methods`, `headers` or `expose`) is sent once. Every
//! case asserts the status and the exact set of CORS headers.

use actix_web::http::StatusCode;
use actix_web::{route, test, App, HttpResponse};
use route_cors::cors;

mod common;
use common::{get_req, outcome, preflight, set, PREFLIGHT_VARY};

const APP: &str = "https://app.example.com";

/// Serves GET, POST and PUT; CORS allows GET and PUT only, each written twice.
#[cors(
    origins = ["https://app.example.com"],
    methods = [GET, PUT, "GET", PUT],
    headers = ["x-trace", "X-Trace", "content-type"],
    expose = ["x-total", "X-Total", "x-page"],
)]
#[route("/reports", method = "GET", method = "POST", method = "PUT")]
async fn reports() -> HttpResponse {
    HttpResponse::Ok().body("reports")
}

#[actix_web::test]
async fn a_preflight_may_ask_only_for_the_listed_methods_each_sent_once() {
    let app = test::init_service(App::new().service(reports)).await;
    for method in ["GET", "PUT"] {
        let req = preflight("/reports", APP, method)
            .insert_header(("access-control-request-headers", "x-trace,content-type"));
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(
            outcome(res).await,
            (
                StatusCode::NO_CONTENT,
                set(&[
                    ("access-control-allow-origin", APP),
                    ("access-control-allow-methods", "GET, PUT"),
                    ("access-control-allow-headers", "x-trace, content-type"),
                    PREFLIGHT_VARY,
                ]),
                String::new()
            ),
            "{method}"
        );
    }
    // The route serves POST, but CORS does not allow it.
    let res = test::call_service(&app, preflight("/reports", APP, "POST").to_request()).await;
    assert_eq!(
        outcome(res).await,
        (StatusCode::FORBIDDEN, set(&[]), String::new())
    );
}

#[actix_web::test]
async fn an_exposed_header_listed_twice_is_sent_once() {
    let app = test::init_service(App::new().service(reports)).await;
    let res = test::call_service(&app, get_req("/reports", Some(APP), None).to_request()).await;
    assert_eq!(
        outcome(res).await,
        (
            StatusCode::OK,
            set(&[
                ("access-control-allow-origin", APP),
                ("access-control-expose-headers", "x-total, x-page"),
                ("vary", "Origin"),
            ]),
            "reports".to_owned()
        )
    );
}
