//! The generated code is hygienic and warning-free: this crate denies every
//! warning (and clippy's default lints under `cargo clippy -- -D warnings`),
//! shadows the `actix_web` and `route_cors` names with local modules, imports
//! nothing from actix-web but the routing attributes, and uses `crate = ..`
//! through a re-export.
#![deny(warnings)]

use actix_web::http::StatusCode;
use actix_web::{test, App};

/// Handlers written in a module where `actix_web` and `route_cors` are shadowed.
mod handlers {
    #![deny(warnings)]
    // Local modules with the names the generated code must not rely on.
    #[allow(dead_code)]
    mod actix_web {}
    #[allow(dead_code)]
    mod route_cors {}

    use ::actix_web::get;
    use ::route_cors::cors;

    /// Documented handler: the docs move to the generated struct.
    #[cors(origins = ["https://app.example.com"], headers = ["content-type"], max_age = 60)]
    #[get("/hygiene")]
    pub async fn hygiene() -> &'static str {
        "ok"
    }

    /// Origins filled at startup, named by a path with several segments.
    pub mod sets {
        pub static PARTNERS: ::route_cors::CredentialedOriginSet =
            ::route_cors::CredentialedOriginSet::new("PARTNERS");
    }

    #[cors(origins = sets::PARTNERS, credentials)]
    #[get("/partners")]
    pub async fn partners() -> &'static str {
        "partners"
    }

    ::route_cors::policy!(pub PARTNER_POLICY, origins = sets::PARTNERS, credentials);

    // A private handler: the generated service has the handler's own
    // visibility, as actix-web's routing macros give it, so it is registered
    // from inside its module.
    #[cors(origins = "*")]
    #[::actix_web::post("/private")]
    async fn private_handler() -> &'static str {
        "private"
    }

    /// Registers the private handler.
    pub fn private_routes(cfg: &mut ::actix_web::web::ServiceConfig) {
        cfg.service(private_handler);
    }
}

/// A re-export of route-cors under another path, for `crate = ..`.
mod reexport {
    pub use ::route_cors::__private01;
}

#[route_cors::cors(crate = crate::reexport, origins = ["https://app.example.com"])]
#[actix_web::put("/renamed")]
async fn renamed() -> &'static str {
    "renamed"
}

#[actix_web::test]
async fn hygienic_routes_work() {
    let _: &route_cors::NamedPolicy = &handlers::PARTNER_POLICY;
    let app = test::init_service(
        App::new()
            .service(handlers::hygiene)
            .configure(handlers::private_routes)
            .service(handlers::partners)
            .service(renamed),
    )
    .await;
    for (method, uri) in [
        ("GET", "/hygiene"),
        ("POST", "/private"),
        ("PUT", "/renamed"),
    ] {
        let req = test::TestRequest::default()
            .method(method.parse().unwrap())
            .uri(uri)
            .insert_header(("origin", "https://app.example.com"))
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        let acao = res.headers().get("access-control-allow-origin").unwrap();
        let expected = if uri == "/private" {
            "*"
        } else {
            "https://app.example.com"
        };
        assert_eq!(acao, expected, "{uri}");
        let cors: Vec<_> = res
            .headers()
            .keys()
            .map(|k| k.as_str())
            .filter(|k| k.starts_with("access-control-") || *k == "vary")
            .collect();
        let want: &[&str] = if uri == "/private" {
            &["access-control-allow-origin"]
        } else {
            &["access-control-allow-origin", "vary"]
        };
        let mut cors = cors;
        cors.sort_unstable();
        assert_eq!(cors, want, "{uri}");
    }
}
