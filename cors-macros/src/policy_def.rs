//! Parsing `policy!(vis NAME, keys..)`: the name of the named policy, then the
//! same keys as `#[cors(..)]`, which `attr` parses.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, Token, Visibility};

pub struct Definition {
    /// Doc comments and other outer attributes of the `static`.
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub name: Ident,
    pub keys: TokenStream,
}

impl Parse for Definition {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        if input.peek(Token![static]) {
            return Err(
                input.error("write the name without `static`: `policy!(pub APP, origins = [..])`")
            );
        }
        let name: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the name of the policy, as in `policy!(pub APP, origins = [\"https://app.example.com\"])`",
            )
        })?;
        if input.is_empty() {
            return Err(syn::Error::new(
                name.span(),
                format!("the policy `{name}` needs keys, as in `policy!(pub {name}, origins = [\"https://app.example.com\"])`"),
            ));
        }
        input.parse::<Token![,]>()?;
        Ok(Self {
            attrs,
            vis,
            name,
            keys: input.parse()?,
        })
    }
}
