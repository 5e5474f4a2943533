//! What `origins = PATH` accepts: the compile-time check that `PATH` names an
//! [`OriginSet`] or a [`CredentialedOriginSet`], with one clear error otherwise.
//!
//! The code `#[cors]` generates reads the set through [`origin_source`], whose
//! bound reports a wrong path (a `const` slice, a `static` array) with the
//! message below. The same code then calls the set's `core` method;
//! [`NotAnOriginSet`] gives every other type a method of that name, so that a
//! wrong path yields that one error and no "no method named `core`" after it.
//! It is never evaluated: const checking does not run on code that failed type
//! checking, and on the two set types the inherent method wins. Whether a set
//! checks the credential rules is read by `Policy::__new`, during the const
//! evaluation of the route's policy.

use crate::sets::{CredentialedOriginSet, OriginSet};

/// A set of origins filled at startup: [`OriginSet`] or [`CredentialedOriginSet`].
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`origins` takes a list such as `[\"https://app.example.com\"]`, `\"*\"`, or the path of a `static OriginSet` or `static CredentialedOriginSet`; `{Self}` is none of these",
    label = "not an `OriginSet`: write the origins as a list here, or declare a `static OriginSet` and fill it at startup"
)]
pub trait OriginSource: Sync + 'static {
    /// The set the runtime reads.
    #[doc(hidden)]
    fn __set(&'static self) -> &'static OriginSet;
}

impl OriginSource for OriginSet {
    fn __set(&'static self) -> &'static OriginSet {
        self.core()
    }
}

impl OriginSource for CredentialedOriginSet {
    fn __set(&'static self) -> &'static OriginSet {
        self.core()
    }
}

/// `set`, once checked to be an origin set. Used by the code `#[cors]` generates.
#[doc(hidden)]
pub const fn origin_source<T: OriginSource>(set: &'static T) -> &'static T {
    set
}

/// A stand-in for the `core` method of the set types on any other type, so
/// that a wrong `origins = PATH` is reported once, by [`origin_source`].
/// Never called.
#[doc(hidden)]
pub trait NotAnOriginSet {
    /// Never called: see the module documentation.
    fn core(&self) -> &'static OriginSet {
        unreachable!("`origins` is not an origin set")
    }
}

impl<T: ?Sized> NotAnOriginSet for T {}
