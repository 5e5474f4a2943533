//! A whole request through an app with four policies. The first byte picks
//! the route and the method; the rest is header lines separated by `\n`, each
//! led by a byte that picks the header (Origin, ACRM, ACRH, ACRPN). Every
//! response must keep the invariants of `check_response`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use route_cors_fuzz::{check_response, Req, Route};

const METHODS: [&str; 8] = [
    "OPTIONS", "GET", "PUT", "POST", "PATCH", "DELETE", "patch", "HEAD",
];
const NAMES: [&str; 4] = [
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
    "access-control-request-private-network",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let route = Route::ALL[usize::from(first) % Route::ALL.len()];
    let method = METHODS[usize::from(first / 4) % METHODS.len()];
    let headers = rest
        .split(|&b| b == b'\n')
        .filter_map(|field| field.split_first())
        .map(|(&tag, value)| (NAMES[usize::from(tag) % NAMES.len()], value))
        .take(16)
        .collect();
    let req = Req {
        route,
        method,
        headers,
    };
    let (res, sent) = req.send();
    check_response(route, method, &sent, &res);
});
