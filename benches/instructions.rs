//! Instructions per request (callgrind, via gungraun): every scenario in
//! three variants (floor, `#[cors]`, actix-cors), and routing scale. Counts are
//! repeatable, so small differences show.
//!
//! Needs valgrind and the runner matching the library version:
//! `cargo install gungraun-runner --version 0.20.0`.
//! Run: `cargo bench -p route-cors-benches --bench instructions`.
//!
//! Each benchmark measures exactly one request: the app is built and warmed
//! (8 requests) in the setup, which is not counted; the request is built
//! there too. The response is dropped inside the measured function.

#![allow(missing_docs)] // gungraun's macros generate undocumented public items

mod common;

use std::hint::black_box;

use actix_http::Request;
use actix_web::http::header::{
    HeaderName, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, VARY,
};
use actix_web::HttpResponse;
use gungraun::{library_benchmark, library_benchmark_group, main};

use common::around::{self, Around, Layer};
use common::routing::{self, Design};
use common::{app, request, warm, Call, Variant};

type Prepared = (Box<dyn Call>, Request);

fn prepare(scenario: &str, variant: Variant) -> Prepared {
    let app = warm(app(scenario, variant), || request(scenario));
    (app, request(scenario))
}

fn prepare_routing(design: Design, n: usize, preflight: bool) -> Prepared {
    let app = warm(routing::app(design, n), || routing::request(n, preflight));
    (app, routing::request(n, preflight))
}

fn prepare_around(layer: Layer, case: Around) -> Prepared {
    let app = warm(around::app(layer), || around::request(case));
    (app, around::request(case))
}

/// One request through the app; the app is handed back so that dropping it
/// is not counted.
fn one(prepared: Prepared) -> Box<dyn Call> {
    let (app, req) = prepared;
    black_box(app.call_once(req));
    app
}

#[library_benchmark]
#[bench::get_allowed_floor(args = ("get_allowed", Variant::Floor), setup = prepare)]
#[bench::get_allowed_cors(args = ("get_allowed", Variant::RouteCors), setup = prepare)]
#[bench::get_allowed_actix(args = ("get_allowed", Variant::ActixCors), setup = prepare)]
#[bench::get_disallowed_floor(args = ("get_disallowed", Variant::Floor), setup = prepare)]
#[bench::get_disallowed_cors(args = ("get_disallowed", Variant::RouteCors), setup = prepare)]
#[bench::get_disallowed_actix(args = ("get_disallowed", Variant::ActixCors), setup = prepare)]
#[bench::get_no_origin_floor(args = ("get_no_origin", Variant::Floor), setup = prepare)]
#[bench::get_no_origin_cors(args = ("get_no_origin", Variant::RouteCors), setup = prepare)]
#[bench::get_no_origin_actix(args = ("get_no_origin", Variant::ActixCors), setup = prepare)]
#[bench::get_any_origin_floor(args = ("get_any_origin", Variant::Floor), setup = prepare)]
#[bench::get_any_origin_cors(args = ("get_any_origin", Variant::RouteCors), setup = prepare)]
#[bench::get_any_origin_actix(args = ("get_any_origin", Variant::ActixCors), setup = prepare)]
#[bench::post_allowed_floor(args = ("post_allowed", Variant::Floor), setup = prepare)]
#[bench::post_allowed_cors(args = ("post_allowed", Variant::RouteCors), setup = prepare)]
#[bench::post_allowed_actix(args = ("post_allowed", Variant::ActixCors), setup = prepare)]
#[bench::post_refused_floor(args = ("post_refused", Variant::Floor), setup = prepare)]
#[bench::post_refused_cors(args = ("post_refused", Variant::RouteCors), setup = prepare)]
#[bench::post_refused_actix(args = ("post_refused", Variant::ActixCors), setup = prepare)]
#[bench::preflight_allowed_floor(args = ("preflight_allowed", Variant::Floor), setup = prepare)]
#[bench::preflight_allowed_cors(args = ("preflight_allowed", Variant::RouteCors), setup = prepare)]
#[bench::preflight_allowed_actix(args = ("preflight_allowed", Variant::ActixCors), setup = prepare)]
#[bench::preflight_rejected_floor(args = ("preflight_rejected", Variant::Floor), setup = prepare)]
#[bench::preflight_rejected_cors(args = ("preflight_rejected", Variant::RouteCors), setup = prepare)]
#[bench::preflight_rejected_actix(args = ("preflight_rejected", Variant::ActixCors), setup = prepare)]
#[bench::origins_1_floor(args = ("origins_1", Variant::Floor), setup = prepare)]
#[bench::origins_1_cors(args = ("origins_1", Variant::RouteCors), setup = prepare)]
#[bench::origins_1_actix(args = ("origins_1", Variant::ActixCors), setup = prepare)]
#[bench::origins_10_floor(args = ("origins_10", Variant::Floor), setup = prepare)]
#[bench::origins_10_cors(args = ("origins_10", Variant::RouteCors), setup = prepare)]
#[bench::origins_10_actix(args = ("origins_10", Variant::ActixCors), setup = prepare)]
#[bench::origins_1000_floor(args = ("origins_1000", Variant::Floor), setup = prepare)]
#[bench::origins_1000_cors(args = ("origins_1000", Variant::RouteCors), setup = prepare)]
#[bench::origins_1000_actix(args = ("origins_1000", Variant::ActixCors), setup = prepare)]
#[bench::origins_pattern_floor(args = ("origins_pattern", Variant::Floor), setup = prepare)]
#[bench::origins_pattern_cors(args = ("origins_pattern", Variant::RouteCors), setup = prepare)]
#[bench::origins_pattern_actix(args = ("origins_pattern", Variant::ActixCors), setup = prepare)]
#[bench::origins_label_floor(args = ("origins_label", Variant::Floor), setup = prepare)]
#[bench::origins_label_cors(args = ("origins_label", Variant::RouteCors), setup = prepare)]
#[bench::origins_label_actix(args = ("origins_label", Variant::ActixCors), setup = prepare)]
#[bench::origins_port_floor(args = ("origins_port", Variant::Floor), setup = prepare)]
#[bench::origins_port_cors(args = ("origins_port", Variant::RouteCors), setup = prepare)]
#[bench::origins_port_actix(args = ("origins_port", Variant::ActixCors), setup = prepare)]
#[bench::acrh_1mib_commas_floor(args = ("acrh_1mib_commas", Variant::Floor), setup = prepare)]
#[bench::acrh_1mib_commas_cors(args = ("acrh_1mib_commas", Variant::RouteCors), setup = prepare)]
#[bench::acrh_1mib_commas_actix(args = ("acrh_1mib_commas", Variant::ActixCors), setup = prepare)]
#[bench::acrh_10k_names_floor(args = ("acrh_10k_names", Variant::Floor), setup = prepare)]
#[bench::acrh_10k_names_cors(args = ("acrh_10k_names", Variant::RouteCors), setup = prepare)]
#[bench::acrh_10k_names_actix(args = ("acrh_10k_names", Variant::ActixCors), setup = prepare)]
fn scenario(prepared: Prepared) -> Box<dyn Call> {
    one(prepared)
}

#[library_benchmark]
#[bench::routing_10_get_bare(args = (Design::Bare, 10, false), setup = prepare_routing)]
#[bench::routing_10_get_combined(args = (Design::Combined, 10, false), setup = prepare_routing)]
#[bench::routing_10_get_separate(args = (Design::Separate, 10, false), setup = prepare_routing)]
#[bench::routing_10_preflight_bare(args = (Design::Bare, 10, true), setup = prepare_routing)]
#[bench::routing_10_preflight_combined(args = (Design::Combined, 10, true), setup = prepare_routing)]
#[bench::routing_10_preflight_separate(args = (Design::Separate, 10, true), setup = prepare_routing)]
#[bench::routing_100_get_bare(args = (Design::Bare, 100, false), setup = prepare_routing)]
#[bench::routing_100_get_combined(args = (Design::Combined, 100, false), setup = prepare_routing)]
#[bench::routing_100_get_separate(args = (Design::Separate, 100, false), setup = prepare_routing)]
#[bench::routing_100_preflight_bare(args = (Design::Bare, 100, true), setup = prepare_routing)]
#[bench::routing_100_preflight_combined(args = (Design::Combined, 100, true), setup = prepare_routing)]
#[bench::routing_100_preflight_separate(args = (Design::Separate, 100, true), setup = prepare_routing)]
#[bench::routing_500_get_bare(args = (Design::Bare, 500, false), setup = prepare_routing)]
#[bench::routing_500_get_combined(args = (Design::Combined, 500, false), setup = prepare_routing)]
#[bench::routing_500_get_separate(args = (Design::Separate, 500, false), setup = prepare_routing)]
#[bench::routing_500_preflight_bare(args = (Design::Bare, 500, true), setup = prepare_routing)]
#[bench::routing_500_preflight_combined(args = (Design::Combined, 500, true), setup = prepare_routing)]
#[bench::routing_500_preflight_separate(args = (Design::Separate, 500, true), setup = prepare_routing)]
fn routing_scale(prepared: Prepared) -> Box<dyn Call> {
    one(prepared)
}

#[library_benchmark]
#[bench::around_pass_plain(args = (Layer::Plain, Around::Pass), setup = prepare_around)]
#[bench::around_pass_aware(args = (Layer::Aware, Around::Pass), setup = prepare_around)]
#[bench::around_pass_condition(args = (Layer::Condition, Around::Pass), setup = prepare_around)]
#[bench::around_short_circuit_plain(args = (Layer::Plain, Around::Short), setup = prepare_around)]
#[bench::around_short_circuit_aware(args = (Layer::Aware, Around::Short), setup = prepare_around)]
#[bench::around_preflight_plain(args = (Layer::Plain, Around::Preflight), setup = prepare_around)]
#[bench::around_preflight_aware(args = (Layer::Aware, Around::Preflight), setup = prepare_around)]
#[bench::default_annotated_get(args = (Layer::Annotated, Around::Pass), setup = prepare_around)]
#[bench::default_annotated_get_with_default(args = (Layer::AnnotatedDefault, Around::Pass), setup = prepare_around)]
#[bench::default_bare_get(args = (Layer::Bare, Around::Pass), setup = prepare_around)]
#[bench::default_bare_get_with_default(args = (Layer::BareDefault, Around::Pass), setup = prepare_around)]
#[bench::default_bare_get_with_actix(args = (Layer::BareActix, Around::Pass), setup = prepare_around)]
#[bench::default_annotated_preflight(args = (Layer::Annotated, Around::Preflight), setup = prepare_around)]
#[bench::default_annotated_preflight_with_default(args = (Layer::AnnotatedDefault, Around::Preflight), setup = prepare_around)]
#[bench::default_bare_preflight_with_default(args = (Layer::BareDefault, Around::Preflight), setup = prepare_around)]
#[bench::default_bare_preflight_with_actix(args = (Layer::BareActix, Around::Preflight), setup = prepare_around)]
fn around_scope(prepared: Prepared) -> Box<dyn Call> {
    one(prepared)
}

/// The physical floor of decorating an allowed actual response: the header
/// appends the CORS contract requires, on the handler's response (`Ok` with a
/// body and no headers), and nothing else. `n` is how many: ACAO, then
/// `Vary`, then ACAC and ACEH (the credentialed, exposing `get_allowed`
/// route). `reserved` sizes the map once first.
fn prepare_appends(n: usize, reserved: bool) -> (HttpResponse, usize, bool) {
    (HttpResponse::Ok().body("ok"), n, reserved)
}

static APPENDS: [(HeaderName, HeaderValue); 4] = [
    (
        ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("https://app.example.com"),
    ),
    (VARY, HeaderValue::from_static("Origin")),
    (
        ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    ),
    (
        ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("x-request-id"),
    ),
];

#[library_benchmark]
#[bench::appends_0(args = (0, false), setup = prepare_appends)]
#[bench::appends_1(args = (1, false), setup = prepare_appends)]
#[bench::appends_2(args = (2, false), setup = prepare_appends)]
#[bench::appends_4(args = (4, false), setup = prepare_appends)]
#[bench::appends_4_reserved(args = (4, true), setup = prepare_appends)]
fn header_appends(prepared: (HttpResponse, usize, bool)) -> HttpResponse {
    let (mut res, n, reserved) = prepared;
    let headers = res.headers_mut();
    if reserved {
        headers.reserve(n);
    }
    for (name, value) in &APPENDS[..n] {
        headers.append(name.clone(), value.clone());
    }
    black_box(res)
}

library_benchmark_group!(name = scenarios; benchmarks = scenario);
library_benchmark_group!(name = floor_group; benchmarks = header_appends);
library_benchmark_group!(name = around_group; benchmarks = around_scope);
library_benchmark_group!(name = routing_group; benchmarks = routing_scale);

main!(
    library_benchmark_groups = scenarios,
    floor_group,
    routing_group,
    around_group
);
