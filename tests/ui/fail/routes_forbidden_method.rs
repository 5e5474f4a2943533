use actix_web::{get, routes, trace, HttpResponse};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"])]
#[routes]
#[get("/a")]
#[trace("/a")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
