use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(origins = ["http://app.example.com:*", "http://dev-*.localhost:*"], credentials)]
#[get("/")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
