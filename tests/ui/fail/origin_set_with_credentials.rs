use actix_web::{get, HttpResponse};
use route_cors::{cors, policy, OriginSet};

static PARTNERS: OriginSet = OriginSet::new("PARTNERS");

// Inline: a credentialed route needs a `CredentialedOriginSet`.
#[cors(origins = PARTNERS, credentials)]
#[get("/inline")]
async fn inline() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// A named policy without credentials, given credentials by a route.
policy!(PUBLIC_PARTNERS, origins = PARTNERS);

#[cors(policy = PUBLIC_PARTNERS, credentials)]
#[get("/named")]
async fn named() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(inline).service(named);
}
