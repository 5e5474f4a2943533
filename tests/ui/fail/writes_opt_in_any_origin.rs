// `dangerously_allow_cross_origin_writes` has no effect with `origins = "*"`:
// refused at the key, inline, in `policy!`, and on a route using a named
// any-origin policy, also beside `credentials = false` (the error stays at the
// opt-in, not at the other override).
use actix_web::{post, HttpResponse};
use route_cors::cors;

#[cors(origins = "*", dangerously_allow_cross_origin_writes)]
#[post("/inline")]
async fn inline() -> HttpResponse {
    HttpResponse::Ok().finish()
}

route_cors::policy!(OPEN, origins = "*", dangerously_allow_cross_origin_writes);

mod policies {
    route_cors::policy!(pub PUBLIC, origins = "*");
}

#[cors(policy = policies::PUBLIC, dangerously_allow_cross_origin_writes)]
#[post("/named")]
async fn named() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = policies::PUBLIC, credentials = false, dangerously_allow_cross_origin_writes)]
#[post("/named-credentials-off")]
async fn named_credentials_off() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = &OPEN;
    let _ = actix_web::App::new()
        .service(inline)
        .service(named)
        .service(named_credentials_off);
}
