//! `plan` through the repository's fixtures: the example catalog of docs/plan.md
//! (`fixtures/plan/catalog.yml`, CluedIn's data-upgrade procedure stated in the catalog) in
//! every format, and the shipped CluedIn catalog (`examples/cluedin/releases.yml`).

use valuesmith::catalog::Catalog;
use valuesmith::plan::{plan, render, PlanFormat, RenderOptions};
use valuesmith::version::Version;

/// The repository's root folder.
fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn v(text: &str) -> Version {
    Version::parse(text).unwrap()
}

fn fixture() -> Catalog {
    let text = std::fs::read_to_string(repo_root().join("fixtures/plan/catalog.yml")).unwrap();
    Catalog::parse(&text, "fixtures/plan/catalog.yml").unwrap()
}

fn rendered(from: &str, to: &str, format: PlanFormat, env: Option<&str>) -> String {
    let catalog = fixture();
    let path = plan(&catalog, &v(from), &v(to)).unwrap();
    let options = RenderOptions::default().with_env(env);
    render(&path, format, options)
}

const FORMATS: [(PlanFormat, &str); 5] = [
    (PlanFormat::Human, "human"),
    (PlanFormat::Markdown, "markdown"),
    (PlanFormat::Json, "json"),
    (PlanFormat::Shell, "shell"),
    (PlanFormat::PowerShell, "powershell"),
];

#[test]
fn plan_output_in_every_format() {
    // Step 1 is a data upgrade, step 2 a plain upgrade.
    for (format, name) in FORMATS {
        let text = rendered("2024.12.02", "2025.05.02", format, Some("dev"));
        insta::assert_snapshot!(format!("plan_{name}"), text);
    }
}

#[test]
fn plan_output_without_env() {
    for (format, name) in FORMATS {
        let text = rendered("2025.05.00", "2025.05.02", format, None);
        insta::assert_snapshot!(format!("plan_no_env_{name}"), text);
    }
}

#[test]
fn plan_output_with_nothing_to_do() {
    for (format, name) in FORMATS {
        let text = rendered("2025.05.02", "2025.05.02", format, Some("dev"));
        insta::assert_snapshot!(format!("plan_nothing_{name}"), text);
    }
}

#[test]
fn json_has_exactly_the_contract_fields() {
    let text = rendered("2024.12.02", "2025.05.02", PlanFormat::Json, Some("dev"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let mut top = keys(&json);
    top.sort();
    assert_eq!(top, ["from", "steps", "to"]);
    let steps = json["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    let mut fields = keys(&steps[0]);
    fields.sort();
    assert_eq!(
        fields,
        [
            "chart_version",
            "commands",
            "data_upgrade",
            "from",
            "notes",
            "required_input",
            "to",
            "values_file"
        ]
    );
    assert_eq!(steps[0]["data_upgrade"], "Version450");
    assert!(steps[1]["data_upgrade"].is_null());
    assert_eq!(steps[1]["values_file"], "values-dev-2025-05-02.yml");
    assert_eq!(
        steps[1]["commands"][0],
        "helm upgrade cluedin-platform -n cluedin cluedin/cluedin-platform --version 2.5.3 \
         --values values-dev-2025-05-02.yml --set application.system.runDatabaseJobsOnUpgrade=true \
         --set application.system.runNugetFullRestore=true --wait --timeout 10m0s"
    );
    assert_eq!(steps[0]["commands"].as_array().unwrap().len(), 5);
}

#[test]
fn values_dir_prefixes_the_files() {
    let catalog = fixture();
    let path = plan(&catalog, &v("2025.05.00"), &v("2025.05.02")).unwrap();
    let options = RenderOptions::default()
        .with_env(Some("prod eu"))
        .with_values_dir(Some("envs/prod"));
    let text = render(&path, PlanFormat::Shell, options);
    assert!(
        text.contains("--values 'envs/prod/values-prod eu-2025-05-02.yml'"),
        "{text}"
    );
}

#[test]
fn shell_script_is_valid_bash() {
    // `bash -n` parses without running; skipped where bash is missing.
    for env in [Some("dev"), None] {
        let text = rendered("2024.12.02", "2025.05.02", PlanFormat::Shell, env);
        let dir = std::env::temp_dir().join(format!("valuesmith-plan-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join(format!("plan-{}.sh", env.unwrap_or("none")));
        std::fs::write(&script, &text).unwrap();
        match std::process::Command::new("bash")
            .arg("-n")
            .arg(&script)
            .output()
        {
            Ok(output) => assert!(
                output.status.success(),
                "{}\n{text}",
                String::from_utf8_lossy(&output.stderr)
            ),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => panic!("{err}"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn step_helpers() {
    let catalog = fixture();
    let path = plan(&catalog, &v("2024.12.02"), &v("2025.05.02")).unwrap();
    let first = &path.steps[0];
    let rules: Vec<(String, usize, &str)> = first
        .rules()
        .map(|r| (r.release.version.to_string(), r.index, r.rule.kind.name()))
        .collect();
    assert_eq!(
        rules,
        [
            ("2025.05.00".to_owned(), 0, "remove"),
            ("2025.05.00".to_owned(), 1, "require"),
            ("2025.05.00".to_owned(), 2, "warn"),
        ]
    );
    assert_eq!(first.data_upgrade(), Some("Version450"));
    assert_eq!(
        first
            .required_input()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["application.cluedin.gql.hubSpotToken"]
    );
    let second = &path.steps[1];
    assert_eq!(second.data_upgrade(), None);
    assert!(second.required_input().is_empty());
    assert_eq!(second.notes().as_deref(), Some("Patch release."));
}

#[test]
fn the_shipped_cluedin_catalog_states_cluedins_procedure() {
    let path = repo_root().join("examples/cluedin/releases.yml");
    let catalog = Catalog::load(&path).unwrap();
    let path = plan(&catalog, &v("2024.12.02"), &v("2025.05.00")).unwrap();
    let options = RenderOptions::default().with_env(Some("dev"));
    insta::assert_snapshot!(
        "cluedin_example_shell",
        render(&path, PlanFormat::Shell, options)
    );
}
