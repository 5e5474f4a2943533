//! Collects every error of one attribute, so one build reports them all.

use std::fmt::Display;

use quote::ToTokens;

#[derive(Default)]
pub struct Ctxt {
    errors: Option<syn::Error>,
}

impl Ctxt {
    pub fn error(&mut self, e: syn::Error) {
        match &mut self.errors {
            Some(all) => all.combine(e),
            None => self.errors = Some(e),
        }
    }

    pub fn spanned(&mut self, tokens: impl ToTokens, msg: impl Display) {
        self.error(syn::Error::new_spanned(tokens, msg));
    }

    pub fn at(&mut self, span: proc_macro2::Span, msg: impl Display) {
        self.error(syn::Error::new(span, msg));
    }

    pub fn check(self) -> Result<(), syn::Error> {
        match self.errors {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The messages reported so far, in order.
    #[cfg(test)]
    pub fn messages(&self) -> Vec<String> {
        self.errors
            .iter()
            .flat_map(|e| e.clone().into_iter().map(|e| e.to_string()))
            .collect()
    }
}
