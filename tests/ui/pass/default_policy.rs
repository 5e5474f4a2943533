#![deny(warnings)]

use actix_web::{get, web, App, HttpResponse};
use route_cors::{cors, policy, DefaultPolicy};

policy!(API, origins = ["https://app.example.com"], credentials);

#[get("/orders")]
async fn orders() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(none)]
#[get("/health")]
async fn health() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(
        web::scope("/api")
            .wrap(DefaultPolicy::new(&API))
            .service(orders)
            .service(health),
    );
}
