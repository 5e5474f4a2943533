//! The verdict on one `fetch`: what the browser sent, what it decided and
//! why, what the page can read, and where the engines differ.

use std::fmt;

use super::Credentials;

/// A browser engine whose documented behaviour differs from another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    /// Chromium (Chrome, Edge, Opera): the reference for reasons and wording.
    Chromium,
    /// Gecko (Firefox).
    Firefox,
    /// WebKit (Safari).
    WebKit,
}

impl Engine {
    /// The three engines.
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::WebKit];

    /// The longest time the engine keeps a preflight in its cache, in
    /// seconds, whatever `Access-Control-Max-Age` says.
    pub fn max_age_cap(self) -> u64 {
        match self {
            Engine::Chromium => 7200,
            Engine::Firefox => 86400,
            Engine::WebKit => 600,
        }
    }

    /// The message of the `TypeError` the page gets when a fetch is blocked.
    pub fn blocked_message(self) -> &'static str {
        match self {
            Engine::Chromium => "TypeError: Failed to fetch",
            Engine::Firefox => "TypeError: NetworkError when attempting to fetch resource.",
            Engine::WebKit => "TypeError: Load failed",
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Engine::Chromium => 0,
            Engine::Firefox => 1,
            Engine::WebKit => 2,
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Chromium => "Chromium",
            Engine::Firefox => "Firefox",
            Engine::WebKit => "WebKit",
        })
    }
}

/// The rule a blocked fetch broke. The CORS rules carry the names Chromium's
/// DevTools report as `corsError` ([`Rule::devtools_name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// The method is not a valid HTTP token (a `TypeError` before sending).
    InvalidMethod,
    /// `CONNECT`, `TRACE` or `TRACK`.
    ForbiddenMethod,
    /// A header name or value `Headers` refuses.
    InvalidHeader,
    /// The path is not a valid path and query.
    InvalidUrl,
    /// The page origin is not a serialized origin.
    InvalidOrigin,
    /// The app's origin ([`Page::at`](super::Page::at),
    /// [`fetch_at`](super::fetch_at)) is not a serialized origin.
    InvalidAppOrigin,
    /// A GET or HEAD with a body.
    BodyWithGetOrHead,
    /// `mode: "no-cors"` with a method other than GET, HEAD or POST.
    MethodNotAllowedInNoCors,
    /// `mode: "same-origin"` for a cross-origin URL.
    DisallowedByMode,
    /// No `Access-Control-Allow-Origin` on the response.
    MissingAllowOriginHeader,
    /// More than one origin (two lines, or a list).
    MultipleAllowOriginValues,
    /// A value that is not an origin.
    InvalidAllowOriginValue,
    /// An origin other than the page's.
    AllowOriginMismatch,
    /// `*` on a credentialed request.
    WildcardOriginNotAllowed,
    /// `Access-Control-Allow-Credentials` is not exactly `true` on a
    /// credentialed request.
    InvalidAllowCredentials,
    /// The preflight has no `Access-Control-Allow-Origin`.
    PreflightMissingAllowOriginHeader,
    /// The preflight names more than one origin.
    PreflightMultipleAllowOriginValues,
    /// The preflight's origin is not an origin.
    PreflightInvalidAllowOriginValue,
    /// The preflight allows another origin.
    PreflightAllowOriginMismatch,
    /// The preflight answers `*` to a credentialed request.
    PreflightWildcardOriginNotAllowed,
    /// The preflight's `Access-Control-Allow-Credentials` is not `true`.
    PreflightInvalidAllowCredentials,
    /// The preflight's status is not 2xx.
    PreflightInvalidStatus,
    /// The preflight was answered with a redirect.
    PreflightDisallowedRedirect,
    /// The preflight's `Access-Control-Allow-Methods` does not parse.
    InvalidAllowMethodsPreflightResponse,
    /// The preflight's `Access-Control-Allow-Headers` does not parse.
    InvalidAllowHeadersPreflightResponse,
    /// The method is not in `Access-Control-Allow-Methods`.
    MethodDisallowedByPreflightResponse,
    /// A request header is not in `Access-Control-Allow-Headers`.
    HeaderDisallowedByPreflightResponse,
    /// A redirect to another origin, which this model does not follow.
    RedirectLeavesApp,
    /// More than 20 redirects.
    TooManyRedirects,
    /// The response body could not be read.
    BodyError,
}

impl Rule {
    /// The `corsErrorStatus.corsError` Chromium's DevTools report for this
    /// rule, or `None` for a rule that is not a CORS error.
    pub fn devtools_name(self) -> Option<&'static str> {
        use Rule::*;
        Some(match self {
            DisallowedByMode => "DisallowedByMode",
            MissingAllowOriginHeader => "MissingAllowOriginHeader",
            MultipleAllowOriginValues => "MultipleAllowOriginValues",
            InvalidAllowOriginValue => "InvalidAllowOriginValue",
            AllowOriginMismatch => "AllowOriginMismatch",
            WildcardOriginNotAllowed => "WildcardOriginNotAllowed",
            InvalidAllowCredentials => "InvalidAllowCredentials",
            PreflightMissingAllowOriginHeader => "PreflightMissingAllowOriginHeader",
            PreflightMultipleAllowOriginValues => "PreflightMultipleAllowOriginValues",
            PreflightInvalidAllowOriginValue => "PreflightInvalidAllowOriginValue",
            PreflightAllowOriginMismatch => "PreflightAllowOriginMismatch",
            PreflightWildcardOriginNotAllowed => "PreflightWildcardOriginNotAllowed",
            PreflightInvalidAllowCredentials => "PreflightInvalidAllowCredentials",
            PreflightInvalidStatus => "PreflightInvalidStatus",
            PreflightDisallowedRedirect => "PreflightDisallowedRedirect",
            InvalidAllowMethodsPreflightResponse => "InvalidAllowMethodsPreflightResponse",
            InvalidAllowHeadersPreflightResponse => "InvalidAllowHeadersPreflightResponse",
            MethodDisallowedByPreflightResponse => "MethodDisallowedByPreflightResponse",
            HeaderDisallowedByPreflightResponse => "HeaderDisallowedByPreflightResponse",
            InvalidMethod
            | ForbiddenMethod
            | InvalidHeader
            | InvalidUrl
            | InvalidOrigin
            | InvalidAppOrigin
            | BodyWithGetOrHead
            | MethodNotAllowedInNoCors
            | RedirectLeavesApp
            | TooManyRedirects
            | BodyError => return None,
        })
    }

    /// Whether the rule is checked on the preflight's answer.
    pub fn is_preflight(self) -> bool {
        self.devtools_name()
            .is_some_and(|n| n.contains("Preflight"))
    }
}

/// Why a fetch was blocked: the rule, and the message, in the words of
/// Chromium's console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub(crate) rule: Rule,
    pub(crate) message: String,
}

impl Blocked {
    /// The rule that was broken.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The explanation, close to the message in Chromium's console.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// An outcome that differs between engines, or between stock engines and the
/// Fetch standard.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EngineNote {
    /// The engine keeps the preflight for `cached` seconds, less than the
    /// `requested` `Access-Control-Max-Age`.
    MaxAgeCapped {
        /// The engine.
        engine: Engine,
        /// The `Access-Control-Max-Age` the server sent.
        requested: u64,
        /// The engine's cap.
        cached: u64,
    },
    /// Blocked because `Access-Control-Allow-Headers: *` does not cover
    /// `Authorization` in the Fetch standard. Stock Chromium, Firefox and
    /// WebKit still let it through; Chromium with
    /// `--enable-features=CorsNonWildcardRequestHeadersSupport` and Firefox
    /// with `network.cors_preflight.authorization_covered_by_wildcard = false`
    /// block it. Name `authorization` in the route's `headers`.
    AuthorizationCoveredByWildcardInStockEngines,
    /// Firefox sent a preflight here although its cache held one for this
    /// URL: it keys the cache by credentials mode, while Chromium and WebKit
    /// reuse a credentialed preflight for a request without credentials.
    FirefoxPreflightCacheKeyedByCredentials,
    /// WebKit does not store a `Secure` cookie set over plain `http`, not
    /// even on `localhost`; Chromium and Firefox do on `localhost`.
    WebKitDropsSecureCookieOverHttp {
        /// The cookie's name.
        cookie: String,
    },
}

impl fmt::Display for EngineNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineNote::MaxAgeCapped { engine, requested, cached } => write!(
                f,
                "{engine} caches this preflight for {cached} s, not the {requested} s of Access-Control-Max-Age"
            ),
            EngineNote::AuthorizationCoveredByWildcardInStockEngines => f.write_str(
                "stock Chromium, Firefox and WebKit still let `Access-Control-Allow-Headers: *` cover Authorization, which the Fetch standard forbids: name `authorization` explicitly",
            ),
            EngineNote::FirefoxPreflightCacheKeyedByCredentials => f.write_str(
                "only Firefox sends this preflight: it keys its preflight cache by credentials mode, Chromium and WebKit reuse the cached one",
            ),
            EngineNote::WebKitDropsSecureCookieOverHttp { cookie } => write!(
                f,
                "WebKit drops the Secure cookie `{cookie}` when it is set over http, even on localhost"
            ),
        }
    }
}

/// The preflight the browser sent, and the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preflight {
    pub(crate) path: String,
    pub(crate) method: String,
    pub(crate) headers: Option<String>,
    pub(crate) status: u16,
    pub(crate) cors_headers: Vec<(String, String)>,
    pub(crate) max_age: Option<u64>,
    pub(crate) refused_by_route: bool,
}

impl Preflight {
    /// `Access-Control-Request-Method`.
    pub fn request_method(&self) -> &str {
        &self.method
    }

    /// `Access-Control-Request-Headers`: lower case, sorted, comma-joined;
    /// `None` when no header needed it.
    pub fn request_headers(&self) -> Option<&str> {
        self.headers.as_deref()
    }

    /// The status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `access-control-*` and `vary` lines of the answer, in order.
    pub fn cors_headers(&self) -> &[(String, String)] {
        &self.cors_headers
    }

    /// Whether route-cors itself refused the preflight (`403`, no CORS
    /// headers; its debug log says why), as route-cors tells it: a
    /// middleware's `401`/`403`/`429` in front of the route is not.
    pub fn refused_by_route(&self) -> bool {
        self.refused_by_route
    }

    /// How long `engine` caches this answer, in seconds (5 without a valid
    /// `Access-Control-Max-Age`).
    pub fn cached_for(&self, engine: Engine) -> u64 {
        self.max_age.unwrap_or(5).min(engine.max_age_cap())
    }
}

/// What the page can read of an allowed fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seen {
    pub(crate) status: u16,
    pub(crate) kind: Kind,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

/// The kind of response the page gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A cross-origin CORS response: `response.type` is `"cors"`.
    Cors,
    /// A same-origin response: `"basic"`.
    Basic,
    /// A `no-cors` cross-origin response: `"opaque"`.
    Opaque,
    /// A form submission: the answer replaces the page, whose script reads
    /// nothing.
    Navigation,
}

/// The verdict on one `fetch`, computed by the Fetch standard's algorithms
/// on the app's real answers. Its `Display` explains it in full.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub(crate) call: String,
    pub(crate) origin: String,
    pub(crate) method: String,
    pub(crate) credentials: Credentials,
    pub(crate) dropped: Vec<String>,
    pub(crate) preflight: Option<Preflight>,
    pub(crate) preflights: [usize; 3],
    pub(crate) outcome: Result<Seen, Blocked>,
    /// The app's status for the actual request (the last, after redirects).
    pub(crate) answered: Option<u16>,
    /// route-cors refused the actual request as a cross-origin write.
    pub(crate) write_refused: bool,
    /// The `Sec-Fetch-*` lines of the actual request.
    pub(crate) metadata: Vec<(String, String)>,
    pub(crate) cookies_sent: bool,
    pub(crate) cookies_stored: Vec<String>,
    pub(crate) notes: Vec<EngineNote>,
}

impl Verdict {
    /// The method the browser sends (the six standard methods upper-cased).
    pub fn method(&self) -> &str {
        &self.method
    }

    /// Whether the page gets a response (a readable one, or an opaque one in
    /// `no-cors` mode) rather than a `TypeError`.
    pub fn is_allowed(&self) -> bool {
        self.outcome.is_ok()
    }

    /// Panics, with this verdict as the message, unless the fetch is allowed.
    ///
    /// # Panics
    ///
    /// When the browser would block the fetch: that is the assertion.
    #[track_caller]
    pub fn assert_allowed(self) -> Verdict {
        assert!(self.is_allowed(), "{self}");
        self
    }

    /// Panics, with this verdict as the message, unless the fetch is blocked
    /// by `rule`.
    ///
    /// # Panics
    ///
    /// When the fetch is allowed or blocked by another rule: that is the
    /// assertion.
    #[track_caller]
    pub fn assert_blocked(self, rule: Rule) -> Verdict {
        assert!(
            self.rule() == Some(rule),
            "expected a fetch blocked by {rule:?}, got: {self}"
        );
        self
    }

    /// Why the fetch is blocked, if it is.
    pub fn blocked(&self) -> Option<&Blocked> {
        self.outcome.as_ref().err()
    }

    /// The rule a blocked fetch broke.
    pub fn rule(&self) -> Option<Rule> {
        self.blocked().map(Blocked::rule)
    }

    /// The status the page reads (0 for an opaque response, and for a form
    /// submission, whose answer the page's script cannot read); `None` if
    /// blocked. What the app answered is [`answered`](Self::answered).
    pub fn status(&self) -> Option<u16> {
        self.outcome.as_ref().ok().map(|s| s.status)
    }

    /// `response.headers.get(name)`: `None` if the page may not read it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.readable_headers()
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every header the page can read, as `response.headers` iterates them.
    pub fn readable_headers(&self) -> &[(String, String)] {
        self.outcome
            .as_ref()
            .map(|s| s.headers.as_slice())
            .unwrap_or(&[])
    }

    /// The body the page reads (empty for an opaque response); `None` if blocked.
    pub fn body(&self) -> Option<&[u8]> {
        self.outcome.as_ref().ok().map(|s| s.body.as_slice())
    }

    /// `response.type`: `"cors"`, `"basic"` (a page on the app's own
    /// origin) or `"opaque"` (`no-cors`); `None` if blocked, or for a form
    /// submission (no `Response` object).
    pub fn response_type(&self) -> Option<&'static str> {
        self.outcome.as_ref().ok().and_then(|s| match s.kind {
            Kind::Cors => Some("cors"),
            Kind::Basic => Some("basic"),
            Kind::Opaque => Some("opaque"),
            Kind::Navigation => None,
        })
    }

    /// The status the app answered the actual request with (the last one,
    /// after redirects), whether the page may read it or not; `None` when
    /// the actual request was not sent (an error before sending, or a
    /// refused preflight).
    pub fn answered(&self) -> Option<u16> {
        self.answered
    }

    /// Whether route-cors refused the actual request as a cross-origin write
    /// its route's policy does not trust: `403` with no CORS headers, before
    /// the route's extractors, middleware and handler. **The handler did not
    /// run.** Told by route-cors itself, not guessed from the answer.
    pub fn write_refused(&self) -> bool {
        self.write_refused
    }

    /// Panics, with this verdict as the message, unless route-cors refused
    /// the actual request as a cross-origin write
    /// ([`write_refused`](Self::write_refused)).
    ///
    /// # Panics
    ///
    /// When the request reached the route: that is the assertion.
    #[track_caller]
    pub fn assert_write_refused(self) -> Verdict {
        assert!(
            self.write_refused,
            "expected a cross-origin write refused by the route, got: {self}"
        );
        self
    }

    /// The Fetch metadata the browser sent with the actual request
    /// (`sec-fetch-site`, `sec-fetch-mode`, `sec-fetch-dest`), lower case;
    /// empty when the browser sends none (an app on plain `http` that is
    /// not loopback).
    pub fn fetch_metadata(&self) -> &[(String, String)] {
        &self.metadata
    }

    /// The preflight, if one was sent.
    pub fn preflight(&self) -> Option<&Preflight> {
        self.preflight.as_ref()
    }

    /// How many preflights `engine` sends for this fetch, given the
    /// preflight cache of earlier fetches on the same [`Page`](super::Page).
    pub fn preflights_sent(&self, engine: Engine) -> usize {
        self.preflights[engine.index()]
    }

    /// Whether the browser attaches its cookies to the actual request.
    pub fn cookies_sent(&self) -> bool {
        self.cookies_sent
    }

    /// The names of the cookies the browser stores from `Set-Cookie`. They
    /// are stored even when the page may not read the response.
    pub fn cookies_stored(&self) -> &[String] {
        &self.cookies_stored
    }

    /// Request headers the page cannot set, which the browser dropped.
    pub fn dropped_headers(&self) -> &[String] {
        &self.dropped
    }

    /// Where engines differ on this fetch.
    pub fn engine_notes(&self) -> &[EngineNote] {
        &self.notes
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} from {}: ", self.call, self.origin)?;
        match &self.outcome {
            Ok(seen) if seen.kind == Kind::Opaque => {
                writeln!(f, "sent, opaque response (status 0, nothing readable)")?
            }
            Ok(seen) if seen.kind == Kind::Navigation => writeln!(
                f,
                "sent, a navigation: the answer replaces the page, whose script reads nothing"
            )?,
            Ok(seen) => writeln!(f, "allowed, the page reads status {}", seen.status)?,
            Err(b) => writeln!(f, "BLOCKED ({:?})", b.rule)?,
        }
        if !self.dropped.is_empty() {
            writeln!(
                f,
                "  headers the page may not set, dropped: {}",
                self.dropped.join(", ")
            )?;
        }
        if let Some(p) = &self.preflight {
            write!(
                f,
                "  preflight: OPTIONS {}, Access-Control-Request-Method: {}",
                p.path, p.method
            )?;
            if let Some(h) = &p.headers {
                write!(f, ", Access-Control-Request-Headers: {h}")?;
            }
            write!(f, "\n    answered {}", p.status)?;
            if p.cors_headers.is_empty() {
                write!(f, " with no CORS headers")?;
            }
            writeln!(f)?;
            for (n, v) in &p.cors_headers {
                writeln!(f, "      {n}: {v}")?;
            }
        }
        match &self.outcome {
            Err(b) => {
                writeln!(f, "  {}", b.message)?;
                if b.rule.devtools_name().is_some() {
                    writeln!(
                        f,
                        "  the page gets {} (Chromium), {} (Firefox), {} (WebKit)",
                        Engine::Chromium.blocked_message(),
                        Engine::Firefox.blocked_message(),
                        Engine::WebKit.blocked_message()
                    )?;
                }
            }
            Ok(seen) if matches!(seen.kind, Kind::Cors | Kind::Basic) => {
                let headers: Vec<String> = seen
                    .headers
                    .iter()
                    .map(|(n, v)| format!("{n}: {v}"))
                    .collect();
                writeln!(
                    f,
                    "  readable headers: {}",
                    if headers.is_empty() {
                        "(none)".to_owned()
                    } else {
                        headers.join(", ")
                    }
                )?;
            }
            Ok(_) => {}
        }
        if self.write_refused {
            writeln!(f, "  the route refused this cross-origin write: 403 with no CORS headers, and the handler did not run")?;
        } else if let Some(status) = self.answered {
            writeln!(f, "  the app answered {status}")?;
        }
        if !self.metadata.is_empty() {
            let lines: Vec<String> = self
                .metadata
                .iter()
                .map(|(n, v)| format!("{n}: {v}"))
                .collect();
            writeln!(f, "  sent {}", lines.join(", "))?;
        }
        writeln!(
            f,
            "  credentials: {}, cookies {}",
            self.credentials.as_str(),
            if self.cookies_sent {
                "sent"
            } else {
                "not sent"
            }
        )?;
        if !self.cookies_stored.is_empty() {
            writeln!(f, "  cookies stored: {}", self.cookies_stored.join(", "))?;
        }
        for n in &self.notes {
            writeln!(f, "  note: {n}")?;
        }
        Ok(())
    }
}
