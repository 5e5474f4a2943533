//! The `#[cors]` attribute of route-cors. Use it through the `route-cors` crate,
//! which documents it; this crate's items are not meant to be used directly.
//!
//! The pipeline, one file per phase: `attr` parses the attribute keeping every
//! span, `route` reads the actix-web routing attribute below it, `valid` applies
//! the policy rules (shared with the runtime through `cors_runtime::rules`),
//! `expand` generates the code, and `fallback` is what is emitted on errors.
//! `policy!` (a named policy) goes through the same phases, with
//! `policy_def` reading its name.

mod attr;
mod ctxt;
mod expand;
mod fallback;
mod keys;
mod lower;
mod policy_def;
mod route;
mod suggest;
mod valid;

use proc_macro::TokenStream;

/// Implemented in the `cors-macros` crate; use it as `route_cors::cors`.
#[proc_macro_attribute]
pub fn cors(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::cors(args.into(), input.into()).into()
}

/// Implemented in the `cors-macros` crate; use it as `route_cors::policy!`.
#[proc_macro]
pub fn policy(input: TokenStream) -> TokenStream {
    expand::policy(input.into()).into()
}
