//! The `Access-Control-Request-Headers` list parser, through the middleware:
//! a preflight from an allowed origin for an allowed method, with fuzzed ACRH
//! lines (split on `\n`). The outcome must match a model of the rules: 204
//! exactly when every line is at most 4096 bytes, has at most 16 empty items,
//! and names only tokens the route allows; a 204 covers every requested name
//! as a browser reads `Access-Control-Allow-Headers`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use route_cors_fuzz::{check_response, covered, is_token, trim_ows, Req, Route};

fn line_ok(line: &[u8], names: Option<&[&str]>) -> bool {
    if line.len() > 4096 {
        return false;
    }
    let mut empty = 0;
    for item in line.split(|&b| b == b',') {
        let name = trim_ows(item);
        if name.is_empty() {
            empty += 1;
            if empty > 16 {
                return false;
            }
            continue;
        }
        if !is_token(name) {
            return false;
        }
        if let Some(names) = names {
            if !names
                .iter()
                .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
            {
                return false;
            }
        }
    }
    true
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let route = Route::ALL[usize::from(first) % Route::ALL.len()];
    let method = route.methods()[usize::from(first / 4) % route.methods().len()];
    let mut headers = vec![
        ("origin", route.good_origin().as_bytes()),
        ("access-control-request-method", method.as_bytes()),
    ];
    if !rest.is_empty() {
        headers.extend(
            rest.split(|&b| b == b'\n')
                .map(|l| ("access-control-request-headers", l)),
        );
    }
    let req = Req {
        route,
        method: "OPTIONS",
        headers,
    };
    let (res, sent) = req.send();
    check_response(route, "OPTIONS", &sent, &res);

    let lines: Vec<&[u8]> = sent
        .get_all("access-control-request-headers")
        .map(|v| v.as_bytes())
        .collect();
    let expect_ok = lines.iter().all(|l| line_ok(l, route.header_names()));
    assert_eq!(
        res.status.as_u16(),
        if expect_ok { 204 } else { 403 },
        "{route:?} ACRH {lines:?}"
    );
    if expect_ok {
        let acah = res.lines("access-control-allow-headers");
        let items: Vec<&[u8]> = acah
            .iter()
            .flat_map(|v| v.split(|&b| b == b','))
            .map(trim_ows)
            .collect();
        for line in &lines {
            for name in line
                .split(|&b| b == b',')
                .map(trim_ows)
                .filter(|n| !n.is_empty())
            {
                assert!(
                    covered(name, &items, route.credentials()),
                    "{route:?}: requested {name:?} not covered by ACAH {acah:?}"
                );
            }
        }
    }
});
