use actix_web::{get, HttpResponse};
use route_cors::{cors, policy};

policy!(
    pub APP,
    origins = ["https://app.example.com/"],
    credentials,
    expose = "*",
);

policy!(pub OTHER, origins = ["https://app.example.com"]);

#[cors(policy = OTHER, origins = ["https://admin.example.com"])]
#[get("/")]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = actix_web::App::new().service(handler);
}
