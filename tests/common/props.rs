//! The proptest configuration the property suites share.

use proptest::test_runner::Config;

/// `cases` cases, or proptest's default when `PROPTEST_CASES` is set (for a
/// longer hunt).
pub fn config(cases: u32) -> Config {
    // `PROPTEST_CASES` overrides the modest default, for a longer hunt.
    let cases = match std::env::var_os("PROPTEST_CASES") {
        Some(_) => Config::default().cases,
        None => cases,
    };
    Config {
        cases,
        // Failures are turned into named regression tests in tests/adversarial.rs
        // rather than kept in a regressions file.
        failure_persistence: None,
        ..Config::default()
    }
}
