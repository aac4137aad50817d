//! Helm's error texts (Helm 3's and Helm 4's, as they print them) read into problems at the
//! user's lines, without running Helm.

use super::chart::ChartRef;
use super::failure::{parse, Files};
use super::*;
use crate::diagnostic::Color;

fn files(text: &str) -> Vec<(String, Document)> {
    vec![(
        "values.yml".to_owned(),
        Document::parse_values(text).unwrap(),
    )]
}

/// A chart folder that does not exist: its name is unknown, its files unreadable.
fn no_chart() -> ChartRef {
    ChartRef::new("/nonexistent/mini")
}

fn problems(stderr: &str, text: &str, set: &[String]) -> Vec<Problem> {
    let files = files(text);
    parse(
        stderr,
        &no_chart(),
        &Files {
            files: &files,
            set,
            secrets: None,
        },
    )
    .unwrap()
}

fn at(problem: &Problem) -> Option<(usize, usize)> {
    problem
        .user_position()
        .map(|p| (p.location.line, p.location.column))
}

/// A problem as the tests compare it: the value's path, the message, the user's line and column.
type Shown<'a> = (String, &'a str, Option<(usize, usize)>);

const VALUES: &str =
    "name: x\ndb:\n  port: 0\n  mode: c\n  extra: 1\ngrafana.ini:\n  server:\n    port: x\n";

#[test]
fn helm3_schema_items() {
    let stderr = "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nmini:\n- db: Additional property extra is not allowed\n- db.port: Must be greater than or equal to 1\n- grafana.ini.server.port: Invalid type. Expected: integer, given: string\n- (root): name2 is required\n";
    let found = problems(stderr, VALUES, &[]);
    let shown: Vec<(String, Option<(usize, usize)>)> = found
        .iter()
        .map(|p| (p.value.as_ref().unwrap().path.to_string(), at(p)))
        .collect();
    assert_eq!(
        shown,
        [
            ("db.extra".to_owned(), Some((5, 3))),
            ("db.port".to_owned(), Some((3, 3))),
            // Helm 3 joins keys with dots; the key with a dot is found in the file.
            ("\"grafana.ini\".server.port".to_owned(), Some((8, 5))),
            ("(root)".to_owned(), Some((1, 1))),
        ]
        .map(|(p, a)| (if p == "(root)" { String::new() } else { p }, a))
    );
    assert!(found.iter().all(|p| p.kind == ProblemKind::Schema));
    assert_eq!(found[0].schema_chart.as_deref(), Some("mini"));
}

#[test]
fn helm4_schema_items_nested_under_validation_failed() {
    let stderr = "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nmini:\n- at '': missing property 'name2'\n- at '/db': validation failed\n  - at '/db/mode': value must be one of 'a', 'b'\n  - at '/db': additional properties 'extra' not allowed\n- at '/grafana.ini/server/port': got string, want integer\n";
    let found = problems(stderr, VALUES, &[]);
    let shown: Vec<Shown<'_>> = found
        .iter()
        .map(|p| {
            (
                p.value.as_ref().unwrap().path.to_string(),
                p.message.as_str(),
                at(p),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (String::new(), "missing property 'name2'", Some((1, 1))),
            (
                "db.mode".to_owned(),
                "value must be one of 'a', 'b'",
                Some((4, 3))
            ),
            (
                "db.extra".to_owned(),
                "additional properties 'extra' not allowed",
                Some((5, 3))
            ),
            (
                "\"grafana.ini\".server.port".to_owned(),
                "got string, want integer",
                Some((8, 5))
            ),
        ]
    );
}

#[test]
fn a_subchart_schema_names_values_under_the_subchart() {
    let chart = ChartRef::new("../../../shared/corpus/charts-full/bitnami-postgresql/17.1.0");
    if !chart.path.is_dir() {
        println!("skipped: no shared corpus");
        return;
    }
    let stderr = "Error: values don't meet the specifications of the schema(s) in the following chart(s):\npostgresql:\n- at '/primary': additional properties 'bogus' not allowed\ncommon:\n- at '/exampleValue': got number, want string\n";
    let files = files("primary:\n  bogus: 1\ncommon:\n  exampleValue: 1\n");
    let found = parse(
        stderr,
        &chart,
        &Files {
            files: &files,
            set: &[],
            secrets: None,
        },
    )
    .unwrap();
    let paths: Vec<(String, Option<(usize, usize)>)> = found
        .iter()
        .map(|p| (p.value.as_ref().unwrap().path.to_string(), at(p)))
        .collect();
    // The chart's own schema names its values; a subchart's names values under its name.
    assert_eq!(
        paths,
        [
            ("primary.bogus".to_owned(), Some((2, 3))),
            ("common.exampleValue".to_owned(), Some((4, 3)))
        ]
    );
}

#[test]
fn fail_and_template_errors_in_both_wordings() {
    let text = "db:\n  host:\n    name: a\n";
    let set = ["image.tag=3".to_owned()];
    let helm3 = "Error: template: mini/templates/cm.yaml:4:18: executing \"mini/templates/cm.yaml\" at <.Values.db.host.name>: can't evaluate field name in type interface {}\n\nUse --debug flag to render out invalid YAML\n";
    let helm4 = "Error: mini/templates/cm.yaml:4:18\n  executing \"mini/templates/cm.yaml\" at <.Values.db.host.name>:\n    can't evaluate field name in type interface {}\n\nUse --debug flag to render out invalid YAML\n";
    for stderr in [helm3, helm4] {
        let found = problems(stderr, text, &set);
        assert_eq!(found.len(), 1);
        let problem = &found[0];
        assert_eq!(problem.kind, ProblemKind::Template);
        assert_eq!(
            problem.chart_file.as_ref().unwrap().to_string(),
            "mini/templates/cm.yaml:4:18"
        );
        assert!(problem
            .message
            .ends_with("can't evaluate field name in type interface {}"));
        assert_eq!(problem.paths[0].path.to_string(), "db.host.name");
        assert_eq!(at(problem), Some((3, 5)));
    }
    let fail = "Error: execution error at (mini/templates/cm.yaml:4:11): db.port is required, see image.tag\n";
    let found = problems(fail, text, &set);
    assert_eq!(found[0].kind, ProblemKind::Fail);
    assert_eq!(found[0].message, "db.port is required, see image.tag");
    // Named paths the user sets are kept; `db.port` is in no file and not `.Values.`.
    let paths: Vec<String> = found[0].paths.iter().map(|p| p.path.to_string()).collect();
    assert!(paths.is_empty(), "{paths:?}");
}

#[test]
fn other_helm_errors_are_not_problems() {
    let files = files("a: 1\n");
    let files = Files {
        files: &files,
        set: &[],
        secrets: None,
    };
    for stderr in [
        "Error: path \"/tmp/nochart\" not found\n",
        "Error: open /nonexist.yml: no such file or directory\n",
        "Error: Chart.yaml file is missing\n",
        "",
    ] {
        assert!(parse(stderr, &no_chart(), &files).is_none(), "{stderr}");
    }
}

#[test]
fn a_rendered_stream_that_is_not_yaml_is_a_manifest_problem() {
    let found = problems(
        "Error: YAML parse error on mini/templates/cm.yaml: error converting YAML to JSON: yaml: line 7: mapping values are not allowed in this context\n",
        "a: 1\n",
        &[],
    );
    assert_eq!(found[0].kind, ProblemKind::Manifest);
    assert_eq!(
        found[0].chart_file.as_ref().unwrap().file,
        "mini/templates/cm.yaml"
    );
}

#[test]
fn a_template_that_does_not_parse_names_its_line() {
    let found = problems(
        "Error: parse error at (mini/templates/cm.yaml:4): function \"foo\" not defined\n\nUse --debug flag to render out invalid YAML\n",
        "a: 1\n",
        &[],
    );
    assert_eq!(found[0].kind, ProblemKind::Template);
    assert_eq!(found[0].message, "function \"foo\" not defined");
    assert_eq!(
        found[0].chart_file.as_ref().unwrap().to_string(),
        "mini/templates/cm.yaml:4"
    );
}

const OLD_STREAM: &str = "---
# Source: app/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: app
  namespace: ns
data:
  tls.crt: b2xk
  user: YWRtaW4=
stringData:
  config: plain-old
---
# Source: app/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-settings
  namespace: ns
data:
  a: '1'
  b: '2'
  c: '3'
---
# Source: app/templates/gone.yaml
apiVersion: v1
kind: Service
metadata:
  name: app-old
  namespace: ns
spec:
  ports: [{name: http, port: 80}]
---
# Source: app/templates/same.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: ns
";

const NEW_STREAM: &str = "---
# Source: app/templates/same.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: ns}
---
# Source: app/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: app
  namespace: ns
data:
  tls.crt: bmV3
  user: YWRtaW4=
stringData:
  config: plain-new
---
# Source: app/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: ns
data:
  a: '1'
  b: '2'
  c: '4'
---
# Source: app/templates/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app
  namespace: ns
";

fn stream_diff(show_secrets: bool) -> ManifestDiff {
    let old = manifest::split(OLD_STREAM).unwrap();
    let new = manifest::split(NEW_STREAM).unwrap();
    diff_manifests(&old, &new, show_secrets)
}

#[test]
fn manifest_diff_matches_renames_and_redacts_secret_data() {
    let result = stream_diff(false);
    let listed: Vec<String> = result
        .changes
        .iter()
        .map(|c| format!("{} {}", c.kind.as_str(), c.id))
        .collect();
    // By kind, namespace, name; the ConfigMap renamed (one value changed besides its name);
    // the ServiceAccount only re-formatted: unchanged.
    assert_eq!(
        listed,
        [
            "renamed ConfigMap v1 ns/app-config",
            "added Ingress networking.k8s.io/v1 ns/app",
            "changed Secret v1 ns/app",
            "removed Service v1 ns/app-old",
        ]
    );
    assert_eq!(result.unchanged, 1);
    for format in crate::diff::render::Format::ALL {
        let text = report::manifest_diff(&result, format, "old", "new", Color::Never);
        assert!(
            !text.contains("b2xk") && !text.contains("plain-new"),
            "{text}"
        );
        insta::assert_snapshot!(format!("manifest_diff_{}", format.as_str()), text);
    }
    let shown = report::manifest_diff(
        &stream_diff(true),
        crate::diff::render::Format::Brief,
        "old",
        "new",
        Color::Never,
    );
    assert!(
        shown.contains("b2xk -> bmV3") && shown.contains("plain-old -> plain-new"),
        "{shown}"
    );
}

#[test]
fn the_users_line_is_redacted_unless_secrets_are_shown() {
    let files = files("db:\n  password: Hunter2x\n  port: 1\n");
    let stderr = "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nmini:\n- at '/db/password': got string, want integer\n";
    let secrets = crate::secrets::SecretValues::of_document(&files[0].1);
    let line = |secrets: Option<&crate::secrets::SecretValues>| {
        let found = parse(
            stderr,
            &no_chart(),
            &Files {
                files: &files,
                set: &[],
                secrets,
            },
        )
        .unwrap();
        found[0].user_position().unwrap().source_line.clone()
    };
    assert_eq!(line(Some(&secrets)), "  password: <redacted>");
    assert_eq!(line(None), "  password: Hunter2x");
}
