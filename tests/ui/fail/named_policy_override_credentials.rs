use actix_web::{get, HttpResponse};
use route_cors::cors;

mod policies {
    route_cors::policy!(pub PUBLIC, origins = "*");
    route_cors::policy!(pub EXPOSE_ALL, origins = ["https://app.example.com"], expose = "*");
    route_cors::policy!(pub PLAIN_HTTP, origins = ["http://app.example.com"]);
    route_cors::policy!(pub SUFFIX, origins = ["https://*.github.io"]);
    route_cors::policy!(pub PRIVATE, origins = ["https://app.example.com"], credentials);
}

#[cors(policy = policies::PUBLIC, credentials)]
#[get("/public")]
async fn public() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = policies::EXPOSE_ALL, credentials)]
#[get("/expose")]
async fn expose() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = policies::PLAIN_HTTP, credentials)]
#[get("/http")]
async fn plain_http() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = policies::SUFFIX, credentials)]
#[get("/suffix")]
async fn suffix() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = policies::PRIVATE, expose = "*")]
#[get("/private")]
async fn private() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(public).service(expose).service(plain_http).service(suffix).service(private);
}
