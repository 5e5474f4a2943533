//! Docs that cannot drift from the compiler: every compiler message quoted in
//! `README.md`, `docs/*.md` or the rustdoc is one the UI suite pins, so a
//! reworded message fails here until the docs say what the compiler prints.
//!
//! # What counts as a quoted compiler message
//!
//! The sources are `README.md`, every `docs/*.md`, and the doc comments
//! (`///` and `//!` lines, read as Markdown) of every `.rs` file under `src/`,
//! `cors-runtime/src/` and `cors-macros/src/`. In them, a quote is:
//!
//! 1. **A diagnostic line in a fenced code block** (between two ```` ``` ````
//!    lines, whatever the info string: `text`, `compile_fail`, `rust`): a line
//!    that starts, after indentation and an optional `//` comment marker, with
//!    `error:`, `error[Ennnn]:` or `warning:`; or a trailing `// error…:`
//!    comment after code. The quote runs to the end of the line.
//!    - An `error` quote must appear verbatim, label included, in a pinned
//!      `.stderr`.
//!    - A `warning:` quote's text (after the label) must follow an `error`
//!      label there: the UI suite pins a warning by denying its lint, which
//!      makes rustc print it as an error.
//! 2. **A cell of a Markdown table column headed `Message`**: the cell's text,
//!    verbatim (messages put code in backticks, so the Markdown backticks are
//!    part of the quote; `\|` reads as `|`). It must appear in a pinned
//!    `.stderr`. A cell written wholly in italics (`_the same message_`)
//!    describes a message rather than quoting it, and is skipped.
//!
//! A quote may stop early (it is checked as a substring), but never differs;
//! a diagnostic line may end with `…` to show that it stops early (the `…` is
//! not part of the quote).
//! Messages of the run time (startup errors, log lines) are not compiler
//! messages: tables of those head their column otherwise (`Startup message`)
//! and have their own tests (`tests/doc_startup_errors.rs`).
//!
//! So that the extractor cannot silently stop finding quotes (a renamed
//! column, a changed fence), each main source must yield at least a known
//! number of quotes ([`FLOORS`]); lower a floor only when quotes are removed on
//! purpose.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// Where a quote was found: a file and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct At {
    file: String,
    line: usize,
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// What a quote must match in the pinned `.stderr` files.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Quote {
    /// `error: ..` or `error[E0080]: ..`: the whole line, label included.
    Error(String),
    /// The text after `warning: `, printed with an `error` label when denied.
    Warning(String),
    /// A `Message` cell: the text, anywhere.
    Message(String),
}

impl Quote {
    /// Whether `stderr` (all pinned `.stderr` files) prints this quote.
    fn is_printed_in(&self, stderr: &[String]) -> bool {
        match self {
            Quote::Error(line) | Quote::Message(line) => stderr.iter().any(|s| s.contains(line)),
            Quote::Warning(text) => stderr.iter().any(|s| {
                s.match_indices(text.as_str()).any(|(i, _)| {
                    let before = &s[..i];
                    before.ends_with("error: ") || before.ends_with("]: ") && is_error_label(before)
                })
            }),
        }
    }
}

impl fmt::Display for Quote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Quote::Error(s) => write!(f, "{s}"),
            Quote::Warning(s) => write!(f, "warning: {s}"),
            Quote::Message(s) => write!(f, "(Message cell) {s}"),
        }
    }
}

/// Whether `before` ends with an `error[Ennnn]: ` label.
fn is_error_label(before: &str) -> bool {
    let Some(open) = before.rfind("error[E") else {
        return false;
    };
    let code = &before[open + "error[E".len()..before.len() - "]: ".len()];
    !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit())
}

/// The quote a line of a fenced code block holds, if any.
fn diagnostic_in(line: &str) -> Option<Quote> {
    let trimmed = line.trim_start();
    let own_line = trimmed.strip_prefix("//").map_or(trimmed, str::trim_start);
    let candidates = std::iter::once(own_line).chain(
        line.match_indices("//")
            .map(|(i, _)| line[i + 2..].trim_start()),
    );
    candidates.into_iter().find_map(label)
}

/// `text` as a quote when it starts with a diagnostic label.
fn label(text: &str) -> Option<Quote> {
    let text = text.trim_end();
    let text = text.strip_suffix('…').map_or(text, str::trim_end);
    if let Some(rest) = text.strip_prefix("warning: ") {
        return Some(Quote::Warning(rest.to_owned()));
    }
    if text.starts_with("error: ") {
        return Some(Quote::Error(text.to_owned()));
    }
    let code = text.strip_prefix("error[E")?;
    let end = code.find("]: ")?;
    (end > 0 && code[..end].bytes().all(|b| b.is_ascii_digit()))
        .then(|| Quote::Error(text.to_owned()))
}

/// The cells of a table row `| a | b |`, split at `|` not escaped as `\|`,
/// with `\|` read as `|`.
fn cells(row: &str) -> Vec<String> {
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = row.strip_suffix('|').unwrap_or(row);
    let mut out = vec![String::new()];
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                out.last_mut().expect("one cell").push('|');
            }
            '|' => out.push(String::new()),
            c => out.last_mut().expect("one cell").push(c),
        }
    }
    out.iter().map(|c| c.trim().to_owned()).collect()
}

/// Whether a cell is written wholly in italics: a description, not a quote.
fn is_italic(cell: &str) -> bool {
    cell.len() > 2 && cell.starts_with('_') && cell.ends_with('_')
}

/// The quotes of Markdown `lines`, each with its 1-based line number.
/// `lines` is one Markdown text; a `None` line (code between doc comments)
/// ends any open fence or table.
fn quotes_in_markdown(file: &str, lines: &[(usize, Option<&str>)]) -> Vec<(At, Quote)> {
    let mut out = Vec::new();
    let mut fenced = false;
    // The index of the `Message` column of the table being read.
    let mut message_column: Option<usize> = None;
    let mut delimiter_row = false;
    for &(number, line) in lines {
        let at = || At {
            file: file.to_owned(),
            line: number,
        };
        let Some(line) = line else {
            fenced = false;
            message_column = None;
            continue;
        };
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            fenced = !fenced;
            message_column = None;
            continue;
        }
        if fenced {
            if let Some(q) = diagnostic_in(line) {
                out.push((at(), q));
            }
            continue;
        }
        if !trimmed.starts_with('|') {
            message_column = None;
            continue;
        }
        let row = cells(trimmed);
        match message_column {
            None => {
                // A table's first row is its header.
                message_column = row.iter().position(|c| c == "Message");
                delimiter_row = true;
                if message_column.is_none() {
                    // Not a table of compiler messages: skip its rows.
                    message_column = Some(usize::MAX);
                }
            }
            Some(_) if delimiter_row => delimiter_row = false,
            Some(usize::MAX) => {}
            Some(column) => {
                let cell = row.get(column).map_or("", String::as_str);
                if !is_italic(cell) {
                    out.push((at(), Quote::Message(cell.to_owned())));
                }
            }
        }
    }
    out
}

/// The doc comments of a Rust file as Markdown lines: `///` and `//!` lines
/// without the marker (and one space after it), other lines as `None`.
fn doc_lines(source: &str) -> Vec<(usize, Option<&str>)> {
    source
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let t = line.trim_start();
            let doc = ["///", "//!"]
                .iter()
                .find_map(|m| t.strip_prefix(m))
                .filter(|rest| !rest.starts_with('/'))
                .map(|rest| rest.strip_prefix(' ').unwrap_or(rest));
            (i + 1, doc)
        })
        .collect()
}

fn markdown_lines(source: &str) -> Vec<(usize, Option<&str>)> {
    source
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, Some(l)))
        .collect()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (recursively) whose name ends with `ext`, sorted.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.to_string_lossy().ends_with(ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every quote of the docs, with where it is.
fn all_quotes() -> Vec<(At, Quote)> {
    let root = root();
    let mut out = Vec::new();
    let markdown = std::iter::once(root.join("README.md")).chain(
        files(&root.join("docs"), ".md")
            .into_iter()
            .filter(|p| p.parent() == Some(&root.join("docs"))),
    );
    for path in markdown {
        let text = read(&path);
        out.extend(quotes_in_markdown(&relative(&path), &markdown_lines(&text)));
    }
    for dir in ["src", "cors-runtime/src", "cors-macros/src"] {
        for path in files(&root.join(dir), ".rs") {
            let text = read(&path);
            out.extend(quotes_in_markdown(&relative(&path), &doc_lines(&text)));
        }
    }
    out
}

/// Every pinned `.stderr` of the UI suite.
fn pinned_stderr() -> Vec<String> {
    files(&root().join("tests/ui"), ".stderr")
        .iter()
        .map(|p| read(p))
        .collect()
}

/// The quotes no pinned `.stderr` prints.
fn drifted<'a>(quotes: &'a [(At, Quote)], stderr: &[String]) -> Vec<&'a (At, Quote)> {
    quotes
        .iter()
        .filter(|(_, q)| match q {
            Quote::Message(m) if m.is_empty() => true,
            q => !q.is_printed_in(stderr),
        })
        .collect()
}

/// The least number of quotes each main source yields today.
const FLOORS: &[(&str, usize)] = &[("README.md", 1), ("docs/rules.md", 70), ("src/lib.rs", 2)];

#[test]
fn every_quoted_compiler_message_is_pinned_by_the_ui_suite() {
    let quotes = all_quotes();
    let stderr = pinned_stderr();
    assert!(stderr.len() > 50, "the pinned .stderr files were not found");
    for &(file, floor) in FLOORS {
        let n = quotes.iter().filter(|(at, _)| at.file == file).count();
        assert!(
            n >= floor,
            "{file} yields {n} quoted compiler messages, fewer than {floor}: did the extractor stop \
             finding them (a renamed `Message` column, a changed fence)?"
        );
    }
    let bad = drifted(&quotes, &stderr);
    assert!(
        bad.is_empty(),
        "{} quoted compiler messages are not printed by any tests/ui/**/*.stderr; \
         quote the compiler's text (the UI suite's .stderr files are the reference):\n{}",
        bad.len(),
        bad.iter()
            .map(|(at, q)| format!("  {at}: {q}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// --- The extractor itself. ----------------------------------------------------

const SAMPLE_MD: &str = r#"Prose that says error: this is not a quote.

```text
error: `origins` is empty
 --> src/main.rs:4:18
warning: a deprecated key
error[E0080]: evaluation panicked: a conflict
error: cut short …
errors: not a label
error[Ex]: not a label either
```

```rust
// error: in a comment
#[cors(policy = P, credentials)] // error[E0080]: evaluation panicked: trailing
let url = "https://example.com"; // a comment that is no quote
```

| Mistake | Message | Case |
| --- | --- | --- |
| one | `a` is \| piped | `case` |
| two | _the same message_ | `case` |

| Mistake | Startup message |
| --- | --- |
| three | not a compiler message |
"#;

#[test]
fn the_extractor_reads_fenced_diagnostics_and_message_cells_only() {
    let quotes: Vec<_> = quotes_in_markdown("sample.md", &markdown_lines(SAMPLE_MD))
        .into_iter()
        .map(|(at, q)| (at.line, q))
        .collect();
    assert_eq!(
        quotes,
        [
            (4, Quote::Error("error: `origins` is empty".into())),
            (6, Quote::Warning("a deprecated key".into())),
            (
                7,
                Quote::Error("error[E0080]: evaluation panicked: a conflict".into())
            ),
            (8, Quote::Error("error: cut short".into())),
            (14, Quote::Error("error: in a comment".into())),
            (
                15,
                Quote::Error("error[E0080]: evaluation panicked: trailing".into())
            ),
            (21, Quote::Message("`a` is | piped".into())),
        ]
    );
}

#[test]
fn the_extractor_reads_doc_comments_as_markdown() {
    let source = "\
//! ```text
//! error: crate docs
//! ```
/// ```compile_fail
/// #[cors(origins = \"*\", credentials)] // error: item docs
/// ```
//// ```
//// error: not a doc comment
fn f() {}
/// | Message |
/// | --- |
/// | a cell |
";
    let quotes: Vec<_> = quotes_in_markdown("f.rs", &doc_lines(source))
        .into_iter()
        .map(|(at, q)| (at.line, q))
        .collect();
    assert_eq!(
        quotes,
        [
            (2, Quote::Error("error: crate docs".into())),
            (5, Quote::Error("error: item docs".into())),
            (12, Quote::Message("a cell".into())),
        ]
    );
}

#[test]
fn a_quote_the_compiler_does_not_print_is_reported() {
    let stderr = [
        "error: `credentials` cannot be combined with `origins = \"*\"`: browsers refuse it\n --> x\n"
            .to_owned(),
        "error[E0080]: evaluation panicked: a conflict\nerror: use of deprecated function `f`: note\n"
            .to_owned(),
    ];
    let at = |line| At {
        file: "f.md".into(),
        line,
    };
    let quotes = [
        // Printed: a whole line, a prefix of one, a message anywhere, a denied warning.
        (
            at(1),
            Quote::Error("error: `credentials` cannot be combined with `origins = \"*\"`".into()),
        ),
        (
            at(2),
            Quote::Error("error[E0080]: evaluation panicked: a conflict".into()),
        ),
        (at(3), Quote::Message("browsers refuse it".into())),
        (
            at(4),
            Quote::Warning("use of deprecated function `f`: note".into()),
        ),
        // Drifted: a warning not right after a label, reworded, another label, a
        // warning after no label at all, an empty cell.
        (at(5), Quote::Warning("a conflict".into())),
        (
            at(6),
            Quote::Error("error: `origins = \"*\"` cannot be combined with `credentials`".into()),
        ),
        (
            at(7),
            Quote::Error("error: evaluation panicked: a conflict".into()),
        ),
        (at(8), Quote::Warning("browsers refuse it".into())),
        (at(9), Quote::Message(String::new())),
    ];
    let bad: Vec<usize> = drifted(&quotes, &stderr)
        .iter()
        .map(|(at, _)| at.line)
        .collect();
    assert_eq!(bad, [5, 6, 7, 8, 9]);
}
