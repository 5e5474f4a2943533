use actix_web::{get, HttpResponse};
use route_cors::{cors, policy};

const PARTNERS: [&str; 2] = ["https://a.example.com", "https://b.example.com"];
const SLICE: &[&str] = &["https://a.example.com"];

mod config {
    pub static ORIGINS: [&str; 1] = ["https://a.example.com"];
}

// A `const` array instead of a list or a `static OriginSet`.
#[cors(origins = PARTNERS)]
#[get("/array")]
async fn array() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// The same, with `credentials` (which also checks the set's kind).
#[cors(origins = SLICE, credentials)]
#[get("/slice")]
async fn slice() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// A path with several segments.
#[cors(origins = config::ORIGINS)]
#[get("/static")]
async fn in_module() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// In a named policy, without and with `credentials`.
policy!(PUBLIC, origins = PARTNERS);
policy!(PRIVATE, origins = SLICE, credentials);

fn main() {
    let _ = actix_web::App::new()
        .service(array)
        .service(slice)
        .service(in_module);
    let _ = (&PUBLIC, &PRIVATE);
}
