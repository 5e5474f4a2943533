//! Wall-clock time per request (criterion): every scenario in three variants
//! (floor, `#[cors]`, actix-cors) in the same run, and routing scale.
//!
//! Run: `cargo bench -p route-cors-benches --bench time` (about 3 minutes), then
//! `python3 scripts/bench-table.py` for the table of medians and ratios.
//! Times on a shared machine vary by 10–30 %: compare ratios within one run,
//! and see `--bench instructions` for repeatable counts.

mod common;

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};

use common::routing::{self, Design, SCALES};
use common::{app, request, warm, Variant, SCENARIOS};

fn scenarios(c: &mut Criterion) {
    for scenario in SCENARIOS {
        let mut group = c.benchmark_group(*scenario);
        for variant in Variant::ALL {
            let app = warm(app(scenario, variant), || request(scenario));
            group.bench_function(BenchmarkId::from_parameter(variant.name()), |b| {
                b.iter_batched(
                    || request(scenario),
                    |req| app.call_once(req),
                    BatchSize::SmallInput,
                )
            });
        }
        group.finish();
    }
}

fn routing_scale(c: &mut Criterion) {
    for n in SCALES {
        for preflight in [false, true] {
            let kind = if preflight { "preflight" } else { "get" };
            let mut group = c.benchmark_group(format!("routing_{n}_{kind}"));
            for design in Design::ALL {
                let app = warm(routing::app(design, n), || routing::request(n, preflight));
                group.bench_function(BenchmarkId::from_parameter(design.name()), |b| {
                    b.iter_batched(
                        || routing::request(n, preflight),
                        |req| app.call_once(req),
                        BatchSize::SmallInput,
                    )
                });
            }
            group.finish();
        }
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(40)
}

criterion_group! {
    name = benches;
    config = config();
    targets = scenarios, routing_scale
}
criterion_main!(benches);
