//! `render-check` and `render-diff` as the library's one call each ([`check_values`],
//! [`diff_values`]), with real Helm on a corpus chart (`VALUESMITH_HELM4`, else
//! `VALUESMITH_HELM3`; skipped with one line without either).

use std::path::PathBuf;

use valuesmith::diagnostic::Color;
use valuesmith::diff::render::Format as DiffFormat;
use valuesmith::render::report::CheckFormat;
use valuesmith::render::{
    check_values, diff_values, ChartRef, Helm, RenderError, Request, ValuesInput,
};

fn helm() -> Option<Helm> {
    let path = ["VALUESMITH_HELM4", "VALUESMITH_HELM3"]
        .iter()
        .find_map(|var| std::env::var_os(var).filter(|p| !p.is_empty()));
    if path.is_none() {
        println!("skipped: no helm binary (set VALUESMITH_HELM4/VALUESMITH_HELM3)");
        return None;
    }
    Some(Helm::from_option(path.map(PathBuf::from)))
}

fn values(name: &str, text: &str) -> ValuesInput {
    ValuesInput {
        name: name.to_owned(),
        text: text.to_owned(),
        path: None,
    }
}

fn request<'a>(chart: &'a ChartRef, values: &'a [ValuesInput]) -> Request<'a> {
    Request::new(chart, values)
}

#[test]
fn render_check_and_render_diff_are_one_call_each() {
    let Some(helm) = helm() else { return };
    let chart = ChartRef::new(crate::common::corpus_dir().join("charts-full/traefik/41.0.0"));
    let plain = [values("plain.yml", "{}\n")];
    let checked = check_values(
        &helm,
        &request(&chart, &plain),
        CheckFormat::Json,
        Color::Never,
    )
    .unwrap();
    assert!(!checked.findings, "{}", checked.text);
    let report: serde_json::Value = serde_json::from_str(&checked.text).unwrap();
    assert_eq!(report["ok"], true, "{}", checked.text);

    let bad = [values("bad.yml", "deployment:\n  replicas: many\n")];
    let refused = check_values(
        &helm,
        &request(&chart, &bad),
        CheckFormat::Human,
        Color::Never,
    )
    .unwrap();
    assert!(refused.findings, "{}", refused.text);
    assert!(refused.text.contains("bad.yml:2:"), "{}", refused.text);

    let same = diff_values(
        &helm,
        &request(&chart, &plain),
        &request(&chart, &plain),
        DiffFormat::Brief,
        Color::Never,
    )
    .unwrap();
    assert!(!same.findings, "{}", same.text);
    let more = [values("more.yml", "deployment:\n  replicas: 3\n")];
    let differs = diff_values(
        &helm,
        &request(&chart, &plain),
        &request(&chart, &more),
        DiffFormat::Json,
        Color::Never,
    )
    .unwrap();
    assert!(differs.findings);
    let report: serde_json::Value = serde_json::from_str(&differs.text).unwrap();
    assert_eq!(
        report["old"],
        format!("plain.yml with {}", chart.shown),
        "{}",
        differs.text
    );
    assert_eq!(
        report["new"],
        format!("more.yml with {}", chart.shown),
        "{}",
        differs.text
    );

    let failed = diff_values(
        &helm,
        &request(&chart, &bad),
        &request(&chart, &plain),
        DiffFormat::Brief,
        Color::Never,
    );
    assert!(
        matches!(&failed, Err(RenderError::DiffSideFailed { side, .. }) if side.starts_with("OLD")),
        "{failed:?}"
    );
}
