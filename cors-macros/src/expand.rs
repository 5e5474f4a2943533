//! Code generation: one `HttpServiceFactory` per annotated handler, registering
//! a resource whose guard also admits the route's preflights and whose
//! outermost middleware applies the policy.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::ItemFn;

use crate::attr;
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::route::{self, Route};
use crate::valid::{self, Config, Headers, Origins};

pub fn cors(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut item: ItemFn = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let err = syn::Error::new(
                Span::call_site(),
                "`#[cors]` goes on a handler function, directly above its routing attribute such as `#[get(\"/path\")]`",
            );
            return fallback::emit(err, input);
        }
    };
    let mut cx = Ctxt::default();
    let args = attr::parse(args, &mut cx);

    if let Some(routes) = route::has_routes(&item.attrs) {
        cx.spanned(
            routes,
            "`#[cors]` does not take `#[routes]`; give each method its own handler with `#[cors]` above `#[get(..)]`, `#[post(..)]`, …",
        );
        return fallback::emit_all(cx, input);
    }
    let Some((index, method)) = route::find(&item.attrs) else {
        cx.at(
            Span::call_site(),
            format!(
                "`#[cors]` must be placed directly above the routing attribute of `{}`: put it above `#[get(..)]`, `#[post(..)]`, `#[route(..)]` and so on (it sees none below it: either the routing attribute is above `#[cors]`, or there is none)",
                item.sig.ident
            ),
        );
        return fallback::emit_all(cx, input);
    };
    // A routing attribute actix-web itself would reject, or a handler without a
    // return type: leave the item to actix-web, which reports it.
    let route = match route::read(&item.attrs[index], method) {
        Some(route) if !matches!(item.sig.output, syn::ReturnType::Default) => route,
        _ => return fallback::emit_all(cx, input),
    };
    let config = valid::validate(&args, &route, &mut cx);
    let config = match (cx.check(), config) {
        (Ok(()), Some(config)) => config,
        (Err(e), _) => return fallback::emit(e, input),
        (Ok(()), None) => return input,
    };
    item.attrs.remove(index);
    generate(&item, &route, &config, args.krate.as_ref())
}

fn generate(
    item: &ItemFn,
    route: &Route,
    config: &Config,
    krate: Option<&syn::Path>,
) -> TokenStream {
    let root = match krate {
        Some(p) => quote!(#p),
        None => quote!(::route_cors),
    };
    let p = quote!(#root::__private);
    let name = &item.sig.ident;
    let docs = item.attrs.iter().filter(|a| a.path().is_ident("doc"));
    let attr_path = &route.attr_path;
    let path = &route.path;
    let resource_name = route
        .name
        .as_ref()
        .map_or_else(|| name.to_string(), syn::LitStr::value);
    let guards = &route.guards;
    let wraps = &route.wraps;
    let route_methods = &route.methods;
    let route_label = format!("{} {}", route.methods.join("|"), route.path.value());

    let methods = &config.methods;
    let allow_methods = config.methods.join(", ");
    let credentials = config.credentials;
    let private_network = config.private_network;

    let (origin_statics, origins) = match &config.origins {
        Origins::Any => (quote!(), quote!(#p::AllowOrigin::Any)),
        Origins::Runtime(path) => (quote!(), quote!(#p::AllowOrigin::Runtime(&#path))),
        Origins::List { exact, patterns } => {
            let n = exact.len();
            let schemes = patterns.iter().map(|(s, _, _)| s);
            let suffixes = patterns.iter().map(|(_, h, _)| h);
            let ports = patterns.iter().map(|(_, _, port)| match port {
                Some(port) => quote!(::core::option::Option::Some(#port)),
                None => quote!(::core::option::Option::None),
            });
            (
                quote! {
                    static __ROUTE_CORS_ORIGINS: [#p::HeaderValue; #n] =
                        [#(#p::HeaderValue::from_static(#exact)),*];
                },
                quote! {
                    #p::AllowOrigin::List(#p::OriginList {
                        exact: &[#(#exact),*],
                        values: &__ROUTE_CORS_ORIGINS,
                        patterns: &[#(#p::Pattern { scheme: #schemes, suffix: #suffixes, port: #ports }),*],
                    })
                },
            )
        }
    };
    let headers = match &config.headers {
        Headers::None => quote!(#p::AllowHeaders::None),
        Headers::Any => quote!(#p::AllowHeaders::Any),
        Headers::List(names) => {
            let value = names.join(", ");
            quote!(#p::AllowHeaders::List {
                names: &[#(#names),*],
                value: #p::HeaderValue::from_static(#value),
            })
        }
    };
    let opt_value = |v: Option<String>| match v {
        Some(v) => quote!(::core::option::Option::Some(#p::HeaderValue::from_static(#v))),
        None => quote!(::core::option::Option::None),
    };
    let expose = opt_value(config.expose.clone());
    let max_age = opt_value(config.max_age.map(|n| n.to_string()));

    quote! {
        #(#docs)*
        #[allow(non_camel_case_types, missing_docs)]
        pub struct #name;

        impl #p::HttpServiceFactory for #name {
            fn register(self, __config: &mut #p::AppService) {
                #item

                #[allow(unused_imports)]
                use #attr_path as _;

                #origin_statics
                static __ROUTE_CORS_POLICY: #p::Policy = #p::Policy {
                    route: #route_label,
                    origins: #origins,
                    credentials: #credentials,
                    methods: &[#(#methods),*],
                    allow_methods: #p::HeaderValue::from_static(#allow_methods),
                    headers: #headers,
                    expose: #expose,
                    max_age: #max_age,
                    private_network: #private_network,
                };

                let __resource = #p::Resource::new(#path)
                    .name(#resource_name)
                    .guard(#p::RouteGuard::new(&[#(#route_methods),*])
                        #(.and(#p::fn_guard(#guards)))*)
                    #(.wrap(#wraps))*
                    .wrap(#p::Cors::new(&__ROUTE_CORS_POLICY))
                    .to(#name);
                #p::HttpServiceFactory::register(__resource, __config);
            }
        }
    }
}
