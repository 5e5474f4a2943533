//! What the browser will do with your routes, in your own `cargo test`.
//!
//! Describe a page's `fetch` call as you write it in JavaScript, and
//! [`fetch`] sends it to your app the way a browser would: the preflight
//! first, if the Fetch standard requires one, then the actual request. Both
//! go through your real routes, middleware and error handlers. The
//! [`Verdict`] applies the browser's checks to the real answers: whether the
//! fetch is allowed, why not (in the words of Chromium's console), which
//! response headers the page can read, and whether cookies are sent and
//! stored. Where Chromium, Firefox and WebKit differ, the verdict says so
//! ([`EngineNote`]).
//!
//! Enable the `test-util` feature in your dev-dependencies:
//! `route-cors = { version = "0.1", features = ["test-util"] }`.
//!
//! ```
//! use actix_web::{get, post, test, App, HttpResponse};
//! use route_cors::cors;
//! use route_cors::test::{Credentials, Fetch, Rule};
//!
//! #[cors(origins = ["https://app.example.com"], headers = ["content-type", "authorization"],
//!        expose = ["x-total-count"], credentials)]
//! #[post("/invoices")]
//! async fn create_invoice() -> HttpResponse {
//!     HttpResponse::Created().insert_header(("x-total-count", "1")).body("{}")
//! }
//!
//! #[cors(origins = "*", headers = "*")]
//! #[get("/prices")]
//! async fn prices() -> HttpResponse {
//!     HttpResponse::Ok().body("[]")
//! }
//!
//! # #[actix_web::main]
//! # async fn main() {
//! let app = test::init_service(App::new().service(create_invoice).service(prices)).await;
//!
//! // A credentialed JSON POST with Authorization, as the frontend sends it.
//! let verdict = route_cors::test::fetch(
//!     &app,
//!     "https://app.example.com",
//!     Fetch::post("/invoices")
//!         .json(r#"{"amount": 10}"#)
//!         .header("Authorization", "Bearer t")
//!         .credentials(Credentials::Include),
//! )
//! .await
//! .assert_allowed();
//! assert_eq!(verdict.status(), Some(201));
//! assert_eq!(verdict.header("x-total-count"), Some("1"));
//! assert_eq!(verdict.preflight().and_then(|p| p.request_headers()), Some("authorization,content-type"));
//!
//! // Another origin is refused at the preflight.
//! route_cors::test::fetch(&app, "https://evil.example", Fetch::post("/invoices").json("{}"))
//!     .await
//!     .assert_blocked(Rule::PreflightMissingAllowOriginHeader);
//!
//! // `headers = "*"` allows any header, except that the standard requires
//! // Authorization to be named. route-cors answers the checked names, so this passes.
//! route_cors::test::fetch(&app, "https://any.example", Fetch::get("/prices").header("authorization", "t"))
//!     .await
//!     .assert_allowed();
//! # }
//! ```
//!
//! A [`Page`] runs several fetches in a row with the browsers' preflight
//! caches, per engine, on a clock you advance with [`Page::wait`].
//! [`Page::at`] (or [`fetch_at`]) gives the app its origin, so its `Host` is
//! sent (tenants split by `Host`) and a page on that origin makes same-origin
//! calls. Every request carries the `Sec-Fetch-Site`, `Sec-Fetch-Mode` and
//! `Sec-Fetch-Dest` the engines send.
//!
//! # An attacker's page
//!
//! CORS decides who may read a response, not who may send a request. A
//! page on any origin can post an HTML [`Form`] ([`Page::submit`]) or a
//! `no-cors` fetch to your routes, with the user's cookies. route-cors
//! refuses such a cross-origin write before the handler, unless the route's
//! policy trusts the page's origin; the verdict says so
//! ([`Verdict::write_refused`]), as route-cors reports it, and
//! [`Verdict::answered`] is what the app answered.
//!
//! ```
//! use actix_web::{post, test, App, HttpResponse};
//! use route_cors::cors;
//! use route_cors::test::{Fetch, Form, Mode, Page};
//!
//! #[cors(origins = ["https://app.example.com"], credentials)]
//! #[post("/transfer")]
//! async fn transfer() -> HttpResponse {
//!     HttpResponse::Ok().body("sent")
//! }
//!
//! # #[actix_web::main]
//! # async fn main() {
//! let app = test::init_service(App::new().service(transfer)).await;
//! let mut evil = Page::new(&app, "https://evil.example").at("https://api.example.com");
//! evil.submit(Form::post("/transfer").field("to", "mallory"))
//!     .await
//!     .assert_write_refused();
//! evil.fetch(Fetch::post("/transfer").text("to=mallory").mode(Mode::NoCors))
//!     .await
//!     .assert_write_refused();
//! // The listed origin reaches the handler.
//! let ok = route_cors::test::fetch_at(&app, "https://api.example.com", "https://app.example.com",
//!     Fetch::post("/transfer").text("to=bob")).await.assert_allowed();
//! assert_eq!(ok.body(), Some(&b"sent"[..]));
//! # }
//! ```

mod check;
mod form;
mod preflight;
mod request;
mod site;
#[cfg(test)]
mod tests;
mod verdict;

use actix_web::body::{self, BodySize, MessageBody};
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode, Uri};

pub use form::{Enctype, Form};
pub use request::{Body, Credentials, Fetch, Mode};
pub use verdict::{Blocked, Engine, EngineNote, Preflight, Rule, Verdict};

use cors_runtime::__private01::{Refused, Watch};
use preflight::{access_rule, Entry, Item};
use request::{combined, cors_unsafe_names, header_list, is_safelisted_method, normalize_method};
use site::AppOrigin;
use verdict::{Kind, Seen};

/// The request type of an app from `actix_web::test::init_service`.
pub type Request = actix_http::Request;

/// Sends `fetch` from a page on `origin` to `app` as a browser would, and
/// returns the verdict. A one-fetch [`Page`].
///
/// `app` is the service `actix_web::test::init_service` returns. The page is
/// on another origin than the app, as for any CORS call.
pub async fn fetch<S, B>(app: &S, origin: &str, fetch: Fetch) -> Verdict
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    Page::new(app, origin).fetch(fetch).await
}

/// [`fetch`] from a page on `page_origin` to an app on `app_origin`, such
/// as `https://a.acme.test`: the browser sends the app's `Host`, so routes
/// split by `Host` (tenants) are reached as in production, and
/// `Sec-Fetch-Site` says how the two origins relate. A one-fetch
/// [`Page::at`].
///
/// The app's origin is checked as any origin is: one that is not a
/// serialized origin blocks the fetch with [`Rule::InvalidAppOrigin`].
///
/// ```
/// use actix_web::{guard::GuardContext, put, test, App, HttpResponse};
/// use route_cors::cors;
/// use route_cors::test::{Fetch, Rule};
///
/// // Two tenants on one path, split by `Host`, each with its own policy.
/// #[cors(origins = ["https://app.a.example"], credentials)]
/// #[put("/notes", guard = "tenant_a")]
/// async fn notes_a() -> HttpResponse {
///     HttpResponse::Ok().body("a")
/// }
/// #[cors(origins = ["https://app.b.example"])]
/// #[put("/notes", guard = "tenant_b")]
/// async fn notes_b() -> HttpResponse {
///     HttpResponse::Ok().body("b")
/// }
/// fn tenant_a(ctx: &GuardContext) -> bool {
///     ctx.head().headers.get("host").is_some_and(|h| h == "a.acme.example")
/// }
/// fn tenant_b(ctx: &GuardContext) -> bool {
///     ctx.head().headers.get("host").is_some_and(|h| h == "b.acme.example")
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(notes_a).service(notes_b)).await;
/// let b = route_cors::test::fetch_at(&app, "https://b.acme.example", "https://app.b.example", Fetch::put("/notes"))
///     .await
///     .assert_allowed();
/// assert_eq!(b.body(), Some(&b"b"[..]));
/// // Tenant B's policy does not list tenant A's page.
/// route_cors::test::fetch_at(&app, "https://b.acme.example", "https://app.a.example", Fetch::put("/notes"))
///     .await
///     .assert_blocked(Rule::PreflightMissingAllowOriginHeader);
/// # }
/// ```
pub async fn fetch_at<S, B>(app: &S, app_origin: &str, page_origin: &str, fetch: Fetch) -> Verdict
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    Page::new(app, page_origin)
        .at(app_origin)
        .fetch(fetch)
        .await
}

/// Submits `form` from a page on `origin` to `app`, as a browser submits an
/// HTML form: a navigation, with no preflight and no CORS check. A one-form
/// [`Page::submit`].
///
/// The verdict says whether route-cors refused it before the handler
/// ([`Verdict::write_refused`]) and what the app answered
/// ([`Verdict::answered`]).
pub async fn submit<S, B>(app: &S, origin: &str, form: Form) -> Verdict
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    Page::new(app, origin).submit(form).await
}

/// A page on one origin that makes several fetches in a row, with each
/// engine's preflight cache.
///
/// The page also keeps the cookies credentialed responses set (name and
/// value; other attributes are ignored) and sends them with its later
/// credentialed fetches, never with a preflight. A `Secure` cookie set while
/// the page is on `http:` is noted, and dropped by a WebKit page
/// ([`Page::for_engine`]); the model does not know the app's own origin, so
/// it does not refuse `Secure` cookies from a plain-http app on another host.
///
/// ```
/// use std::time::Duration;
/// use actix_web::{put, test, App, HttpResponse};
/// use route_cors::cors;
/// use route_cors::test::{Engine, Fetch, Page};
///
/// #[cors(origins = ["https://app.example.com"], max_age = 3600)]
/// #[put("/doc")]
/// async fn save() -> HttpResponse {
///     HttpResponse::Ok().finish()
/// }
///
/// # #[actix_web::main]
/// # async fn main() {
/// let app = test::init_service(App::new().service(save)).await;
/// let mut page = Page::new(&app, "https://app.example.com");
/// let first = page.fetch(Fetch::put("/doc")).await.assert_allowed();
/// assert_eq!(first.preflights_sent(Engine::WebKit), 1);
/// page.wait(Duration::from_secs(601));
/// // WebKit keeps a preflight for at most 600 s; the others honour 3600.
/// let second = page.fetch(Fetch::put("/doc")).await.assert_allowed();
/// assert_eq!(second.preflights_sent(Engine::WebKit), 1);
/// assert_eq!(second.preflights_sent(Engine::Chromium), 0);
/// # }
/// ```
pub struct Page<'a, S> {
    app: &'a S,
    origin: String,
    now: u64,
    caches: [Vec<Entry>; 3],
    /// Only this engine's cache decides whether a preflight is sent.
    only: Option<Engine>,
    /// Cookies stored from credentialed responses: (name, value).
    jar: Vec<(String, String)>,
    /// The app's origin ([`Page::at`]), checked; `None` when not given.
    app_origin: Option<Result<AppOrigin, String>>,
}

/// An answer of the app, read in full.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    content_length: Option<u64>,
    body: Result<Vec<u8>, String>,
    /// What route-cors refused itself, told by route-cors (exact, whatever
    /// the status and headers).
    refused: Option<Refused>,
}

fn is_origin(origin: &str) -> bool {
    if origin == "null" {
        return true;
    }
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b))
        && !rest.is_empty()
        && !rest.contains(['/', '?', '#', '@', ' '])
}

fn blocked(rule: Rule, message: impl Into<String>) -> Blocked {
    Blocked {
        rule,
        message: message.into(),
    }
}

/// Added to the message when route-cors refused the actual request as a
/// cross-origin write.
const WRITE_REFUSED_HINT: &str = " (route-cors refused this cross-origin write before the route: 403 with no CORS headers, and the handler did not run; its debug log, target `cors_runtime`, says why.)";

/// `(name, value, Secure?)` of each `Set-Cookie` line.
fn set_cookies(headers: &HeaderMap) -> Vec<(String, String, bool)> {
    headers
        .get_all("set-cookie")
        .filter_map(|v| {
            let text = String::from_utf8_lossy(v.as_bytes()).into_owned();
            let mut parts = text.split(';');
            let (name, value) = parts.next()?.split_once('=')?;
            let secure = parts.any(|a| a.trim().eq_ignore_ascii_case("secure"));
            let name = name.trim().to_owned();
            (!name.is_empty()).then(|| (name, value.trim().to_owned(), secure))
        })
        .collect()
}

impl<'a, S, B> Page<'a, S>
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    /// A page on `origin` (a serialized origin such as
    /// `https://app.example.com`, or `null`) calling `app`, with empty
    /// preflight caches.
    pub fn new(app: &'a S, origin: impl Into<String>) -> Page<'a, S> {
        Page {
            app,
            origin: origin.into(),
            now: 0,
            caches: Default::default(),
            only: None,
            jar: Vec::new(),
            app_origin: None,
        }
    }

    /// The app is on `app_origin` (such as `https://a.acme.test`): every
    /// request carries its `Host`, so routes split by `Host` are reached as
    /// in production, and `Sec-Fetch-Site` compares the page's origin with
    /// it. A page on the app's own origin makes same-origin calls: no
    /// preflight, no CORS check, every header but `Set-Cookie` readable.
    ///
    /// Without it, requests carry no `Host` and the page is taken to be on
    /// another site (`Sec-Fetch-Site: cross-site`). Browsers send
    /// `Sec-Fetch-*` only to `https` and loopback `http` apps; an app on
    /// another plain `http` origin gets none. An app origin that is not a
    /// serialized origin blocks every fetch with [`Rule::InvalidAppOrigin`].
    #[must_use]
    pub fn at(mut self, app_origin: &str) -> Page<'a, S> {
        self.app_origin = Some(site::app_origin(app_origin).map_err(|e| {
            format!("The app's origin is invalid: {e}. Give it as a serialized origin (scheme, host, and a port other than the scheme's default), such as 'https://api.example.com'.")
        }));
        self
    }

    /// A page in one engine: a preflight is sent only when `engine`'s cache
    /// calls for one, so the app sees exactly what that engine would send.
    /// [`Verdict::preflights_sent`] is then 0 for the other engines.
    pub fn for_engine(app: &'a S, origin: impl Into<String>, engine: Engine) -> Page<'a, S> {
        Page {
            only: Some(engine),
            ..Page::new(app, origin)
        }
    }

    /// Lets `time` pass, for the preflight caches.
    pub fn wait(&mut self, time: std::time::Duration) {
        self.now = self.now.saturating_add(time.as_secs());
    }

    async fn send(
        &self,
        method: &Method,
        path: &str,
        headers: &[(String, String)],
        body: &str,
    ) -> Answer {
        let mut req = actix_web::test::TestRequest::default()
            .method(method.clone())
            .uri(path);
        for (n, v) in headers {
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(n.as_bytes()),
                HeaderValue::from_str(v),
            ) {
                req = req.append_header((n, v));
            }
        }
        if !body.is_empty() {
            req = req.set_payload(body.to_owned());
        }
        let req = req.to_request();
        let watch = Watch::start(&req.head().headers);
        let called = self.app.call(req).await;
        let refused = watch.finish();
        let (status, headers, size, body) = match called {
            Ok(res) => {
                let res = res.into_parts().1;
                let status = res.status();
                let headers = res.headers().clone();
                let size = res.body().size();
                let body = body::to_bytes(res.into_body())
                    .await
                    .map(|b| b.to_vec())
                    .map_err(|e| e.into().to_string());
                (status, headers, size, body)
            }
            Err(e) => {
                let res = e.error_response();
                let status = res.status();
                let headers = res.headers().clone();
                let size = res.body().size();
                let body = body::to_bytes(res.into_body())
                    .await
                    .map(|b| b.to_vec())
                    .map_err(|e| e.to_string());
                (status, headers, size, body)
            }
        };
        let no_body = status.is_informational()
            || status == StatusCode::NO_CONTENT
            || status == StatusCode::NOT_MODIFIED;
        // What actix-web's HTTP/1 encoder sends: the length of a sized body
        // (also for HEAD), none for a stream or a status without a body.
        let content_length = match size {
            BodySize::Sized(n) if !no_body => Some(n),
            _ => None,
        };
        log::debug!("route_cors::test: {method} {path} -> {}", status.as_u16());
        Answer {
            status,
            headers,
            content_length,
            body,
            refused,
        }
    }

    /// Stores the cookies of a response the browser keeps cookies from.
    fn keep_cookies(&mut self, headers: &HeaderMap, verdict: &mut Verdict) {
        for (name, value, secure) in set_cookies(headers) {
            if secure && self.origin.starts_with("http:") {
                verdict
                    .notes
                    .push(EngineNote::WebKitDropsSecureCookieOverHttp {
                        cookie: name.clone(),
                    });
                if self.only == Some(Engine::WebKit) {
                    continue;
                }
            }
            self.jar.retain(|(n, _)| *n != name);
            self.jar.push((name.clone(), value));
            verdict.cookies_stored.push(name);
        }
    }

    /// The app's origin, if given and valid.
    fn app_origin(&self) -> Option<&AppOrigin> {
        self.app_origin.as_ref().and_then(|a| a.as_ref().ok())
    }

    /// Whether the page is on the app's own origin.
    fn same_origin(&self) -> bool {
        self.app_origin().is_some_and(|a| a.origin == self.origin)
    }

    /// What the browser adds to every request to the app: its `Host`, if
    /// known, and the Fetch metadata (`Sec-Fetch-Site`, `-Mode`, `-Dest`)
    /// when the app's URL is potentially trustworthy (or not known).
    fn browser_headers(&self, mode: &str, dest: &str) -> Vec<(String, String)> {
        let app = self.app_origin();
        let mut out = Vec::new();
        if let Some(app) = app {
            out.push(("host".to_owned(), app.authority.clone()));
        }
        if app.is_none_or(|a| a.trustworthy) {
            let site = site::fetch_site(&self.origin, app);
            out.push(("sec-fetch-site".to_owned(), site.to_owned()));
            out.push(("sec-fetch-mode".to_owned(), mode.to_owned()));
            out.push(("sec-fetch-dest".to_owned(), dest.to_owned()));
        }
        out
    }

    /// Sends `fetch` as the page's browser would, and judges the answers.
    pub async fn fetch(&mut self, fetch: Fetch) -> Verdict {
        let method = normalize_method(&fetch.method);
        let (list, dropped) = header_list(&fetch);
        let js_init = {
            let mut parts = vec![format!("method: {:?}", fetch.method)];
            if !fetch.headers.is_empty() {
                let h: Vec<String> = fetch
                    .headers
                    .iter()
                    .map(|(n, v)| format!("{n:?}: {v:?}"))
                    .collect();
                parts.push(format!("headers: {{{}}}", h.join(", ")));
            }
            match &fetch.body {
                Body::None => {}
                Body::Json(_) => parts.push("body: <JSON>".to_owned()),
                Body::Form(_) => parts.push("body: <URLSearchParams>".to_owned()),
                Body::Text(_) => parts.push("body: <text>".to_owned()),
            }
            if fetch.credentials != Credentials::SameOrigin {
                parts.push(format!("credentials: {:?}", fetch.credentials.as_str()));
            }
            if fetch.mode != Mode::Cors {
                parts.push(format!("mode: {:?}", fetch.mode.as_str()));
            }
            format!("fetch({:?}, {{{}}})", fetch.path, parts.join(", "))
        };
        let mut verdict = Verdict {
            call: js_init,
            origin: self.origin.clone(),
            method: method.clone(),
            credentials: fetch.credentials,
            dropped,
            preflight: None,
            preflights: [0; 3],
            outcome: Err(blocked(Rule::InvalidUrl, "not sent")),
            answered: None,
            write_refused: false,
            metadata: Vec::new(),
            cookies_sent: false,
            cookies_stored: Vec::new(),
            notes: Vec::new(),
        };
        if let Err(b) = self.validate(&fetch, &method, &list) {
            verdict.outcome = Err(b);
            return verdict;
        }
        verdict.outcome = self.run(&fetch, method, list, &mut verdict).await;
        verdict
    }

    fn validate(
        &self,
        fetch: &Fetch,
        method: &str,
        list: &[(String, String)],
    ) -> Result<(), Blocked> {
        if let Some(Err(e)) = &self.app_origin {
            return Err(blocked(Rule::InvalidAppOrigin, e.clone()));
        }
        if !is_origin(&self.origin) {
            return Err(blocked(
                Rule::InvalidOrigin,
                format!(
                    "'{}' is not a serialized origin such as 'https://app.example.com'.",
                    self.origin
                ),
            ));
        }
        if !request::is_token(method) || Method::from_bytes(method.as_bytes()).is_err() {
            return Err(blocked(
                Rule::InvalidMethod,
                format!(
                    "Failed to execute 'fetch' on 'Window': '{method}' is not a valid HTTP method."
                ),
            ));
        }
        if ["CONNECT", "TRACE", "TRACK"]
            .iter()
            .any(|m| m.eq_ignore_ascii_case(method))
        {
            return Err(blocked(
                Rule::ForbiddenMethod,
                format!(
                    "Failed to execute 'fetch' on 'Window': '{method}' HTTP method is unsupported."
                ),
            ));
        }
        for (n, v) in list {
            if HeaderName::from_bytes(n.as_bytes()).is_err() || HeaderValue::from_str(v).is_err() {
                return Err(blocked(Rule::InvalidHeader, format!("Failed to execute 'fetch' on 'Window': Invalid header name or value: '{n}: {v}'.")));
            }
        }
        if !fetch.path.starts_with('/') || fetch.path.parse::<Uri>().is_err() {
            return Err(blocked(
                Rule::InvalidUrl,
                format!(
                    "'{}' is not a path and query on the app, such as '/invoices?page=2'.",
                    fetch.path
                ),
            ));
        }
        if fetch.body != Body::None && (method == "GET" || method == "HEAD") {
            return Err(blocked(Rule::BodyWithGetOrHead, "Failed to execute 'fetch' on 'Window': Request with GET/HEAD method cannot have body."));
        }
        match fetch.mode {
            Mode::SameOrigin if !self.same_origin() => Err(blocked(Rule::DisallowedByMode, format!("Fetch API cannot load {}. Request mode is \"same-origin\" but the URL's origin is not same as the request origin {}.", fetch.path, self.origin))),
            Mode::NoCors if !is_safelisted_method(method) => Err(blocked(Rule::MethodNotAllowedInNoCors, format!("Failed to execute 'fetch' on 'Window': '{method}' is unsupported in no-cors mode."))),
            _ => Ok(()),
        }
    }

    async fn run(
        &mut self,
        fetch: &Fetch,
        mut method: String,
        mut list: Vec<(String, String)>,
        verdict: &mut Verdict,
    ) -> Result<Seen, Blocked> {
        let same = self.same_origin();
        // Cookies go with a same-origin call unless omitted.
        let include = fetch.credentials == Credentials::Include
            || (same && fetch.credentials == Credentials::SameOrigin);
        // A same-origin call is not a CORS request, whatever its mode.
        let cors = fetch.mode == Mode::Cors && !same;
        let mut path = fetch.path.clone();
        let mut body = fetch.body.bytes().to_owned();
        for _hop in 0..=20 {
            let unsafe_names = cors_unsafe_names(&list);
            if cors && (!is_safelisted_method(&method) || !unsafe_names.is_empty()) {
                let mut items = Vec::new();
                if !is_safelisted_method(&method) {
                    items.push(Item::Method(method.clone()));
                }
                items.extend(unsafe_names.iter().cloned().map(Item::Header));
                let misses: Vec<Engine> = Engine::ALL
                    .into_iter()
                    .filter(|e| self.only.is_none_or(|o| o == *e))
                    .filter(|e| !items.iter().all(|i| self.cache_hit(*e, &path, i, include)))
                    .collect();
                if !misses.is_empty() {
                    if misses == [Engine::Firefox] && self.only.is_none() {
                        verdict
                            .notes
                            .push(EngineNote::FirefoxPreflightCacheKeyedByCredentials);
                    }
                    let (record, result) = self
                        .preflight(
                            &path,
                            &method,
                            &unsafe_names,
                            fetch.credentials,
                            &mut verdict.notes,
                        )
                        .await;
                    verdict.preflight = Some(record);
                    for e in &misses {
                        verdict.preflights[e.index()] += 1;
                    }
                    let allowed = result.map_err(|b| Blocked {
                        message: format!(
                            "Access to fetch at '{path}' from origin '{}' has been blocked by CORS policy: {}",
                            self.origin, b.message
                        ),
                        ..b
                    })?;
                    for e in misses {
                        self.store(e, &path, include, &allowed, &method);
                    }
                }
            }
            let mut headers = combined(&list);
            // `fetch` sends `Accept: */*` unless the page sets one.
            if !headers.iter().any(|(n, _)| n == "accept") {
                headers.push(("accept".to_owned(), "*/*".to_owned()));
            }
            if cors || (method != "GET" && method != "HEAD") {
                headers.push(("origin".to_owned(), self.origin.clone()));
            }
            if include {
                let mut cookies: Vec<String> =
                    self.jar.iter().map(|(n, v)| format!("{n}={v}")).collect();
                cookies.extend(fetch.cookies.iter().cloned());
                if !cookies.is_empty() {
                    headers.push(("cookie".to_owned(), cookies.join("; ")));
                }
            }
            let metadata = self.browser_headers(fetch.mode.as_str(), "empty");
            verdict.metadata = metadata
                .iter()
                .filter(|(n, _)| n.starts_with("sec-fetch-"))
                .cloned()
                .collect();
            headers.extend(metadata);
            let m = Method::from_bytes(method.as_bytes()).unwrap_or(Method::GET);
            verdict.cookies_sent = include;
            let answer = self.send(&m, &path, &headers, &body).await;
            verdict.answered = Some(answer.status.as_u16());
            verdict.write_refused = answer.refused == Some(Refused::Write);
            if include {
                self.keep_cookies(&answer.headers, verdict);
            }
            if cors {
                if let Err((access, value)) =
                    check::cors_check(&answer.headers, &self.origin, fetch.credentials)
                {
                    let (rule, mut text) = access_rule(access, &value, false);
                    if verdict.write_refused {
                        text.push_str(WRITE_REFUSED_HINT);
                    }
                    return Err(blocked(rule, format!("Access to fetch at '{path}' from origin '{}' has been blocked by CORS policy: {text}", self.origin)));
                }
            }
            let location = answer
                .headers
                .get("location")
                .and_then(|l| l.to_str().ok())
                .map(str::to_owned);
            let redirect = matches!(answer.status.as_u16(), 301 | 302 | 303 | 307 | 308);
            match location {
                Some(to) if redirect => {
                    if !to.starts_with('/') || to.starts_with("//") {
                        return Err(blocked(Rule::RedirectLeavesApp, format!("The app redirects to '{to}'; route_cors::test follows only redirects within the app.")));
                    }
                    let status = answer.status.as_u16();
                    if (status == 303 && method != "HEAD")
                        || ((status == 301 || status == 302) && method == "POST")
                    {
                        method = "GET".to_owned();
                        body.clear();
                        list.retain(|(n, _)| {
                            !matches!(
                                n.as_str(),
                                "content-type"
                                    | "content-encoding"
                                    | "content-language"
                                    | "content-location"
                            )
                        });
                    }
                    path = to;
                    continue;
                }
                _ => {}
            }
            let bytes = answer.body.map_err(|e| {
                blocked(
                    Rule::BodyError,
                    format!("The response body could not be read: {e}"),
                )
            })?;
            let body = if method == "HEAD" { Vec::new() } else { bytes };
            if same {
                return Ok(Seen {
                    status: answer.status.as_u16(),
                    kind: Kind::Basic,
                    headers: check::basic_readable(&answer.headers, answer.content_length),
                    body,
                });
            }
            if !cors {
                return Ok(Seen {
                    status: 0,
                    kind: Kind::Opaque,
                    headers: Vec::new(),
                    body: Vec::new(),
                });
            }
            return Ok(Seen {
                status: answer.status.as_u16(),
                kind: Kind::Cors,
                headers: check::readable(&answer.headers, answer.content_length, fetch.credentials),
                body,
            });
        }
        Err(blocked(Rule::TooManyRedirects, "More than 20 redirects."))
    }
}
