use actix_web::HttpResponse;
use route_cors::cors;

#[cors(origins = ["https://app.example.com"])]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = handler;
}
