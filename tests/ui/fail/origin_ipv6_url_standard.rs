use actix_web::{get, HttpResponse};
use route_cors::cors;

#[cors(origins = ["http://[::ffff:127.127.127.127]:90", "http://[::1]1:6060", "http://[::ffff:7f7f:7f7f]:90"])]
#[get("/")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
