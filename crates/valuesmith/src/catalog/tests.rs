use std::ffi::OsString;
use std::path::{Path as FsPath, PathBuf};

use super::reading::decode;
use super::*;
use crate::diagnostic::{did_you_mean, Location, ToDiagnostic};
use crate::path::Path;
use crate::value::Value;
use crate::version::Version;

const FULL: &str = r#"# A catalog with the fields docs/catalog.md describes.
product: cluedin-platform
chart: cluedin/cluedin-platform
release_name: cluedin-platform
namespace: cluedin
version_path: global.image.tag
identity_keys: [name]
policy:
  sequential: minor
commands:
  set:
    application.system.runDatabaseJobsOnUpgrade: true
    application.system.runNugetFullRestore: true
  upgrade_mode: application.system.upgradeMode
  data_upgrade:
    mode_effect: ingestion and processing stop
    apply: |
      apiVersion: api.cluedin.com/v1
      kind: DataUpgrade
      metadata: {name: "data-upgrade-{name}", namespace: "{namespace}"}
      spec: {toVersion: "{label}"}
    wait_for: the server log shows `POST /api/upgradeto/{label}` answered with 200
    finish:
      application.system.runDatabaseJobsOnUpgrade: false
      application.system.runNugetFullRestore: false
releases:
  - version: 2025.05.00
    chart_version: 2.5.0
    upgrade_from: ">=2024.12.00"
    data_upgrade: Version450
    notes: Back up all PVCs first; databases are upgraded.
    values:
      global: { image: { tag: "2025.05.00" } }
    migrate:
      - remove: application.cluedin.image.tag
        reason: the platform tag now comes from global.image.tag only
      - add: application.system.redis.host
        value: cluedin-redis-master
      - rename: application.gql.token
        to: application.cluedin.gql.hubSpotToken
      - set: global.strategy.type
        value: Recreate
      - replace: application.cluedin.resources.limits.memory
        from: 4Gi
        value: 6Gi
      - require: application.cluedin.gql.hubSpotToken
        reason: HubSpot integration needs a personal access token
      - warn: customer packages must be rebuilt against platform 2025.05
  - version: 2024.12.02
    chart_version: 2.4.2
    values:
      global: { image: { tag: "2024.12.02" } }
"#;

fn parse(text: &str) -> Catalog {
    match Catalog::parse(text, "releases.yml") {
        Ok(catalog) => catalog,
        Err(err) => panic!("{err}"),
    }
}

fn error(text: &str) -> CatalogError {
    match Catalog::parse(text, "releases.yml") {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(err) => err,
    }
}

/// `file:line:col: message` and the hint, the way tests compare them.
fn message(text: &str) -> (String, Option<String>) {
    let err = error(text);
    (err.to_string(), err.hint().map(str::to_owned))
}

const HEAD: &str = "product: p\nchart: repo/p\n";

fn with_releases(releases: &str) -> String {
    format!("{HEAD}releases:\n{releases}")
}

fn v(text: &str) -> Version {
    Version::parse(text).unwrap()
}

#[test]
fn reads_the_product_example() {
    let catalog = parse(FULL);
    assert_eq!(catalog.product, "cluedin-platform");
    assert_eq!(catalog.chart, "cluedin/cluedin-platform");
    assert_eq!(catalog.release_name, "cluedin-platform");
    assert_eq!(catalog.namespace, "cluedin");
    assert_eq!(
        catalog.version_path.as_ref().map(ToString::to_string),
        Some("global.image.tag".to_owned())
    );
    assert_eq!(catalog.identity_keys, vec!["name".to_owned()]);
    assert_eq!(catalog.policy.sequential, Sequential::Minor);
    let set: Vec<String> = catalog
        .commands
        .set
        .iter()
        .map(|f| format!("{}={}", f.path, f.value.scalar_text().unwrap()))
        .collect();
    assert_eq!(
        set,
        [
            "application.system.runDatabaseJobsOnUpgrade=true",
            "application.system.runNugetFullRestore=true"
        ]
    );
    assert_eq!(
        catalog.commands.upgrade_mode.as_ref().unwrap().to_string(),
        "application.system.upgradeMode"
    );
    let procedure = &catalog.commands.data_upgrade;
    assert_eq!(
        procedure.apply.as_deref(),
        Some(
            "apiVersion: api.cluedin.com/v1\nkind: DataUpgrade\nmetadata: {name: \
             \"data-upgrade-{name}\", namespace: \"{namespace}\"}\nspec: {toVersion: \"{label}\"}\n"
        )
    );
    assert_eq!(
        procedure.wait_for.as_deref(),
        Some("the server log shows `POST /api/upgradeto/{label}` answered with 200")
    );
    assert_eq!(
        procedure.mode_effect.as_deref(),
        Some("ingestion and processing stop")
    );
    assert!(procedure.begin.is_empty());
    let finish: Vec<String> = procedure
        .finish
        .iter()
        .map(|f| format!("{}={}", f.path, f.value.scalar_text().unwrap()))
        .collect();
    assert_eq!(
        finish,
        [
            "application.system.runDatabaseJobsOnUpgrade=false",
            "application.system.runNugetFullRestore=false"
        ]
    );
    // Sorted by version whatever the order written.
    assert_eq!(catalog.versions_text(), "2024.12.02, 2025.05.00");
    let release = catalog.release(&v("2025.5.0")).unwrap();
    assert_eq!(release.version.as_str(), "2025.05.00");
    assert_eq!(release.chart_version, "2.5.0");
    assert_eq!(release.data_upgrade.as_deref(), Some("Version450"));
    assert_eq!(
        release.notes.as_deref(),
        Some("Back up all PVCs first; databases are upgraded.")
    );
    assert!(release
        .upgrade_from
        .as_ref()
        .unwrap()
        .matches(&v("2024.12.02")));
    assert_eq!(release.origin.version.to_string(), "releases.yml:27:14");
    assert_eq!(
        release.origin.upgrade_from.as_ref().unwrap().to_string(),
        "releases.yml:29:19"
    );
    assert!(release.values.get("global").is_some());
    let kinds: Vec<&str> = release.migrate.iter().map(|r| r.kind.name()).collect();
    assert_eq!(
        kinds,
        ["remove", "add", "rename", "set", "replace", "require", "warn"]
    );
    assert_eq!(
        release.migrate[0].reason.as_deref(),
        Some("the platform tag now comes from global.image.tag only")
    );
    assert_eq!(release.migrate[0].at.to_string(), "releases.yml:35:9");
    match &release.migrate[2].kind {
        RuleKind::Rename { from, to } => {
            assert_eq!(from.to_string(), "application.gql.token");
            assert_eq!(to.to_string(), "application.cluedin.gql.hubSpotToken");
        }
        other => panic!("{other:?}"),
    }
    match &release.migrate[4].kind {
        RuleKind::Replace { path, from, value } => {
            assert_eq!(
                path.to_string(),
                "application.cluedin.resources.limits.memory"
            );
            assert_eq!(from, &Value::String("4Gi".into()));
            assert_eq!(value, &Value::String("6Gi".into()));
        }
        other => panic!("{other:?}"),
    }
    let required: Vec<String> = release.required_inputs().map(ToString::to_string).collect();
    assert_eq!(required, ["application.cluedin.gql.hubSpotToken"]);
    match &release.migrate[6].kind {
        RuleKind::Warn { text } => {
            assert_eq!(
                text,
                "customer packages must be rebuilt against platform 2025.05"
            )
        }
        other => panic!("{other:?}"),
    }
    let old = catalog.release(&v("2024.12.02")).unwrap();
    assert!(old.upgrade_from.is_none());
    assert!(old.data_upgrade.is_none());
    assert!(old.migrate.is_empty());
    assert_eq!(
        catalog
            .source_span(&release.origin.version)
            .and_then(|s| s.line_text())
            .as_deref(),
        Some("  - version: 2025.05.00")
    );
}

#[test]
fn defaults() {
    let catalog = parse(&with_releases(
        "  - version: 1.0.0\n    chart_version: 1.0.0\n",
    ));
    assert_eq!(catalog.release_name, "p");
    assert_eq!(catalog.namespace, "p");
    assert_eq!(catalog.policy.sequential, Sequential::Minor);
    assert!(catalog.version_path.is_none());
    assert!(catalog.identity_keys.is_empty());
    assert_eq!(catalog.commands, Commands::default());
    let release = &catalog.releases()[0];
    assert!(release.values.is_empty());
    assert!(release.notes.is_none());

    let catalog = parse(&format!(
        "{HEAD}release_name: rel\nreleases:\n  - version: 1.0.0\n    chart_version: 1.0.0\n"
    ));
    assert_eq!(catalog.namespace, "rel");
}

#[test]
fn versions_keep_their_text() {
    // 2024.10 is a YAML float; the catalog keeps the text as written.
    let catalog = parse(&with_releases(
        "  - version: 2024.10\n    chart_version: 2.10\n  - version: 2024.12.00\n    chart_version: 2.4.1\n",
    ));
    assert_eq!(catalog.versions_text(), "2024.10, 2024.12.00");
    assert_eq!(catalog.releases()[0].chart_version, "2.10");
}

#[test]
fn data_upgrade_false_or_null_means_none() {
    for value in ["false", "~", "null"] {
        let catalog = parse(&with_releases(&format!(
            "  - version: 1.0.0\n    chart_version: 1.0.0\n    data_upgrade: {value}\n"
        )));
        assert_eq!(catalog.releases()[0].data_upgrade, None, "{value}");
    }
}

#[test]
fn policies() {
    for (text, policy) in [
        ("none", Sequential::None),
        ("minor", Sequential::Minor),
        ("major", Sequential::Major),
    ] {
        let catalog = parse(&format!(
            "{HEAD}policy: {{sequential: {text}}}\nreleases:\n  - {{version: 1.0.0, chart_version: 1.0.0}}\n"
        ));
        assert_eq!(catalog.policy.sequential, policy);
        assert_eq!(policy.as_str(), text);
    }
    assert_eq!(Sequential::Minor.series(&v("2024.12.02")), Some((2024, 12)));
    assert_eq!(Sequential::Major.series(&v("2024.12.02")), Some((2024, 0)));
    assert_eq!(Sequential::None.series(&v("2024.12.02")), None);
    assert_eq!(Sequential::Minor.series_text((2024, 12)), "2024.12");
    assert_eq!(Sequential::Major.series_text((2, 0)), "2");
}

#[test]
fn values_file_names_use_the_catalog() {
    let catalog = parse(&with_releases(
        "  - {version: 2024.12, chart_version: 2.4.1}\n",
    ));
    let name = catalog.values_file_name("values-eu-1-2024-12.yml").unwrap();
    assert_eq!(name.env, "eu-1");
    assert_eq!(name.release.as_str(), "2024.12");
    assert!(catalog.values_file_name("values.yaml").is_none());
}

// ----- every error a catalog can have, with its position and message -----

#[test]
fn yaml_and_shape_errors() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        (
            "product: p\nchart: c\nreleases: [\n",
            "releases.yml:3:11: unclosed bracket '['",
            None,
        ),
        (
            "product: p\nproduct: q\n",
            "releases.yml:2:1: duplicate mapping key `product` is not allowed here",
            Some("remove one of them"),
        ),
        (
            "product: p\nchart: c\nrelease: x\n",
            "releases.yml:3:1: unknown field `release`, expected one of product, chart, \
             release_name, namespace, version_path, identity_keys, policy, commands, releases",
            Some("did you mean `releases`?"),
        ),
        (
            "product: p\nchart: c\ncomands: {}\n",
            "releases.yml:3:1: unknown field `comands`, expected one of product, chart, \
             release_name, namespace, version_path, identity_keys, policy, commands, releases",
            Some("did you mean `commands`?"),
        ),
        (
            "product: p\nchart: c\nzzz: 1\n",
            "releases.yml:3:1: unknown field `zzz`, expected one of product, chart, \
             release_name, namespace, version_path, identity_keys, policy, commands, releases",
            Some("see docs/catalog.md for the catalog format"),
        ),
        (
            "product: p\nchart: c\npolicy:\n  sequentail: minor\n",
            "releases.yml:4:3: unknown field `sequentail`, expected one of sequential",
            Some("did you mean `sequential`?"),
        ),
        (
            "product: p\nchart: c\ncommands:\n  upgrade: x\n",
            "releases.yml:4:3: unknown field `upgrade`, expected one of set, upgrade_mode, \
             data_upgrade",
            Some("see docs/catalog.md for the catalog format"),
        ),
        (
            "product: p\nchart: c\nreleases:\n  - version: 1.0.0\n    chart_version: 1.0.0\n    note: x\n",
            "releases.yml:6:5: unknown field `note`, expected one of version, chart_version, \
             upgrade_from, data_upgrade, notes, values, migrate",
            Some("did you mean `notes`?"),
        ),
        (
            "product: p\nchart: c\nreleases:\n  - version: 1.0.0\n",
            "releases.yml:4:5: missing field `chart_version`",
            Some("see docs/catalog.md for the catalog format"),
        ),
        (
            "product: p\nchart: c\nreleases:\n  - chart_version: 1.0.0\n",
            "releases.yml:4:5: missing field `version`",
            Some("see docs/catalog.md for the catalog format"),
        ),
        (
            "product: p\nchart: c\nreleases:\n\t- version: 1.0.0\n",
            "releases.yml:4:2: tabs disallowed within this context (block indentation)",
            Some("indent with spaces, not tabs"),
        ),
        (
            "product: p\nchart: c\nreleases:\n  - version: 1.0.0\n    chart_version: 1\n    upgrade_from: >=0.9\n",
            "releases.yml:6:19: while scanning a block scalar, did not find expected comment or \
             line break",
            Some(
                "a value starting with `>` or `|` begins a block of text: quote it, as in \
                 `upgrade_from: \">=2024.12\"`",
            ),
        ),
        (
            "product: p\nchart: c\n---\nproduct: q\n",
            "releases.yml:4:1: only single YAML document expected but multiple found",
            Some(
                "a catalog file is one YAML document: remove the `---` line, or put each \
                 document in its own file of a releases/ folder",
            ),
        ),
        (
            "product: {a: 1}\n",
            "releases.yml:1:10: expected string scalar",
            None,
        ),
        (
            "product: p\nchart: c\nreleases: {a: 1}\n",
            "releases.yml:3:11: expected sequence start",
            None,
        ),
        (
            "- product: p\n",
            "releases.yml:1:1: expected mapping start",
            None,
        ),
    ];
    for (text, expected, hint) in cases {
        let (got, got_hint) = message(text);
        assert_eq!(&got, expected, "{text}");
        assert_eq!(got_hint.as_deref(), *hint, "{text}");
    }
    assert_eq!(
        error("product: p\nproduct: q\n").kind(),
        Some(CatalogErrorKind::DuplicateKey)
    );
    assert_eq!(
        error("product: p\nchart: c\nzzz: 1\n").kind(),
        Some(CatalogErrorKind::UnknownField)
    );
}

#[test]
fn empty_and_missing_top_level() {
    for text in ["", "# only a comment\n\n", "---\n"] {
        let err = error(text);
        assert_eq!(
            err.to_string(),
            "releases.yml:1:1: the catalog file is empty"
        );
        assert_eq!(err.kind(), Some(CatalogErrorKind::Empty));
    }
    let cases = [
        (
            "chart: c\nreleases: []\n",
            "releases.yml:1:1: the catalog has no `product`",
            "add `product: my-product` at the top level",
        ),
        (
            "product: p\nreleases: []\n",
            "releases.yml:1:1: the catalog has no `chart`",
            "add `chart: my-repo/my-chart` at the top level",
        ),
        (
            "product: p\nchart: c\n",
            "releases.yml:1:1: the catalog has no `releases`",
            "list the releases under `releases:`, each with `version` and `chart_version`",
        ),
        (
            "product: p\nchart: c\nreleases: []\n",
            "releases.yml:1:1: the catalog's `releases` list is empty",
            "list the releases under `releases:`, each with `version` and `chart_version`",
        ),
        (
            "product: ''\nchart: c\n",
            "releases.yml:1:10: `product` is empty",
            "",
        ),
    ];
    for (text, expected, hint) in cases {
        let err = error(text);
        assert_eq!(err.to_string(), expected, "{text}");
        assert_eq!(err.hint().unwrap_or(""), hint, "{text}");
    }
}

#[test]
fn header_value_errors() {
    let cases = [
        (
            "product: p\nchart: c\npolicy:\n  sequential: patch\n",
            "releases.yml:4:15: `policy.sequential` is `patch`",
            "write none, minor or major",
        ),
        (
            "product: p\nchart: c\nversion_path: global..tag\n",
            "releases.yml:3:22: version_path: invalid path `global..tag` at character 8: \
             empty key: write it as \"\"",
            "paths look like",
        ),
        (
            "product: p\nchart: c\nversion_path: \"\"\n",
            "releases.yml:3:15: version_path: the empty path is the whole document",
            "name the key to act on",
        ),
        (
            "product: p\nchart: c\ncommands:\n  set:\n    \"packages[name=x].enabled\": true\n",
            "releases.yml:5:5: commands.set: helm's --set cannot select `[name=x]` by identity",
            "use a position such as `[0]`",
        ),
        (
            "product: p\nchart: c\ncommands:\n  set:\n    a.b: [1, 2]\n",
            "releases.yml:5:10: `commands.set` value of `a.b` is a sequence",
            "a --set flag takes a scalar",
        ),
        (
            "product: p\nchart: c\ncommands:\n  upgrade_mode: a.mode\n  set:\n    a.mode: true\n",
            "releases.yml:6:5: `commands.set` sets `a.mode`, which is `upgrade_mode`",
            "leave it out",
        ),
        (
            "product: p\nchart: c\ncommands:\n  upgrade_mode: a[x\n",
            "releases.yml:4:18: commands.upgrade_mode: invalid path `a[x` at character 2: \
             expected `[N]` or `[key=value]` (a position or an identity)",
            "paths look like",
        ),
        (
            "product: p\nchart: c\ncommands:\n  data_upgrade: {wait_for: ' '}\n",
            "releases.yml:4:28: `commands.data_upgrade.wait_for` is empty",
            "",
        ),
        (
            "product: p\nchart: c\nidentity_keys: [name, '']\n",
            "releases.yml:3:23: `identity_keys` is empty",
            "",
        ),
    ];
    for (text, expected, hint) in cases {
        let err = error(text);
        assert_eq!(err.to_string(), expected, "{text}");
        assert!(
            err.hint().unwrap_or("").starts_with(hint),
            "{text}: hint {:?}",
            err.hint()
        );
    }
}

#[test]
fn release_errors() {
    let cases = [
        (
            "  - version: 2025\n    chart_version: 1\n",
            "releases.yml:4:14: invalid release version `2025`: expected 2 or 3 dotted numbers, \
             found 1",
            CatalogErrorKind::BadVersion,
        ),
        (
            "  - version: v1.2.3\n    chart_version: 1\n",
            "releases.yml:4:14: invalid release version `v1.2.3`: it starts with `v`",
            CatalogErrorKind::BadVersion,
        ),
        (
            "  - version: 1.0.0\n    chart_version: \"\"\n",
            "releases.yml:5:20: `chart_version` is empty",
            CatalogErrorKind::BadValue,
        ),
        (
            "  - version: 1.0.0\n    chart_version: 1\n  - version: 1.0.0\n    chart_version: 2\n",
            "releases.yml:6:14: release 1.0.0 is listed twice (first at releases.yml:4:14)",
            CatalogErrorKind::DuplicateRelease,
        ),
        (
            "  - version: 2024.12\n    chart_version: 1\n  - version: 2024.12.00\n    chart_version: 2\n",
            "releases.yml:6:14: release 2024.12.00 is the same release as 2024.12 \
             (first at releases.yml:4:14): versions compare as numbers",
            CatalogErrorKind::DuplicateRelease,
        ),
        (
            "  - version: 2.0.0\n    chart_version: 1\n    upgrade_from: \">=1.0, ~1.5\"\n",
            "releases.yml:6:27: `upgrade_from` of 2.0.0: unsupported operator `~` in `>=1.0, ~1.5`",
            CatalogErrorKind::BadUpgradeFrom,
        ),
        (
            "  - version: 2.0.0\n    chart_version: 1\n    upgrade_from: \">=1.x\"\n",
            "releases.yml:6:22: `upgrade_from` of 2.0.0: bad version in `>=1.x`: invalid release \
             version `1.x`: `x` is not a number",
            CatalogErrorKind::BadUpgradeFrom,
        ),
        (
            "  - version: 2.0.0\n    chart_version: 1\n    upgrade_from: ''\n",
            "releases.yml:6:20: `upgrade_from` of 2.0.0: empty version requirement ``",
            CatalogErrorKind::BadUpgradeFrom,
        ),
        (
            "  - version: 2024.12\n    chart_version: 1\n    upgrade_from: \">=2025.01\"\n",
            "releases.yml:6:19: `upgrade_from: >=2025.01` of 2024.12 admits no release before \
             2024.12, so nothing could upgrade to it",
            CatalogErrorKind::BadUpgradeFrom,
        ),
        (
            "  - version: 1.0.0\n    chart_version: 1\n    data_upgrade: true\n",
            "releases.yml:6:19: `data_upgrade` of 1.0.0 must be the data upgrade's label (such as \
             `Version450`), found the bool `true`",
            CatalogErrorKind::BadValue,
        ),
        (
            "  - version: 1.0.0\n    chart_version: 1\n    data_upgrade: [a]\n",
            "releases.yml:6:19: `data_upgrade` of 1.0.0 must be the data upgrade's label (such as \
             `Version450`), found a sequence",
            CatalogErrorKind::BadValue,
        ),
        (
            "  - version: 1.0.0\n    chart_version: 1\n    values: [a]\n",
            "releases.yml:6:13: `values` of 1.0.0 must be a mapping, found a sequence",
            CatalogErrorKind::BadValue,
        ),
        (
            "  - version: 1.0.0\n    chart_version: 1\n    values: text\n",
            "releases.yml:6:13: `values` of 1.0.0 must be a mapping, found the string `text`",
            CatalogErrorKind::BadValue,
        ),
    ];
    for (releases, expected, kind) in cases {
        let err = error(&with_releases(releases));
        assert_eq!(err.to_string(), expected, "{releases}");
        assert_eq!(err.kind(), Some(kind), "{releases}");
        // An empty field needs no hint; every other mistake says what to write.
        assert!(
            err.hint().is_some() || err.message().ends_with("is empty"),
            "{releases}"
        );
    }
}

fn rule_error(rules: &str) -> CatalogError {
    error(&with_releases(&format!(
        "  - version: 1.0.0\n    chart_version: 1\n    migrate:\n{rules}"
    )))
}

#[test]
fn rule_errors() {
    // The rules start on line 7 of the catalog.
    let cases = [
        (
            "      - delete: a.b\n",
            "releases.yml:7:9: unknown rule `delete` in release 1.0.0",
            "a rule is one of: set, add, remove, rename, replace, require, warn",
        ),
        (
            "      - remvoe: a.b\n",
            "releases.yml:7:9: unknown rule `remvoe` in release 1.0.0",
            "did you mean `remove`?",
        ),
        (
            "      - value: 1\n        reason: x\n",
            "releases.yml:7:9: a rule of release 1.0.0 has `value`, `reason` but no kind",
            "start the rule with one of: set, add, remove, rename, replace, require, warn",
        ),
        (
            "      - {}\n",
            "releases.yml:7:9: a rule of release 1.0.0 has nothing but no kind",
            "start the rule with one of: set, add, remove, rename, replace, require, warn",
        ),
        (
            "      - set: a\n        remove: b\n        value: 1\n",
            "releases.yml:8:9: a rule of release 1.0.0 has two kinds, `set` and `remove`",
            "write each as its own list item (`- ...`)",
        ),
        (
            "      - set: a\n",
            "releases.yml:7:9: `set` rule of release 1.0.0 needs `value`",
            "a `set` rule is `set: P` with `value: V`",
        ),
        (
            "      - add: a\n",
            "releases.yml:7:9: `add` rule of release 1.0.0 needs `value`",
            "a `add` rule is `add: P` with `value: V`",
        ),
        (
            "      - replace: a\n        value: 2\n",
            "releases.yml:7:9: `replace` rule of release 1.0.0 needs `from`",
            "a `replace` rule is `replace: P` with `from: A` and `value: V`",
        ),
        (
            "      - replace: a\n        from: 1\n",
            "releases.yml:7:9: `replace` rule of release 1.0.0 needs `value`",
            "a `replace` rule is `replace: P` with `from: A` and `value: V`",
        ),
        (
            "      - rename: a\n",
            "releases.yml:7:9: `rename` rule of release 1.0.0 needs `to`",
            "a `rename` rule is `rename: P` with `to: Q`",
        ),
        (
            "      - remove: a\n        value: 1\n",
            "releases.yml:8:9: `value` does not belong in a `remove` rule (release 1.0.0)",
            "a `remove` rule is `remove: P`",
        ),
        (
            "      - require: a\n        to: b\n",
            "releases.yml:8:9: `to` does not belong in a `require` rule (release 1.0.0)",
            "a `require` rule is `require: P`",
        ),
        (
            "      - set: a\n        value: 1\n        from: 0\n",
            "releases.yml:9:9: `from` does not belong in a `set` rule (release 1.0.0)",
            "a `set` rule is `set: P` with `value: V`",
        ),
        (
            "      - warn: text\n        value: 1\n",
            "releases.yml:8:9: `value` does not belong in a `warn` rule (release 1.0.0)",
            "a `warn` rule is `warn: TEXT`",
        ),
        (
            "      - set: a\n        valeu: 1\n",
            "releases.yml:8:9: unknown field `valeu` in a `set` rule (release 1.0.0)",
            "did you mean `value`?",
        ),
        (
            "      - remove: a\n        because: x\n",
            "releases.yml:8:9: unknown field `because` in a `remove` rule (release 1.0.0)",
            "a `remove` rule is `remove: P`",
        ),
        (
            "      - remove: a..b\n",
            "releases.yml:7:19: `remove` rule of release 1.0.0: invalid path `a..b` at \
             character 3: empty key: write it as \"\"",
            "paths look like",
        ),
        (
            "      - set: 'a.b c'\n        value: 1\n",
            "releases.yml:7:18: `set` rule of release 1.0.0: invalid path `a.b c` at character \
             4: ` ` in a key: write the key in double quotes",
            "paths look like",
        ),
        (
            "      - require: \"\"\n",
            "releases.yml:7:18: `require` rule of release 1.0.0: the empty path is the whole \
             document",
            "name the key to act on",
        ),
        (
            "      - rename: a.b\n        to: a..c\n",
            "releases.yml:8:15: `to` of `rename` rule of release 1.0.0: invalid path `a..c` at \
             character 3: empty key: write it as \"\"",
            "paths look like",
        ),
        (
            "      - rename: a.b\n        to: a.b\n",
            "releases.yml:8:13: `rename` rule of release 1.0.0 renames `a.b` to itself",
            "`rename` moves a value",
        ),
        (
            "      - rename: a.b\n        to: a.b.c\n",
            "releases.yml:8:13: `rename` rule of release 1.0.0 moves `a.b` into itself (`a.b.c`)",
            "`rename` moves a value",
        ),
        (
            "      - rename: a.b\n        to: a\n",
            "releases.yml:8:13: `rename` rule of release 1.0.0 moves `a.b` onto its own parent \
             `a`, which it would replace",
            "`rename` moves a value",
        ),
        (
            "      - warn: '  '\n",
            "releases.yml:7:15: `warn` is empty",
            "",
        ),
        (
            "      - remove: a\n        remove: b\n",
            "releases.yml:8:9: duplicate mapping key `remove` is not allowed here",
            "remove one of them",
        ),
        (
            "      - remove\n",
            "releases.yml:7:9: expected mapping start",
            "",
        ),
    ];
    for (rules, expected, hint) in cases {
        let err = rule_error(rules);
        assert_eq!(err.to_string(), expected, "{rules}");
        assert!(
            err.hint().unwrap_or("").starts_with(hint),
            "{rules}: hint {:?}",
            err.hint()
        );
    }
    assert_eq!(
        rule_error("      - delete: a\n").kind(),
        Some(CatalogErrorKind::BadRule)
    );
    assert_eq!(
        rule_error("      - remove: a..b\n").kind(),
        Some(CatalogErrorKind::BadPath)
    );
}

#[test]
fn rule_values_and_identity_paths() {
    let catalog = parse(&with_releases(
        "  - version: 1.0.0\n    chart_version: 1\n    migrate:\n      \
         - set: packages[name=CluedIn.Connector.Http].version\n        value: \"4.5.0\"\n      \
         - add: a.map\n        value: {x: [1, 2]}\n      \
         - replace: a.n\n        from: 1.10\n        value: ~\n        reason: >\n          folded\n          text\n",
    ));
    let rules = &catalog.releases()[0].migrate;
    match &rules[0].kind {
        RuleKind::Set { path, value } => {
            assert_eq!(
                path.to_string(),
                "packages[name=CluedIn.Connector.Http].version"
            );
            assert_eq!(value, &Value::String("4.5.0".into()));
        }
        other => panic!("{other:?}"),
    }
    match &rules[1].kind {
        RuleKind::Add { value, .. } => assert_eq!(value.type_name(), "mapping"),
        other => panic!("{other:?}"),
    }
    match &rules[2].kind {
        RuleKind::Replace { from, value, .. } => {
            assert_eq!(from, &Value::Float(1.1));
            assert_eq!(value, &Value::Null);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(rules[2].reason.as_deref(), Some("folded text"));
    assert_eq!(rules[2].kind.path().unwrap().to_string(), "a.n");
}

#[test]
fn encoding_errors() {
    let err = decode(&[0xFF, 0xFE, b'a', 0], "r.yml").err().unwrap();
    assert_eq!(err.to_string(), "r.yml:1:1: the catalog file is UTF-16");
    let err = decode(b"product: p\nchart: \xff\n", "r.yml").err().unwrap();
    assert_eq!(
        err.to_string(),
        "r.yml:2:8: the catalog file is not valid UTF-8"
    );
    assert_eq!(err.kind(), Some(CatalogErrorKind::Encoding));
    let source = decode(b"\xEF\xBB\xBFproduct: p\r\n", "r.yml").unwrap();
    assert_eq!(&*source.text, "product: p\r\n");
}

#[test]
fn bom_and_crlf_are_read() {
    let text = format!(
        "\u{feff}{}",
        with_releases("  - {version: 1.0.0, chart_version: 1}\n")
    )
    .replace('\n', "\r\n");
    let catalog = parse(&text);
    assert_eq!(catalog.versions_text(), "1.0.0");
}

#[test]
fn diagnostics_carry_position_snippet_and_hint() {
    let err = rule_error("      - remvoe: a.b\n");
    let diagnostic = err.to_diagnostic();
    assert_eq!(
        diagnostic.render(crate::diagnostic::Color::Never),
        "error: bad catalog: unknown rule `remvoe` in release 1.0.0\n  --> releases.yml:7:9\n   \
         |\n 7 |       - remvoe: a.b\n   |         ^\nhint: did you mean `remove`?\n"
    ); // The error keeps the byte span, not a copy of the line: the snippet is cut when shown.
    let span = err.span().expect("a span");
    let text = with_releases(
        "  - version: 1.0.0\n    chart_version: 1\n    migrate:\n      - remvoe: a.b\n",
    );
    assert_eq!(&text[span.clone()], "r", "{span:?}");
    assert_eq!(err.location(), Some(Location { line: 7, column: 9 }));
    assert_eq!(err.hint(), Some("did you mean `remove`?"));
}

// ----- files, folders and discovery -----

fn write(dir: &FsPath, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn temp() -> TempDir {
    TempDir::new()
}

/// A throwaway folder under the target dir (the library has no tempfile dependency).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!(
            "valuesmith-catalog-test-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(std::fs::canonicalize(&path).unwrap())
    }
    fn path(&self) -> &FsPath {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn loads_a_file() {
    let dir = temp();
    let file = write(dir.path(), "releases.yml", FULL);
    let catalog = Catalog::load(&file).unwrap();
    assert_eq!(catalog.releases().len(), 2);
    assert_eq!(
        catalog.files().collect::<Vec<_>>(),
        [file.display().to_string()]
    );
}

#[test]
fn loads_and_merges_a_folder() {
    let dir = temp();
    let folder = dir.path().join("releases");
    write(
        &folder,
        "00-catalog.yml",
        "product: p\nchart: repo/p\npolicy: {sequential: major}\n",
    );
    write(
        &folder,
        "2024.yml",
        "product: p\nreleases:\n  - {version: 2024.12, chart_version: 2.4.1}\n",
    );
    write(
        &folder,
        "2025.yaml",
        "releases:\n  - {version: 2025.05.00, chart_version: 2.5.0}\n  - {version: 2025.01, chart_version: 2.4.9}\n",
    );
    write(&folder, ".hidden.yml", "not: a catalog\n");
    write(&folder, "README.md", "# notes\n");
    let catalog = Catalog::load(&folder).unwrap();
    assert_eq!(catalog.product, "p");
    assert_eq!(catalog.policy.sequential, Sequential::Major);
    assert_eq!(catalog.versions_text(), "2024.12, 2025.01, 2025.05.00");
    assert_eq!(catalog.files().count(), 3);
    let release = catalog.release(&v("2025.01")).unwrap();
    assert!(release.origin.version.file.ends_with("2025.yaml"));
}

#[test]
fn folder_errors() {
    let dir = temp();
    let folder = dir.path().join("releases");
    std::fs::create_dir_all(&folder).unwrap();
    let err = Catalog::load(&folder).unwrap_err();
    assert_eq!(
        err.message(),
        "the catalog folder has no *.yml or *.yaml files"
    );

    write(&folder, "a.yml", "product: p\nchart: repo/p\n");
    write(&folder, "b.yml", "chart: repo/q\n");
    let err = Catalog::load(&folder).unwrap_err();
    let b = folder.join("b.yml").display().to_string();
    let a = folder.join("a.yml").display().to_string();
    assert_eq!(
        err.to_string(),
        format!("{b}:1:8: `chart` differs from the one at {a}:2:8 (`repo/q` here, `repo/p` there)")
    );
    assert_eq!(err.kind(), Some(CatalogErrorKind::Conflict));

    write(&folder, "b.yml", "commands: {set: {a: 1}}\n");
    write(&folder, "c.yml", "commands: {set: {a: 2}}\n");
    let err = Catalog::load(&folder).unwrap_err();
    let c = folder.join("c.yml").display().to_string();
    assert_eq!(
        err.to_string(),
        format!("{c}:1:11: `commands` differs from the one at {b}:1:11")
    );

    write(&folder, "c.yml", "commands: {set: {a: 1}}\n");
    let err = Catalog::load(&folder).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{a}:1:1: the catalog has no `releases`")
    );

    write(
        &folder,
        "c.yml",
        "releases:\n  - {version: 1.0.0, chart_version: 1}\n",
    );
    write(
        &folder,
        "d.yml",
        "releases:\n  - {version: 1.0, chart_version: 1}\n",
    );
    let err = Catalog::load(&folder).unwrap_err();
    let d = folder.join("d.yml").display().to_string();
    assert_eq!(
        err.to_string(),
        format!(
            "{d}:2:15: release 1.0 is the same release as 1.0.0 (first at {c}:2:15): versions \
             compare as numbers"
        )
    );

    std::fs::remove_file(folder.join("a.yml")).unwrap();
    std::fs::remove_file(folder.join("d.yml")).unwrap();
    let err = Catalog::load(&folder).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{b}:1:1: no file of the catalog sets `product`")
    );

    write(&folder, "e.yml", "");
    let err = Catalog::load(&folder).unwrap_err();
    let e = folder.join("e.yml").display().to_string();
    assert_eq!(
        err.to_string(),
        format!("{e}:1:1: the catalog file is empty")
    );
}

#[test]
fn read_errors() {
    let dir = temp();
    let missing = dir.path().join("nope.yml");
    let err = Catalog::load(&missing).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}: no such file or directory", missing.display())
    );
    assert_eq!(err.kind(), None);
    assert_eq!(
        err.to_diagnostic().message,
        format!("catalog {}: no such file or directory", missing.display())
    );
}

#[test]
fn discovery_order() {
    let dir = temp();
    let root = dir.path();
    let deep = root.join("envs/dev");
    std::fs::create_dir_all(&deep).unwrap();
    let other = write(root, "elsewhere/cat.yml", FULL);

    // Nothing anywhere up to the temp root (and nothing above it is assumed: compare paths).
    let found = Catalog::find(None, None, &deep).unwrap();
    assert!(
        found.as_ref().is_none_or(|f| !f.path.starts_with(root)),
        "{found:?}"
    );

    // A parent folder's releases/ is found...
    std::fs::create_dir_all(root.join("releases")).unwrap();
    let found = Catalog::find(None, None, &deep).unwrap().unwrap();
    assert_eq!(found.path, root.join("releases"));
    assert_eq!(found.found_by, FoundBy::Search);

    // ...releases.yml beside it wins...
    write(root, "releases.yml", FULL);
    let found = Catalog::find(None, None, &deep).unwrap().unwrap();
    assert_eq!(found.path, root.join("releases.yml"));

    // ...and the nearest folder wins over a parent.
    write(&root.join("envs"), "releases.yaml", FULL);
    let found = Catalog::find(None, None, &deep).unwrap().unwrap();
    assert_eq!(found.path, root.join("envs/releases.yaml"));

    // The environment variable beats the search, and is ignored when empty.
    let found = Catalog::find(None, Some(other.clone().into_os_string()), &deep)
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.path.clone(), found.found_by),
        (other.clone(), FoundBy::EnvVar)
    );
    let found = Catalog::find(None, Some(OsString::new()), &deep)
        .unwrap()
        .unwrap();
    assert_eq!(found.found_by, FoundBy::Search);

    // --catalog beats everything.
    let flag = root.join("releases.yml");
    let found = Catalog::find(Some(&flag), Some(other.into_os_string()), &deep)
        .unwrap()
        .unwrap();
    assert_eq!((found.path, found.found_by), (flag, FoundBy::Flag));

    let catalog = Catalog::discover(None, None, &deep).unwrap().unwrap();
    assert_eq!(catalog.product, "cluedin-platform");
}

#[test]
fn named_catalogs_must_exist() {
    let dir = temp();
    let missing = dir.path().join("missing.yml");
    let err = Catalog::find(Some(&missing), None, dir.path()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}: no such file or directory", missing.display())
    );
    assert_eq!(
        err.hint(),
        Some("--catalog names the catalog: a releases.yml file or a folder of *.yml files")
    );
    let err = Catalog::find(None, Some(missing.clone().into_os_string()), dir.path()).unwrap_err();
    assert_eq!(
        err.hint(),
        Some(
            "$VALUESMITH_CATALOG names the catalog: a releases.yml file or a folder of *.yml \
             files"
        )
    );
}

#[test]
fn did_you_mean_is_for_typos_only() {
    assert_eq!(
        did_you_mean("remvoe", RULE_KINDS.iter().copied()),
        Some("remove")
    );
    assert_eq!(did_you_mean("delete", RULE_KINDS.iter().copied()), None);
    assert_eq!(did_you_mean("ad", RULE_KINDS.iter().copied()), Some("add"));
}

#[test]
fn keep_empty_belongs_to_remove_rules_and_is_a_boolean() {
    let base = "product: p\nchart: c/p\nreleases:\n  - version: 1.0.0\n    chart_version: 1.0.0\n    migrate:\n";
    let catalog = parse(&format!(
        "{base}      - remove: a[name=x]\n        keep_empty: true\n"
    ));
    assert_eq!(
        catalog.releases()[0].migrate[0].kind,
        RuleKind::Remove {
            path: Path::parse("a[name=x]").unwrap(),
            keep_empty: true
        }
    );
    let (text, hint) = message(&format!(
        "{base}      - remove: a\n        keep_empty: maybe\n"
    ));
    assert_eq!(
        text,
        "releases.yml:8:9: `keep_empty` of a `remove` rule (release 1.0.0) is true or false"
    );
    assert_eq!(
        hint.as_deref(),
        Some("write `keep_empty: true` to keep an emptied list or mapping")
    );
    let (text, _) = message(&format!(
        "{base}      - set: a\n        value: 1\n        keep_empty: true\n"
    ));
    assert_eq!(
        text,
        "releases.yml:9:9: unknown field `keep_empty` in a `set` rule (release 1.0.0)"
    );
}

#[test]
fn data_upgrade_procedure_mistakes_point_at_the_text() {
    let cases = [
        (
            "commands:\n  data_upgrade:\n    wait_for: the job {lable} is done\n",
            "releases.yml:5:23: `commands.data_upgrade.wait_for` names `{lable}`, which is not a \
             placeholder",
            Some("did you mean `{label}`? The placeholders are {label}, {name}, {namespace}"),
        ),
        (
            "commands:\n  data_upgrade:\n    apply: \"\"\n",
            "releases.yml:5:12: `commands.data_upgrade.apply` is empty",
            None,
        ),
        (
            "commands:\n  upgrade_mode: a.mode\n  data_upgrade:\n    finish: {a.mode: false}\n",
            "releases.yml:6:14: `commands.data_upgrade.finish` sets `a.mode`, which is \
             `upgrade_mode`",
            Some("leave it out: plan sets upgrade mode itself around a data upgrade"),
        ),
        (
            "commands:\n  data_upgrade:\n    begin: {a: [1]}\n",
            "releases.yml:5:16: `commands.data_upgrade.begin` value of `a` is a sequence",
            Some("a --set flag takes a scalar such as `true` or `10`"),
        ),
        (
            "commands:\n  data_upgrade:\n    waitfor: x\n",
            "releases.yml:5:5: unknown field `waitfor`, expected one of apply, wait_for, \
             mode_effect, begin, finish",
            Some("did you mean `wait_for`?"),
        ),
        (
            "commands:\n  data_upgrade_api: api.example.com/v1\n",
            "releases.yml:4:3: unknown field `data_upgrade_api`, expected one of set, \
             upgrade_mode, data_upgrade",
            Some(
                "`commands.data_upgrade_api` was replaced by `commands.data_upgrade.apply`, the \
                 whole resource to apply (see docs/catalog.md, \"The data-upgrade procedure\")",
            ),
        ),
    ];
    for (commands, expected, hint) in cases {
        let text =
            format!("{HEAD}{commands}releases:\n  - {{version: 1.0.0, chart_version: \"1\"}}\n");
        let (got, got_hint) = message(&text);
        assert_eq!(got, expected, "{commands}");
        assert_eq!(got_hint.as_deref(), hint, "{commands}");
    }
    // Braces around anything but a word are text (a flow mapping in a manifest).
    let text = format!(
        "{HEAD}commands:\n  data_upgrade:\n    apply: \"spec: {{to: x}}\"\nreleases:\n  - \
         {{version: 1.0.0, chart_version: \"1\"}}\n"
    );
    assert_eq!(
        parse(&text).commands.data_upgrade.apply.as_deref(),
        Some("spec: {to: x}\n")
    );
}
