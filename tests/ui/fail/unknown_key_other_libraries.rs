use actix_web::{get, HttpResponse};
use route_cors::cors;

// actix-cors's names.
#[cors(
    allowed_origin = ["https://app.example.com"],
    allowed_headers = ["content-type"],
    expose_headers = ["etag"],
    supports_credentials,
    max_age_secs = 600,
)]
#[get("/actix-cors")]
async fn actix_cors() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// tower-http's and Flask-CORS's names.
#[cors(
    allow_origins = ["https://app.example.com"],
    allow_headers = ["content-type"],
    exposed_headers = ["etag"],
    allow_credentials,
)]
#[get("/tower-http")]
async fn tower_http() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// Express's and Spring's names.
#[cors(
    allowed_origins = ["https://app.example.com"],
    allowedHeaders = ["content-type"],
    exposedHeaders = ["etag"],
    maxAge = 600,
)]
#[get("/express")]
async fn express() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new()
        .service(actix_cors)
        .service(tower_http)
        .service(express);
}
