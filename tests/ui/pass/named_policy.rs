//! Named policies with every kind of override, under `#![deny(warnings)]`.
#![deny(warnings)]

use actix_web::{get, put, HttpResponse};
use route_cors::{cors, policy, CredentialedOriginSet};

mod policies {
    use route_cors::{policy, CredentialedOriginSet};

    policy!(
        /// The web app.
        pub APP,
        origins = ["https://app.example.com", "https://*.app.example.com"],
        headers = ["content-type"],
        max_age = 600,
    );

    policy!(
        /// An intranet tool over plain http.
        pub(crate) INTRANET,
        origins = ["http://tool.intranet.example"],
    );

    /// Filled at startup.
    pub static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("PARTNERS");

    policy!(
        /// Partners.
        pub PARTNER,
        origins = PARTNERS,
        expose = "*",
    );
}

policy!(
    // `private_network` is deprecated; an `allow` on the policy covers the key.
    #[allow(deprecated)]
    LOCAL,
    origins = "*",
    headers = "*",
    private_network,
);

#[cors(policy = policies::APP, credentials, max_age = 60, methods = [GET])]
#[get("/a")]
async fn app_with_credentials() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = policies::INTRANET, credentials, dangerously_allow_http_with_credentials)]
#[put("/b")]
async fn intranet() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = policies::PARTNER, credentials, expose = ["x-total"])]
#[get("/c")]
async fn partner() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[allow(deprecated)]
#[cors(policy = LOCAL, headers = [], expose = "*", private_network = false)]
#[get("/d")]
async fn local() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _: &CredentialedOriginSet = &policies::PARTNERS;
    let _ = actix_web::App::new()
        .service(app_with_credentials)
        .service(intranet)
        .service(partner)
        .service(local);
}
