//! Docs that cannot drift from the startup errors: what the README says an app
//! prints when an origin from its configuration is invalid, and the table of
//! startup messages in `docs/rules.md`, are read from those files here and
//! compared with what the runtime produces for the same configuration.
//! (Compiler messages quoted in the docs are checked by `tests/doc_quotes.rs`.)

use route_cors::{CredentialedOriginSet, OriginSet};

fn read(relative: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lines of the first fenced code block after the heading `heading`.
fn block_after<'a>(markdown: &'a str, heading: &str) -> Vec<&'a str> {
    let section = markdown
        .split_once(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no `{heading}` heading"))
        .1;
    let mut lines = section.lines().skip_while(|l| !l.starts_with("```"));
    lines.next().expect("a fenced code block");
    lines.take_while(|l| !l.starts_with("```")).collect()
}

/// The text of a `//` comment line, without the marker: `None` for code.
fn comment(line: &str) -> Option<&str> {
    line.trim_start().strip_prefix("//")
}

/// What the README's example says `main` prints: the comment lines from the
/// one starting `Error: ` to the last one indented deeper than it, with that
/// line's indentation removed.
fn printed_in(block: &[&str]) -> String {
    let start = block
        .iter()
        .position(|l| comment(l).is_some_and(|c| c.trim_start().starts_with("Error: ")))
        .expect("an `Error: ` comment line in the README's startup example");
    let first = comment(block[start]).expect("a comment");
    let indent = first.len() - first.trim_start().len();
    let mut out = vec![&first[indent..]];
    for line in &block[start + 1..] {
        match comment(line) {
            Some(c) if c.len() - c.trim_start().len() > indent => out.push(&c[indent..]),
            _ => break,
        }
    }
    out.join("\n")
}

/// The value the README gives `var` in a comment: `var="value"`.
fn value_in(block: &[&str], var: &str) -> String {
    let marker = format!("{var}=\"");
    block
        .iter()
        .filter_map(|l| comment(l))
        .find_map(|c| {
            let start = c.find(&marker)? + marker.len();
            let end = c.rfind('"')?;
            Some(c[start..end].to_owned())
        })
        .unwrap_or_else(|| panic!("no `{marker}..\"` in the README's startup example"))
}

// The README's configuration, as it writes it (checked below).
static PARTNERS: route_cors::CredentialedOriginSet =
    route_cors::CredentialedOriginSet::new("partners");

/// The README's `main`, up to its `set_from_env`.
fn start() -> std::io::Result<()> {
    PARTNERS.set_from_env("CORS_ALLOWED_ORIGINS")?;
    Ok(())
}

#[test]
fn the_readme_startup_error_is_what_main_prints() {
    let readme = read("README.md");
    let block = block_after(&readme, "## Origins configured at startup");
    // The configuration this test builds is the README's.
    for code in [
        r#"static PARTNERS: route_cors::CredentialedOriginSet = route_cors::CredentialedOriginSet::new("partners");"#,
        r#"    PARTNERS.set_from_env("CORS_ALLOWED_ORIGINS")?;"#,
    ] {
        assert!(
            block.iter().any(|l| l.starts_with(code)),
            "the README's startup example no longer has `{code}`; update this test with it"
        );
    }
    let value = value_in(&block, "CORS_ALLOWED_ORIGINS");
    let expected = printed_in(&block);
    assert!(expected.lines().count() >= 2, "{expected}");

    // No other test of this binary reads the variable.
    std::env::set_var("CORS_ALLOWED_ORIGINS", &value);
    let err = start().expect_err("the README's value has a bad entry");
    // What a `main` returning `Err(err)` prints: std's `Termination` for
    // `Result<(), E: Debug>` writes `Error: {err:?}` to stderr.
    let printed = format!("Error: {err:?}");
    assert_eq!(printed, expected);
}

/// The runtime's message for the situation each row of the table of startup
/// messages in `docs/rules.md` describes (by its `Mistake` cell). The label
/// `NAME` of a set is written as the table writes it.
fn startup_message(mistake: &str) -> Option<String> {
    let first = |r: Result<(), route_cors::OriginsError>| {
        let err = r.expect_err(mistake);
        assert_eq!(err.problems.len(), 1, "{mistake}: {err}");
        err.problems[0].to_string()
    };
    Some(match mistake {
        "`*` in a `CredentialedOriginSet` (environment variable, config file or `replace`)" => {
            static SET: CredentialedOriginSet = CredentialedOriginSet::new("NAME");
            std::env::set_var("ROUTE_CORS_DOC_ANY", "*");
            let from_env = first(SET.set_from_env("ROUTE_CORS_DOC_ANY"));
            SET.set(["https://app.example.com"]).expect("a valid list");
            assert_eq!(first(SET.replace(["*"])), from_env, "{mistake}");
            from_env
        }
        "`*` next to other entries in an `OriginSet` (`*` alone allows any origin)" => {
            static SET: OriginSet = OriginSet::new("NAME");
            std::env::set_var("ROUTE_CORS_DOC_ANY_AMONG", "https://app.example.com, *");
            let said = first(SET.set_from_env("ROUTE_CORS_DOC_ANY_AMONG"));
            SET.set(["*"]).expect("`*` alone");
            said
        }
        "Empty list" => {
            static SET: OriginSet = OriginSet::new("NAME");
            first(SET.set::<[&str; 0], &str>([]))
        }
        "Set filled twice" => {
            static SET: CredentialedOriginSet = CredentialedOriginSet::new("NAME");
            SET.set(["https://app.example.com"]).expect("a valid list");
            first(SET.set(["https://app.example.com"]))
        }
        _ => return None,
    })
}

#[test]
fn the_startup_messages_of_the_rules_are_what_the_runtime_says() {
    let rules = read("docs/rules.md");
    let table: Vec<&str> = rules
        .split_once("\n## Origins configured at startup\n")
        .expect("the startup section of docs/rules.md")
        .1
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(table.first(), Some(&"| Mistake | Startup message |"));
    let mut checked = 0;
    for row in &table[2..] {
        let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
        let [mistake, message] = cells[..] else {
            panic!("a row of two cells: {row}");
        };
        if message.starts_with('_') && message.ends_with('_') {
            continue; // a description, not a quote
        }
        let said = startup_message(mistake)
            .unwrap_or_else(|| panic!("no case in this test for the row `{mistake}`; add one"));
        assert_eq!(said, message, "the row `{mistake}`");
        checked += 1;
    }
    assert_eq!(checked, 4, "every quoted row is checked");
}
