use actix_web::{get, post, routes, HttpResponse};
use route_cors::cors;

// A stacked attribute actix-web rejects: left to actix-web, which reports it.
#[cors(origins = ["https://app.example.com"])]
#[routes]
#[get("/a")]
#[post("/b", wrap)]
async fn malformed() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// `#[routes]` with nothing stacked: actix-web says it needs one.
#[cors(origins = ["https://app.example.com"])]
#[routes]
async fn nothing() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(malformed);
    let _ = nothing;
}
