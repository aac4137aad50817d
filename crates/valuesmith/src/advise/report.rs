//! The advisor's report as text: `human`, `json`, `markdown` (a pull-request comment) and
//! `github` (workflow annotations). Values are the report's, already redacted.

use super::{EffectiveChange, HelmOutcome, Report, Stale};
use crate::diagnostic::{github_escape_data, github_escape_property, Color};
use crate::edit::render_flow;
use crate::value::Value;

/// The report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Format {
    /// Grouped text for a terminal.
    #[default]
    Human,
    /// The [`Report`] as JSON (serde), for bots.
    Json,
    /// Markdown for a pull-request comment.
    Markdown,
    /// GitHub workflow annotations (`::error file=...`), one a finding.
    Github,
}

/// The report in `format`, ending with a line break.
pub fn render(report: &Report, format: Format, color: Color) -> String {
    match format {
        Format::Human => human(report, color),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Markdown => markdown(report),
        Format::Github => github(report),
    }
}

/// A value on one line, cut at 100 characters.
fn short(value: &Value) -> String {
    let text = render_flow(value);
    if text.chars().count() > 100 {
        let cut: String = text.chars().take(97).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn helm_words(stale: &Stale) -> &'static str {
    match stale.helm {
        HelmOutcome::FailsSchema => "B's schema refuses it: the install fails",
        _ => "Helm ignores it",
    }
}

fn summary(report: &Report) -> String {
    format!(
        "{} stale, {} already ignored, {} frozen, {} inherited, {} redundant, {} schema, {} \
         type changes, {} effective changes",
        report.stale.len(),
        report.already_ignored.len(),
        report.frozen.len(),
        report.inherited.len(),
        report.redundant.len(),
        report.schema.len(),
        report.type_changes.len(),
        report.effective_diff.len()
    )
}

fn human(report: &Report, color: Color) -> String {
    let head = |text: &str| color.paint("1", text);
    let mut out = format!(
        "{} {} -> {}\n",
        report.to.name, report.from.version, report.to.version
    );
    for note in &report.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    let stale_group = |out: &mut String, title: &str, items: &[Stale]| {
        if items.is_empty() {
            return;
        }
        out.push_str(&format!("\n{}\n", head(title)));
        for stale in items {
            out.push_str(&format!(
                "  {}  {} = {}  ({})\n",
                stale.at,
                stale.path,
                short(&stale.value),
                helm_words(stale)
            ));
            for guess in &stale.guesses {
                out.push_str(&format!(
                    "      -> {}  {}%{}  {}\n",
                    guess.to,
                    guess.confidence,
                    if guess.confident { " confident" } else { "" },
                    guess.reason
                ));
            }
        }
    };
    stale_group(
        &mut out,
        "Stale overrides (keys B does not have):",
        &report.stale,
    );
    stale_group(
        &mut out,
        "Already ignored before this upgrade (neither A nor B has these keys):",
        &report.already_ignored,
    );
    if !report.frozen.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            head("Frozen defaults (your value is A's default; B's default differs):")
        ));
        for f in &report.frozen {
            out.push_str(&format!(
                "  {}  {} = {}  (B's default: {})\n",
                f.at,
                f.path,
                short(&f.value),
                short(&f.new_default)
            ));
        }
    }
    changes_section(
        &mut out,
        &head("Inherited changes (defaults that change under keys you did not set):"),
        &report.inherited,
    );
    if !report.redundant.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            head("Redundant overrides (equal to B's default):")
        ));
        for r in &report.redundant {
            out.push_str(&format!("  {}  {} = {}\n", r.at, r.path, short(&r.value)));
        }
    }
    if !report.schema.is_empty() || !report.type_changes.is_empty() {
        out.push_str(&format!("\n{}\n", head("Schema and type:")));
        for s in &report.schema {
            out.push_str(&format!("  {}  {}\n", s.at, s.message));
            if let Some(hint) = &s.hint {
                out.push_str(&format!("      {hint}\n"));
            }
        }
        for t in &report.type_changes {
            out.push_str(&format!(
                "  {}  {} was a {} in A and is a {} in B\n",
                t.at, t.path, t.from, t.to
            ));
        }
    }
    changes_section(
        &mut out,
        &head("Effective diff (what the templates see, A -> B):"),
        &report.effective_diff,
    );
    out.push_str(&format!("\nsummary: {}\n", summary(report)));
    out
}

/// A section of changes under `title`, one line each; nothing when there are none.
fn changes_section(out: &mut String, title: &str, changes: &[EffectiveChange]) {
    if changes.is_empty() {
        return;
    }
    out.push_str(&format!("\n{title}\n"));
    for change in changes {
        out.push_str(&format!(
            "  {}\n",
            change_line(
                change.kind,
                &change.path.to_string(),
                change.old.as_ref(),
                change.new.as_ref()
            )
        ));
    }
}

fn change_line(kind: &str, path: &str, old: Option<&Value>, new: Option<&Value>) -> String {
    match (kind, old, new) {
        ("added", _, Some(new)) => format!("+ {path}: {}", short(new)),
        ("removed", Some(old), _) => format!("- {path}: {}", short(old)),
        (_, Some(old), Some(new)) => format!("~ {path}: {} -> {}", short(old), short(new)),
        _ => format!("~ {path}: {kind}"),
    }
}

/// A table cell: pipes escaped, code spans for values.
fn cell(text: &str) -> String {
    format!("`{}`", text.replace('|', "\\|").replace('`', "'"))
}

fn markdown(report: &Report) -> String {
    let mut out = format!(
        "### Chart upgrade: {} {} → {}\n\n",
        report.to.name, report.from.version, report.to.version
    );
    for note in &report.notes {
        out.push_str(&format!("> **Note:** {note}\n\n"));
    }
    let stale_table = |out: &mut String, title: &str, items: &[Stale]| {
        if items.is_empty() {
            return;
        }
        out.push_str(&format!(
            "#### {title} ({})\n\n| where | key | value | Helm | rename guess |\n| --- | --- | --- | --- | --- |\n",
            items.len()
        ));
        for s in items {
            let guess = s.guesses.first().map_or_else(
                || "none".to_owned(),
                |g| {
                    format!(
                        "{} {}%{}",
                        cell(&g.to.to_string()),
                        g.confidence,
                        if g.confident { " (confident)" } else { "" }
                    )
                },
            );
            out.push_str(&format!(
                "| {} | {} | {} | {} | {guess} |\n",
                cell(&s.at.to_string()),
                cell(&s.path.to_string()),
                cell(&short(&s.value)),
                helm_words(s)
            ));
        }
        out.push('\n');
    };
    stale_table(&mut out, "Stale overrides", &report.stale);
    stale_table(
        &mut out,
        "Already ignored before this upgrade",
        &report.already_ignored,
    );
    if !report.frozen.is_empty() {
        out.push_str(&format!(
            "#### Frozen defaults ({})\n\n| where | key | your value (A's default) | B's default |\n| --- | --- | --- | --- |\n",
            report.frozen.len()
        ));
        for f in &report.frozen {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                cell(&f.at.to_string()),
                cell(&f.path.to_string()),
                cell(&short(&f.value)),
                cell(&short(&f.new_default))
            ));
        }
        out.push('\n');
    }
    let list = |out: &mut String, title: &str, lines: Vec<String>| {
        if lines.is_empty() {
            return;
        }
        out.push_str(&format!(
            "<details><summary>{title} ({})</summary>\n\n```diff\n",
            lines.len()
        ));
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str("```\n\n</details>\n\n");
    };
    list(
        &mut out,
        "Inherited changes",
        report
            .inherited
            .iter()
            .map(|c| change_line(c.kind, &c.path.to_string(), c.old.as_ref(), c.new.as_ref()))
            .collect(),
    );
    if !report.redundant.is_empty() {
        out.push_str(&format!(
            "#### Redundant overrides ({})\n\n",
            report.redundant.len()
        ));
        for r in &report.redundant {
            out.push_str(&format!(
                "- {} {} = {}\n",
                cell(&r.at.to_string()),
                cell(&r.path.to_string()),
                cell(&short(&r.value))
            ));
        }
        out.push('\n');
    }
    if !report.schema.is_empty() || !report.type_changes.is_empty() {
        out.push_str("#### Schema and type\n\n");
        for s in &report.schema {
            out.push_str(&format!("- {} {}\n", cell(&s.at.to_string()), s.message));
        }
        for t in &report.type_changes {
            out.push_str(&format!(
                "- {} {} was a {} and is a {}\n",
                cell(&t.at.to_string()),
                cell(&t.path.to_string()),
                t.from,
                t.to
            ));
        }
        out.push('\n');
    }
    list(
        &mut out,
        "Effective diff",
        report
            .effective_diff
            .iter()
            .map(|c| change_line(c.kind, &c.path.to_string(), c.old.as_ref(), c.new.as_ref()))
            .collect(),
    );
    out.push_str(&format!("{}\n", summary(report)));
    out
}

fn github(report: &Report) -> String {
    let mut out = String::new();
    let mut line = |level: &str, at: &super::At, title: &str, message: String| {
        let mut props = format!("file={}", github_escape_property(&at.file));
        if let (Some(l), Some(c)) = (at.line, at.column) {
            props.push_str(&format!(",line={l},col={c}"));
        }
        props.push_str(&format!(",title={}", github_escape_property(title)));
        out.push_str(&format!(
            "::{level} {props}::{}\n",
            github_escape_data(&message)
        ));
    };
    for s in &report.stale {
        let guess = s.guesses.first().map_or_else(String::new, |g| {
            format!(
                "; did it move to `{}`? ({}%: {})",
                g.to, g.confidence, g.reason
            )
        });
        line(
            "error",
            &s.at,
            "stale override",
            format!(
                "`{}` is not a key of {} {}: {}{guess}",
                s.path,
                report.to.name,
                report.to.version,
                helm_words(s)
            ),
        );
    }
    for s in &report.already_ignored {
        line(
            "warning",
            &s.at,
            "already ignored",
            format!(
                "`{}` is a key of neither {} nor {}: Helm ignored it before this upgrade too",
                s.path, report.from.version, report.to.version
            ),
        );
    }
    for f in &report.frozen {
        line(
            "warning",
            &f.at,
            "frozen default",
            format!(
                "`{}` = {} is {}'s default; {}'s default is {}",
                f.path,
                short(&f.value),
                report.from.version,
                report.to.version,
                short(&f.new_default)
            ),
        );
    }
    for r in &report.redundant {
        line(
            "notice",
            &r.at,
            "redundant override",
            format!(
                "`{}` = {} equals {}'s default",
                r.path,
                short(&r.value),
                report.to.version
            ),
        );
    }
    for s in &report.schema {
        line("error", &s.at, "schema", s.message.clone());
    }
    for t in &report.type_changes {
        line(
            "warning",
            &t.at,
            "type change",
            format!(
                "`{}` was a {} and is a {} in {}",
                t.path, t.from, t.to, report.to.version
            ),
        );
    }
    out
}
