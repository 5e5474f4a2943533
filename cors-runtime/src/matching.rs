//! Matching a request's `Origin` against a policy: the per-request path.
//! No parsing and no allocation: an exact origin is one binary search, a
//! pattern one pass over the bytes.

use actix_web::http::header::{HeaderMap, HeaderValue, ORIGIN};

use crate::policy::{AllowOrigin, Exact, OriginList};
use crate::rules::Pattern;
use crate::sets::RuntimeList;

/// The outcome of matching a request's `Origin` against a policy.
#[derive(Debug)]
pub(crate) enum Matched {
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
            // One load per check: the whole answer comes from one list,
            // even while a replacement lands. No lock, no allocation.
            AllowOrigin::Runtime(set) => match set.get().as_deref() {
                Some(list) => list.allows(origin),
                None => {
                    set.warn_unset();
                    Matched::Denied
                }
            },
        }
    }

    /// Whether the answer depends on the request's `Origin` (so `Vary: Origin`
    /// is due). Asked only of a request that was [`Matched::Denied`], which a
    /// set filled with `*` never answers.
    pub(crate) fn varies(&self) -> bool {
        !matches!(self, AllowOrigin::Any)
    }
}

impl OriginList {
    fn find(&self, origin: &HeaderValue) -> Matched {
        let bytes = origin.as_bytes();
        match self
            .exact
            .binary_search_by(|e: &Exact| e.text.as_bytes().cmp(bytes))
        {
            // The configured value, not the request's: a static value clones for free.
            Ok(i) => Matched::Echo(self.exact[i].value.clone()),
            Err(_) => by_pattern(origin, self.patterns.iter().copied()),
        }
    }
}

impl RuntimeList {
    /// As [`AllowOrigin::matches`]: a list that is `*` answers `*` to every
    /// request, with one `Origin`, none or several, exactly as `origins =
    /// "*"` does.
    #[inline]
    pub(crate) fn allows(&self, origin: Option<&HeaderValue>) -> Matched {
        match origin {
            _ if self.any => Matched::Any,
            Some(o) => self.find(o),
            None => Matched::Denied,
        }
    }

    pub(crate) fn find(&self, origin: &HeaderValue) -> Matched {
        let bytes = origin.as_bytes();
        match self.exact.binary_search_by(|e| e.as_bytes().cmp(bytes)) {
            Ok(i) => Matched::Echo(self.exact[i].clone()),
            Err(_) => by_pattern(origin, self.patterns.iter().map(|p| p.view())),
        }
    }
}

/// Echoes `origin` if a pattern matches it.
fn by_pattern<'p>(
    origin: &HeaderValue,
    patterns: impl IntoIterator<Item = Pattern<'p>>,
) -> Matched {
    let bytes = origin.as_bytes();
    if patterns.into_iter().any(|p| p.matches(bytes)) {
        Matched::Echo(origin.clone())
    } else {
        Matched::Denied
    }
}
