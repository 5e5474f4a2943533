use actix_web::{get, HttpResponse};
use route_cors::cors;

// A method is a bare name or a string: not a path.
#[cors(origins = ["https://app.example.com"], methods = [Method::GET])]
#[get("/a")]
async fn method_path() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// A number of seconds, possibly negative (refused as out of range): no other
// operator.
#[cors(origins = ["https://app.example.com"], max_age = !600)]
#[get("/b")]
async fn max_age_not() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
