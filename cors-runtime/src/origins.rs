//! Origin allow-lists read at startup, and the request-origin matcher.

use std::fmt;
use std::sync::OnceLock;

use actix_web::http::header::{HeaderMap, HeaderValue, ORIGIN};

use crate::policy::{AllowOrigin, OriginList, Pattern};
use crate::rules::{self, check_origin, OriginKind};

/// The outcome of matching a request's `Origin` against a policy.
#[derive(Debug)]
pub enum Matched {
    /// Any-origin route: answer `*`.
    Any,
    /// Allowed: answer with this value (the configured origin, or for a pattern
    /// the request's own).
    Echo(HeaderValue),
    /// Not allowed (or no, several, or a malformed `Origin`).
    Denied,
}

/// The single `Origin` value of a request, if it has exactly one.
pub(crate) fn single_origin(headers: &HeaderMap) -> Option<&HeaderValue> {
    let mut all = headers.get_all(ORIGIN);
    let first = all.next()?;
    match all.next() {
        None => Some(first),
        Some(_) => None,
    }
}

impl AllowOrigin {
    pub(crate) fn matches(&self, origin: Option<&HeaderValue>) -> Matched {
        match self {
            AllowOrigin::Any => Matched::Any,
            AllowOrigin::List(list) => match origin {
                Some(o) => list.find(o),
                None => Matched::Denied,
            },
            AllowOrigin::Runtime(set) => match (origin, set.get()) {
                (Some(o), Some(list)) => list.find(o),
                _ => Matched::Denied,
            },
        }
    }

    /// Whether the answer depends on the request's `Origin` (so `Vary: Origin` is due).
    pub(crate) fn varies(&self) -> bool {
        !matches!(self, AllowOrigin::Any)
    }
}

impl OriginList {
    fn find(&self, origin: &HeaderValue) -> Matched {
        let exact = self
            .exact
            .binary_search_by(|e| e.as_bytes().cmp(origin.as_bytes()))
            .ok()
            .map(|i| &self.values[i]);
        find(origin, exact, self.patterns)
    }
}

/// Matches `origin` given the result of the exact lookup and the patterns.
fn find(origin: &HeaderValue, exact: Option<&HeaderValue>, patterns: &[Pattern]) -> Matched {
    if let Some(v) = exact {
        // The configured value, not the request's: a static value clones for free.
        return Matched::Echo(v.clone());
    }
    if patterns.is_empty() {
        return Matched::Denied;
    }
    let Some(parsed) = rules::parse_request_origin(origin.as_bytes()) else {
        return Matched::Denied;
    };
    let hit = patterns.iter().any(|p| {
        let pat = rules::Origin {
            kind: OriginKind::Pattern,
            scheme: p.scheme,
            host: p.suffix,
            host_kind: rules::HostKind::Domain,
            port: p.port,
        };
        rules::pattern_matches(&pat, &parsed)
    });
    if hit {
        Matched::Echo(origin.clone())
    } else {
        Matched::Denied
    }
}

/// Why a list of origins read at startup was refused.
///
/// It lists **every** problem, one per bad entry, so one failed start shows
/// everything to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginsError {
    /// Where the list came from, such as `CORS_ALLOWED_ORIGINS`.
    pub source: String,
    /// One message per problem, in input order.
    pub problems: Vec<String>,
}

impl fmt::Display for OriginsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid CORS origins in {}:", self.source)?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for OriginsError {}

/// An origin allow-list that is set once at startup, from configuration.
///
/// Declare it as a `static`, use it with `#[cors(origins = NAME)]`, and fill it
/// before the server starts with [`OriginSet::set`] or [`OriginSet::set_from_env`].
/// Every entry goes through the same validator as the attribute; if any entry is
/// invalid, nothing is set and the error lists every bad entry. Until the set is
/// filled, no origin is allowed: it never falls back to allowing every origin.
///
/// ```
/// use cors_runtime::OriginSet;
///
/// static PARTNERS: OriginSet = OriginSet::new("PARTNER_ORIGINS");
///
/// let err = PARTNERS.set(["https://a.example.com/", "http://b.example.com:80"]).unwrap_err();
/// assert_eq!(err.problems.len(), 2);
/// PARTNERS.set(["https://a.example.com", "https://*.partner.example"]).unwrap();
/// ```
pub struct OriginSet {
    name: &'static str,
    cell: OnceLock<RuntimeList>,
}

impl fmt::Debug for OriginSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OriginSet")
            .field("name", &self.name)
            .field("origins", &self.cell.get().map(|l| &l.exact))
            .finish()
    }
}

struct RuntimeList {
    exact: Vec<HeaderValue>,
    patterns: Vec<Pattern>,
}

impl RuntimeList {
    fn find(&self, origin: &HeaderValue) -> Matched {
        let exact = self
            .exact
            .binary_search_by(|e| e.as_bytes().cmp(origin.as_bytes()))
            .ok()
            .map(|i| &self.exact[i]);
        find(origin, exact, &self.patterns)
    }
}

impl OriginSet {
    /// A new, empty set. `name` appears in error messages and logs.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            cell: OnceLock::new(),
        }
    }

    /// The name given to [`OriginSet::new`].
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether the set was filled.
    pub fn is_set(&self) -> bool {
        self.cell.get().is_some()
    }

    fn get(&self) -> Option<&RuntimeList> {
        self.cell.get()
    }

    /// Validates `origins` and fills the set.
    ///
    /// Fails, listing every problem, if any entry is invalid, if the list is
    /// empty, or if the set was already filled. On failure nothing is set.
    pub fn set<I, S>(&self, origins: I) -> Result<(), OriginsError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.fill(self.name, origins)
    }

    /// Reads a comma-separated list from the environment variable `var` and
    /// fills the set, as [`OriginSet::set`] does. Spaces around entries are
    /// ignored; an empty entry is an error.
    pub fn set_from_env(&self, var: &str) -> Result<(), OriginsError> {
        match std::env::var(var) {
            Ok(value) => self.fill(var, value.split(',').map(str::trim)),
            Err(e) => Err(OriginsError {
                source: var.to_owned(),
                problems: vec![format!("environment variable `{var}` cannot be read: {e}")],
            }),
        }
    }

    fn fill<I, S>(&self, source: &str, origins: I) -> Result<(), OriginsError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let fail = |problems| OriginsError {
            source: source.to_owned(),
            problems,
        };
        if self.is_set() {
            return Err(fail(vec![format!(
                "origin set `{}` is already set",
                self.name
            )]));
        }
        let mut problems = Vec::new();
        let mut exact = Vec::new();
        let mut patterns = Vec::new();
        for o in origins {
            let o = o.as_ref();
            match check_origin(o) {
                Ok(parsed) if parsed.kind == OriginKind::Exact => match HeaderValue::from_str(o) {
                    Ok(v) => exact.push(v),
                    Err(_) => problems.push(format!("origin `{o}` is not a valid header value")),
                },
                Ok(parsed) => patterns.push(Pattern {
                    scheme: leak(parsed.scheme),
                    suffix: leak(parsed.host),
                    port: parsed.port,
                }),
                Err(e) => problems.push(e.to_string()),
            }
        }
        if problems.is_empty() && exact.is_empty() && patterns.is_empty() {
            problems.push("the list of origins is empty; name at least one origin".to_owned());
        }
        if !problems.is_empty() {
            return Err(fail(problems));
        }
        exact.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        exact.dedup();
        self.cell
            .set(RuntimeList { exact, patterns })
            .map_err(|_| fail(vec![format!("origin set `{}` is already set", self.name)]))
    }
}

/// Patterns live as long as the process; a set is filled once, at startup.
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}
