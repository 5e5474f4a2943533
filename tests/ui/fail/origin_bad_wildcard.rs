use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(origins = ["https://*example.com", "https://a.*.example.com", "http://*.127.0.0.1"])]
#[get("/")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
