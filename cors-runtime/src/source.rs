//! What `origins = PATH` accepts: the compile-time check that `PATH` names an
//! [`OriginSet`] or a [`CredentialedOriginSet`], with one clear error otherwise.
//!
//! The code `#[cors]` generates reads the set through [`origin_source`], whose
//! bound reports a wrong path (a `const` slice, a `static` array) with the
//! message below. The same code then calls the set's `core` and
//! `is_credentialed` methods; [`NotAnOriginSet`] gives every other type
//! methods of those names, so that a wrong path yields that one error and no
//! "no method named `core`" after it. Its methods are never evaluated: const
//! checking does not run on code that failed type checking, and on the two
//! set types the inherent methods win.

use crate::sets::{CredentialedOriginSet, OriginSet};

/// A set of origins filled at startup: [`OriginSet`] or [`CredentialedOriginSet`].
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`origins` takes a list such as `[\"https://app.example.com\"]`, `\"*\"`, or the path of a `static OriginSet` or `static CredentialedOriginSet`; `{Self}` is none of these",
    label = "not an `OriginSet`: write the origins as a list here, or declare a `static OriginSet` and fill it at startup"
)]
pub trait OriginSource: Sync + 'static {
    /// Whether the set applies the credential-only rules to what it loads.
    const CREDENTIALED: bool;

    /// The set the runtime reads.
    #[doc(hidden)]
    fn __set(&'static self) -> &'static OriginSet;
}

impl OriginSource for OriginSet {
    const CREDENTIALED: bool = false;

    fn __set(&'static self) -> &'static OriginSet {
        self.core()
    }
}

impl OriginSource for CredentialedOriginSet {
    const CREDENTIALED: bool = true;

    fn __set(&'static self) -> &'static OriginSet {
        self.core()
    }
}

/// `set`, once checked to be an origin set. Used by the code `#[cors]` generates.
#[doc(hidden)]
pub const fn origin_source<T: OriginSource>(set: &'static T) -> &'static T {
    set
}

/// Stand-ins for the methods of the set types on any other type, so that a
/// wrong `origins = PATH` is reported once, by [`origin_source`]. Never called.
#[doc(hidden)]
pub trait NotAnOriginSet {
    /// Never called: see the module documentation.
    fn core(&self) -> &'static OriginSet {
        unreachable!("`origins` is not an origin set")
    }

    /// Never called: see the module documentation.
    fn is_credentialed(&self) -> bool {
        unreachable!("`origins` is not an origin set")
    }
}

impl<T: ?Sized> NotAnOriginSet for T {}
