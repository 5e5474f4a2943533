use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(origins = ["http://127.1", "http://192.168.001.1:8080"])]
#[get("/")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
