//! Per-route CORS for actix-web, correct by construction.
//!
//! Put the policy on the handler with [`#[cors]`](macro@cors), directly above its
//! routing attribute. The route then answers its own preflight, every response it
//! produces carries the policy (errors included), and policy mistakes such as a
//! wildcard origin with credentials are compile errors.
//!
//! ```
//! use actix_web::{get, post, test, web, App, HttpResponse};
//! use route_cors::cors;
//!
//! #[cors(origins = ["https://app.example.com"], headers = ["content-type"], credentials, max_age = 600)]
//! #[post("/invoices")]
//! async fn create_invoice(body: String) -> HttpResponse {
//!     HttpResponse::Created().body(body)
//! }
//!
//! #[cors(origins = "*")]
//! #[get("/invoices")]
//! async fn list_invoices() -> HttpResponse {
//!     HttpResponse::Ok().body("[]")
//! }
//!
//! # #[actix_web::main]
//! # async fn main() {
//! let app = test::init_service(App::new().service(create_invoice).service(list_invoices)).await;
//!
//! // The preflight for POST /invoices is answered by the POST route's policy.
//! let req = test::TestRequest::default()
//!     .method(actix_web::http::Method::OPTIONS)
//!     .uri("/invoices")
//!     .insert_header(("origin", "https://app.example.com"))
//!     .insert_header(("access-control-request-method", "POST"))
//!     .insert_header(("access-control-request-headers", "content-type"))
//!     .to_request();
//! let res = test::call_service(&app, req).await;
//! assert_eq!(res.status(), 204);
//! assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://app.example.com");
//! assert_eq!(res.headers().get("access-control-allow-credentials").unwrap(), "true");
//! assert_eq!(res.headers().get("access-control-max-age").unwrap(), "600");
//!
//! // GET /invoices is public.
//! let req = test::TestRequest::get().uri("/invoices").to_request();
//! let res = test::call_service(&app, req).await;
//! assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "*");
//! # }
//! ```
//!
//! # Origins configured at startup
//!
//! Origins that differ per deployment go in a `static` [`OriginSet`], filled from the
//! environment before the server starts. Entries go through the same validator as
//! the attribute; one bad entry stops startup with every problem listed, and an
//! unfilled set allows no origin.
//!
//! ```
//! use actix_web::{get, HttpResponse};
//! use route_cors::{cors, CredentialedOriginSet};
//!
//! // A route with `credentials` needs a `CredentialedOriginSet`, which also
//! // refuses plain-`http` and public-suffix wildcard entries.
//! static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("PARTNER_ORIGINS");
//!
//! #[cors(origins = PARTNERS, credentials)]
//! #[get("/reports")]
//! async fn reports() -> HttpResponse {
//!     HttpResponse::Ok().finish()
//! }
//!
//! # fn main() -> Result<(), route_cors::OriginsError> {
//! # std::env::set_var("PARTNER_ORIGINS", "https://a.partner.example, https://*.b.example");
//! PARTNERS.set_from_env("PARTNER_ORIGINS")?; // before HttpServer::new(..)
//! # Ok(())
//! # }
//! ```

/// Per-route CORS policy for an actix-web handler.
///
/// # Syntax
///
/// ```text
/// #[cors(origins = [..] | "*" | STATIC_ORIGIN_SET, key = value, flag, ..)]
/// #[get("/path", ..)]          // or post, put, patch, delete, head, route(.., method = ..)
/// async fn handler(..) -> impl Responder { .. }
/// ```
///
/// `#[cors]` must sit directly above the routing attribute; it takes the routing
/// attribute over and registers one resource that serves the route's methods and
/// the preflights asking for them. Registration is unchanged:
/// `App::new().service(handler)`.
///
/// # Keys
///
/// - `origins` (required): a list of exact origins and `https://*.example.com`
///   patterns, `"*"` for any origin, or the path of a `static` [`OriginSet`].
/// - `methods`: the methods a preflight may ask for; default: the route's own.
/// - `headers`: request headers a preflight may announce, or `"*"`; default: none.
/// - `expose`: response headers JavaScript may read, or `"*"`; default: none.
/// - `credentials`: allow cookies and `Authorization`; default: off.
/// - `max_age`: preflight cache lifetime in seconds (0 to 86400); default: no header.
/// - `private_network`: answer Private Network Access preflights; default: off.
/// - `dangerously_allow_http_with_credentials`: allow plain-`http` origins that
///   are not loopback on a credentialed route; default: off.
/// - `dangerously_allow_public_suffix_wildcard_with_credentials`: allow a `*.`
///   pattern on a public suffix (`https://*.github.io`) on a credentialed route;
///   default: off.
/// - `policy`: a named policy made by [`policy!`]; the other keys then override
///   it for this route (all but `origins`).
/// - `crate`: the path of `route_cors` if it is renamed; default: `::route_cors`.
///
/// Every policy mistake is a compile error at the offending token; the list of
/// mistakes and their messages is in `docs/rules.md`.
///
/// # Examples
///
/// ```
/// use actix_web::{delete, HttpResponse};
/// use route_cors::cors;
///
/// #[cors(origins = ["https://admin.example.com"], headers = ["authorization"], credentials)]
/// #[delete("/users/{id}")]
/// async fn delete_user() -> HttpResponse {
///     HttpResponse::NoContent().finish()
/// }
/// # let _ = actix_web::App::new().service(delete_user);
/// ```
///
/// A wildcard origin with credentials does not compile, because browsers refuse it:
///
/// ```compile_fail
/// use actix_web::{get, HttpResponse};
/// use route_cors::cors;
///
/// #[cors(origins = "*", credentials)]
/// #[get("/me")]
/// async fn me() -> HttpResponse {
///     HttpResponse::Ok().finish()
/// }
/// ```
pub use cors_macros::cors;

/// A named CORS policy, defined once and used by many routes.
///
/// `policy!(vis NAME, keys..)` takes the keys of [`#[cors]`](macro@cors) except
/// `methods` (each route allows its own methods), checks them the same way at
/// compile time, and defines `vis static NAME:` [`NamedPolicy`]. Routes use it
/// with `#[cors(policy = NAME)]` and may override any key but `origins`:
/// `#[cors(policy = NAME, max_age = 60)]`.
///
/// Each route's policy is built from the named one by const evaluation into
/// the same `static` an inline `#[cors(..)]` generates, so a named-policy route
/// answers exactly like one with the keys written inline, at the same cost. An
/// override that makes the policy invalid, such as `credentials` on a policy
/// whose origins are `"*"`, fails that evaluation: a compile error at the
/// override, even when the policy is defined in another module or crate.
///
/// ```
/// use actix_web::{get, put, HttpResponse};
/// use route_cors::cors;
///
/// mod policies {
///     route_cors::policy!(
///         /// The web app, on every API route.
///         pub APP,
///         origins = ["https://app.example.com", "https://*.preview.example.com"],
///         headers = ["content-type", "authorization"],
///         credentials,
///         max_age = 600,
///     );
/// }
///
/// #[cors(policy = policies::APP)]
/// #[get("/profile")]
/// async fn profile() -> HttpResponse {
///     HttpResponse::Ok().finish()
/// }
///
/// #[cors(policy = policies::APP, max_age = 60, expose = ["etag"])]
/// #[put("/profile")]
/// async fn update_profile() -> HttpResponse {
///     HttpResponse::NoContent().finish()
/// }
/// # let _ = actix_web::App::new().service(profile).service(update_profile);
/// ```
///
/// An override that breaks the policy does not compile:
///
/// ```compile_fail,E0080
/// use actix_web::{get, HttpResponse};
/// use route_cors::cors;
///
/// route_cors::policy!(pub PUBLIC, origins = "*");
///
/// #[cors(policy = PUBLIC, credentials)] // `credentials` cannot be added to this policy: ..
/// #[get("/me")]
/// async fn me() -> HttpResponse {
///     HttpResponse::Ok().finish()
/// }
/// # fn main() { let _ = actix_web::App::new().service(me); }
/// ```
pub use cors_macros::policy;
pub use cors_runtime::{
    rules, CredentialedOriginSet, NamedPolicy, OriginSet, OriginsConfig, OriginsError,
};

#[cfg(feature = "test-util")]
pub mod test;

/// Items used by the code `#[cors]` generates. Not public API: no semver
/// guarantees; the macro and runtime crates are released in lockstep.
#[doc(hidden)]
pub mod __private {
    pub use actix_web::dev::{AppService, HttpServiceFactory};
    pub use actix_web::guard::fn_guard;
    pub use actix_web::http::header::HeaderValue;
    pub use actix_web::Resource;
    pub use cors_runtime::{
        AllowHeaders, AllowOrigin, Conflict, Cors, NamedExpose, NamedHeaders, NamedOrigins,
        NamedPolicy, OriginList, Overrides, Pattern, Policy, RouteGuard,
    };
}
