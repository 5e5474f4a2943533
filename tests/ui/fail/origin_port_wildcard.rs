use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(origins = ["http://localhost:*8080", "http://localhost:**", "http://localhost:8*", "http://localhost.:*", "http://localhost:*"])]
#[get("/")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
