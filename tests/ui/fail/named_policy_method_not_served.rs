use actix_web::{delete, get, routes, HttpResponse};
use route_cors::cors;

mod policies {
    route_cors::policy!(pub READ_DELETE, origins = ["https://app.example.com"], methods = [GET, DELETE]);
}

#[cors(policy = policies::READ_DELETE)]
#[get("/one")]
async fn one() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = policies::READ_DELETE, max_age = 60)]
#[routes]
#[get("/a")]
#[get("/b")]
async fn stacked() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// Serves both: compiles.
#[cors(policy = policies::READ_DELETE)]
#[routes]
#[get("/c")]
#[delete("/d")]
async fn both() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(one).service(stacked).service(both);
}
