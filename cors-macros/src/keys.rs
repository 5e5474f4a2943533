//! The keys of `#[cors(..)]` and `policy!`, defined once.
//!
//! The table at the bottom of this file is the only place a key's name is
//! spelled. From it come: a [`Symbol`] constant per key, the [`Args`] struct
//! (one field per key), the parsing dispatch (name to value parser), the
//! duplicate check ([`Attr::set`]), the known-key list [`KEYS`] and the other
//! libraries' names of each key ([`ALIASES`]), which `suggest` uses.
//!
//! Adding a key is one entry in the table, with a value parser from `attr`
//! (`attr::flag` for a boolean key); then the key's check in `valid`.

use std::fmt;

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Expr, Ident};

use crate::attr::{self, ListOrAny, MaxAge, Method, OriginsArg};
use crate::ctxt::Ctxt;

/// The name of a key, as written in the attribute.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Symbol(&'static str);

impl Symbol {
    pub const fn name(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl PartialEq<Symbol> for Ident {
    /// `key == CRATE`: the key, raw or not, is the one named by the symbol.
    fn eq(&self, sym: &Symbol) -> bool {
        self.unraw() == sym.0
    }
}

impl PartialEq<Symbol> for syn::Path {
    fn eq(&self, sym: &Symbol) -> bool {
        self.get_ident().is_some_and(|i| i == sym)
    }
}

/// A key's value, with the key as written: errors about the value as a whole
/// (and const-evaluation refusals) point at `key`.
pub struct Given<T> {
    pub key: Ident,
    pub value: T,
}

/// A boolean key: a bare flag, or `key = true|false`.
pub type Flag = Given<bool>;

/// A `Given` path (`crate = ..`) is written out as the path itself.
impl<T: ToTokens> ToTokens for Given<T> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.value.to_tokens(tokens);
    }
}

/// One key while the attribute is parsed: its value once set, and the
/// "given twice" error on a second set.
pub struct Attr<T> {
    symbol: Symbol,
    value: Option<Given<T>>,
}

impl<T> Attr<T> {
    pub const fn new(symbol: Symbol) -> Self {
        Self {
            symbol,
            value: None,
        }
    }

    /// Records `value` (`None`: it was rejected, with an error already
    /// reported) read at `key`. A key already holding a value reports that
    /// it is given twice, at this second `key`, and keeps the first value.
    pub fn set(&mut self, key: &Ident, value: Option<T>, cx: &mut Ctxt) {
        if self.value.is_some() {
            cx.spanned(
                key,
                format!("key `{}` is given twice; keep one", self.symbol),
            );
        } else if let Some(value) = value {
            self.value = Some(Given {
                key: key.clone(),
                value,
            });
        }
    }

    pub fn get(self) -> Option<Given<T>> {
        self.value
    }
}

/// Defines the keys. Each entry:
/// `field: Type = SYMBOL("name") by parser, aka ["other library's name", ..];`
/// where `parser(&key, Option<value>, cx) -> Option<Type>` reads the value.
macro_rules! keys {
    ($(
        $(#[$doc:meta])*
        $field:ident: $ty:ty = $sym:ident($name:literal) by $parse:path
            $(, aka [$($alias:literal),* $(,)?])?;
    )*) => {
        $(pub const $sym: Symbol = Symbol($name);)*

        /// Every key, in the order of the table (that of "expected one of").
        pub const KEYS: &[Symbol] = &[$($sym),*];

        /// Key names of other CORS libraries (actix-cors, tower-http,
        /// Flask-CORS, Express, Spring), and the key each one means.
        pub const ALIASES: &[(&str, Symbol)] = &[$($($(($alias, $sym),)*)?)*];

        /// The parsed attribute, keys not yet checked against each other.
        #[derive(Default)]
        pub struct Args {
            $($(#[$doc])* pub $field: Option<Given<$ty>>,)*
            /// `origins` was written (maybe misspelled, maybe with an invalid value).
            pub origins_given: bool,
        }

        /// Every key while the attribute is parsed.
        pub struct Attrs {
            $($field: Attr<$ty>,)*
        }

        impl Attrs {
            pub const fn new() -> Self {
                Self { $($field: Attr::new($sym),)* }
            }

            /// Reads `key = value` (or a bare `key`) into its key: the
            /// symbol of `key`, or `None` if it is not a key.
            pub fn set(&mut self, key: &Ident, value: Option<Expr>, cx: &mut Ctxt) -> Option<Symbol> {
                let name = key.unraw().to_string();
                $(
                    if name == $sym.0 {
                        let value = $parse(key, value, cx);
                        self.$field.set(key, value, cx);
                        return Some($sym);
                    }
                )*
                None
            }

            pub fn finish(self, origins_given: bool) -> Args {
                Args {
                    $($field: self.$field.get(),)*
                    origins_given,
                }
            }
        }
    };
}

keys! {
    /// `origins = [..]`, `"*"`, or the path of a `static OriginSet`.
    origins: OriginsArg = ORIGINS("origins") by attr::origins,
        aka ["allowed_origins", "allow_origins", "allowed_origin", "allow_origin", "allowedOrigins"];
    /// `methods = [GET, "PATCH"]`: a subset of the route's methods.
    methods: Vec<Method> = METHODS("methods") by attr::methods,
        aka ["allowed_methods", "allow_methods", "allowedMethods"];
    /// `headers = [..]` or `"*"`: the request headers allowed.
    headers: ListOrAny = HEADERS("headers") by attr::list_or_any,
        aka ["allowed_headers", "allow_headers", "allowedHeaders"];
    /// `expose = [..]` or `"*"`: the response headers exposed.
    expose: ListOrAny = EXPOSE("expose") by attr::list_or_any,
        aka ["expose_headers", "exposed_headers", "exposedHeaders", "exposeHeaders"];
    credentials: bool = CREDENTIALS("credentials") by attr::flag,
        aka ["supports_credentials", "allow_credentials", "allowCredentials"];
    max_age: MaxAge = MAX_AGE("max_age") by attr::max_age,
        aka ["maxAge", "max_age_secs"];
    private_network: bool = PRIVATE_NETWORK("private_network") by attr::flag;
    /// `timing`: `Timing-Allow-Origin` on actual responses, as ACAO.
    timing: bool = TIMING("timing") by attr::flag,
        aka ["timing_allow_origin", "allow_timing"];
    dangerously_allow_http: bool =
        DANGEROUSLY_ALLOW_HTTP("dangerously_allow_http_with_credentials") by attr::flag;
    dangerously_allow_public_suffix: bool = DANGEROUSLY_ALLOW_PUBLIC_SUFFIX(
        "dangerously_allow_public_suffix_wildcard_with_credentials"
    ) by attr::flag;
    /// Cross-origin writes from origins the policy does not allow run the
    /// handler (the protection is on by default).
    dangerously_allow_cross_origin_writes: bool = DANGEROUSLY_ALLOW_CROSS_ORIGIN_WRITES(
        "dangerously_allow_cross_origin_writes"
    ) by attr::flag;
    /// `policy = NAME`: a named policy made by `policy!`.
    policy: syn::Path = POLICY("policy") by attr::policy;
    /// `crate = path`: where `route_cors` is, when renamed.
    krate: syn::Path = CRATE("crate") by attr::krate;
}

#[cfg(test)]
mod tests {
    use proc_macro2::Span;
    use quote::quote;
    use syn::parse_quote;

    use super::*;

    fn parse(tokens: TokenStream) -> (Args, Vec<String>) {
        let mut cx = Ctxt::default();
        let args = attr::parse(tokens, &mut cx);
        (args, cx.messages())
    }

    /// A valid value of each key (`None`: a bare flag).
    fn sample(key: Symbol) -> Option<TokenStream> {
        Some(match key.name() {
            "origins" => quote!(["https://app.example.com"]),
            "methods" => quote!([GET]),
            "headers" | "expose" => quote!(["x-request-id"]),
            "max_age" => quote!(600),
            "policy" => quote!(APP),
            "crate" => quote!(my_cors),
            "credentials"
            | "private_network"
            | "timing"
            | "dangerously_allow_http_with_credentials"
            | "dangerously_allow_public_suffix_wildcard_with_credentials"
            | "dangerously_allow_cross_origin_writes" => return None,
            other => panic!("no sample value for the new key `{other}`; add one here"),
        })
    }

    fn written(key: Symbol) -> TokenStream {
        let name = Ident::new(key.name(), Span::call_site());
        match sample(key) {
            Some(value) => quote!(#name = #value),
            None => quote!(#name),
        }
    }

    #[test]
    fn every_key_of_the_known_list_is_read_and_checked_for_duplicates() {
        for &key in KEYS {
            let once = written(key);
            let (_, messages) = parse(once.clone());
            assert!(messages.is_empty(), "{key}: {messages:?}");
            let (_, messages) = parse(quote!(#once, #once));
            assert_eq!(
                messages,
                [format!("key `{key}` is given twice; keep one")],
                "{key}"
            );
        }
    }

    #[test]
    fn a_key_given_twice_is_reported_once_at_the_second_and_keeps_the_first() {
        let mut attrs = Attrs::new();
        let mut cx = Ctxt::default();
        let first: Ident = parse_quote!(max_age);
        let second: Ident = parse_quote!(max_age);
        assert_eq!(
            attrs.set(&first, Some(parse_quote!(1)), &mut cx),
            Some(MAX_AGE)
        );
        assert!(cx.messages().is_empty(), "the first is no duplicate");
        attrs.set(&second, Some(parse_quote!(2)), &mut cx);
        assert_eq!(cx.messages(), ["key `max_age` is given twice; keep one"]);
        let max_age = attrs.finish(false).max_age.expect("the first value");
        assert_eq!(max_age.value.seconds, 1);
        assert_eq!(max_age.key, first);

        let (args, messages) = parse(quote!(credentials, credentials = false));
        assert_eq!(messages, ["key `credentials` is given twice; keep one"]);
        assert!(args.credentials.is_some_and(|f| f.value));
    }

    #[test]
    fn a_rejected_value_is_not_counted_as_given() {
        let (args, messages) = parse(quote!(max_age = "600", max_age = 600));
        assert_eq!(
            messages,
            ["`max_age` takes a number of seconds, such as `max_age = 600`"]
        );
        assert_eq!(args.max_age.map(|m| m.value.seconds), Some(600));
    }

    #[test]
    fn an_unknown_key_suggests_the_key_it_stands_for() {
        let (args, messages) = parse(quote!(origin = ["https://app.example.com"]));
        assert_eq!(messages, ["unknown key `origin`; did you mean `origins`?"]);
        assert!(args.origins.is_none());
        assert!(args.origins_given, "no second error asking for `origins`");

        let (args, messages) = parse(quote!(allow_credentials, maxAge = 600));
        assert_eq!(
            messages,
            [
                "unknown key `allow_credentials`; did you mean `credentials`?",
                "unknown key `maxAge`; did you mean `max_age`?",
            ]
        );
        assert!(args.credentials.is_none() && args.max_age.is_none());
        assert!(!args.origins_given);
    }

    #[test]
    fn an_unknown_key_far_from_all_lists_every_key() {
        let (_, messages) = parse(quote!(zzz));
        assert_eq!(
            messages,
            [
                "unknown key `zzz`; expected one of: origins, methods, headers, expose, \
              credentials, max_age, private_network, timing, dangerously_allow_http_with_credentials, \
              dangerously_allow_public_suffix_wildcard_with_credentials, \
              dangerously_allow_cross_origin_writes, policy, crate"
            ]
        );
    }

    #[test]
    fn symbols_match_raw_and_plain_keys() {
        let raw: Ident = parse_quote!(r#policy);
        assert!(raw == POLICY && raw != ORIGINS);
        let path: syn::Path = parse_quote!(crate);
        assert!(path == CRATE);
        let long: syn::Path = parse_quote!(a::crate_);
        assert!(long != CRATE);
    }
}
