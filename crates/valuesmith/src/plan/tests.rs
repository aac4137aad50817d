use std::fmt::Write as _;

use super::commands::*;
use super::*;
use crate::value::Value;
use crate::version::Version;

fn v(text: &str) -> Version {
    Version::parse(text).unwrap()
}

fn catalog(text: &str) -> Catalog {
    match Catalog::parse(text, "releases.yml") {
        Ok(catalog) => catalog,
        Err(err) => panic!("{err}"),
    }
}

/// Eight releases: three minor series of 1.x, two of 2.x and a 3.0.0 that any release may
/// upgrade to as far as `upgrade_from` goes.
fn ladder(policy: &str) -> Catalog {
    catalog(&format!(
        r#"product: app
chart: repo/app
policy: {{sequential: {policy}}}
releases:
  - {{version: 1.5.0, chart_version: "1"}}
  - {{version: 1.5.1, chart_version: "1"}}
  - {{version: 1.6.0, chart_version: "1", upgrade_from: ">=1.5.0"}}
  - {{version: 1.6.1, chart_version: "1"}}
  - {{version: 1.7.0, chart_version: "1", upgrade_from: ">=1.6.0"}}
  - {{version: 2.0.0, chart_version: "2", upgrade_from: ">=1.6.1, <2.0.0"}}
  - {{version: 2.1.0, chart_version: "2", upgrade_from: ">=2.0.0"}}
  - {{version: 3.0.0, chart_version: "3"}}
"#
    ))
}

/// No path: 1.1.0 accepts only a release the catalog does not have.
fn broken() -> Catalog {
    catalog(
        r#"product: app
chart: repo/app
releases:
  - {version: 1.0.0, chart_version: "1"}
  - {version: 1.0.1, chart_version: "1"}
  - version: 1.1.0
    chart_version: "1"
    upgrade_from: "=1.0.5"
  - {version: 1.2.0, chart_version: "1", upgrade_from: ">=1.1.0"}
"#,
    )
}

/// The highest reachable release (1.0.2) leads nowhere; the path goes through 1.0.1.
fn dead_end() -> Catalog {
    catalog(
        r#"product: app
chart: repo/app
policy: {sequential: none}
releases:
  - {version: 1.0.0, chart_version: "1"}
  - {version: 1.0.1, chart_version: "1"}
  - {version: 1.0.2, chart_version: "1"}
  - {version: 1.0.3, chart_version: "1", upgrade_from: "=1.0.1"}
"#,
    )
}

/// One line per step, or the error with its hint and position.
fn describe(catalog: &Catalog, from: &str, to: &str) -> String {
    let mut out = format!("{from} -> {to}:\n");
    match plan(catalog, &v(from), &v(to)) {
        Ok(path) if path.steps.is_empty() => out.push_str("  (no steps)\n"),
        Ok(path) => {
            for step in &path.steps {
                let covers: Vec<&str> = step.covers.iter().map(|r| r.version.as_str()).collect();
                let _ = writeln!(
                    out,
                    "  {} -> {} [covers {}]: {}",
                    step.from.version,
                    step.to.version,
                    covers.join(", "),
                    step.explanation(catalog)
                );
            }
        }
        Err(err) => {
            let d = err.to_diagnostic();
            let _ = writeln!(out, "  error: {}", d.message);
            if let Some(position) = d.position() {
                let _ = writeln!(out, "  at: {position}");
            }
            if let Some(hint) = d.hint {
                let _ = writeln!(out, "  hint: {hint}");
            }
        }
    }
    out
}

#[test]
fn path_matrix() {
    let queries = [
        ("1.5.0", "2.1.0"),
        ("1.5.0", "1.7.0"),
        ("1.5.1", "1.6.1"),
        ("1.6.1", "2.1.0"),
        ("1.5.0", "1.5.1"),
        ("1.6.0", "1.6.0"),
        ("1.7.0", "1.5.0"),
        ("1.5.0", "1.9.0"),
        ("1.5.00", "2.1"),
        ("1.6.2", "2.1.0"),
        ("0.9.0", "2.1.0"),
        ("1.5.0", "2.1.1"),
        ("1.5.0", "3.0.0"),
        ("2.1.0", "3.0.0"),
    ];
    let mut out = String::new();
    for policy in ["none", "minor", "major"] {
        let catalog = ladder(policy);
        let _ = writeln!(out, "## policy.sequential: {policy}\n");
        for (from, to) in queries {
            out.push_str(&describe(&catalog, from, to));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## no path\n");
    let broken = broken();
    for (from, to) in [("1.0.0", "1.2.0"), ("1.0.0", "1.1.0"), ("1.0.0", "1.0.1")] {
        out.push_str(&describe(&broken, from, to));
    }
    let _ = writeln!(out, "\n## dead end\n");
    out.push_str(&describe(&dead_end(), "1.0.0", "1.0.3"));
    insta::assert_snapshot!("path_matrix", out);
}

#[test]
fn policies_decide_the_steps() {
    let steps = |policy: &str, from: &str, to: &str| -> Vec<String> {
        let catalog = ladder(policy);
        let path = plan(&catalog, &v(from), &v(to)).unwrap();
        path.steps
            .iter()
            .map(|s| s.to.version.to_string())
            .collect()
    };
    // upgrade_from alone: 1.5.0 may not reach 1.7.0 or 2.0.0 straight, so 1.6.1 first.
    assert_eq!(steps("none", "1.5.0", "2.1.0"), ["1.6.1", "2.0.0", "2.1.0"]);
    // minor: 2.0.0 is out of reach from 1.6.1 across the 1.7 series.
    assert_eq!(
        steps("minor", "1.5.0", "2.1.0"),
        ["1.6.1", "1.7.0", "2.0.0", "2.1.0"]
    );
    // major: within 1.x and into 2.x anything goes as far as upgrade_from allows.
    assert_eq!(
        steps("major", "1.5.0", "2.1.0"),
        ["1.6.1", "2.0.0", "2.1.0"]
    );
    // 3.0.0 has no upgrade_from: only the policy keeps 1.x from jumping to it.
    assert_eq!(steps("none", "1.5.0", "3.0.0"), ["3.0.0"]);
    assert_eq!(
        steps("major", "1.5.0", "3.0.0"),
        ["1.6.1", "2.0.0", "3.0.0"]
    );
    assert_eq!(
        steps("minor", "1.5.0", "3.0.0"),
        ["1.6.1", "1.7.0", "2.0.0", "2.1.0", "3.0.0"]
    );
    assert!(steps("minor", "1.6.0", "1.6.0").is_empty());
}

#[test]
fn steps_cover_jumped_releases() {
    let catalog = ladder("none");
    let path = plan(&catalog, &v("1.5.0"), &v("2.1.0")).unwrap();
    let covers: Vec<Vec<&str>> = path
        .steps
        .iter()
        .map(|s| s.covers.iter().map(|r| r.version.as_str()).collect())
        .collect();
    assert_eq!(
        covers,
        [
            vec!["1.5.1", "1.6.0", "1.6.1"],
            vec!["1.7.0", "2.0.0"],
            vec!["2.1.0"]
        ]
    );
    assert!(matches!(path.steps[2].stop, Stop::Target));
    assert!(matches!(path.steps[0].stop, Stop::UpgradeFrom { .. }));
}

#[test]
fn dead_ends_are_avoided() {
    let catalog = dead_end();
    let path = plan(&catalog, &v("1.0.0"), &v("1.0.3")).unwrap();
    let stops: Vec<&str> = path.steps.iter().map(|s| s.to.version.as_str()).collect();
    assert_eq!(stops, ["1.0.1", "1.0.3"]);
    assert!(matches!(path.steps[0].stop, Stop::DeadEnd { .. }));
}

#[test]
fn errors_name_the_problem() {
    let catalog = ladder("minor");
    let err = plan(&catalog, &v("1.7.0"), &v("1.5.0")).unwrap_err();
    assert_eq!(
        err,
        PlanError::Downgrade {
            from: "1.7.0".into(),
            to: "1.5.0".into()
        }
    );
    let err = plan(&catalog, &v("1.5.0"), &v("1.9.0")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the target release 1.9.0 is not in the app catalog (it has 1.5.0, 1.5.1, 1.6.0, \
         1.6.1, 1.7.0, 2.0.0, 2.1.0, 3.0.0)"
    );
    assert_eq!(
        err.to_diagnostic().hint.as_deref(),
        Some("the releases either side are 1.7.0 and 2.0.0")
    );
    let err = plan(&catalog, &v("1.6.2"), &v("2.1.0")).unwrap_err();
    assert_eq!(
        err.to_diagnostic().hint.as_deref(),
        Some("the releases either side are 1.6.1 and 1.7.0")
    );

    let broken = broken();
    let err = plan(&broken, &v("1.0.0"), &v("1.2.0")).unwrap_err();
    let d = err.to_diagnostic();
    assert_eq!(d.position().as_deref(), Some("releases.yml:8:19"));
    assert_eq!(
        d.source_line.as_deref(),
        Some("    upgrade_from: \"=1.0.5\"")
    );
    assert_eq!(
        d.message,
        "no upgrade path from 1.0.0 to 1.2.0: the path reaches 1.0.1 (1.0.0 -> 1.0.1), but \
         1.0.1 cannot upgrade straight to 1.1.0 (its upgrade_from `=1.0.5` excludes 1.0.1), \
         nor to any later release up to 1.2.0"
    );
}

#[test]
fn jumped_releases_bring_their_data_upgrade_and_notes() {
    let catalog = catalog(
        r#"product: app
chart: repo/app
policy: {sequential: none}
commands: {upgrade_mode: app.upgradeMode}
releases:
  - {version: 1.0.0, chart_version: "1"}
  - {version: 1.1.0, chart_version: "1", data_upgrade: V11, notes: "Back up first."}
  - {version: 1.2.0, chart_version: "1", notes: "Then this."}
  - {version: 1.3.0, chart_version: "1"}
"#,
    );
    let path = plan(&catalog, &v("1.0.0"), &v("1.3.0")).unwrap();
    assert_eq!(path.steps.len(), 1);
    let step = &path.steps[0];
    assert_eq!(step.data_upgrade(), Some("V11"));
    assert_eq!(
        step.notes().as_deref(),
        Some("1.1.0: Back up first.\n1.2.0: Then this.")
    );
}

const FORMATS: [(PlanFormat, &str); 5] = [
    (PlanFormat::Human, "human"),
    (PlanFormat::Markdown, "markdown"),
    (PlanFormat::Json, "json"),
    (PlanFormat::Shell, "shell"),
    (PlanFormat::PowerShell, "powershell"),
];

/// A data upgrade in a catalog without `upgrade_mode` or `commands.data_upgrade`.
const NEUTRAL: &str = "product: app\nchart: repo/app\nnamespace: apps\nreleases:\n  - {version: \
                       1.0.0, chart_version: \"1\"}\n  - version: 1.1.0\n    chart_version: \
                       \"1.1\"\n    data_upgrade: V11\n";

#[test]
fn a_catalog_without_a_procedure_gets_the_neutral_two_phase_flow() {
    let catalog = catalog(NEUTRAL);
    let path = plan(&catalog, &v("1.0.0"), &v("1.1.0")).unwrap();
    for (format, name) in FORMATS {
        let options = RenderOptions::default().with_env(Some("dev"));
        let text = render(&path, format, options);
        insta::assert_snapshot!(format!("neutral_{name}"), text);
        // No vendor's words or resources: the procedure is the catalog's to state.
        for word in [
            "DataUpgrade",
            "upgradeto",
            "ingestion",
            "kubectl apply",
            "upgrade mode",
        ] {
            assert!(!text.contains(word), "{name}: {word}\n{text}");
        }
    }
}

#[test]
fn the_procedure_fields_shape_the_flow() {
    let text = format!(
        "{NEUTRAL}commands:\n  set: {{jobs: true, size: 3}}\n  upgrade_mode: mode\n  data_upgrade:\n    \
         mode_effect: writes pause\n    apply: |\n      kind: Migration\n      metadata: {{name: \
         m-{{name}}, namespace: \"{{namespace}}\"}}\n      spec: {{target: \"{{label}}\"}}\n    \
         wait_for: \"`kubectl get migration m-{{name}}` says Done\"\n    begin: {{warm: true}}\n    \
         finish: {{jobs: false, cold: true}}\n"
    );
    let catalog = catalog(&text);
    let path = plan(&catalog, &v("1.0.0"), &v("1.1.0")).unwrap();
    let options = RenderOptions::default().with_env(Some("dev"));
    insta::assert_snapshot!("procedure_human", render(&path, PlanFormat::Human, options));
}

#[test]
fn plans_serialise_as_their_report() {
    let catalog = catalog(NEUTRAL);
    let path = plan(&catalog, &v("1.0.0"), &v("1.1.0")).unwrap();
    let json = serde_json::to_value(&path).unwrap();
    assert_eq!(
        json,
        serde_json::to_value(report(&path, RenderOptions::default())).unwrap()
    );
    assert_eq!(json["steps"][0]["values_file"], "values-<env>-1-1-0.yml");
    assert_eq!(json["steps"][0]["data_upgrade"], "V11");
    let options = RenderOptions::default().with_env(Some("dev"));
    let printed: serde_json::Value =
        serde_json::from_str(&render(&path, PlanFormat::Json, options)).unwrap();
    assert_eq!(
        printed,
        serde_json::to_value(report(&path, options)).unwrap()
    );
}

#[test]
fn helm_syntax() {
    let path = Path::parse("podAnnotations.\"prometheus.io/port\".list[0]").unwrap();
    assert_eq!(
        helm_key(&path),
        "podAnnotations.prometheus\\.io/port.list[0]"
    );
    assert_eq!(helm_escape_value("a,b\\c"), "a\\,b\\\\c");
    for typed in ["true", "False", "NULL", "0", "10", "-3"] {
        assert!(helm_types_it(typed), "{typed}");
    }
    for text in ["1.5", "0755", "yes", "abc", ""] {
        assert!(!helm_types_it(text), "{text}");
    }
    let flag = |value: Value| -> Vec<Arg> { set_flag(&Path::parse("a.b").unwrap(), &value) };
    assert_eq!(
        flag(Value::String("true".into())),
        [Arg::Lit("--set-string".into()), Arg::Lit("a.b=true".into())]
    );
    assert_eq!(
        flag(Value::Bool(true)),
        [Arg::Lit("--set".into()), Arg::Lit("a.b=true".into())]
    );
    assert_eq!(object_name("Version450"), "version450");
    assert_eq!(object_name("V 4.5"), "v-4-5");
    assert_eq!(
        fill_placeholders("{name}/{label} in {namespace}", "V 4.5", "ns"),
        "v-4-5/V 4.5 in ns"
    );
}

/// `valuesmith plan` as one call: the same text as planning and rendering, and the planning
/// error when there is no path.
#[test]
fn plan_report_is_plan_then_render() {
    let catalog = ladder("minor");
    let options = RenderOptions::default().with_env(Some("dev"));
    let report = plan_report(
        &catalog,
        &v("1.5.0"),
        &v("2.1.0"),
        PlanFormat::Human,
        options,
        None,
    )
    .unwrap();
    let path = plan(&catalog, &v("1.5.0"), &v("2.1.0")).unwrap();
    assert_eq!(report, render(&path, PlanFormat::Human, options));
    assert!(report.contains("values-dev-2-1-0.yml"), "{report}");
    let err = plan_report(
        &catalog,
        &v("2.1.0"),
        &v("1.5.0"),
        PlanFormat::Json,
        options,
        None,
    )
    .unwrap_err();
    assert!(
        matches!(err, PlanReportError::Plan(PlanError::Downgrade { .. })),
        "{err:?}"
    );
}
