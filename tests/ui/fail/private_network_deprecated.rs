//! `private_network` is deprecated: the warning points at the key, in an
//! inline policy, a named policy and a route overriding one (with
//! `credentials` too, whose const-evaluation span must not take it over).
#![deny(deprecated)]

use actix_web::{get, HttpResponse};
use route_cors::{cors, policy};

#[cors(origins = ["https://app.example.com"], private_network)]
#[get("/inline")]
async fn inline() -> HttpResponse {
    HttpResponse::Ok().finish()
}

policy!(LOCAL, origins = ["https://app.example.com"], private_network = false);

#[cors(policy = LOCAL, credentials, private_network)]
#[get("/named")]
async fn named() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// `#[allow(deprecated)]` on the handler silences it.
#[allow(deprecated)]
#[cors(origins = ["https://app.example.com"], private_network)]
#[get("/allowed")]
async fn allowed() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(inline).service(named).service(allowed);
}
