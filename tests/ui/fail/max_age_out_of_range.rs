use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"], max_age = -1)]
#[get("/")]
async fn negative() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], max_age = 86401)]
#[get("/day")]
async fn above_a_day() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(negative).service(above_a_day);
}
