use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(origins = ["https://a.example.com", "https://b.example.com", "https://a.example.com"])]
#[get("/exact")]
async fn exact() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://*.example.com", "https://a.example.com", "https://*.example.com"])]
#[get("/pattern")]
async fn pattern() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
