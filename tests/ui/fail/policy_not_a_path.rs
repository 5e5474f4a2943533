use actix_web::{get, HttpResponse};
use route_cors::{cors, policy};

policy!(pub APP, origins = ["https://app.example.com"]);

trait Policies {
    const CHOSEN: ();
}

struct Here;

impl Policies for Here {
    const CHOSEN: () = ();
}

// A string, not a path.
#[cors(policy = "APP")]
#[get("/a")]
async fn quoted() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// A qualified path (`<T as Trait>::NAME`): `policy!` makes a `static`, which
// such a path cannot name.
#[cors(policy = <Here as Policies>::CHOSEN)]
#[get("/b")]
async fn qualified() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = APP;
}
