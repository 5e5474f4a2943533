//! Every key of `#[cors(..)]` in valid combinations, under `#![deny(warnings)]`.
#![deny(warnings)]

use actix_web::{get, post, route, HttpResponse};
use route_cors::{cors, CredentialedOriginSet};

static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("PARTNERS");

// `private_network` is deprecated; the handler's `allow` covers the key.
#[allow(deprecated)]
#[cors(
    origins = [
        "https://app.example.com",
        "http://localhost:3000",
        "https://*.example.com:8443",
        "http://[::1]:8080",
        "http://127.0.0.1:5173",
        "chrome-extension://abcdefghijklmnop",
    ],
    methods = [GET, "HEAD"],
    headers = ["Content-Type", "authorization"],
    expose = ["X-Total"],
    credentials,
    max_age = 86400,
    private_network,
    timing,
)]
#[route("/a", method = "GET", method = "HEAD")]
async fn everything() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = "*", headers = "*", expose = "*", max_age = 0, credentials = false)]
#[post("/b")]
async fn public() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = PARTNERS, credentials)]
#[get("/c")]
async fn partners() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(
    origins = ["http://intranet.example.com", "https://*.github.io"],
    credentials,
    dangerously_allow_http_with_credentials,
    dangerously_allow_public_suffix_wildcard_with_credentials,
)]
#[get("/d")]
async fn risky_on_purpose() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(crate = route_cors, origins = ["https://app.example.com"], r#credentials = true)]
#[actix_web::delete("/e")]
async fn renamed() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new()
        .service(everything)
        .service(public)
        .service(partners)
        .service(risky_on_purpose)
        .service(renamed);
}
