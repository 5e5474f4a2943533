use actix_web::{get, post, routes, HttpResponse};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET, PUT, post])]
#[routes]
#[get("/a")]
#[post("/b")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
