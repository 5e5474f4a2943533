//! Why a list of origins was refused: [`OriginsError`], one [`OriginProblem`]
//! per problem, each with a [`ProblemReason`]. Part of [`sets`](super).

use std::env::VarError;
use std::fmt;

use crate::rules::{Conflict, OriginError, OriginReason};

/// Why a list of origins was refused, by `set` or `replace`.
///
/// It lists **every** problem, one per bad entry, so one failed start (or one
/// failed replacement) shows everything to fix. Its `Debug` is its `Display`,
/// so that a `main` that returns it (or the `std::io::Error` it converts into)
/// prints the list of problems when it fails, not a dump of the struct.
///
/// ```
/// use route_cors::{OriginSet, ProblemReason};
/// use route_cors::rules::OriginReason;
///
/// static PARTNERS: OriginSet = OriginSet::new("partners");
///
/// let err = PARTNERS.set(["https://a.example.com/", "*"]).unwrap_err();
/// assert_eq!(err.source, "partners");
/// assert_eq!(err.problems.len(), 2);
/// assert_eq!(err.problems[0].reason(), &ProblemReason::Origin(OriginReason::Path));
/// assert_eq!(err.problems[1].reason(), &ProblemReason::AnyOriginAmongOthers);
/// assert!(err.to_string().starts_with("invalid CORS origins in partners:"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct OriginsError {
    /// Where the list came from, such as `CORS_ALLOWED_ORIGINS`.
    pub source: String,
    /// One item per problem, in input order.
    pub problems: Vec<OriginProblem>,
}

impl OriginsError {
    pub(super) fn new(source: &str, problems: Vec<OriginProblem>) -> Self {
        Self {
            source: source.to_owned(),
            problems,
        }
    }
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

/// One problem with a list of origins: which entry, where it was in the input,
/// and why it was refused.
///
/// Its [`Display`](fmt::Display) is the message, with the fix where there is
/// one; for an invalid origin it is exactly the message the `#[cors]`
/// attribute gives at compile time. It compares equal to a string holding
/// that message, which keeps tests short.
///
/// ```
/// use route_cors::{OriginSet, ProblemReason};
/// use route_cors::rules::OriginReason;
///
/// static PARTNERS: OriginSet = OriginSet::new("partners");
///
/// let err = PARTNERS
///     .set(["https://ok.example.com", "https://a.example.com:443"])
///     .unwrap_err();
/// let problem = &err.problems[0];
/// assert_eq!(problem.entry(), Some("https://a.example.com:443"));
/// assert_eq!(problem.position(), Some(1));
/// assert_eq!(problem.reason(), &ProblemReason::Origin(OriginReason::DefaultPort));
/// assert_eq!(
///     problem.to_string(),
///     "origin `https://a.example.com:443` names the default port; write `https://a.example.com`"
/// );
/// assert_eq!(*problem, "origin `https://a.example.com:443` names the default port; write `https://a.example.com`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginProblem {
    entry: Option<String>,
    position: Option<usize>,
    reason: ProblemReason,
    /// What the message names besides the entry: the set (a credential
    /// conflict, a set already filled) or the environment variable.
    subject: String,
    /// For an invalid origin, the rules' error: its text is the message.
    origin: Option<OriginError>,
}

/// Why an entry, or a whole list, of origins was refused.
///
/// ```
/// use route_cors::{CredentialedOriginSet, ProblemReason};
/// use route_cors::rules::Conflict;
///
/// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
///
/// let err = PARTNERS.set(["http://partner.example"]).unwrap_err();
/// assert_eq!(err.problems[0].reason(), &ProblemReason::Credentials(Conflict::PlainHttp));
/// let err = PARTNERS.set(Vec::<String>::new()).unwrap_err();
/// assert_eq!(err.problems[0].reason(), &ProblemReason::EmptyList);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemReason {
    /// The entry is not a valid origin or `*.` pattern: the rule it breaks,
    /// the same the `#[cors]` attribute reports at compile time.
    Origin(OriginReason),
    /// The entry is `*` (any origin) in a
    /// [`CredentialedOriginSet`](crate::CredentialedOriginSet): browsers
    /// refuse `Access-Control-Allow-Origin: *` on credentialed requests.
    AnyOrigin,
    /// The entry is `*` (any origin) among other entries. A plain
    /// [`OriginSet`](crate::OriginSet) takes `*` only as its whole list.
    AnyOriginAmongOthers,
    /// The entry breaks a rule that applies with `credentials` (only a
    /// [`CredentialedOriginSet`](crate::CredentialedOriginSet) checks these).
    Credentials(Conflict),
    /// The entry is a valid origin that is not a valid header value. The
    /// origin rules accept only visible ASCII, so no entry has this reason
    /// today.
    NotAHeaderValue,
    /// The list has no entry.
    EmptyList,
    /// `set` on a set that was already filled (`replace` replaces instead).
    AlreadySet,
    /// The environment variable could not be read: not set, or not Unicode.
    EnvUnreadable(VarError),
}

impl OriginProblem {
    /// The offending entry, as given; `None` for a problem with the whole list
    /// (empty, already set, unreadable variable).
    pub fn entry(&self) -> Option<&str> {
        self.entry.as_deref()
    }

    /// Where the entry was in the input, from 0; for an environment variable,
    /// its place in the comma-separated list. `None` for a problem with the
    /// whole list.
    pub fn position(&self) -> Option<usize> {
        self.position
    }

    /// Why it was refused.
    pub fn reason(&self) -> &ProblemReason {
        &self.reason
    }

    fn of_list(reason: ProblemReason, subject: &str) -> Self {
        Self {
            entry: None,
            position: None,
            reason,
            subject: subject.to_owned(),
            origin: None,
        }
    }

    fn of_entry(position: usize, entry: &str, reason: ProblemReason, subject: &str) -> Self {
        Self {
            entry: Some(entry.to_owned()),
            position: Some(position),
            reason,
            subject: subject.to_owned(),
            origin: None,
        }
    }

    /// The entry at `position` is not a valid origin.
    pub(super) fn invalid(position: usize, err: OriginError) -> Self {
        Self {
            entry: Some(err.input().to_owned()),
            position: Some(position),
            reason: ProblemReason::Origin(err.reason()),
            subject: String::new(),
            origin: Some(err),
        }
    }

    /// The entry at `position` is `*`, in a set for credentialed routes.
    pub(super) fn any_origin(position: usize, entry: &str) -> Self {
        Self::of_entry(position, entry, ProblemReason::AnyOrigin, "")
    }

    /// The entry at `position` is `*`, and the list has other entries.
    pub(super) fn any_origin_among_others(position: usize, entry: &str) -> Self {
        Self::of_entry(position, entry, ProblemReason::AnyOriginAmongOthers, "")
    }

    /// The entry at `position` breaks a credential rule of the set `set`.
    pub(super) fn conflict(position: usize, entry: &str, conflict: Conflict, set: &str) -> Self {
        Self::of_entry(position, entry, ProblemReason::Credentials(conflict), set)
    }

    /// The entry at `position` is not a header value.
    pub(super) fn not_a_header_value(position: usize, entry: &str) -> Self {
        Self::of_entry(position, entry, ProblemReason::NotAHeaderValue, "")
    }

    /// The list is empty.
    pub(super) fn empty_list() -> Self {
        Self::of_list(ProblemReason::EmptyList, "")
    }

    /// `set` on the filled set `set`.
    pub(super) fn already_set(set: &str) -> Self {
        Self::of_list(ProblemReason::AlreadySet, set)
    }

    /// The variable `var` cannot be read.
    pub(super) fn env_unreadable(var: &str, err: VarError) -> Self {
        Self::of_list(ProblemReason::EnvUnreadable(err), var)
    }
}

impl fmt::Display for OriginProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(err) = &self.origin {
            return fmt::Display::fmt(err, f);
        }
        let entry = self.entry.as_deref().unwrap_or_default();
        let subject = &self.subject;
        match &self.reason {
            ProblemReason::Origin(_) => write!(f, "origin `{entry}` is invalid"),
            ProblemReason::AnyOrigin => f.write_str(
                "`*` (any origin) cannot be in an origin set for credentialed routes: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the allowed origins",
            ),
            ProblemReason::AnyOriginAmongOthers => f.write_str(
                "`*` (any origin) must be the only entry of an origin set: next to it the other entries mean nothing; write `*` alone to allow any origin, or remove it to allow only the listed origins",
            ),
            ProblemReason::Credentials(conflict) => write!(
                f,
                "origin `{entry}` (`{subject}` serves credentialed routes): {conflict}"
            ),
            ProblemReason::NotAHeaderValue => {
                write!(f, "origin `{entry}` is not a valid header value")
            }
            ProblemReason::EmptyList => {
                f.write_str("the list of origins is empty; name at least one origin")
            }
            ProblemReason::AlreadySet => write!(f, "origin set `{subject}` is already set"),
            ProblemReason::EnvUnreadable(err) => {
                write!(f, "environment variable `{subject}` cannot be read: {err}")
            }
        }
    }
}

/// A problem equals the text of its message.
impl PartialEq<str> for OriginProblem {
    fn eq(&self, other: &str) -> bool {
        let mut rest = Rest(Some(other));
        fmt::write(&mut rest, format_args!("{self}")).is_ok() && rest.0 == Some("")
    }
}

/// What is left of a text as a message is written and compared against it;
/// `None` once they differ. Compares without building the message.
struct Rest<'a>(Option<&'a str>);

impl fmt::Write for Rest<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 = self.0.and_then(|rest| rest.strip_prefix(s));
        Ok(())
    }
}

/// A problem equals the text of its message.
impl PartialEq<&str> for OriginProblem {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

/// A problem equals the text of its message.
impl PartialEq<String> for OriginProblem {
    fn eq(&self, other: &String) -> bool {
        self == other.as_str()
    }
}
