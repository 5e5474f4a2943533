use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"])]
#[cors(credentials)]
#[get("/")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
