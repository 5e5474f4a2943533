//! Allocation counts per request: `#[cors]` allocates no more than the bare
//! handler, and hostile or large inputs do not make it allocate more.
//! Run: `cargo test -p route-cors-benches --test alloc` (also part of
//! `cargo test --workspace`).
//!
//! Counts come from a counting global allocator (allocation-counter), per
//! thread, after the app is warm; they are deterministic. The apps and requests
//! are the benchmarks' (benches/common), so these assertions hold for exactly
//! what BENCHMARKS.md reports.

mod common;

use allocation_counter::AllocationInfo;
use common::around::{self, Around, Layer};
use common::routing::{self, Design};
use common::{app, request, warm, Variant};

/// The allocations of one steady-state request.
fn measure(app: &dyn common::Call, req: actix_http::Request) -> AllocationInfo {
    allocation_counter::measure(|| {
        std::hint::black_box(app.call_once(req));
    })
}

fn scenario(name: &str, variant: Variant) -> AllocationInfo {
    let app = warm(app(name, variant), || request(name));
    let first = measure(&*app, request(name));
    let second = measure(&*app, request(name));
    assert_eq!(
        (first.count_total, first.bytes_total),
        (second.count_total, second.bytes_total),
        "{name} {variant:?}: a warm app allocates the same for every request"
    );
    first
}

fn routing_case(design: Design, n: usize, preflight: bool) -> AllocationInfo {
    let app = warm(routing::app(design, n), || routing::request(n, preflight));
    measure(&*app, routing::request(n, preflight))
}

#[test]
fn actual_requests_allocate_no_more_than_the_bare_handler() {
    for name in [
        "get_allowed",
        "get_disallowed",
        "get_no_origin",
        "get_any_origin",
        "post_allowed",
        "post_refused",
        "origins_1000",
        "origins_pattern",
        "origins_label",
        "origins_port",
    ] {
        let bare = scenario(name, Variant::Floor);
        let cors = scenario(name, Variant::RouteCors);
        assert!(
            cors.count_total <= bare.count_total,
            "{name}: #[cors] made {} allocations, the bare handler {}",
            cors.count_total,
            bare.count_total
        );
    }
}

/// The cross-origin write check allocates nothing: an allowed cross-site
/// `POST` allocates what an allowed `GET` does, and a refused one no more.
#[test]
fn the_write_check_allocates_nothing() {
    let get = scenario("get_allowed", Variant::RouteCors);
    let post = scenario("post_allowed", Variant::RouteCors);
    let refused = scenario("post_refused", Variant::RouteCors);
    assert_eq!(post.count_total, get.count_total);
    assert!(refused.count_total <= post.count_total);
    // What was measured: the allowed write ran the handler, decorated; the
    // other was refused, bare.
    let app = app("post_allowed", Variant::RouteCors);
    let (status, headers) = app.inspect(request("post_allowed"));
    assert_eq!(status, 200);
    assert!(headers.contains(&(
        "access-control-allow-origin".to_owned(),
        common::ALLOWED.to_owned()
    )));
    assert_eq!(app.inspect(request("post_refused")), (403, Vec::new()));
}

#[test]
fn the_allowed_response_is_decorated_without_allocating() {
    // The same route, allowed vs denied origin: the headers added for the
    // allowed origin are static values and cost no allocation.
    let allowed = scenario("get_allowed", Variant::RouteCors);
    let denied = scenario("get_disallowed", Variant::RouteCors);
    assert_eq!(allowed.count_total, denied.count_total);
}

#[test]
fn preflights_allocate_no_more_than_a_bare_options_route() {
    let floor = scenario("preflight_allowed", Variant::Floor);
    let allowed = scenario("preflight_allowed", Variant::RouteCors);
    let rejected = scenario("preflight_rejected", Variant::RouteCors);
    assert!(allowed.count_total <= floor.count_total);
    assert!(rejected.count_total <= allowed.count_total);
}

#[test]
fn adversarial_request_headers_do_not_grow_allocations() {
    // 1 MiB of commas and 10 000 names (about 68 KiB): rejected before
    // parsing, with the same allocations as each other and no more than an
    // ordinary preflight.
    let commas = scenario("acrh_1mib_commas", Variant::RouteCors);
    let names = scenario("acrh_10k_names", Variant::RouteCors);
    let ordinary = scenario("preflight_allowed", Variant::RouteCors);
    assert_eq!(
        (commas.count_total, commas.bytes_total),
        (names.count_total, names.bytes_total)
    );
    assert!(commas.count_total <= ordinary.count_total);
    assert!(commas.bytes_total < 4096, "{} bytes", commas.bytes_total);
}

#[test]
fn allow_list_size_does_not_change_allocations() {
    let one = scenario("origins_1", Variant::RouteCors);
    for name in ["origins_10", "origins_1000"] {
        let many = scenario(name, Variant::RouteCors);
        assert_eq!(
            (many.count_total, many.bytes_total),
            (one.count_total, one.bytes_total),
            "{name}"
        );
    }
}

#[test]
fn routing_many_annotated_routes_allocates_no_more_than_bare_routes() {
    for preflight in [false, true] {
        let small = routing_case(Design::Combined, 10, preflight);
        let combined = routing_case(Design::Combined, 500, preflight);
        let bare = routing_case(Design::Bare, 500, preflight);
        assert!(
            combined.count_total <= bare.count_total,
            "preflight={preflight}: {} vs {}",
            combined.count_total,
            bare.count_total
        );
        assert_eq!(small.count_total, combined.count_total);
    }
}

fn around_case(layer: Layer, case: Around) -> AllocationInfo {
    let app = warm(around::app(layer), || around::request(case));
    measure(&*app, around::request(case))
}

#[test]
fn cors_aware_middleware_adds_no_allocation_to_requests_it_passes_on() {
    let plain = around_case(Layer::Plain, Around::Pass);
    let aware = around_case(Layer::Aware, Around::Pass);
    assert_eq!(
        aware.count_total, plain.count_total,
        "CorsAware {} allocations, the plain middleware {}",
        aware.count_total, plain.count_total
    );
    // A preflight answered by CorsAware allocates no more than the plain
    // middleware's 401 to it.
    let plain = around_case(Layer::Plain, Around::Preflight);
    let aware = around_case(Layer::Aware, Around::Preflight);
    assert!(
        aware.count_total <= plain.count_total,
        "{} vs {}",
        aware.count_total,
        plain.count_total
    );
}

#[test]
fn a_default_policy_adds_no_allocation_and_answers_like_the_annotated_route() {
    // Annotated routes inside a default: the same allocations as without it.
    let annotated = around_case(Layer::Annotated, Around::Pass);
    let with_default = around_case(Layer::AnnotatedDefault, Around::Pass);
    assert_eq!(with_default.count_total, annotated.count_total);
    // Routes without `#[cors]` under the default: no more than actix-cors.
    let bare_default = around_case(Layer::BareDefault, Around::Pass);
    let bare_actix = around_case(Layer::BareActix, Around::Pass);
    assert!(
        bare_default.count_total <= bare_actix.count_total,
        "{} vs {}",
        bare_default.count_total,
        bare_actix.count_total
    );
    // The benchmarked variants answer alike: the default on a bare route gives
    // the headers `#[cors]` gives the annotated one.
    let inspect = |layer| around::app(layer).inspect(around::request(Around::Pass));
    assert_eq!(inspect(Layer::BareDefault), inspect(Layer::Annotated));
    assert_eq!(inspect(Layer::AnnotatedDefault), inspect(Layer::Annotated));
    assert_eq!(
        inspect(Layer::Annotated),
        (
            200,
            vec![
                (
                    "access-control-allow-credentials".to_owned(),
                    "true".to_owned()
                ),
                (
                    "access-control-allow-origin".to_owned(),
                    "https://app.example.com".to_owned()
                ),
                ("vary".to_owned(), "Origin".to_owned()),
            ]
        )
    );
}

/// Routes for the replaced-set case: the same route reading a static list and
/// a startup set that is replaced at run time.
mod replaced {
    use actix_web::http::header::{HeaderValue, ORIGIN};
    use actix_web::web::ServiceConfig;
    use actix_web::{get, test, HttpResponse};
    use route_cors::{cors, CredentialedOriginSet};

    pub static SET: CredentialedOriginSet = CredentialedOriginSet::new("ALLOC_REPLACED");

    #[cors(origins = ["https://app.example.com", "https://*.example.com"], credentials)]
    #[get("/items")]
    async fn listed() -> HttpResponse {
        HttpResponse::Ok().body("ok")
    }

    #[cors(origins = SET, credentials)]
    #[get("/items")]
    async fn from_set() -> HttpResponse {
        HttpResponse::Ok().body("ok")
    }

    pub fn listed_app(cfg: &mut ServiceConfig) {
        cfg.service(listed);
    }

    pub fn set_app(cfg: &mut ServiceConfig) {
        cfg.service(from_set);
    }

    /// A `GET /items` from `origin`, a static value (free to clone).
    pub fn get(origin: &'static str) -> actix_http::Request {
        test::TestRequest::get()
            .uri("/items")
            .insert_header((ORIGIN, HeaderValue::from_static(origin)))
            .to_request()
    }
}

#[test]
fn a_request_through_a_replaced_set_allocates_like_a_static_list() {
    use common::service;

    replaced::SET
        .set(["https://old.example.org"])
        .expect("valid origins");
    for origin in [
        "https://app.example.com",
        "https://x.example.com",
        "https://evil.example.net",
    ] {
        let listed = warm(service(replaced::listed_app), || replaced::get(origin));
        let expected = measure(&*listed, replaced::get(origin));
        // Replaced while the app runs: the first request after each
        // replacement, and a steady one, allocate what the static list does.
        replaced::SET
            .replace(["https://app.example.com", "https://*.example.com"])
            .expect("valid origins");
        let app = warm(service(replaced::set_app), || replaced::get(origin));
        for _ in 0..2 {
            replaced::SET
                .replace(["https://*.example.com", "https://app.example.com"])
                .expect("valid origins");
            let first = measure(&*app, replaced::get(origin));
            let steady = measure(&*app, replaced::get(origin));
            for got in [first, steady] {
                assert_eq!(
                    (got.count_total, got.bytes_total),
                    (expected.count_total, expected.bytes_total),
                    "{origin}: a replaced set vs a static list"
                );
            }
        }
        // And both answer alike.
        assert_eq!(
            app.inspect(replaced::get(origin)),
            listed.inspect(replaced::get(origin)),
            "{origin}"
        );
    }
}
