// `dangerously_allow_cross_origin_writes` on an allow-list route, in
// `policy!`, and as an override of a named policy: compiles without warnings.
#![deny(warnings)]

use actix_web::{post, HttpResponse};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"], dangerously_allow_cross_origin_writes)]
#[post("/inline")]
async fn inline() -> HttpResponse {
    HttpResponse::Ok().finish()
}

route_cors::policy!(PARTNER, origins = ["https://partner.example.com"], credentials, dangerously_allow_cross_origin_writes);

route_cors::policy!(APP, origins = ["https://app.example.com"], credentials);

#[cors(policy = PARTNER)]
#[post("/partner")]
async fn partner() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = APP, dangerously_allow_cross_origin_writes)]
#[post("/app")]
async fn app() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(inline).service(partner).service(app);
}
