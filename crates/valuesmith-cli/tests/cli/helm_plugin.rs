//! The Helm plugin (`helm-plugin/`): installed with `helm plugin install` into real Helm 3 and
//! Helm 4 (each in throwaway Helm homes), it runs the `valuesmith` this test suite built, with
//! the exit codes of `valuesmith` itself, and completes the commands. Its `completion.yaml`
//! is what the clap definition says.
//!
//! Helm is found through `VALUESMITH_HELM3` and `VALUESMITH_HELM4` (paths), else `helm` on
//! PATH; without any, each test says so in one line and passes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{fixture, repo_root};

/// A Helm binary and its major version.
struct Helm {
    binary: PathBuf,
    major: u32,
}

/// The Helm binaries to test with: the two variables, else `helm` on PATH.
fn helms() -> Vec<Helm> {
    let mut found: Vec<PathBuf> = ["VALUESMITH_HELM3", "VALUESMITH_HELM4"]
        .iter()
        .filter_map(std::env::var_os)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .collect();
    if found.is_empty() {
        found.push(PathBuf::from("helm"));
    }
    let helms: Vec<Helm> = found
        .into_iter()
        .filter_map(|binary| {
            let output = Command::new(&binary)
                .args(["version", "--short"])
                .output()
                .ok()?;
            let version = String::from_utf8_lossy(&output.stdout);
            let major = version
                .trim()
                .strip_prefix('v')?
                .split('.')
                .next()?
                .parse()
                .ok()?;
            Some(Helm { binary, major })
        })
        .collect();
    if helms.is_empty() {
        println!("skipped: no helm binary (set VALUESMITH_HELM4/VALUESMITH_HELM3)");
    }
    helms
}

/// One Helm with its own empty homes, and `PATH` starting with the folder of the
/// `valuesmith` under test.
struct Home {
    helm: PathBuf,
    dir: tempfile::TempDir,
    path: std::ffi::OsString,
}

impl Home {
    fn new(helm: &Helm, with_valuesmith: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let bin = Path::new(env!("CARGO_BIN_EXE_valuesmith"))
            .parent()
            .unwrap();
        // Only the folders `sh` and `command -v` need, so no other valuesmith is found.
        let mut folders = vec![PathBuf::from("/usr/bin"), PathBuf::from("/bin")];
        if with_valuesmith {
            folders.insert(0, bin.to_path_buf());
        }
        Self {
            helm: helm.binary.clone(),
            path: std::env::join_paths(folders).unwrap(),
            dir,
        }
    }

    fn helm(&self, args: &[&str]) -> Output {
        let data = self.dir.path().join("data");
        Command::new(&self.helm)
            .args(args)
            .current_dir(repo_root())
            .env("PATH", &self.path)
            .env("NO_COLOR", "1")
            .env_remove("VALUESMITH_CATALOG")
            // Helm 4 installs into $HELM_DATA_HOME/plugins whatever HELM_PLUGINS says, and
            // reads HELM_PLUGINS: keep the two the same.
            .env("HELM_PLUGINS", data.join("plugins"))
            .env("HELM_DATA_HOME", &data)
            .env("HELM_CONFIG_HOME", self.dir.path().join("config"))
            .env("HELM_CACHE_HOME", self.dir.path().join("cache"))
            .output()
            .unwrap()
    }

    fn install(&self, folder: &str) {
        let output = self.helm(&["plugin", "install", folder]);
        assert!(
            output.status.success(),
            "helm plugin install {folder}: {output:?}"
        );
        assert!(
            stdout(&output).contains("Installed plugin: valuesmith"),
            "{output:?}"
        );
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The plugin folder for a Helm major version.
fn folder_for(major: u32) -> &'static str {
    if major >= 4 {
        "helm-plugin"
    } else {
        "helm-plugin/helm3"
    }
}

/// `helm valuesmith validate` and `diff` give what `valuesmith` gives, exit codes included.
fn check_commands(home: &Home, label: &str) {
    let relative = |path: PathBuf| {
        path.strip_prefix(repo_root())
            .unwrap()
            .display()
            .to_string()
    };
    let clean = relative(fixture("validate/clean/values-dev-2025-05-00.yml"));
    let catalog = relative(fixture("validate/clean/catalog.yml"));
    let output = home.helm(&["valuesmith", "validate", "--catalog", &catalog, &clean]);
    assert_eq!(output.status.code(), Some(0), "{label}: {output:?}");
    assert_eq!(stdout(&output), "", "{label}");

    let bad = relative(fixture("validate/syntax/values-dev-2025-05-00.yml"));
    let output = home.helm(&["valuesmith", "validate", "--format", "json", &bad]);
    assert_eq!(output.status.code(), Some(1), "{label}: {output:?}");
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["errors"], 1, "{label}");
    assert_eq!(report["findings"][0]["code"], "syntax", "{label}");
    assert_eq!(report["findings"][0]["line"], 3, "{label}");

    // Flags after the command reach valuesmith, including ones Helm does not know.
    let warned = relative(fixture("validate/yaml11-bool/values-dev-2025-05-00.yml"));
    let output = home.helm(&["valuesmith", "validate", &warned]);
    assert_eq!(output.status.code(), Some(0), "{label}: {output:?}");
    assert!(
        stdout(&output).ends_with("0 errors, 4 warnings\n"),
        "{label}"
    );
    let output = home.helm(&["valuesmith", "validate", "--strict", &warned]);
    assert_eq!(output.status.code(), Some(1), "{label}: {output:?}");

    let old = relative(fixture("diff/type-changes/old.yml"));
    let new = relative(fixture("diff/type-changes/new.yml"));
    let output = home.helm(&["valuesmith", "diff", &old, &new]);
    assert_eq!(output.status.code(), Some(1), "{label}: {output:?}");
    assert!(
        stdout(&output).starts_with("foo\n  ± type change from mapping to sequence"),
        "{label}: {}",
        stdout(&output)
    );
    let output = home.helm(&["valuesmith", "diff", &old, &old]);
    assert_eq!(output.status.code(), Some(0), "{label}: {output:?}");

    // A usage error is valuesmith's exit 2.
    let output = home.helm(&["valuesmith", "diff", &old]);
    assert_eq!(output.status.code(), Some(2), "{label}: {output:?}");
    assert!(stderr(&output).contains("<NEW>"), "{label}: {output:?}");
}

#[test]
fn plugin_runs_valuesmith_in_helm_3_and_helm_4() {
    for helm in helms() {
        let label = format!("helm {} ({})", helm.major, helm.binary.display());
        let home = Home::new(&helm, true);
        home.install(folder_for(helm.major));
        check_commands(&home, &label);

        // Completion: the commands after `helm valuesmith`, then a command's flags.
        let output = home.helm(&["__complete", "valuesmith", ""]);
        let offered = stdout(&output);
        for command in valuesmith_cli::command().get_subcommands() {
            let name = command.get_name();
            assert!(
                offered.lines().any(|l| l == name),
                "{label}: no completion `{name}` in {offered}"
            );
        }
        let output = home.helm(&["__complete", "valuesmith", "validate", "--s"]);
        assert!(
            stdout(&output).lines().any(|l| l == "--strict"),
            "{label}: {output:?}"
        );
    }
}

#[test]
fn helm_4_also_installs_the_helm_3_folder() {
    for helm in helms().into_iter().filter(|h| h.major >= 4) {
        let home = Home::new(&helm, true);
        home.install("helm-plugin/helm3");
        check_commands(&home, "helm 4, legacy plugin.yaml");
    }
}

#[test]
fn without_valuesmith_on_path_the_plugin_says_how_to_install_it() {
    for helm in helms() {
        let home = Home::new(&helm, false);
        home.install(folder_for(helm.major));
        let output = home.helm(&["valuesmith", "validate", "values.yml"]);
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        assert!(
            stderr(&output).starts_with(
                "error: helm valuesmith runs the valuesmith command, which is not on PATH\n\
                 hint: install it with `cargo install --locked valuesmith-cli`"
            ),
            "{output:?}"
        );
    }
}

/// `completion.yaml` in Helm's format: each command's flags (long names, and short letters as
/// Helm wants them) and the values of a positional argument that has a fixed set.
fn completion_yaml(command: &clap::Command) -> String {
    fn flags(command: &clap::Command, indent: &str, out: &mut String) {
        let mut names = Vec::new();
        for arg in command.get_arguments() {
            if arg.is_positional() {
                continue;
            }
            names.extend(arg.get_long().map(str::to_owned));
            names.extend(arg.get_short().map(String::from));
        }
        if !names.is_empty() {
            out.push_str(&format!("{indent}flags:\n"));
            for name in names {
                out.push_str(&format!("{indent}- {name}\n"));
            }
        }
        let values: Vec<String> = command
            .get_positionals()
            .flat_map(|arg| arg.get_possible_values())
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_owned())
            .collect();
        if !values.is_empty() {
            out.push_str(&format!("{indent}validArgs:\n"));
            for value in values {
                out.push_str(&format!("{indent}- {value}\n"));
            }
        }
    }
    let mut command = command.clone();
    command.build();
    let mut out = String::from(
        "# Completion of `helm valuesmith ...` (Helm 3 and 4 read this file). Written from \
         valuesmith's\n# command-line definition by the test helm_plugin::completion_file_is_current \
         (VALUESMITH_BLESS=1\n# rewrites it): do not edit by hand.\nname: valuesmith\n",
    );
    flags(&command, "", &mut out);
    out.push_str("commands:\n");
    for sub in command.get_subcommands() {
        out.push_str(&format!("- name: {}\n", sub.get_name()));
        flags(sub, "  ", &mut out);
    }
    out
}

#[test]
fn completion_file_is_current() {
    let expected = completion_yaml(&valuesmith_cli::command());
    let path = repo_root().join("helm-plugin/completion.yaml");
    if std::env::var_os("VALUESMITH_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        actual, expected,
        "helm-plugin/completion.yaml is out of date: VALUESMITH_BLESS=1 cargo test -p \
         valuesmith-cli --test cli helm_plugin"
    );
    // The Helm 3 folder shares the file (and the script) through symbolic links.
    for shared in ["completion.yaml", "valuesmith.sh"] {
        let link = repo_root().join("helm-plugin/helm3").join(shared);
        assert_eq!(
            std::fs::read_link(&link).unwrap(),
            Path::new("..").join(shared)
        );
    }
}
