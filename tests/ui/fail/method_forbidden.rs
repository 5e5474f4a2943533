use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(origins = ["https://app.example.com"], methods = [TRACE, "connect", "Track"])]
#[get("/")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[actix_web::trace("/trace")]
async fn trace_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler).service(trace_route);
}
