use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(origins = ["https://a-*-*.example.com", "https://app.pr-*.example.com", "http://a*.127.0.0.1", "https://*example.com", "https://pr-*", "https://*.example.com.", "https://pr-*.example.com"])]
#[get("/")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
