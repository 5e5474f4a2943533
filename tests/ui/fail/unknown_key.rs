use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(origin = ["https://app.example.com"], allow_credentials, max_ago = 600)]
#[get("/")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
