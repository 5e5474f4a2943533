//! What is emitted when the attribute is rejected: the errors, next to the
//! original item with its routing attribute intact, so the handler still
//! exists and the user sees only the real errors.

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;

pub fn emit(err: syn::Error, item: TokenStream) -> TokenStream {
    let mut out = err.to_compile_error();
    out.extend(item);
    out
}

pub fn emit_all(cx: Ctxt, item: TokenStream) -> TokenStream {
    match cx.check() {
        Ok(()) => item,
        Err(e) => emit(e, item),
    }
}
