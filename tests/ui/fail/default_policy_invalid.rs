use actix_web::{web, App};
use route_cors::{policy, DefaultPolicy};

// The default is a named policy: checked at compile time like any `#[cors]`.
policy!(API, origins = "*", credentials);

fn main() {
    let _ = App::new().service(web::scope("/api").wrap(DefaultPolicy::new(&API)));
}
