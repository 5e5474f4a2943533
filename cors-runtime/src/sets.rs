//! Origin allow-lists filled at startup, from configuration, and replaced
//! at run time.
//!
//! A set holds its list behind an [`ArcSwapOption`]: a request loads it
//! without a lock or an allocation, and a replacement swaps the whole list at
//! once, so a request sees the old list or the new one, never a mix.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix_web::http::header::HeaderValue;
use arc_swap::{ArcSwapOption, Guard};

use crate::config::OriginsConfig;
use crate::rules::{check_origin, origin_conflict, OriginKind, Pattern, Shape};

mod credentialed;
mod error;

pub use credentialed::CredentialedOriginSet;
pub use error::{OriginProblem, OriginsError, ProblemReason};

/// An origin allow-list filled at startup, from configuration, and
/// replaceable at run time.
///
/// Declare it as a `static`, use it with `#[cors(origins = NAME)]`, and fill it
/// before the server starts with [`OriginSet::set`] or [`OriginSet::set_from_env`].
/// Every entry goes through the same validator as the attribute; if any entry is
/// invalid, nothing is set and the error lists every bad entry. Until the set is
/// filled, no origin is allowed: it never falls back to allowing every origin.
///
/// While the server runs, [`OriginSet::replace`] (and `replace_from_env`,
/// `replace_from_config`) swaps in a new list, validated the same way: the
/// next request uses it, and a refused list leaves the current one in force.
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
///
/// # Any origin: `*`
///
/// `*` as the whole list (`set(["*"])`, or the variable `ORIGINS="*"`)
/// allows any origin. A route using the set then answers exactly as one
/// written with `origins = "*"`: `Access-Control-Allow-Origin: *`, on
/// preflights and actual responses, and no `Vary: Origin`. `*` next to other
/// entries is refused, with the fix; a [`CredentialedOriginSet`] refuses it
/// always, since browsers refuse `*` on credentialed requests. A `replace`
/// switches to `*` and back like any other list. Wherever a set is read as
/// a list of trusted origins, `*` trusts every origin: the route's
/// cross-origin writes, and
/// [`CrossOriginProtection::trusted`](crate::CrossOriginProtection::trusted).
///
/// ```
/// use route_cors::{OriginSet, ProblemReason};
///
/// static PUBLIC: OriginSet = OriginSet::new("public");
///
/// let err = PUBLIC.set(["https://a.example.com", "*"]).unwrap_err();
/// assert_eq!(err.problems[0].reason(), &ProblemReason::AnyOriginAmongOthers);
/// assert_eq!(
///     err.problems[0].to_string(),
///     "`*` (any origin) must be the only entry of an origin set: next to it the other entries mean nothing; write `*` alone to allow any origin, or remove it to allow only the listed origins"
/// );
/// PUBLIC.set(["*"]).unwrap(); // any origin
/// PUBLIC.replace(["https://a.example.com"]).unwrap(); // this origin only, from the next request on
/// PUBLIC.replace(["*"]).unwrap(); // any origin again
/// ```
pub struct OriginSet {
    name: &'static str,
    /// Whether entries must also pass the credential-only rules; only
    /// [`CredentialedOriginSet`] sets it.
    credentialed: bool,
    /// The list in force; `None` until the set is filled. Requests `load` it:
    /// no lock, no allocation.
    cell: ArcSwapOption<RuntimeList>,
    warned_unset: AtomicBool,
}

impl fmt::Debug for OriginSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loaded = self.get();
        let mut d = f.debug_struct("OriginSet");
        d.field("name", &self.name);
        match loaded.as_deref() {
            Some(list) if list.any => d.field("origins", &Some(["*"])),
            list => d.field("origins", &list.map(|l| &l.exact)),
        };
        d.finish()
    }
}

/// The origins of a filled set. It owns all its text, so a replaced list
/// frees its memory once the last request using it is done.
pub(crate) struct RuntimeList {
    /// The list was `*` alone: any origin, answered `*` as `origins = "*"` is
    /// (only a plain [`OriginSet`] takes it). `exact` and `patterns` are then
    /// empty.
    pub(crate) any: bool,
    /// Exact origins, sorted bytewise, deduplicated.
    pub(crate) exact: Vec<HeaderValue>,
    pub(crate) patterns: Vec<PatternText>,
}

/// The list a request reads: a guard that keeps it alive while it is used.
pub(crate) type Loaded = Guard<Option<Arc<RuntimeList>>>;

/// A checked pattern, owning its text and what checking it worked out.
/// [`PatternText::view`] gives the [`Pattern`] that matches requests,
/// borrowing that text, without checking or scanning it again.
pub(crate) struct PatternText {
    scheme: Box<str>,
    tail: Box<str>,
    shape: Shape,
}

impl PatternText {
    /// Owns the text of `pattern`, and keeps its shape.
    fn new(pattern: Pattern<'_>) -> Self {
        let (scheme, tail) = pattern.__parts();
        Self {
            scheme: scheme.into(),
            tail: tail.into(),
            shape: pattern.shape(),
        }
    }

    /// The pattern, borrowing this text: its slices cut from the kept ranges,
    /// no scan.
    #[inline]
    pub(crate) fn view(&self) -> Pattern<'_> {
        Pattern::with_shape(&self.scheme, &self.tail, self.shape)
    }
}

/// How many exact origins and patterns a list has, for the log.
struct Counts {
    any: bool,
    exact: usize,
    patterns: usize,
}

/// What a list allows, for the info line of a replacement.
impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.any {
            return f.write_str("`*` (any origin)");
        }
        write!(
            f,
            "{} exact origin(s), {} pattern(s)",
            self.exact, self.patterns
        )
    }
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
            cell: ArcSwapOption::const_empty(),
            warned_unset: AtomicBool::new(false),
        }
    }

    /// The set a route's policy reads. Used by the code `#[cors]` generates.
    #[doc(hidden)]
    pub const fn core(&'static self) -> &'static OriginSet {
        self
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
        self.cell.load().is_some()
    }

    /// The list in force, loaded once: a request matches against this one
    /// list even if a replacement lands meanwhile.
    #[inline]
    pub(crate) fn get(&self) -> Loaded {
        self.cell.load()
    }

    /// Validates `origins` and fills the set.
    ///
    /// Fails, listing every problem, if any entry is invalid, if the list is
    /// empty, or if the set was already filled. On failure nothing is set.
    /// To change a filled set, use [`OriginSet::replace`].
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
        let value = read_env(var)?;
        self.fill(var, env_entries(&value))
    }

    /// Fills the set from the environment variable `var`, as
    /// [`OriginSet::set_from_env`] does, or from `defaults` when `var` is not
    /// set or blank (empty, or only whitespace): the origins a developer runs
    /// with, while each deployment sets its own.
    ///
    /// The defaults, when they are used, go through the same validator as
    /// any other list, and the error names them as its source. Anything else
    /// fails as `set_from_env` fails, with every problem listed: a variable
    /// that is not Unicode, an empty entry (`https://a.example.com,,`), an
    /// invalid origin. Nothing is repaired: `https://app.example.com/` is
    /// refused with the fix in the message, not trimmed. Falling back is
    /// logged at `info` level, so a deployment that forgot its variable says
    /// so.
    ///
    /// ```
    /// use route_cors::OriginSet;
    ///
    /// static APP: OriginSet = OriginSet::new("app");
    /// # std::env::remove_var("APP_ORIGINS");
    /// // APP_ORIGINS is not set (or is ""): the defaults apply.
    /// APP.set_from_env_or("APP_ORIGINS", ["http://localhost:3000"]).unwrap();
    ///
    /// static SITE: OriginSet = OriginSet::new("site");
    /// # std::env::set_var("SITE_ORIGINS", "https://site.example.com/");
    /// // SITE_ORIGINS="https://site.example.com/": refused, not trimmed, not replaced by the defaults.
    /// let err = SITE.set_from_env_or("SITE_ORIGINS", ["http://localhost:3000"]).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid CORS origins in SITE_ORIGINS:\n  \
    ///      - origin `https://site.example.com/` has a path; write `https://site.example.com`"
    /// );
    /// ```
    ///
    /// `*` alone, in the variable or the defaults, allows any origin (see
    /// [`OriginSet`]):
    ///
    /// ```
    /// use route_cors::OriginSet;
    ///
    /// static PUBLIC: OriginSet = OriginSet::new("public");
    /// # std::env::set_var("PUBLIC_ORIGINS", "*");
    /// // PUBLIC_ORIGINS="*"
    /// PUBLIC.set_from_env_or("PUBLIC_ORIGINS", ["https://app.example.com"]).unwrap();
    /// ```
    pub fn set_from_env_or<I, S>(&self, var: &str, defaults: I) -> Result<(), OriginsError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        match read_env_or_blank(var)? {
            EnvValue::Given(value) => self.fill(var, env_entries(&value)),
            EnvValue::Fallback(why) => {
                let source = format!("the default origins of `{}` (`{var}` {why})", self.name);
                self.fill(&source, defaults)?;
                if let Some(list) = self.get().as_deref() {
                    log::info!(
                        "CORS origin set `{}` filled from its defaults, because `{var}` {why}: {}",
                        self.name,
                        list.counts()
                    );
                }
                Ok(())
            }
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
        self.fill(&self.config_source(), &config.allowed_origins)
    }

    /// Validates `origins` and replaces the list in force with them, while
    /// the server runs: from an admin endpoint, a configuration reload, a
    /// signal handler.
    ///
    /// Every entry is checked exactly as [`OriginSet::set`] checks it. If any
    /// is refused, the current list stays in force and the error lists every
    /// problem. Otherwise the new list applies from the next request on, all
    /// at once: a request matches against the old list or the new one, never
    /// a mix of both. A request already being answered finishes with the list
    /// it started with; the old list is freed when the last such request is
    /// done. On a set that was never filled, `replace` fills it.
    ///
    /// Each replacement is logged at `info` level with its number of exact
    /// origins and patterns (and the whole list at `debug` level).
    ///
    /// ```
    /// use route_cors::{OriginSet, ProblemReason};
    ///
    /// static PARTNERS: OriginSet = OriginSet::new("partners");
    ///
    /// PARTNERS.set(["https://a.example.com"]).unwrap();
    /// PARTNERS.replace(["https://b.example.com", "https://*.c.example.com"]).unwrap();
    ///
    /// // A refused list changes nothing; the error lists every problem.
    /// let err = PARTNERS.replace(["https://ok.example.com", "*", "null"]).unwrap_err();
    /// assert_eq!(err.problems.len(), 2);
    /// assert_eq!(err.problems[0].position(), Some(1));
    /// assert_eq!(err.problems[0].reason(), &ProblemReason::AnyOriginAmongOthers);
    /// assert_eq!(err.problems[1].entry(), Some("null"));
    /// ```
    ///
    /// An admin page can check one origin as it is typed, with the rules the
    /// set applies, through [`check_origin`](crate::rules::check_origin):
    ///
    /// ```
    /// use route_cors::rules::{check_origin, OriginKind, OriginReason};
    ///
    /// assert_eq!(check_origin("https://*.partner.example").unwrap().kind, OriginKind::Pattern);
    /// let err = check_origin("https://Partner.example/").unwrap_err();
    /// assert_eq!(err.reason(), OriginReason::Path);
    /// assert_eq!(
    ///     err.to_string(),
    ///     "origin `https://Partner.example/` has a path; write `https://partner.example`"
    /// );
    /// ```
    pub fn replace<I, S>(&self, origins: I) -> Result<(), OriginsError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.swap_in(self.name, origins)
    }

    /// Reads a comma-separated list from the environment variable `var` and
    /// replaces the list in force, as [`OriginSet::replace`] does. If the
    /// variable cannot be read, the current list stays in force.
    ///
    /// ```
    /// use route_cors::OriginSet;
    ///
    /// static PARTNERS: OriginSet = OriginSet::new("partners");
    /// # std::env::set_var("PARTNER_ORIGINS", "https://a.example.com");
    /// PARTNERS.set_from_env("PARTNER_ORIGINS").unwrap();
    /// # std::env::set_var("PARTNER_ORIGINS", "https://a.example.com, https://b.example.com");
    /// // Later, PARTNER_ORIGINS="https://a.example.com, https://b.example.com"
    /// PARTNERS.replace_from_env("PARTNER_ORIGINS").unwrap();
    /// ```
    pub fn replace_from_env(&self, var: &str) -> Result<(), OriginsError> {
        let value = read_env(var)?;
        self.swap_in(var, env_entries(&value))
    }

    /// Replaces the list in force with a deserialized [`OriginsConfig`], as
    /// [`OriginSet::replace`] does: on a configuration reload, for example.
    ///
    /// ```
    /// use route_cors::{OriginSet, OriginsConfig};
    ///
    /// static PARTNERS: OriginSet = OriginSet::new("partners");
    /// let config = OriginsConfig { allowed_origins: vec!["https://a.example.com".into()] };
    /// PARTNERS.set_from_config(&config).unwrap();
    /// let reloaded = OriginsConfig { allowed_origins: vec!["https://b.example.com".into()] };
    /// PARTNERS.replace_from_config(&reloaded).unwrap();
    /// ```
    pub fn replace_from_config(&self, config: &OriginsConfig) -> Result<(), OriginsError> {
        self.swap_in(&self.config_source(), &config.allowed_origins)
    }

    fn config_source(&self) -> String {
        format!("configuration field `allowed_origins` of `{}`", self.name)
    }

    /// `set`: validates `origins` and fills the set, if it is still empty.
    fn fill<I, S>(&self, source: &str, origins: I) -> Result<(), OriginsError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let already = || OriginsError::new(source, vec![OriginProblem::already_set(self.name)]);
        if self.is_set() {
            return Err(already());
        }
        let list = self
            .build(origins)
            .map_err(|p| OriginsError::new(source, p))?;
        // Only an empty set takes it: a `replace` that landed meanwhile wins.
        let previous = self
            .cell
            .compare_and_swap(&None::<Arc<RuntimeList>>, Some(Arc::new(list)));
        match *previous {
            None => Ok(()),
            Some(_) => Err(already()),
        }
    }

    /// `replace`: validates `origins` and swaps the list in force for them.
    fn swap_in<I, S>(&self, source: &str, origins: I) -> Result<(), OriginsError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let list = self
            .build(origins)
            .map_err(|p| OriginsError::new(source, p))?;
        let counts = list.counts();
        let shown = log::log_enabled!(log::Level::Debug).then(|| list.to_string());
        // The old list is freed once the last request that loaded it is done.
        let previous = self.cell.swap(Some(Arc::new(list)));
        let done = if previous.is_some() {
            "replaced"
        } else {
            "filled"
        };
        // `replace` reports the set's name as the source: say nothing more.
        let from = if source == self.name {
            String::new()
        } else {
            format!(" from {source}")
        };
        log::info!("CORS origin set `{}` {done}{from}: {counts}", self.name);
        if let Some(shown) = shown {
            log::debug!("CORS origin set `{}` now allows: {shown}", self.name);
        }
        Ok(())
    }

    /// Checks every entry of `origins`: the one home of what `set` and
    /// `replace` accept. Returns the list, or every problem in input order.
    ///
    /// `*` is accepted only as the whole list of a plain set (repeated, it
    /// is still `*` alone): the set then allows any origin. With other
    /// entries it is refused, and a [`CredentialedOriginSet`] refuses it
    /// always.
    fn build<I, S>(&self, origins: I) -> Result<RuntimeList, Vec<OriginProblem>>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let origins: Vec<S> = origins.into_iter().collect();
        let star_alone = origins.iter().all(|o| o.as_ref() == "*");
        let mut problems = Vec::new();
        let mut any = false;
        let mut exact = Vec::new();
        let mut patterns = Vec::new();
        for (at, o) in origins.iter().enumerate() {
            let o = o.as_ref();
            if o == "*" {
                if self.credentialed {
                    problems.push(OriginProblem::any_origin(at, o));
                } else if star_alone {
                    any = true;
                } else {
                    problems.push(OriginProblem::any_origin_among_others(at, o));
                }
                continue;
            }
            let parsed = match check_origin(o) {
                Ok(parsed) => parsed,
                Err(e) => {
                    problems.push(OriginProblem::invalid(at, e));
                    continue;
                }
            };
            if let Some(conflict) = origin_conflict(&parsed).filter(|_| self.credentialed) {
                problems.push(OriginProblem::conflict(at, o, conflict, self.name));
                continue;
            }
            match parsed.kind {
                OriginKind::Exact => match HeaderValue::from_str(o) {
                    Ok(v) => exact.push(v),
                    Err(_) => problems.push(OriginProblem::not_a_header_value(at, o)),
                },
                OriginKind::Pattern => patterns.extend(parsed.pattern().map(PatternText::new)),
            }
        }
        if problems.is_empty() && !any && exact.is_empty() && patterns.is_empty() {
            problems.push(OriginProblem::empty_list());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        exact.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        exact.dedup();
        // A value made from text is shared on its first clone, which
        // allocates; clone each once here so that no request pays for it.
        exact.iter().for_each(|v| drop(v.clone()));
        Ok(RuntimeList {
            any,
            exact,
            patterns,
        })
    }
}

impl RuntimeList {
    fn counts(&self) -> Counts {
        Counts {
            any: self.any,
            exact: self.exact.len(),
            patterns: self.patterns.len(),
        }
    }
}

/// The list, comma-separated, for the debug log.
impl fmt::Display for RuntimeList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.any {
            return f.write_str("*");
        }
        let exact = self
            .exact
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()));
        let patterns = self.patterns.iter().map(|p| p.view().to_string().into());
        for (i, o) in exact.chain(patterns).enumerate() {
            write!(f, "{}{o}", if i == 0 { "" } else { ", " })?;
        }
        Ok(())
    }
}

/// The value of the environment variable `var`.
fn read_env(var: &str) -> Result<String, OriginsError> {
    std::env::var(var)
        .map_err(|e| OriginsError::new(var, vec![OriginProblem::env_unreadable(var, e)]))
}

/// What [`OriginSet::set_from_env_or`] found in its variable.
enum EnvValue {
    /// A value with something in it.
    Given(String),
    /// Not set, or blank: why, to finish "`VAR` …".
    Fallback(&'static str),
}

/// The value of `var`, or why the defaults apply; a value that is not
/// Unicode is an error.
fn read_env_or_blank(var: &str) -> Result<EnvValue, OriginsError> {
    match std::env::var(var) {
        Ok(value) if value.trim().is_empty() => Ok(EnvValue::Fallback("is blank")),
        Ok(value) => Ok(EnvValue::Given(value)),
        Err(std::env::VarError::NotPresent) => Ok(EnvValue::Fallback("is not set")),
        Err(e) => Err(OriginsError::new(
            var,
            vec![OriginProblem::env_unreadable(var, e)],
        )),
    }
}

/// The entries of a comma-separated list, trimmed.
fn env_entries(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim)
}

#[cfg(test)]
mod tests;
