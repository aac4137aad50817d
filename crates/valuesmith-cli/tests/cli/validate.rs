//! `valuesmith validate`: the three formats, exit codes (with and without `--strict`), several
//! files with a broken one, standard input, catalog discovery and setup errors.
//!
//! Each test copies the fixture files it needs into a temporary folder and runs there, so file
//! names in the output are relative and no catalog of an enclosing folder is found.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use insta_cmd::assert_cmd_snapshot;

use crate::common::{fixture, valuesmith};

/// A temporary folder holding `files`: (fixture path under `fixtures/validate/`, name to
/// copy it as).
fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in files {
        let target = dir.path().join(to);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(fixture(&format!("validate/{from}")), target).unwrap();
    }
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> Command {
    let mut command = valuesmith();
    command.current_dir(dir).arg("validate").args(args);
    command
}

fn output(mut command: Command) -> Output {
    command.output().unwrap()
}

fn output_with_stdin(mut command: Command, input: &str) -> Output {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

const REQUIRED: (&str, &str) = (
    "required-value/values-dev-2025-05-00.yml",
    "values-dev-2025-05-00.yml",
);
const CATALOG: (&str, &str) = ("required-value/catalog.yml", "releases.yml");

#[test]
fn human_format_finds_the_catalog_beside_the_file() {
    let dir = workspace(&[REQUIRED, CATALOG]);
    assert_cmd_snapshot!("human", run_in(dir.path(), &["values-dev-2025-05-00.yml"]));
}

#[test]
fn json_format_reports_schema_violations() {
    let dir = workspace(&[
        ("schema/values.schema.json", "values.schema.json"),
        (
            "schema/values-dev-2025-05-00.yml",
            "values-dev-2025-05-00.yml",
        ),
    ]);
    let result = output(run_in(
        dir.path(),
        &[
            "values-dev-2025-05-00.yml",
            "--schema",
            "values.schema.json",
            "--format",
            "json",
        ],
    ));
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    let json: serde_json::Value = serde_json::from_str(&stdout(&result)).unwrap();
    assert_eq!(json["errors"], 4);
    assert_eq!(json["warnings"], 0);
    let first = &json["findings"][0];
    assert_eq!(first["file"], "values-dev-2025-05-00.yml");
    assert_eq!(
        (first["line"].clone(), first["column"].clone()),
        (1.into(), 15.into())
    );
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "schema");
    assert!(first["hint"].is_string());
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["file", "line", "column", "severity", "code", "message", "hint"]
    );
}

#[test]
fn github_format_and_strict() {
    let dir = workspace(&[(
        "yaml11-bool/values-dev-2025-05-00.yml",
        "values-dev-2025-05-00.yml",
    )]);
    // Warnings only: valid unless --strict.
    assert_cmd_snapshot!(
        "github",
        run_in(
            dir.path(),
            &["values-dev-2025-05-00.yml", "--format", "github"]
        )
    );
    let strict = output(run_in(
        dir.path(),
        &[
            "values-dev-2025-05-00.yml",
            "--format",
            "github",
            "--strict",
        ],
    ));
    assert_eq!(strict.status.code(), Some(1));
    assert_eq!(stdout(&strict).lines().count(), 4);
}

#[test]
fn a_clean_file_passes_every_check_quietly() {
    let dir = workspace(&[
        ("clean/catalog.yml", "catalog.yml"),
        ("clean/values.schema.json", "values.schema.json"),
        ("clean/chart-values.yaml", "chart-values.yaml"),
        (
            "clean/values-dev-2025-05-00.yml",
            "values-dev-2025-05-00.yml",
        ),
    ]);
    let result = output(run_in(
        dir.path(),
        &[
            "values-dev-2025-05-00.yml",
            "--catalog",
            "catalog.yml",
            "--schema",
            "values.schema.json",
            "--chart-values",
            "chart-values.yaml",
            "--strict",
        ],
    ));
    assert_eq!(result.status.code(), Some(0), "{}", stdout(&result));
    assert_eq!(stdout(&result), "");
    assert_eq!(stderr(&result), "");
    let json = output(run_in(
        dir.path(),
        &["values-dev-2025-05-00.yml", "--format", "json"],
    ));
    assert_eq!(
        stdout(&json),
        "{\n  \"findings\": [],\n  \"errors\": 0,\n  \"warnings\": 0\n}\n"
    );
}

#[test]
fn several_files_go_on_after_a_broken_one() {
    let dir = workspace(&[
        (
            "syntax/values-dev-2025-05-00.yml",
            "values-dev-2025-05-00.yml",
        ),
        (
            "float-version/values-dev-2025-05-00.yml",
            "values-qa-2025-05-00.yml",
        ),
    ]);
    assert_cmd_snapshot!(
        "multi_file",
        run_in(
            dir.path(),
            &["values-dev-2025-05-00.yml", "values-qa-2025-05-00.yml"]
        )
    );
    // A file that cannot be read at all is exit 2, after the others are reported.
    let result = output(run_in(
        dir.path(),
        &[
            "values-dev-2025-05-00.yml",
            "values-missing.yml",
            "values-qa-2025-05-00.yml",
            "--format",
            "github",
        ],
    ));
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(
        stderr(&result),
        "error: values-missing.yml: no such file or directory\n"
    );
    assert!(stdout(&result)
        .starts_with("::error file=values-dev-2025-05-00.yml,line=3,col=3,title=syntax::"));
    assert_eq!(stdout(&result).lines().count(), 5);
}

#[test]
fn standard_input() {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd_snapshot!(
        "stdin",
        run_in(dir.path(), &["-"]).pass_stdin("ingress:\n  enabled: yes\n")
    );
    let result = output_with_stdin(
        run_in(dir.path(), &["-", "--format", "json"]),
        "a: 1\nb: 2\na: 3\n",
    );
    assert_eq!(result.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&result)).unwrap();
    assert_eq!(json["findings"][0]["file"], "<stdin>");
    assert_eq!(json["findings"][0]["code"], "duplicate-key");
    assert_eq!(json["findings"][0]["line"], 3);
}

#[test]
fn catalog_from_the_environment_or_a_parent_folder() {
    let dir = workspace(&[
        ("release-mismatch/catalog.yml", "platform/releases.yml"),
        (
            "release-mismatch/values-prod-eu-2025-05-00.yml",
            "platform/envs/values-prod-eu-2025-05-00.yml",
        ),
        (
            "release-mismatch/values-prod-eu-2025-05-00.yml",
            "elsewhere/values-prod-eu-2025-05-00.yml",
        ),
    ]);
    let found = output(run_in(
        dir.path(),
        &[
            "platform/envs/values-prod-eu-2025-05-00.yml",
            "elsewhere/values-prod-eu-2025-05-00.yml",
            "--format",
            "github",
        ],
    ));
    // Only the file under platform/ has a catalog, so only it has a release check.
    assert_eq!(found.status.code(), Some(1));
    assert_eq!(
        stdout(&found),
        "::error file=platform/envs/values-prod-eu-2025-05-00.yml,line=4,col=10,\
         title=release-mismatch::`global.image.tag` says release 2024.12.00, but the file name \
         says 2025.05.00\n"
    );
    let from_env = output({
        let mut command = run_in(
            dir.path(),
            &[
                "elsewhere/values-prod-eu-2025-05-00.yml",
                "--format",
                "github",
            ],
        );
        command.env("VALUESMITH_CATALOG", "platform/releases.yml");
        command
    });
    assert_eq!(from_env.status.code(), Some(1));
    assert!(stdout(&from_env).contains("title=release-mismatch"));
}

#[test]
fn setup_errors_are_exit_2() {
    let dir = workspace(&[
        REQUIRED,
        ("schema/values.schema.json", "values.schema.json"),
    ]);
    std::fs::write(dir.path().join("broken.json"), "{\"type\": \"object\",}\n").unwrap();
    std::fs::write(
        dir.path().join("bad-catalog.yml"),
        "product: x\nreleases: 3\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("releases.yml"), "product: [\n").unwrap();
    let file = "values-dev-2025-05-00.yml";
    for (args, expected) in [
        (vec![file, "--catalog", "nope.yml"], "nope.yml"),
        (vec![file, "--catalog", "bad-catalog.yml"], "bad catalog"),
        // A catalog found beside the file that does not load.
        (vec![file], "releases.yml"),
        (
            vec![
                file,
                "--catalog",
                "bad-catalog.yml",
                "--schema",
                "broken.json",
            ],
            "broken.json:1:",
        ),
        (
            vec![file, "--chart-values", "nope.yaml"],
            "nope.yaml: no such file",
        ),
        (vec![], "FILE"),
        (vec![file, "--format", "xml"], "xml"),
    ] {
        let result = output(run_in(dir.path(), &args));
        assert_eq!(
            result.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&result)
        );
        assert!(
            stderr(&result).contains(expected),
            "{args:?}: {}",
            stderr(&result)
        );
        assert_eq!(stdout(&result), "", "{args:?}");
    }
}

/// The catalog cache (docs/catalog.md) never changes a result: a cold cache, a warm one, a
/// corrupt one and the cache switched off give the same report.
#[test]
fn the_catalog_cache_gives_the_same_report_cold_warm_corrupt_and_off() {
    let dir = workspace(&[
        ("retired-key/catalog.yml", "releases.yml"),
        (
            "retired-key/values-dev-2025-05-00.yml",
            "values-dev-2025-05-00.yml",
        ),
    ]);
    let cache = tempfile::tempdir().unwrap();
    let run = |extra: Option<(&str, &str)>| {
        let mut command = run_in(dir.path(), &["values-dev-2025-05-00.yml"]);
        command.env("XDG_CACHE_HOME", cache.path());
        if let Some((key, value)) = extra {
            command.env(key, value);
        }
        command.output().unwrap()
    };
    let cold = run(None);
    assert_eq!(cold.status.code(), Some(0), "{cold:?}");
    assert!(
        String::from_utf8_lossy(&cold.stdout).contains("retired-key"),
        "{cold:?}"
    );
    let files: Vec<_> = std::fs::read_dir(cache.path().join("valuesmith"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let warm = run(None);
    std::fs::write(&files[0], b"valuesmith catalog cache 1\ngarbage").unwrap();
    let corrupt = run(None);
    let off = run(Some(("VALUESMITH_NO_CATALOG_CACHE", "1")));
    for other in [&warm, &corrupt, &off] {
        assert_eq!(other.status.code(), cold.status.code());
        assert_eq!(other.stdout, cold.stdout);
        assert_eq!(other.stderr, cold.stderr);
    }
}
