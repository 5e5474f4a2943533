use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(none, origins = ["https://app.example.com"], credentials)]
#[get("/health")]
async fn health() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(health);
}
