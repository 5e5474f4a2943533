use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(origins = [
    "https://a.example.com:0",
    "https://b.example.com:65536",
    "https://c.example.com:08443",
    "https://d.example.com:",
])]
#[get("/")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
