//! Origin allow-lists filled at startup, from configuration.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use actix_web::http::header::HeaderValue;

use crate::config::OriginsConfig;
use crate::rules::{check_origin, origin_conflict, OriginKind, Pattern};
use crate::source::OriginSource;

/// Why a list of origins read at startup was refused.
///
/// It lists **every** problem, one per bad entry, so one failed start shows
/// everything to fix. Its `Debug` is its `Display`, so that a `main` that
/// returns it (or the `std::io::Error` it converts into) prints the list of
/// problems when it fails, not a dump of the struct.
///
/// ```
/// use route_cors::OriginSet;
///
/// static PARTNERS: OriginSet = OriginSet::new("partners");
///
/// let err = PARTNERS.set(["https://a.example.com/", "*"]).unwrap_err();
/// assert_eq!(err.source, "partners");
/// assert_eq!(err.problems.len(), 2);
/// assert!(err.to_string().starts_with("invalid CORS origins in partners:"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct OriginsError {
    /// Where the list came from, such as `CORS_ALLOWED_ORIGINS`.
    pub source: String,
    /// One message per problem, in input order.
    pub problems: Vec<String>,
}

impl fmt::Debug for OriginsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
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

/// So that `SET.set_from_env("..")?` works in a `main` returning
/// `std::io::Result<()>`, as `#[actix_web::main]` functions usually do. The
/// error's text is the list of problems; a failed start prints it.
impl From<OriginsError> for std::io::Error {
    fn from(err: OriginsError) -> Self {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, err)
    }
}

/// An origin allow-list that is set once at startup, from configuration.
///
/// Declare it as a `static`, use it with `#[cors(origins = NAME)]`, and fill it
/// before the server starts with [`OriginSet::set`] or [`OriginSet::set_from_env`].
/// Every entry goes through the same validator as the attribute; if any entry is
/// invalid, nothing is set and the error lists every bad entry. Until the set is
/// filled, no origin is allowed: it never falls back to allowing every origin.
///
/// ```
/// use route_cors::OriginSet;
///
/// static PARTNERS: OriginSet = OriginSet::new("partners");
///
/// let err = PARTNERS.set(["https://a.example.com/", "http://b.example.com:80"]).unwrap_err();
/// assert_eq!(err.problems.len(), 2);
/// PARTNERS.set(["https://a.example.com", "https://*.partner.example"]).unwrap();
/// ```
pub struct OriginSet {
    name: &'static str,
    /// Whether entries must also pass the credential-only rules; only
    /// [`CredentialedOriginSet`] sets it.
    credentialed: bool,
    cell: OnceLock<RuntimeList>,
    warned_unset: AtomicBool,
}

impl fmt::Debug for OriginSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OriginSet")
            .field("name", &self.name)
            .field("origins", &self.cell.get().map(|l| &l.exact))
            .finish()
    }
}

/// The origins of a filled set.
pub(crate) struct RuntimeList {
    /// Exact origins, sorted bytewise, deduplicated.
    pub(crate) exact: Vec<HeaderValue>,
    pub(crate) patterns: Vec<Pattern<'static>>,
}

/// The set `policy!` points an invalid definition at: never filled, so it
/// allows no origin.
pub(crate) static NEVER_FILLED: OriginSet = OriginSet::new("(invalid policy)");

impl OriginSet {
    /// A new, empty set. `name` is a label: it names the set in error
    /// messages and logs. It is not an environment variable; the set is filled
    /// by [`OriginSet::set`], [`OriginSet::set_from_env`] or
    /// [`OriginSet::set_from_config`].
    ///
    /// ```
    /// use route_cors::OriginSet;
    ///
    /// static PARTNERS: OriginSet = OriginSet::new("partners");
    /// assert_eq!(PARTNERS.name(), "partners");
    /// assert!(!PARTNERS.is_set()); // allows no origin until filled
    /// ```
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            credentialed: false,
            cell: OnceLock::new(),
            warned_unset: AtomicBool::new(false),
        }
    }

    /// The set a route's policy reads. Used by the code `#[cors]` generates.
    #[doc(hidden)]
    pub const fn core(&'static self) -> &'static OriginSet {
        self
    }

    /// Whether this set checks its entries for credentialed routes: `false`.
    /// The code `#[cors]` generates refuses, at compile time, a plain
    /// `OriginSet` on a route with `credentials`.
    #[doc(hidden)]
    pub const fn is_credentialed(&self) -> bool {
        <Self as OriginSource>::CREDENTIALED
    }

    /// Whether entries are also checked against the credential rules.
    pub(crate) const fn checks_credentials(&self) -> bool {
        self.credentialed
    }

    /// Logs, once, that a route is serving requests with this set still empty.
    #[cold]
    pub(crate) fn warn_unset(&self) {
        if !self.warned_unset.swap(true, Ordering::Relaxed) {
            log::warn!(
                "CORS origin set `{}` is used by a route but was never filled (call `set`, `set_from_env` or `set_from_config` before starting the server); until then no origin is allowed",
                self.name
            );
        }
    }

    /// The label given to [`OriginSet::new`].
    ///
    /// ```
    /// use route_cors::OriginSet;
    ///
    /// static PARTNERS: OriginSet = OriginSet::new("partners");
    /// assert_eq!(PARTNERS.name(), "partners");
    /// ```
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether the set was filled.
    ///
    /// ```
    /// use route_cors::OriginSet;
    ///
    /// static PARTNERS: OriginSet = OriginSet::new("partners");
    /// assert!(!PARTNERS.is_set());
    /// PARTNERS.set(["https://a.example.com"]).unwrap();
    /// assert!(PARTNERS.is_set());
    /// ```
    pub fn is_set(&self) -> bool {
        self.cell.get().is_some()
    }

    pub(crate) fn get(&self) -> Option<&RuntimeList> {
        self.cell.get()
    }

    /// Validates `origins` and fills the set.
    ///
    /// Fails, listing every problem, if any entry is invalid, if the list is
    /// empty, or if the set was already filled. On failure nothing is set.
    ///
    /// ```
    /// use route_cors::OriginSet;
    ///
    /// static PARTNERS: OriginSet = OriginSet::new("partners");
    /// PARTNERS.set(["https://a.example.com", "https://*.b.example.com"]).unwrap();
    /// assert!(PARTNERS.set(["https://c.example.com"]).is_err()); // filled once
    /// ```
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
    ///
    /// ```
    /// use route_cors::OriginSet;
    ///
    /// static PARTNERS: OriginSet = OriginSet::new("partners");
    /// # std::env::set_var("CORS_ALLOWED_ORIGINS", "https://a.example.com, https://*.b.example.com");
    /// // CORS_ALLOWED_ORIGINS="https://a.example.com, https://*.b.example.com"
    /// PARTNERS.set_from_env("CORS_ALLOWED_ORIGINS").unwrap();
    /// ```
    pub fn set_from_env(&self, var: &str) -> Result<(), OriginsError> {
        match std::env::var(var) {
            Ok(value) => self.fill(var, value.split(',').map(str::trim)),
            Err(e) => Err(OriginsError {
                source: var.to_owned(),
                problems: vec![format!("environment variable `{var}` cannot be read: {e}")],
            }),
        }
    }

    /// Fills the set from a deserialized [`OriginsConfig`], as
    /// [`OriginSet::set`] does. Error messages name the configuration field.
    ///
    /// ```
    /// use route_cors::{OriginSet, OriginsConfig};
    ///
    /// static PARTNERS: OriginSet = OriginSet::new("partners");
    /// let config = OriginsConfig { allowed_origins: vec!["https://a.example.com".into()] };
    /// PARTNERS.set_from_config(&config).unwrap();
    /// ```
    pub fn set_from_config(&self, config: &OriginsConfig) -> Result<(), OriginsError> {
        let source = format!("configuration field `allowed_origins` of `{}`", self.name);
        self.fill(&source, &config.allowed_origins)
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
            if o == "*" {
                problems.push(
                    "`*` (any origin) cannot be configured at startup: an origin set is an allow-list; list the allowed origins, or write `origins = \"*\"` in the code of a route without credentials".to_owned(),
                );
                continue;
            }
            let parsed = match check_origin(o) {
                Ok(parsed) => parsed,
                Err(e) => {
                    problems.push(e.to_string());
                    continue;
                }
            };
            if let Some(conflict) = origin_conflict(&parsed).filter(|_| self.credentialed) {
                problems.push(format!(
                    "origin `{o}` (`{}` serves credentialed routes): {conflict}",
                    self.name
                ));
                continue;
            }
            match parsed.kind {
                OriginKind::Exact => match HeaderValue::from_str(o) {
                    Ok(v) => exact.push(v),
                    Err(_) => problems.push(format!("origin `{o}` is not a valid header value")),
                },
                // A pattern borrows its text, which lives as long as the set.
                OriginKind::Pattern => {
                    if let Some(p) = check_origin(leak(o)).ok().and_then(|p| p.pattern()) {
                        patterns.push(p);
                    }
                }
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

/// An origin allow-list filled at startup for routes with `credentials`.
///
/// Like [`OriginSet`], plus the rules that only matter with credentials, the
/// same the attribute applies at compile time: no plain-`http` origin other than
/// loopback, and no `*.` wildcard on a public suffix (`https://*.github.io`).
/// A route with `credentials` only accepts this type: `#[cors(origins = SET,
/// credentials)]` with a plain `OriginSet` does not compile.
///
/// ```
/// use route_cors::CredentialedOriginSet;
///
/// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
///
/// let err = PARTNERS
///     .set(["http://partner.example", "https://*.github.io"])
///     .unwrap_err();
/// assert_eq!(err.problems.len(), 2);
/// PARTNERS.set(["https://partner.example", "http://localhost:3000"]).unwrap();
/// ```
#[derive(Debug)]
pub struct CredentialedOriginSet {
    set: OriginSet,
}

impl CredentialedOriginSet {
    /// A new, empty set. `name` is a label: it names the set in error
    /// messages and logs. It is not an environment variable.
    ///
    /// ```
    /// use route_cors::CredentialedOriginSet;
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// assert!(!PARTNERS.is_set()); // allows no origin until filled
    /// ```
    pub const fn new(name: &'static str) -> Self {
        let mut set = OriginSet::new(name);
        set.credentialed = true;
        Self { set }
    }

    /// The label given to [`CredentialedOriginSet::new`].
    ///
    /// ```
    /// use route_cors::CredentialedOriginSet;
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// assert_eq!(PARTNERS.name(), "partners");
    /// ```
    pub fn name(&self) -> &'static str {
        self.set.name
    }

    /// Whether the set was filled.
    ///
    /// ```
    /// use route_cors::CredentialedOriginSet;
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// PARTNERS.set(["https://a.example.com"]).unwrap();
    /// assert!(PARTNERS.is_set());
    /// ```
    pub fn is_set(&self) -> bool {
        self.set.is_set()
    }

    /// Validates `origins` and fills the set; see [`OriginSet::set`]. The
    /// credential rules apply too.
    ///
    /// ```
    /// use route_cors::CredentialedOriginSet;
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// assert!(PARTNERS.set(["http://partner.example"]).is_err()); // plain http, not loopback
    /// PARTNERS.set(["https://partner.example"]).unwrap();
    /// ```
    pub fn set<I, S>(&self, origins: I) -> Result<(), OriginsError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.set.set(origins)
    }

    /// Fills the set from a comma-separated environment variable; see
    /// [`OriginSet::set_from_env`].
    ///
    /// ```
    /// use route_cors::CredentialedOriginSet;
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// # std::env::set_var("CORS_ALLOWED_ORIGINS", "https://a.example.com");
    /// PARTNERS.set_from_env("CORS_ALLOWED_ORIGINS").unwrap();
    /// ```
    pub fn set_from_env(&self, var: &str) -> Result<(), OriginsError> {
        self.set.set_from_env(var)
    }

    /// Fills the set from a deserialized [`OriginsConfig`]; see
    /// [`OriginSet::set_from_config`].
    ///
    /// ```
    /// use route_cors::{CredentialedOriginSet, OriginsConfig};
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// let config = OriginsConfig { allowed_origins: vec!["https://a.example.com".into()] };
    /// PARTNERS.set_from_config(&config).unwrap();
    /// ```
    pub fn set_from_config(&self, config: &OriginsConfig) -> Result<(), OriginsError> {
        self.set.set_from_config(config)
    }

    /// The set a route's policy reads. Used by the code `#[cors]` generates.
    #[doc(hidden)]
    pub const fn core(&'static self) -> &'static OriginSet {
        &self.set
    }

    /// Whether this set checks its entries for credentialed routes: `true`.
    #[doc(hidden)]
    pub const fn is_credentialed(&self) -> bool {
        <Self as OriginSource>::CREDENTIALED
    }
}

/// Patterns live as long as the process; a set is filled once, at startup.
fn leak(s: &str) -> &'static str {
    // A set is filled at most once (`set` refuses a second fill), so this
    // leaks the patterns of one list for the life of the process.
    Box::leak(s.to_owned().into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matched(set: &OriginSet, origin: &'static str) -> Option<String> {
        let list = set.get().expect("set is filled");
        match list.find(&HeaderValue::from_static(origin)) {
            crate::matching::Matched::Echo(v) => Some(v.to_str().unwrap().to_owned()),
            crate::matching::Matched::Any => Some("*".to_owned()),
            crate::matching::Matched::Denied => None,
        }
    }

    #[test]
    fn accepts_valid_lists() {
        for list in [
            &["https://app.example.com"][..],
            &["https://app.example.com", "http://localhost:3000"],
            &[
                "https://*.example.com",
                "http://127.0.0.1:8080",
                "http://[::1]:8080",
            ],
            &["https://a.example.com", "https://a.example.com"],
        ] {
            let set = OriginSet::new("TEST");
            set.set(list).unwrap_or_else(|e| panic!("{list:?}: {e}"));
            assert!(set.is_set());
        }
    }

    #[test]
    fn rejects_with_every_problem_listed() {
        for (list, problems) in [
            (
                &[][..],
                &["the list of origins is empty; name at least one origin"][..],
            ),
            (
                &["*"],
                &["`*` (any origin) cannot be configured at startup: an origin set is an allow-list; list the allowed origins, or write `origins = \"*\"` in the code of a route without credentials"],
            ),
            (
                &["https://ok.example.com", "https://a.example.com/", "null", ""],
                &[
                    "origin `https://a.example.com/` has a path; write `https://a.example.com`",
                    "origin `null` must not be allowed: sandboxed iframes, `file:` pages and redirects all send it, so anyone can forge it",
                    "origin is empty; write a full origin such as `https://app.example.com`",
                ],
            ),
            (
                &["HTTPS://App.example.com", "https://b.example.com:443", "https://*.*.example.com"],
                &[
                    "origin `HTTPS://App.example.com` must be lower case; write `https://app.example.com`",
                    "origin `https://b.example.com:443` names the default port; write `https://b.example.com`",
                    "origin `https://*.*.example.com` has a malformed wildcard; only a leading `*.` label is allowed, as in `https://*.example.com`",
                ],
            ),
        ] {
            let set = OriginSet::new("TEST");
            let err = set.set(list).expect_err("invalid list");
            assert_eq!(err.source, "TEST");
            assert_eq!(err.problems, problems, "{list:?}");
            assert!(!set.is_set(), "nothing is set on failure");
        }
    }

    #[test]
    fn env_values_are_split_and_trimmed() {
        let var = "ROUTE_CORS_UNIT_TEST_ORIGINS";
        std::env::set_var(var, " https://a.example.com , https://*.b.example.com");
        let set = OriginSet::new("ENV");
        set.set_from_env(var).unwrap();
        assert_eq!(
            matched(&set, "https://a.example.com").as_deref(),
            Some("https://a.example.com")
        );
        assert_eq!(
            matched(&set, "https://x.b.example.com").as_deref(),
            Some("https://x.b.example.com")
        );
        assert_eq!(matched(&set, "https://b.example.com"), None);

        std::env::set_var(var, "https://a.example.com,,*");
        let err = OriginSet::new("ENV").set_from_env(var).unwrap_err();
        assert_eq!(err.source, var);
        assert_eq!(err.problems.len(), 2, "{err}");

        let err = OriginSet::new("ENV")
            .set_from_env("ROUTE_CORS_UNIT_TEST_UNSET")
            .unwrap_err();
        assert_eq!(
            err.problems,
            ["environment variable `ROUTE_CORS_UNIT_TEST_UNSET` cannot be read: environment variable not found"]
        );
    }

    #[test]
    fn config_goes_through_the_same_validator() {
        let set = OriginSet::new("CFG");
        let bad = OriginsConfig {
            allowed_origins: vec!["*".into(), "http://a.example.com:80".into()],
        };
        let err = set.set_from_config(&bad).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid CORS origins in configuration field `allowed_origins` of `CFG`:\n  \
             - `*` (any origin) cannot be configured at startup: an origin set is an allow-list; list the allowed origins, or write `origins = \"*\"` in the code of a route without credentials\n  \
             - origin `http://a.example.com:80` names the default port; write `http://a.example.com`"
        );
        let good = OriginsConfig {
            allowed_origins: vec!["https://a.example.com".into()],
        };
        set.set_from_config(&good).unwrap();
        let again = set.set_from_config(&good).unwrap_err();
        assert_eq!(again.problems, ["origin set `CFG` is already set"]);
    }
}
