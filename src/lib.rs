//! Per-route CORS for actix-web, correct by construction.
//!
//! Put the policy on the handler with [`#[cors]`](macro@cors), directly above its
//! routing attribute. The route then answers its own preflight, every response it
//! produces carries the policy (errors included), and policy mistakes such as a
//! wildcard origin with credentials are compile errors.
//!
//! Coming from actix-cors? [`migrating_from_actix_cors`] maps every builder method
//! to route-cors, says where `CorsAware` and `DefaultPolicy` go, and what changes on
//! the wire.
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
//! environment or a configuration file before the server starts. Entries go through
//! the same validator as the attribute; one bad entry stops startup with every
//! problem listed, and an unfilled set allows no origin. The argument of `new` is a
//! label that names the set in error messages and logs; the environment variable is
//! the one given to `set_from_env`. [`OriginSet::set_from_env_or`] falls back to
//! defaults when the variable is missing or blank, and a plain `OriginSet` holding
//! `*` alone allows any origin, answered exactly as `origins = "*"` is.
//!
//! ```
//! use actix_web::{get, HttpResponse};
//! use route_cors::{cors, CredentialedOriginSet};
//!
//! // A route with `credentials` needs a `CredentialedOriginSet`, which also
//! // refuses plain-`http` and public-suffix wildcard entries.
//! static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
//!
//! #[cors(origins = PARTNERS, credentials)]
//! #[get("/reports")]
//! async fn reports() -> HttpResponse {
//!     HttpResponse::Ok().finish()
//! }
//!
//! # fn main() -> Result<(), route_cors::OriginsError> {
//! # std::env::set_var("CORS_ALLOWED_ORIGINS", "https://a.partner.example, https://*.b.example");
//! PARTNERS.set_from_env("CORS_ALLOWED_ORIGINS")?; // before HttpServer::new(..)
//! # Ok(())
//! # }
//! ```
//!
//! # What happens at run time
//!
//! - **Preflight** (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) for a
//!   method the route serves: answered `204` by the route's policy, with
//!   `Access-Control-Allow-Origin`, `-Allow-Credentials` (credentialed routes),
//!   `-Allow-Methods`, `-Allow-Headers`, `-Max-Age` (when set) and `Vary: Origin,
//!   Access-Control-Request-Method, Access-Control-Request-Headers`. The handler, the
//!   route's guards, extractors and `wrap` middleware (authentication included) do not
//!   run. Any other `OPTIONS` request is an ordinary request.
//! - **Rejected preflight** (the origin, the method or a header is not allowed, or a
//!   value is malformed): `403` with **no** CORS headers, so nothing about the policy
//!   leaks, and the handler does not run. The browser then reports a missing
//!   `Access-Control-Allow-Origin` whatever the reason; the reason is logged at debug
//!   level (see [Diagnostics](#diagnostics)).
//! - **Actual request from an allowed origin**: the handler runs, and its response gets
//!   exactly one `Access-Control-Allow-Origin` (the origin, or `*` on an any-origin
//!   route), `Access-Control-Allow-Credentials: true` on a credentialed route,
//!   `Access-Control-Expose-Headers` when `expose` is set, and `Origin` merged into
//!   `Vary`. CORS headers the handler set are replaced, never duplicated.
//! - **Disallowed origins, or no `Origin`**: for `GET` and `HEAD`, the handler runs and
//!   its response is kept, without CORS headers, so the browser hides it from the page.
//!   A malformed `Origin`, `null`, or several `Origin` lines never match.
//! - **Cross-origin writes** (any other method, from another origin, by
//!   `Sec-Fetch-Site` or by comparing `Origin` with `Host`): CORS only hides the answer
//!   of a form post or a `no-cors` request; the handler would still run, with the user's
//!   cookies. So a write from an origin the route's policy does not allow is refused
//!   with `403` and no CORS headers, before the handler, its extractors and its own
//!   middleware run. Same-origin requests and requests without `Origin` (curl, webhooks)
//!   pass; `origins = "*"` trusts every origin (such a route must not rely on cookies).
//!   `#[cors(none)]` routes are not protected (the way to exempt a SAML or OAuth
//!   `form_post` callback); `dangerously_allow_cross_origin_writes` keeps a route's CORS
//!   without the protection. Routes without any policy get the same check from
//!   [`CrossOriginProtection`]. The README's section "CORS does not stop writes" has
//!   the full decision table.
//! - **`Vary`**: on a route with an origin list, every response carries `Vary: Origin`,
//!   allowed or not, so caches keep the answers for different origins apart; preflight
//!   answers also vary on the two request headers. The actual responses of an
//!   any-origin route do not depend on the origin and carry no `Vary: Origin`.
//! - **Every response of the route** is decorated: the handler's `Err`, extractor
//!   failures (bad JSON, a bad path, a payload too large), an `Err` from a `wrap`
//!   middleware, redirects, `304` and `HEAD`.
//! - **Registration order**: annotated routes on one path (`#[get("/users")]` and
//!   `#[post("/users")]`) route each preflight by its requested method to the right
//!   policy, in any order. actix-web tries services in registration order, though: a
//!   service registered earlier on the same path that accepts `OPTIONS` (an
//!   `#[options]` handler, or a `web::resource(..)` built with `.route(..)`, which
//!   answers every method) receives the preflight instead. Register annotated routes
//!   first; route-cors warns once at startup when an annotated route hides another.
//! - **Routes split by guards** on one path and method (tenants by `Host`, versions by a
//!   header): a preflight goes to the first route whose guards accept it (it has the
//!   actual request's `Host`, path and query), and when none does (a guard on
//!   `Content-Type` or a version header, which a preflight never has), to the first
//!   route whose methods match. A preflight cannot carry such a header's value, so no
//!   rule could tell those routes apart; this one keeps both cases working. The
//!   siblings' guards run only for a preflight the route's own guards refuse; measured
//!   (BENCHMARKS.md), an allowed actual request costs +51 instructions for the
//!   registry-backed guard, an allowed preflight +136, and 500 routes route as before.
//! - **Middleware that encloses the route** (`.wrap(..)` on a `Scope` or on `App`) runs
//!   before the route: it sees preflights first, and the responses it makes itself (a
//!   `401` from an authentication check, a `429`) never pass through the route, so
//!   they carry no CORS headers. Wrap such middleware as
//!   `.wrap(route_cors::CorsAware::new(mw))`: preflights to annotated routes pass it
//!   by, and its own responses get the headers the route's policy gives that request.
//!   Middleware in the route's own `wrap = ".."` runs inside the route and needs
//!   nothing.
//! - Methods match byte-exactly (`patch` is not `PATCH`); header names match
//!   case-insensitively; origins match byte-exactly against the validated
//!   configuration, and `https://*.example.com` matches subdomains at any depth, never
//!   the apex.
//!
//! The header values are built at compile time into `static`s; a request costs a sorted
//! lookup and a few header appends.
//!
#![doc = include_str!("../docs/rules.md")]
//!
//! # Diagnostics
//!
//! Through the [`log`](https://docs.rs/log) facade, target `cors_runtime`:
//!
//! - at debug level, one line per rejected preflight and per refused request from a
//!   disallowed origin on a credentialed route, naming the route, the origin, the exact
//!   reason and the error the browser console will show:
//!
//!   ```text
//!   CORS preflight rejected (403) on PATCH /items/{id} from origin `https://app.example.com`: method `patch` not allowed (allowed: PATCH; methods match case-sensitively and browsers send `patch` as written); …
//!   ```
//!
//!   The reason is formatted only when debug logging is enabled.
//! - at info level, each route's effective policy, once, when the app starts;
//! - at warn level, once, a route serving requests with an [`OriginSet`] that was never
//!   filled.
//!
//! With `env_logger`: `RUST_LOG=info,cors_runtime=debug`.
//!
#![doc = include_str!("../docs/debugging.md")]

/// Per-route CORS policy for an actix-web handler.
///
/// # Syntax
///
/// ```text
/// #[cors(origins = [..] | "*" | STATIC_ORIGIN_SET, key = value, flag, ..)]
/// #[get("/path", ..)]          // or post, put, patch, delete, head, options, route(.., method = ..)
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
/// - `origins` (required): a list of exact origins and patterns, `"*"` for any
///   origin, or the path of a `static` [`OriginSet`]. Patterns:
///   `https://*.example.com` (any subdomain, never the apex); one `*` inside the
///   leftmost label, `https://pr-*.preview.example.com` (one or more of
///   `a-z0-9-`, never a dot); and a port wildcard, `http://localhost:*` (any
///   port, or none).
/// - `methods`: the methods a preflight may ask for; default: the route's own.
/// - `headers`: request headers a preflight may announce, or `"*"`; default: none.
/// - `expose`: response headers JavaScript may read, or `"*"`; default: none.
/// - `credentials`: allow cookies and `Authorization`; default: off.
/// - `max_age`: preflight cache lifetime in seconds (0 to 86400); default: no header.
/// - `timing`: add `Timing-Allow-Origin` to actual responses, with the value of
///   `Access-Control-Allow-Origin` (the allowed origin, or `*`), so the page can
///   read the Resource Timing details of its calls; never for a refused origin;
///   default: off. Named policies take it too, and routes can override it.
/// - `private_network` (**deprecated**): answer Private Network Access
///   preflights (`Access-Control-Allow-Private-Network: true`); default: off.
///   Chrome replaced Private Network Access with Local Network Access, a
///   permission prompt the user answers, which needs no server header, and no
///   engine sends these preflights any more. The key still works, so nothing
///   breaks, but it compiles with a deprecation warning at the key; remove it
///   (or `#[allow(deprecated)]` on the handler, or inside `policy!(..)` before
///   the name, while you do).
/// - `dangerously_allow_http_with_credentials`: allow plain-`http` origins that
///   are not loopback on a credentialed route; default: off.
/// - `dangerously_allow_public_suffix_wildcard_with_credentials`: allow a `*.`
///   pattern on a public suffix (`https://*.github.io`) on a credentialed route;
///   default: off.
/// - `dangerously_allow_cross_origin_writes`: let writes (`POST`, `PUT`, …) from
///   origins the policy does not allow run the handler, as plain CORS does; default:
///   off (they are refused with `403`). Not with `origins = "*"`, where it would
///   change nothing.
/// - `policy`: a named policy made by [`policy!`]; the other keys then override
///   it for this route (all but `origins`).
/// - `crate`: the path of `route_cors` if it is renamed; default: `::route_cors`.
/// - `none`, alone: the route opts out of CORS. It is registered as its routing
///   attribute would register it, gets no CORS headers and no preflight, and a
///   [`DefaultPolicy`] around it does not apply (for a health check, say).
///
/// Every policy mistake is a compile error at the offending token; the list of
/// mistakes and their messages is in
/// [the crate documentation](crate#policy-mistakes-that-do-not-compile).
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
/// // error: `credentials` cannot be combined with `origins = "*"`: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the allowed origins
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
/// #[cors(policy = PUBLIC, credentials)]
/// // error[E0080]: evaluation panicked: `credentials` cannot be combined with `origins = "*"`: browsers refuse …
/// #[get("/me")]
/// async fn me() -> HttpResponse {
///     HttpResponse::Ok().finish()
/// }
/// # fn main() { let _ = actix_web::App::new().service(me); }
/// ```
pub use cors_macros::policy;
pub use cors_runtime::{
    explain_rejections, rules, CorsAware, CorsAwareFuture, CorsAwareInit, CorsAwareInner,
    CorsAwareMiddleware, CredentialedOriginSet, CrossOriginProtection,
    CrossOriginProtectionMiddleware, DefaultPolicy, DefaultPolicyFuture, DefaultPolicyMiddleware,
    NamedPolicy, OriginProblem, OriginSet, OriginsConfig, OriginsError, ProblemReason,
    ProtectionFuture,
};

#[cfg(feature = "test-util")]
pub mod test;

#[doc = include_str!("../docs/migrating-from-actix-cors.md")]
pub mod migrating_from_actix_cors {}

/// Items used by the code `#[cors]` generates. Not public API: no semver
/// guarantees; the macro and runtime crates are released in lockstep, and the
/// module's version in its name makes a mismatched pair fail to compile.
#[doc(hidden)]
pub mod __private01 {
    pub use actix_web::dev::{AppService, HttpServiceFactory};
    pub use actix_web::guard::fn_guard;
    pub use actix_web::Resource;
    pub use cors_runtime::__private01::*;
    pub use cors_runtime::NamedPolicy;
}
