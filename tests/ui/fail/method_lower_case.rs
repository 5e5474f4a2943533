use actix_web::{get, route, HttpResponse};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = ["get"])]
#[get("/")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], methods = [GET, Put])]
#[route("/both", method = "GET", method = "PUT")]
async fn both() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler).service(both);
}
