//! `#[cors]` above `#[routes]`: inline keys, `none`, a named policy with and
//! without `methods`, under `#![deny(warnings)]` (the imports of `routes` and
//! of the stacked attributes stay used).
#![deny(warnings)]

use actix_web::{delete, get, post, put, routes, web, App, HttpResponse};
use route_cors::{cors, policy, DefaultPolicy};

policy!(
    /// Reads and deletes.
    pub READ_DELETE,
    origins = ["https://app.example.com"],
    methods = [GET, "DELETE"],
);

policy!(pub PLAIN, origins = ["https://app.example.com"]);

/// Two paths, two methods on one, a subset allowed cross-origin.
#[cors(origins = ["https://app.example.com"], methods = [GET, PUT], headers = ["content-type"])]
#[routes]
#[get("/a")]
#[get("/b")]
#[put("/b")]
#[post("/b")]
async fn inline() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(none)]
#[routes]
#[get("/health")]
#[get("healthz")]
async fn health() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// Serves every method of the policy, and one more (refused at its preflight).
#[cors(policy = READ_DELETE)]
#[routes]
#[get("/items/{id}")]
#[delete("/items/{id}")]
#[post("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// Its own methods replace the policy's, which it does not all serve.
#[cors(policy = READ_DELETE, methods = [POST], max_age = 60)]
#[actix_web::routes]
#[post("/upload")]
#[post("/upload/{name}")]
async fn upload() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = PLAIN)]
#[routes]
#[get("/plain", name = "plain_get")]
#[delete("/plain", name = "plain_delete")]
async fn plain() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// A single route using a policy with methods.
#[cors(policy = READ_DELETE)]
#[actix_web::route("/one", method = "GET", method = "DELETE")]
async fn one() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new()
        .service(inline)
        .service(health)
        .service(items)
        .service(upload)
        .service(plain)
        .service(one)
        .service(web::scope("/api").wrap(DefaultPolicy::new(&READ_DELETE)));
}
