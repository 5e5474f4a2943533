//! The browser cases, as data: which tab calls what, what the page must see,
//! why Chromium must say a call failed, what the API server must receive and
//! answer, and where an engine differs, with the reason.
//!
//! Placeholders: `<main>`, `<other>`, `<sub>`, `<label>` are the four page
//! origins, and `<api>` the API's own, in server lines; `{case}` is the case's key (its `?case=` value), `{main}`
//! the main page origin, in bodies and server lines.

use route_cors::test::Engine;

/// Which page makes the calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// `http://127.0.0.1:PAGE_PORT`, the origin the API allows.
    Main,
    /// `http://localhost:PAGE_PORT`: another origin, not allowed.
    Other,
    /// `http://a.localhost:PAGE_PORT`, for the subdomain pattern.
    Sub,
    /// `http://pr-7.localhost:PAGE_PORT`, for a `*` inside the leftmost label.
    Label,
    /// `http://localhost:API_PORT`, the API's own origin: a same-origin
    /// page. Form steps only.
    Api,
}

/// What the page must find in the call's Resource Timing entry: its
/// `requestStart`, which browsers zero for a cross-origin response without a
/// matching `Timing-Allow-Origin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    Visible,
    Hidden,
}

impl Timing {
    /// As the runner page reports it.
    pub fn as_str(self) -> &'static str {
        match self {
            Timing::Visible => "visible",
            Timing::Hidden => "hidden",
        }
    }
}

/// What the page must observe for one call.
#[derive(Debug, Clone, Copy)]
pub enum Sees {
    /// A readable CORS response: status, readable headers other than
    /// `content-length` (which is added, as the body's length), body.
    Read(u16, &'static [&'static str], &'static str),
    /// Exactly this `STATUS TYPE [headers] BODY` line.
    Raw(&'static str),
    /// The engine's `TypeError`.
    Failed,
    /// A form submission: a top-level navigation, whose answer the page's
    /// script cannot read. The server lines and the handler runs tell what
    /// happened.
    Navigated,
}

/// One `fetch` of a case.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub path: &'static str,
    /// The `init` argument of `fetch`, as JSON.
    pub init: &'static str,
    pub sees: Sees,
    /// The `corsError` Chromium's DevTools report; `None` if it loads.
    pub why: Option<&'static str>,
    /// If given, the page reads the call's Resource Timing entry, which must
    /// be this. Browser only: `route_cors::test` does not model it.
    pub timing: Option<Timing>,
}

/// An engine's documented departure from the expectations of a case.
#[derive(Debug, Clone, Copy)]
pub struct Differs {
    pub engine: Engine,
    /// Replaces the steps' `sees` (and `why`), if given.
    pub steps: Option<&'static [Step]>,
    /// Replaces the server lines, if given.
    pub server: Option<&'static [&'static str]>,
    /// One line: the Fetch standard's rule or the engine's documented
    /// behaviour that explains it.
    pub reason: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct Case {
    pub name: &'static str,
    pub tab: Tab,
    pub steps: &'static [Step],
    /// What the API server must receive and answer, in order.
    pub server: &'static [&'static str],
    pub differs: &'static [Differs],
    /// From this step on, the outcome depends on the browser's HTTP cache,
    /// which `route_cors::test` does not model; the model is compared on the
    /// steps before it only.
    pub http_cache_from: Option<usize>,
    /// How many times the write route's handler must have run for this
    /// case, counted on the server; `None` for cases without writes.
    pub handler_runs: Option<usize>,
}

impl Case {
    /// The steps and server lines `engine` must produce.
    pub fn expected(&self, engine: Engine) -> (&'static [Step], &'static [&'static str]) {
        let d = self.differs.iter().find(|d| d.engine == engine);
        (
            d.and_then(|d| d.steps).unwrap_or(self.steps),
            d.and_then(|d| d.server).unwrap_or(self.server),
        )
    }
}

const fn ok(path: &'static str, init: &'static str, sees: Sees) -> Step {
    Step {
        path,
        init,
        sees,
        why: None,
        timing: None,
    }
}

const fn timed(path: &'static str, sees: Sees, timing: Timing) -> Step {
    Step {
        timing: Some(timing),
        ..ok(path, "{}", sees)
    }
}

const fn fails(path: &'static str, init: &'static str, why: &'static str) -> Step {
    Step {
        path,
        init,
        sees: Sees::Failed,
        why: Some(why),
        timing: None,
    }
}

const fn case(
    name: &'static str,
    tab: Tab,
    steps: &'static [Step],
    server: &'static [&'static str],
) -> Case {
    Case {
        name,
        tab,
        steps,
        server,
        differs: &[],
        http_cache_from: None,
        handler_runs: None,
    }
}

/// A form the page submits by script (`init` gives `"form": "post"`): a
/// top-level navigation.
const fn form(path: &'static str) -> Step {
    Step {
        path,
        init: r#"{"form": "post"}"#,
        sees: Sees::Navigated,
        why: None,
        timing: None,
    }
}

/// A case with writes: `runs` handler runs, counted on the server.
const fn writes(
    name: &'static str,
    tab: Tab,
    steps: &'static [Step],
    server: &'static [&'static str],
    runs: usize,
) -> Case {
    Case {
        handler_runs: Some(runs),
        ..case(name, tab, steps, server)
    }
}

/// `Vary` of every allowed preflight route-cors answers.
macro_rules! pf_vary {
    () => {
        "vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
    };
}

const JSON_POST: &str =
    r#"{"method": "POST", "headers": {"content-type": "application/json"}, "body": "{\"a\":1}"}"#;
const WEBKIT_AUTH: &str = "WebKit has no switch for the Fetch rule that `Access-Control-Allow-Headers: *` never covers Authorization (CORS non-wildcard request-header name): not discriminating there";
const WEBKIT_SECURE: &str = "WebKit does not store a `Secure` cookie set over http, not even on localhost, which Chromium and Firefox treat as a secure context";
const FIREFOX_CREDENTIALS: &str = "Firefox keys its preflight cache by credentials mode, so a credentialed entry does not serve a `credentials: \"omit\"` request; the Fetch standard's cache entry match (and Chromium, WebKit) reuse it";
use Tab::{Api, Label, Main, Other, Sub};

/// Every case. The cookie case comes last among its tab's cases: the cookie
/// it sets goes with every later credentialed call to the API host.
pub static CASES: &[Case] = &[
    // Auth on a scope behind `CorsAware`: the preflight passes it by, its 401 is readable.
    case("scope_auth_bad_token_readable", Main,
        &[ok("/admin/stats", r#"{"credentials": "include", "headers": {"authorization": "Bearer bad"}}"#, Sees::Read(401, &[], "missing token"))],
        &[concat!("OPTIONS /admin/stats origin=<main> acrm=GET acrh=authorization -> 204 | access-control-allow-credentials: true | access-control-allow-headers: authorization | access-control-allow-methods: GET | access-control-allow-origin: <main> | ", pf_vary!()),
          "GET /admin/stats origin=<main> authorization=Bearer bad -> 401 | access-control-allow-credentials: true | access-control-allow-origin: <main> | vary: Origin"]),
    case("scope_auth_good_token", Main,
        &[ok("/admin/stats", r#"{"credentials": "include", "headers": {"authorization": "Bearer good"}}"#, Sees::Read(200, &[], "stats"))],
        &[concat!("OPTIONS /admin/stats origin=<main> acrm=GET acrh=authorization -> 204 | access-control-allow-credentials: true | access-control-allow-headers: authorization | access-control-allow-methods: GET | access-control-allow-origin: <main> | ", pf_vary!()),
          "GET /admin/stats origin=<main> authorization=Bearer good -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <main> | vary: Origin"]),
    // A scope's `DefaultPolicy`: a route without `#[cors]`, its 404 body, and a route whose own policy wins.
    case("default_policy_route_without_cors", Main,
        &[ok("/api/orders/1", "{}", Sees::Read(200, &["x-total: 1"], "order 1")),
          ok("/api/orders/7", "{}", Sees::Read(404, &[], "no order 7"))],
        &["GET /api/orders/1 origin=<main> -> 200 | access-control-allow-origin: <main> | access-control-expose-headers: x-total | vary: Origin",
          "GET /api/orders/7 origin=<main> -> 404 | access-control-allow-origin: <main> | access-control-expose-headers: x-total | vary: Origin"]),
    case("default_policy_overridden_by_route", Other, &[ok("/api/public", "{}", Sees::Read(200, &[], "public"))],
        &["GET /api/public origin=<other> -> 200 | access-control-allow-origin: *"]),
    case("simple_get_allowed_origin", Main, &[ok("/simple", "{}", Sees::Read(200, &[], "simple"))],
        &["GET /simple origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    // The handler runs; only the CORS headers are withheld.
    case("simple_get_disallowed_origin", Other, &[fails("/simple", "{}", "MissingAllowOriginHeader")],
        &["GET /simple origin=<other> -> 200 | vary: Origin"]),
    case("simple_get_compile_time_list_excludes_page", Main, &[fails("/elsewhere", "{}", "MissingAllowOriginHeader")],
        &["GET /elsewhere origin=<main> -> 200 | vary: Origin"]),
    case("any_origin_route_from_page", Main, &[ok("/any", "{}", Sees::Read(200, &["x-any: 1"], "any"))],
        &["GET /any origin=<main> -> 200 | access-control-allow-origin: * | access-control-expose-headers: x-any"]),
    case("any_origin_route_from_other_origin", Other, &[ok("/any", "{}", Sees::Read(200, &["x-any: 1"], "any"))],
        &["GET /any origin=<other> -> 200 | access-control-allow-origin: * | access-control-expose-headers: x-any"]),
    case("json_post_with_preflight", Main, &[ok("/json", JSON_POST, Sees::Read(200, &["content-type: application/json"], "{\"a\":1}"))],
        &[concat!("OPTIONS /json origin=<main> acrm=POST acrh=content-type -> 204 | access-control-allow-headers: content-type | access-control-allow-methods: POST | access-control-allow-origin: <main> | ", pf_vary!()),
          "POST /json origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    // Rejected preflight: 403, nothing about the policy, and no POST follows.
    case("json_post_from_disallowed_origin", Other, &[fails("/json", JSON_POST, "PreflightMissingAllowOriginHeader")],
        &["OPTIONS /json origin=<other> acrm=POST acrh=content-type -> 403"]),
    case("extractor_failure_readable", Main,
        &[ok("/json", r#"{"method": "POST", "headers": {"content-type": "application/json"}, "body": "{"}"#,
            Sees::Read(400, &["content-type: text/plain; charset=utf-8"], "Json deserialize error: EOF while parsing an object at line 1 column 1"))],
        &[concat!("OPTIONS /json origin=<main> acrm=POST acrh=content-type -> 204 | access-control-allow-headers: content-type | access-control-allow-methods: POST | access-control-allow-origin: <main> | ", pf_vary!()),
          "POST /json origin=<main> -> 400 | access-control-allow-origin: <main> | vary: Origin"]),
    case("credentialed_call_to_route_without_credentials", Main, &[fails("/simple", r#"{"credentials": "include"}"#, "InvalidAllowCredentials")],
        &["GET /simple origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    case("credentialed_call_to_any_origin_route", Main, &[fails("/any", r#"{"credentials": "include"}"#, "WildcardOriginNotAllowed")],
        &["GET /any origin=<main> -> 200 | access-control-allow-origin: * | access-control-expose-headers: x-any"]),
    case("put_with_preflight", Main, &[ok("/item", r#"{"method": "PUT"}"#, Sees::Read(200, &[], "put"))],
        &[concat!("OPTIONS /item origin=<main> acrm=PUT -> 204 | access-control-allow-methods: PUT | access-control-allow-origin: <main> | ", pf_vary!()),
          "PUT /item origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    // Browsers upper-case `delete`, so it matches `DELETE`.
    case("delete_with_preflight", Main, &[ok("/item", r#"{"method": "delete"}"#, Sees::Read(200, &[], "deleted"))],
        &[concat!("OPTIONS /item origin=<main> acrm=DELETE -> 204 | access-control-allow-methods: DELETE | access-control-allow-origin: <main> | ", pf_vary!()),
          "DELETE /item origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    case("patch_upper_case_allowed", Main, &[ok("/item", r#"{"method": "PATCH"}"#, Sees::Read(200, &[], "patched"))],
        &[concat!("OPTIONS /item origin=<main> acrm=PATCH -> 204 | access-control-allow-methods: PATCH | access-control-allow-origin: <main> | ", pf_vary!()),
          "PATCH /item origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    // `patch` stays lower case and does not match `PATCH`.
    case("patch_lower_case_rejected", Main, &[fails("/item", r#"{"method": "patch"}"#, "PreflightMissingAllowOriginHeader")],
        &["OPTIONS /item origin=<main> acrm=patch -> 403"]),
    case("custom_header_allowed", Main, &[ok("/custom", r#"{"headers": {"X-Allowed": "yes"}}"#, Sees::Read(200, &[], "x-allowed: yes"))],
        &[concat!("OPTIONS /custom origin=<main> acrm=GET acrh=x-allowed -> 204 | access-control-allow-headers: x-allowed | access-control-allow-methods: GET | access-control-allow-origin: <main> | ", pf_vary!()),
          "GET /custom origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    case("custom_header_not_allowed", Main, &[fails("/custom", r#"{"headers": {"X-Allowed": "yes", "X-Other": "no"}}"#, "PreflightMissingAllowOriginHeader")],
        &["OPTIONS /custom origin=<main> acrm=GET acrh=x-allowed,x-other -> 403"]),
    // `*` does not cover Authorization: the checked names are echoed.
    case("authorization_on_any_header_route_is_named", Main,
        &[ok("/any-header", r#"{"headers": {"Authorization": "Bearer t", "X-Custom": "1"}}"#, Sees::Read(200, &[], "authorization: Bearer t"))],
        &[concat!("OPTIONS /any-header origin=<main> acrm=GET acrh=authorization,x-custom -> 204 | access-control-allow-headers: authorization,x-custom | access-control-allow-methods: GET | access-control-allow-origin: <main> | ", pf_vary!()),
          "GET /any-header origin=<main> authorization=Bearer t -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    // The control for the case above: a hand-made `*` is refused for
    // Authorization, so naming it is what made the case above pass.
    Case {
        differs: &[Differs {
            engine: Engine::WebKit,
            steps: Some(&[ok("/star-headers-control", r#"{"headers": {"Authorization": "Bearer t"}}"#, Sees::Raw("204 cors [] "))]),
            server: Some(&["OPTIONS /star-headers-control origin=<main> acrm=GET acrh=authorization -> 204 | access-control-allow-headers: * | access-control-allow-methods: GET | access-control-allow-origin: <main>",
                "GET /star-headers-control origin=<main> authorization=Bearer t -> 204 | access-control-allow-headers: * | access-control-allow-methods: GET | access-control-allow-origin: <main>"]),
            reason: WEBKIT_AUTH,
        }],
        ..case("authorization_control_star_does_not_cover_it", Main,
            &[fails("/star-headers-control", r#"{"headers": {"Authorization": "Bearer t"}}"#, "HeaderDisallowedByPreflightResponse")],
            &["OPTIONS /star-headers-control origin=<main> acrm=GET acrh=authorization -> 204 | access-control-allow-headers: * | access-control-allow-methods: GET | access-control-allow-origin: <main>"])
    },
    case("any_header_route_without_authorization_answers_star", Main,
        &[ok("/any-header", r#"{"headers": {"X-Custom": "1"}}"#, Sees::Read(200, &[], "authorization: (none)"))],
        &[concat!("OPTIONS /any-header origin=<main> acrm=GET acrh=x-custom -> 204 | access-control-allow-headers: * | access-control-allow-methods: GET | access-control-allow-origin: <main> | ", pf_vary!()),
          "GET /any-header origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    case("handler_404_readable", Main, &[ok("/status/404", "{}", Sees::Read(404, &[], "status 404"))],
        &["GET /status/404 origin=<main> -> 404 | access-control-allow-origin: <main> | vary: Origin"]),
    case("handler_500_readable", Main, &[ok("/status/500", "{}", Sees::Read(500, &[], "status 500"))],
        &["GET /status/500 origin=<main> -> 500 | access-control-allow-origin: <main> | vary: Origin"]),
    case("path_extractor_failure_readable", Main,
        &[ok("/status/abc", "{}", Sees::Read(404, &["content-type: text/plain; charset=utf-8"], "can not parse \"abc\" to a u16"))],
        &["GET /status/abc origin=<main> -> 404 | access-control-allow-origin: <main> | vary: Origin"]),
    // The preflight does not run the auth middleware.
    case("inner_middleware_401_readable", Main,
        &[ok("/guarded", r#"{"headers": {"Authorization": "Bearer bad"}}"#, Sees::Read(401, &["content-type: text/plain; charset=utf-8"], "bad token"))],
        &[concat!("OPTIONS /guarded origin=<main> acrm=GET acrh=authorization -> 204 | access-control-allow-headers: authorization | access-control-allow-methods: GET | access-control-allow-origin: <main> | ", pf_vary!()),
          "GET /guarded origin=<main> authorization=Bearer bad -> 401 | access-control-allow-origin: <main> | vary: Origin"]),
    case("inner_middleware_passes_good_token", Main,
        &[ok("/guarded", r#"{"headers": {"Authorization": "Bearer good"}}"#, Sees::Read(200, &[], "secret"))],
        &[concat!("OPTIONS /guarded origin=<main> acrm=GET acrh=authorization -> 204 | access-control-allow-headers: authorization | access-control-allow-methods: GET | access-control-allow-origin: <main> | ", pf_vary!()),
          "GET /guarded origin=<main> authorization=Bearer good -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    // x-hidden was sent but is not readable.
    case("exposed_header_readable_unexposed_not", Main, &[ok("/expose", "{}", Sees::Read(200, &["x-exposed: shown"], "expose"))],
        &["GET /expose origin=<main> -> 200 | access-control-allow-origin: <main> | access-control-expose-headers: x-exposed | vary: Origin"]),
    // Two identical preflighted calls in a row.
    case("max_age_600_one_preflight_for_two_calls", Main,
        &[ok("/max-age-600", r#"{"headers": {"X-Probe": "1"}}"#, Sees::Read(200, &[], "600")), ok("/max-age-600", r#"{"headers": {"X-Probe": "1"}}"#, Sees::Read(200, &[], "600"))],
        &[concat!("OPTIONS /max-age-600 origin=<main> acrm=GET acrh=x-probe -> 204 | access-control-allow-headers: x-probe | access-control-allow-methods: GET | access-control-allow-origin: <main> | access-control-max-age: 600 | ", pf_vary!()),
          "GET /max-age-600 origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin",
          "GET /max-age-600 origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    case("max_age_0_one_preflight_per_call", Main,
        &[ok("/max-age-0", r#"{"headers": {"X-Probe": "1"}}"#, Sees::Read(200, &[], "0")), ok("/max-age-0", r#"{"headers": {"X-Probe": "1"}}"#, Sees::Read(200, &[], "0"))],
        &[concat!("OPTIONS /max-age-0 origin=<main> acrm=GET acrh=x-probe -> 204 | access-control-allow-headers: x-probe | access-control-allow-methods: GET | access-control-allow-origin: <main> | access-control-max-age: 0 | ", pf_vary!()),
          "GET /max-age-0 origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin",
          concat!("OPTIONS /max-age-0 origin=<main> acrm=GET acrh=x-probe -> 204 | access-control-allow-headers: x-probe | access-control-allow-methods: GET | access-control-allow-origin: <main> | access-control-max-age: 0 | ", pf_vary!()),
          "GET /max-age-0 origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    case("max_age_absent_browser_default", Main,
        &[ok("/max-age-none", r#"{"headers": {"X-Probe": "1"}}"#, Sees::Read(200, &[], "none")), ok("/max-age-none", r#"{"headers": {"X-Probe": "1"}}"#, Sees::Read(200, &[], "none"))],
        &[concat!("OPTIONS /max-age-none origin=<main> acrm=GET acrh=x-probe -> 204 | access-control-allow-headers: x-probe | access-control-allow-methods: GET | access-control-allow-origin: <main> | ", pf_vary!()),
          "GET /max-age-none origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin",
          "GET /max-age-none origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    // A credentialed preflight, then the same call without credentials.
    Case {
        differs: &[Differs {
            engine: Engine::Firefox,
            steps: None,
            server: Some(&[concat!("OPTIONS /cred-cache origin=<main> acrm=PUT -> 204 | access-control-allow-credentials: true | access-control-allow-methods: PUT | access-control-allow-origin: <main> | access-control-max-age: 600 | ", pf_vary!()),
                "PUT /cred-cache origin=<main> -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <main> | vary: Origin",
                concat!("OPTIONS /cred-cache origin=<main> acrm=PUT -> 204 | access-control-allow-credentials: true | access-control-allow-methods: PUT | access-control-allow-origin: <main> | access-control-max-age: 600 | ", pf_vary!()),
                "PUT /cred-cache origin=<main> -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <main> | vary: Origin"]),
            reason: FIREFOX_CREDENTIALS,
        }],
        ..case("preflight_cache_credentialed_entry_serves_omit", Main,
            &[ok("/cred-cache", r#"{"method": "PUT", "credentials": "include"}"#, Sees::Read(200, &[], "cred-cache")),
              ok("/cred-cache", r#"{"method": "PUT", "credentials": "omit"}"#, Sees::Read(200, &[], "cred-cache"))],
            &[concat!("OPTIONS /cred-cache origin=<main> acrm=PUT -> 204 | access-control-allow-credentials: true | access-control-allow-methods: PUT | access-control-allow-origin: <main> | access-control-max-age: 600 | ", pf_vary!()),
              "PUT /cred-cache origin=<main> -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <main> | vary: Origin",
              "PUT /cred-cache origin=<main> -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <main> | vary: Origin"])
    },
    case("two_policies_one_path_get_any_origin", Main, &[ok("/shared", "{}", Sees::Read(200, &[], "shared get"))],
        &["GET /shared origin=<main> -> 200 | access-control-allow-origin: *"]),
    case("two_policies_one_path_post_page_origin", Main,
        &[ok("/shared", r#"{"method": "POST", "headers": {"content-type": "application/json"}, "body": "[1]"}"#, Sees::Read(201, &["content-type: application/json"], "[1]"))],
        &[concat!("OPTIONS /shared origin=<main> acrm=POST acrh=content-type -> 204 | access-control-allow-headers: content-type | access-control-allow-methods: POST | access-control-allow-origin: <main> | ", pf_vary!()),
          "POST /shared origin=<main> -> 201 | access-control-allow-origin: <main> | vary: Origin"]),
    case("two_policies_one_path_delete_other_policy_denies", Main, &[fails("/shared", r#"{"method": "DELETE"}"#, "PreflightMissingAllowOriginHeader")],
        &["OPTIONS /shared origin=<main> acrm=DELETE -> 403"]),
    case("subdomain_pattern_get", Sub, &[ok("/sub", "{}", Sees::Read(200, &[], "sub get"))],
        &["GET /sub origin=<sub> -> 200 | access-control-allow-origin: <sub> | vary: Origin"]),
    case("subdomain_pattern_put_with_preflight", Sub, &[ok("/sub", r#"{"method": "PUT"}"#, Sees::Read(200, &[], "sub put"))],
        &[concat!("OPTIONS /sub origin=<sub> acrm=PUT -> 204 | access-control-allow-methods: PUT | access-control-allow-origin: <sub> | ", pf_vary!()),
          "PUT /sub origin=<sub> -> 200 | access-control-allow-origin: <sub> | vary: Origin"]),
    case("subdomain_pattern_excludes_bare_localhost", Other, &[fails("/sub", "{}", "MissingAllowOriginHeader")],
        &["GET /sub origin=<other> -> 200 | vary: Origin"]),
    case("subdomain_pattern_excludes_ip_origin", Main, &[fails("/sub", "{}", "MissingAllowOriginHeader")],
        &["GET /sub origin=<main> -> 200 | vary: Origin"]),
    // Issue 10: a `*` inside the leftmost label (`pr-*`, never empty), from
    // a page on `pr-7.localhost`; `a.localhost` is not covered.
    case("label_wildcard_covers_pr_7_localhost", Label, &[ok("/label", "{}", Sees::Read(200, &[], "label get"))],
        &["GET /label origin=<label> -> 200 | access-control-allow-origin: <label> | vary: Origin"]),
    case("label_wildcard_excludes_other_label", Sub, &[fails("/label", "{}", "MissingAllowOriginHeader")],
        &["GET /label origin=<sub> -> 200 | vary: Origin"]),
    // `http://127.0.0.1:*`: the page's OS-chosen port, on that host only.
    case("port_wildcard_covers_random_page_port", Main, &[ok("/any-port", "{}", Sees::Read(200, &[], "any port"))],
        &["GET /any-port origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    case("port_wildcard_excludes_other_host", Other, &[fails("/any-port", "{}", "MissingAllowOriginHeader")],
        &["GET /any-port origin=<other> -> 200 | vary: Origin"]),
    // `timing`: with Timing-Allow-Origin the page reads the call's
    // `requestStart`; without it (the same origin allowed), it reads 0.
    case("timing_allow_origin_shows_resource_timing", Main, &[timed("/timed", Sees::Read(200, &[], "timed"), Timing::Visible)],
        &["GET /timed origin=<main> -> 200 | access-control-allow-origin: <main> | timing-allow-origin: <main> | vary: Origin"]),
    case("timing_without_timing_allow_origin_hidden", Main, &[timed("/untimed", Sees::Read(200, &[], "untimed"), Timing::Hidden)],
        &["GET /untimed origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    // An `OriginSet` replaced while the server runs: the page has the API
    // replace it (without, then with, the page's origin) between its calls.
    case("replaced_origin_set_applies_without_restart", Main,
        &[ok("/replace-origins/nobody", r#"{"method": "POST"}"#, Sees::Read(200, &[], "now: nobody")),
          fails("/replaceable", "{}", "MissingAllowOriginHeader"),
          ok("/replace-origins/caller", r#"{"method": "POST"}"#, Sees::Read(200, &[], "now: caller")),
          ok("/replaceable", "{}", Sees::Read(200, &[], "replaceable"))],
        &["POST /replace-origins/nobody origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin",
          "GET /replaceable origin=<main> -> 200 | vary: Origin",
          "POST /replace-origins/caller origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin",
          "GET /replaceable origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    // The 307 is decorated, so the browser follows it.
    case("redirect_carries_cors_headers", Main, &[ok("/redirect", "{}", Sees::Read(200, &[], "simple"))],
        &["GET /redirect origin=<main> -> 307 | access-control-allow-origin: <main> | vary: Origin",
          "GET /simple origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    // Two ACAO lines would fail; x-secret is no longer exposed.
    case("handler_cors_headers_replaced_not_appended", Main, &[ok("/handler-sets-cors", "{}", Sees::Read(200, &[], "handler headers"))],
        &["GET /handler-sets-cors origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"]),
    // A no-cors load (no Origin), cached for ten minutes, must not be reused
    // for a CORS request: Vary: Origin sends that to the server. The CORS
    // response itself is then reused for the same origin.
    Case {
        http_cache_from: Some(2),
        ..case("vary_origin_keeps_cached_response_correct", Main,
            &[ok("/cached", r#"{"mode": "no-cors"}"#, Sees::Raw("0 opaque [] ")),
              ok("/cached", r#"{"_pause": 500}"#, Sees::Read(200, &["cache-control: max-age=600"], "cached, origin: {main}")),
              ok("/cached", "{}", Sees::Read(200, &["cache-control: max-age=600"], "cached, origin: {main}"))],
            &["GET /cached -> 200 | vary: Origin", "GET /cached origin=<main> -> 200 | access-control-allow-origin: <main> | vary: Origin"])
    },
    // The control for the case above, on a hand-made route without Vary:
    // Origin: the browser reuses the cached no-cors response, so the CORS
    // load fails. This shows the case above can fail.
    Case {
        http_cache_from: Some(1),
        ..case("vary_control_without_vary_reuses_wrong_response", Main,
            &[ok("/cached-control", r#"{"mode": "no-cors"}"#, Sees::Raw("0 opaque [] ")), fails("/cached-control", r#"{"_pause": 500}"#, "MissingAllowOriginHeader")],
            &["GET /cached-control -> 200"])
    },
    // Answers route-cors never sends, from a plain handler: they prove the
    // checks of the model (and of the browsers).
    case("bad_two_allow_origin_lines", Main, &[fails("/bad/two-acao", "{}", "MultipleAllowOriginValues")],
        &["GET /bad/two-acao origin=<main> -> 200 | access-control-allow-origin: <main> | access-control-allow-origin: <main>"]),
    case("bad_allow_credentials_capitalised", Main, &[fails("/bad/acac-capital", r#"{"credentials": "include"}"#, "InvalidAllowCredentials")],
        &["GET /bad/acac-capital origin=<main> -> 200 | access-control-allow-credentials: True | access-control-allow-origin: <main>"]),
    case("bad_star_origin_with_credentials", Main, &[fails("/bad/star-credentials", r#"{"credentials": "include"}"#, "WildcardOriginNotAllowed")],
        &["GET /bad/star-credentials origin=<main> -> 200 | access-control-allow-credentials: true | access-control-allow-origin: *"]),
    case("bad_origin_with_trailing_slash", Main, &[fails("/bad/trailing-slash", "{}", "AllowOriginMismatch")],
        &["GET /bad/trailing-slash origin=<main> -> 200 | access-control-allow-origin: <main>/"]),
    case("bad_star_control_without_credentials", Main, &[ok("/bad/star-credentials", "{}", Sees::Read(200, &[], "bad star-credentials"))],
        &["GET /bad/star-credentials origin=<main> -> 200 | access-control-allow-credentials: true | access-control-allow-origin: *"]),
    case("bad_preflight_star_methods_with_credentials", Main,
        &[fails("/bad/pf-star-methods", r#"{"method": "PUT", "credentials": "include"}"#, "MethodDisallowedByPreflightResponse")],
        &["OPTIONS /bad/pf-star-methods origin=<main> acrm=PUT -> 204 | access-control-allow-credentials: true | access-control-allow-methods: * | access-control-allow-origin: <main>"]),
    case("bad_preflight_header_list_not_tokens", Main,
        &[fails("/bad/pf-bad-token", r#"{"headers": {"X-A": "1"}}"#, "InvalidAllowHeadersPreflightResponse")],
        &["OPTIONS /bad/pf-bad-token origin=<main> acrm=GET acrh=x-a -> 204 | access-control-allow-headers: x-a, x b | access-control-allow-methods: GET | access-control-allow-origin: <main>"]),
    case("bad_preflight_redirect", Main,
        &[fails("/bad/pf-redirect", r#"{"method": "PUT"}"#, "PreflightDisallowedRedirect")],
        &["OPTIONS /bad/pf-redirect origin=<main> acrm=PUT -> 307 | access-control-allow-methods: PUT | access-control-allow-origin: <main>"]),
    case("bad_preflight_status_500", Main,
        &[fails("/bad/pf-500", r#"{"method": "PUT"}"#, "PreflightInvalidStatus")],
        &["OPTIONS /bad/pf-500 origin=<main> acrm=PUT -> 500 | access-control-allow-methods: PUT | access-control-allow-origin: <main>"]),
    // Cross-origin write protection: `/writes/transfer` lists only the other
    // page (same-site with the API). From the main page (cross-site), a form
    // post and a `no-cors` POST are refused before the handler; the listed
    // origin's credentialed POST and the API's own page's form post run it.
    writes("write_cross_site_form_post_refused", Main, &[form("/writes/transfer")],
        &["POST /writes/transfer origin=<main> sfs=cross-site sfm=navigate sfd=document -> 403"], 0),
    // The page gets its opaque response; Chromium's DevTools report the
    // refused (403) response's load as aborted, not as a CORS error.
    writes("write_cross_site_no_cors_post_refused", Main,
        &[Step {
            why: Some("(not a CORS error: net::ERR_ABORTED)"),
            ..ok("/writes/transfer", r#"{"method": "POST", "mode": "no-cors", "credentials": "include", "body": "to=mallory"}"#, Sees::Raw("0 opaque [] "))
        }],
        &["POST /writes/transfer origin=<main> sfs=cross-site sfm=no-cors sfd=empty -> 403"], 0),
    writes("write_listed_origin_credentialed_post_runs", Other,
        &[ok("/writes/transfer", r#"{"method": "POST", "credentials": "include", "body": "to=bob"}"#, Sees::Read(200, &[], "transferred"))],
        &["POST /writes/transfer origin=<other> sfs=same-site sfm=cors sfd=empty -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <other> | vary: Origin"], 1),
    // A preflighted write: the preflight carries the Fetch metadata too.
    writes("write_listed_origin_json_post_preflighted", Other,
        &[ok("/writes/json", r#"{"method": "POST", "credentials": "include", "headers": {"content-type": "application/json"}, "body": "{}"}"#, Sees::Read(200, &[], "stored"))],
        &[concat!("OPTIONS /writes/json origin=<other> acrm=POST acrh=content-type sfs=same-site sfm=cors sfd=empty -> 204 | access-control-allow-credentials: true | access-control-allow-headers: content-type | access-control-allow-methods: POST | access-control-allow-origin: <other> | ", pf_vary!()),
          "POST /writes/json origin=<other> sfs=same-site sfm=cors sfd=empty -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <other> | vary: Origin"], 1),
    writes("write_cross_site_json_post_refused_at_preflight", Main,
        &[fails("/writes/json", r#"{"method": "POST", "credentials": "include", "headers": {"content-type": "application/json"}, "body": "{}"}"#, "PreflightMissingAllowOriginHeader")],
        &["OPTIONS /writes/json origin=<main> acrm=POST acrh=content-type sfs=cross-site sfm=cors sfd=empty -> 403"], 0),
    writes("write_same_origin_form_post_runs", Api, &[form("/writes/transfer")],
        &["POST /writes/transfer origin=<api> sfs=same-origin sfm=navigate sfd=document -> 200 | vary: Origin"], 1),
    // A `Secure` cookie set over http://localhost (path /secure, so that it
    // stays out of the next case).
    Case {
        differs: &[Differs {
            engine: Engine::WebKit,
            steps: Some(&[ok("/secure/login", r#"{"method": "POST", "credentials": "include"}"#, Sees::Read(200, &[], "logged in")),
                ok("/secure/whoami", r#"{"method": "PUT", "credentials": "include"}"#, Sees::Read(200, &[], "cookie: (none)"))]),
            server: Some(&["POST /secure/login origin=<other> -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <other> | vary: Origin",
                concat!("OPTIONS /secure/whoami origin=<other> acrm=PUT -> 204 | access-control-allow-credentials: true | access-control-allow-methods: PUT | access-control-allow-origin: <other> | ", pf_vary!()),
                "PUT /secure/whoami origin=<other> -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <other> | vary: Origin"]),
            reason: WEBKIT_SECURE,
        }],
        ..case("secure_cookie_over_http_localhost", Other,
            &[ok("/secure/login", r#"{"method": "POST", "credentials": "include"}"#, Sees::Read(200, &[], "logged in")),
              ok("/secure/whoami", r#"{"method": "PUT", "credentials": "include"}"#, Sees::Read(200, &[], "cookie: sec_{case}=yes"))],
            &["POST /secure/login origin=<other> -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <other> | vary: Origin",
              concat!("OPTIONS /secure/whoami origin=<other> acrm=PUT -> 204 | access-control-allow-credentials: true | access-control-allow-methods: PUT | access-control-allow-origin: <other> | ", pf_vary!()),
              "PUT /secure/whoami origin=<other> cookie=sec_{case}=yes -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <other> | vary: Origin"])
    },
    // The page on localhost, same-site with the API, so `SameSite=Lax`
    // cookies flow. Last of its tab: it sets a cookie on the API host.
    case("credentialed_cookie_set_then_sent_not_on_preflight", Other,
        &[ok("/login", r#"{"method": "POST", "credentials": "include"}"#, Sees::Read(200, &[], "logged in")),
          ok("/whoami", r#"{"method": "PUT", "credentials": "include"}"#, Sees::Read(200, &[], "cookie: sid_{case}=yes"))],
        &["POST /login origin=<other> -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <other> | vary: Origin",
          // The preflight carries no cookie; the PUT does.
          concat!("OPTIONS /whoami origin=<other> acrm=PUT -> 204 | access-control-allow-credentials: true | access-control-allow-methods: PUT | access-control-allow-origin: <other> | ", pf_vary!()),
          "PUT /whoami origin=<other> cookie=sid_{case}=yes -> 200 | access-control-allow-credentials: true | access-control-allow-origin: <other> | vary: Origin"]),
];
