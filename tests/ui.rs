//! Compile-time policy validation (cors-rules §3): one `tests/ui/fail` case per
//! rule, each with its pinned `.stderr`, plus `tests/ui/pass` cases that must
//! compile without warnings. The `.stderr` files are pinned to rustc 1.95;
//! other compilers skip this test. Regenerate with `TRYBUILD=overwrite`.

#[rustversion::attr(
    not(stable(1.95)),
    ignore = "the .stderr files are pinned to rustc 1.95"
)]
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
