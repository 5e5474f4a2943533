//! The preflight: sending it, judging its answer (with who answered it, as
//! route-cors reports it), and each engine's preflight cache.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::http::Method;
use cors_runtime::__private01::Refused;

use super::check::{self, Access};
use super::{blocked, Blocked, Credentials, Engine, EngineNote, Page, Preflight, Request, Rule};

/// One entry of a preflight cache: a method or a header name allowed for a
/// URL until `expires`.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    path: String,
    credentials: bool,
    item: Item,
    expires: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Item {
    Method(String),
    Header(String),
}

/// What the allowed preflight said, for the cache.
pub(super) struct Allowed {
    methods: Vec<String>,
    headers: Vec<String>,
    max_age: Option<u64>,
}

/// The CORS-check failure as a rule and Chromium's words for it.
pub(super) fn access_rule(access: Access, value: &str, preflight: bool) -> (Rule, String) {
    let (rule, pre, text) = match access {
        Access::Missing => (
            Rule::MissingAllowOriginHeader,
            Rule::PreflightMissingAllowOriginHeader,
            "No 'Access-Control-Allow-Origin' header is present on the requested resource.".to_owned(),
        ),
        Access::Multiple => (
            Rule::MultipleAllowOriginValues,
            Rule::PreflightMultipleAllowOriginValues,
            format!("The 'Access-Control-Allow-Origin' header contains multiple values '{value}', but only one is allowed."),
        ),
        Access::Invalid => (
            Rule::InvalidAllowOriginValue,
            Rule::PreflightInvalidAllowOriginValue,
            format!("The 'Access-Control-Allow-Origin' header contains the invalid value '{value}'."),
        ),
        Access::Mismatch => (
            Rule::AllowOriginMismatch,
            Rule::PreflightAllowOriginMismatch,
            format!("The 'Access-Control-Allow-Origin' header has a value '{value}' that is not equal to the supplied origin."),
        ),
        Access::Wildcard => (
            Rule::WildcardOriginNotAllowed,
            Rule::PreflightWildcardOriginNotAllowed,
            "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.".to_owned(),
        ),
        Access::Credentials => (
            Rule::InvalidAllowCredentials,
            Rule::PreflightInvalidAllowCredentials,
            format!("The value of the 'Access-Control-Allow-Credentials' header in the response is '{value}' which must be 'true' when the request's credentials mode is 'include'."),
        ),
    };
    if preflight {
        (
            pre,
            format!("Response to preflight request doesn't pass access control check: {text}"),
        )
    } else {
        (rule, text)
    }
}

/// Who answered a preflight without `Access-Control-Allow-Origin`, and the
/// fix. Told by route-cors itself ([`Preflight::refused_by_route`]), not
/// guessed from the status.
fn preflight_hint(p: &Preflight) -> String {
    if p.refused_by_route {
        return " (route-cors answers a refused preflight with 403 and no CORS headers; its debug log, target `cors_runtime`, says why.)".to_owned();
    }
    let any_cors = p
        .cors_headers
        .iter()
        .any(|(n, _)| n.starts_with("access-control-"));
    match p.status {
        401 | 403 | 429 if !any_cors => format!(
            " (route-cors did not answer this preflight: a middleware answered it with {} before the route. Wrap that middleware in `route_cors::CorsAware::new(..)`, which answers the preflights of annotated routes from their policy; see docs/debugging.md.)",
            p.status
        ),
        404 | 405 if !any_cors => format!(
            " (No annotated route took the preflight ({}): check the path and that the route is registered; a service registered earlier on the same path that accepts OPTIONS takes it first; see docs/debugging.md.)",
            p.status
        ),
        _ => String::new(),
    }
}

fn cors_lines(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = headers
        .iter()
        .filter(|(n, _)| n.as_str().starts_with("access-control-") || n.as_str() == "vary")
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    lines
}

impl<S, B> Page<'_, S>
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    pub(super) fn cache_hit(&self, engine: Engine, path: &str, item: &Item, include: bool) -> bool {
        let now = self.now;
        self.caches[engine.index()].iter().any(|e| {
            let credentials = match engine {
                // Keyed by credentials mode.
                Engine::Firefox => e.credentials == include,
                // A credentialed entry also serves requests without credentials.
                Engine::Chromium | Engine::WebKit => e.credentials || !include,
            };
            e.path == path
                && credentials
                && e.expires > now
                && match (&e.item, item) {
                    (Item::Method(a), Item::Method(b)) => a == b || (a == "*" && !include),
                    (Item::Header(a), Item::Header(b)) => {
                        a.eq_ignore_ascii_case(b) || (a == "*" && !include && b != "authorization")
                    }
                    _ => false,
                }
        })
    }

    pub(super) fn store(
        &mut self,
        engine: Engine,
        path: &str,
        include: bool,
        allowed: &Allowed,
        method: &str,
    ) {
        let age = allowed.max_age.unwrap_or(5).min(engine.max_age_cap());
        if age == 0 {
            return;
        }
        let expires = self.now.saturating_add(age);
        let mut items: Vec<Item> = allowed.methods.iter().cloned().map(Item::Method).collect();
        if items.is_empty() {
            items.push(Item::Method(method.to_owned()));
        }
        items.extend(allowed.headers.iter().cloned().map(Item::Header));
        let cache = &mut self.caches[engine.index()];
        for item in items {
            cache.retain(|e| !(e.path == path && e.credentials == include && e.item == item));
            cache.push(Entry {
                path: path.to_owned(),
                credentials: include,
                item,
                expires,
            });
        }
    }

    /// The preflight for `method` and `unsafe_names` on `path`, judged.
    pub(super) async fn preflight(
        &self,
        path: &str,
        method: &str,
        unsafe_names: &[String],
        credentials: Credentials,
        notes: &mut Vec<EngineNote>,
    ) -> (Preflight, Result<Allowed, Blocked>) {
        let acrh = (!unsafe_names.is_empty()).then(|| unsafe_names.join(","));
        let mut headers = vec![
            ("origin".to_owned(), self.origin.clone()),
            (
                "access-control-request-method".to_owned(),
                method.to_owned(),
            ),
            ("accept".to_owned(), "*/*".to_owned()),
        ];
        if let Some(h) = &acrh {
            headers.push(("access-control-request-headers".to_owned(), h.clone()));
        }
        headers.extend(self.browser_headers("cors", "empty"));
        let answer = self.send(&Method::OPTIONS, path, &headers, "").await;
        let max_age = check::max_age(&answer.headers);
        let record = Preflight {
            path: path.to_owned(),
            method: method.to_owned(),
            headers: acrh,
            status: answer.status.as_u16(),
            cors_headers: cors_lines(&answer.headers),
            max_age,
            refused_by_route: answer.refused == Some(Refused::Preflight),
        };
        let h = &answer.headers;
        if answer.status.is_redirection() && h.contains_key("location") {
            let b = blocked(Rule::PreflightDisallowedRedirect, "Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.");
            return (record, Err(b));
        }
        if let Err((access, value)) = check::cors_check(h, &self.origin, credentials) {
            let (rule, mut text) = access_rule(access, &value, true);
            if access == Access::Missing {
                text.push_str(&preflight_hint(&record));
            }
            return (record, Err(blocked(rule, text)));
        }
        if !answer.status.is_success() {
            return (record, Err(blocked(Rule::PreflightInvalidStatus, "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.")));
        }
        let methods = match check::token_list(h, "access-control-allow-methods") {
            Ok(m) => m,
            Err(v) => return (record, Err(blocked(Rule::InvalidAllowMethodsPreflightResponse, format!("Cannot parse Access-Control-Allow-Methods response header field in preflight response: '{v}'.")))),
        };
        let allowed_headers = match check::token_list(h, "access-control-allow-headers") {
            Ok(m) => m,
            Err(v) => return (record, Err(blocked(Rule::InvalidAllowHeadersPreflightResponse, format!("Cannot parse Access-Control-Allow-Headers response header field in preflight response: '{v}'.")))),
        };
        if !check::method_allowed(&methods, method, credentials) {
            let mut text = format!("Method {method} is not allowed by Access-Control-Allow-Methods in preflight response.");
            if methods.iter().any(|m| m.eq_ignore_ascii_case(method)) {
                text.push_str(&format!(" Methods are compared case-sensitively, and browsers upper-case only DELETE, GET, HEAD, OPTIONS, POST and PUT: `{method}` is sent as written."));
            }
            if credentials == Credentials::Include && methods.iter().any(|m| m == "*") {
                text.push_str(" `*` is not a wildcard for a request with credentials.");
            }
            return (
                record,
                Err(blocked(Rule::MethodDisallowedByPreflightResponse, text)),
            );
        }
        if let Some(name) = check::header_refused(&allowed_headers, unsafe_names, credentials) {
            let mut text = format!("Request header field {name} is not allowed by Access-Control-Allow-Headers in preflight response.");
            if allowed_headers.iter().any(|a| a == "*") {
                if name == "authorization" && credentials != Credentials::Include {
                    text.push_str(" `*` never covers Authorization.");
                    notes.push(EngineNote::AuthorizationCoveredByWildcardInStockEngines);
                } else {
                    text.push_str(" `*` is not a wildcard for a request with credentials.");
                }
            }
            return (
                record,
                Err(blocked(Rule::HeaderDisallowedByPreflightResponse, text)),
            );
        }
        for engine in Engine::ALL {
            let cap = engine.max_age_cap();
            if let Some(requested) = max_age.filter(|a| *a > cap) {
                notes.push(EngineNote::MaxAgeCapped {
                    engine,
                    requested,
                    cached: cap,
                });
            }
        }
        let star_ok = credentials != Credentials::Include;
        let keep = |v: Vec<String>| v.into_iter().filter(|x| star_ok || x != "*").collect();
        (
            record,
            Ok(Allowed {
                methods: keep(methods),
                headers: keep(allowed_headers),
                max_age,
            }),
        )
    }
}
