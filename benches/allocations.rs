//! Allocations per request, per scenario and variant, counted by a global
//! allocator that counts (allocation-counter). Deterministic.
//!
//! Run: `cargo bench -p route-cors-benches --bench allocations` (prints a Markdown table).

mod common;

use common::routing::{self, Design, SCALES};
use common::{app, request, warm, Variant, SCENARIOS};

const REPEAT: u64 = 16;

/// Allocations of one steady-state request (the mean over `REPEAT`, which is
/// exact: every request of a scenario allocates the same).
fn per_request(app: &dyn common::Call, make: &dyn Fn() -> actix_http::Request) -> String {
    let mut total = 0;
    let mut bytes = 0;
    for _ in 0..REPEAT {
        let req = make();
        let info = allocation_counter::measure(|| {
            std::hint::black_box(app.call_once(req));
        });
        total += info.count_total;
        bytes += info.bytes_total;
    }
    if total % REPEAT == 0 {
        format!("{} ({} B)", total / REPEAT, bytes / REPEAT)
    } else {
        format!("{:.2} ({} B)", total as f64 / REPEAT as f64, bytes / REPEAT)
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if std::env::args().any(|a| a == "--inspect") {
        inspect();
        return;
    }
    println!("| scenario | floor | route-cors | actix-cors |");
    println!("|---|---|---|---|");
    for scenario in SCENARIOS {
        let make = || request(scenario);
        let cells: Vec<String> = Variant::ALL
            .iter()
            .map(|&v| {
                let app = warm(app(scenario, v), make);
                per_request(&*app, &make)
            })
            .collect();
        println!("| {scenario} | {} |", cells.join(" | "));
    }
    println!();
    println!("| routing | bare | combined (shipped) | separate OPTIONS resource |");
    println!("|---|---|---|---|");
    for n in SCALES {
        for preflight in [false, true] {
            let make = || routing::request(n, preflight);
            let cells: Vec<String> = Design::ALL
                .iter()
                .map(|&d| {
                    let app = warm(routing::app(d, n), make);
                    per_request(&*app, &make)
                })
                .collect();
            let kind = if preflight { "preflight" } else { "GET" };
            println!("| {n} routes, {kind} last | {} |", cells.join(" | "));
        }
    }
}

/// `cargo bench -p route-cors-benches --bench allocations -- --inspect`: the status and CORS headers
/// each variant answers, to check that the variants are configured alike.
fn inspect() {
    for scenario in SCENARIOS {
        for v in Variant::ALL {
            let (status, headers) = app(scenario, v).inspect(request(scenario));
            println!("{scenario} {}: {status} {headers:?}", v.name());
        }
    }
    for n in SCALES {
        for preflight in [false, true] {
            for d in Design::ALL {
                let (status, headers) = routing::app(d, n).inspect(routing::request(n, preflight));
                println!(
                    "routing {n} preflight={preflight} {}: {status} {headers:?}",
                    d.name()
                );
            }
        }
    }
}
