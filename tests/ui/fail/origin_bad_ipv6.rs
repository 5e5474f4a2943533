use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(origins = ["http://[0:0:0:0:0:0:0:1]:8080", "http://[::g]"])]
#[get("/")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
