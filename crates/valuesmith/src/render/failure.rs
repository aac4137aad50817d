//! Reading Helm's error text: which kind of failure, where Helm says it is, and where the
//! values it is about are written in the user's files.
//!
//! Helm 3 and Helm 4 word the same failures differently. Schema failures:
//! `- image.tag: Invalid type...` and `- (root): Additional property logs is not allowed`
//! (Helm 3, dotted paths) against `- at '/image/tag': got number, want string` and
//! `- at '': additional properties 'logs' not allowed` (Helm 4, JSON pointers, nested under
//! `validation failed`). Template errors: `template: FILE:L:C: executing ...` (Helm 3) against
//! `FILE:L:C` followed by indented lines (Helm 4). `fail` and `required` read
//! `execution error at (FILE:L:C): MESSAGE` in both.

use crate::diagnostic::Location;
use crate::document::Document;
use crate::path::Path;
use crate::secrets::{snippet_line, SecretValues};
use crate::value::Value;

use super::chart::ChartRef;
use super::{ChartPosition, PathRef, Problem, ProblemKind, UserPosition};

/// The user's values files as Helm reads them, in order (a later file overrides an earlier).
pub(crate) struct Files<'a> {
    pub files: &'a [(String, Document)],
    /// The `--set` assignments, as written.
    pub set: &'a [String],
    /// The secret values of all the files, read once: each user line shown is redacted and
    /// scrubbed of them. `None`: secrets are shown, lines as written.
    pub secrets: Option<&'a SecretValues>,
}

impl Files<'_> {
    /// Where `path` is written: in the last file that has it (that is the value Helm uses).
    pub fn locate(&self, path: &Path) -> Option<UserPosition> {
        self.files.iter().rev().find_map(|(name, document)| {
            let (node, location) = crate::validate::release::locate(document, path);
            node?;
            Some(UserPosition::new(name, document, location, self.secrets))
        })
    }

    /// The `--set` assignment that sets `path` or a value under it.
    pub fn set_by(&self, path: &Path) -> Option<String> {
        let shown = path.to_string();
        self.set
            .iter()
            .flat_map(|arg| arg.split(','))
            .find(|assignment| {
                let key = assignment.split('=').next().unwrap_or_default();
                key == shown || key.starts_with(&format!("{shown}."))
            })
            .map(str::to_owned)
    }

    /// A path named as a list of parts, each a key or an index. With `joinable`, parts may
    /// be pieces of one key that holds dots (Helm 3 joins keys with `.`): the longest run of
    /// parts that names a key in one of the files is taken as that key.
    pub fn resolve(&self, parts: &[String], joinable: bool) -> Path {
        let values: Vec<&Value> = self.files.iter().map(|(_, d)| d.value()).collect();
        let mut path = Path::root();
        let mut here: Vec<&Value> = values;
        let mut i = 0;
        while i < parts.len() {
            let sequence = here.iter().any(|v| matches!(v, Value::Sequence(_)));
            if sequence {
                if let Ok(index) = parts[i].parse::<usize>() {
                    here = here
                        .iter()
                        .filter_map(|v| v.as_sequence().and_then(|s| s.get(index)))
                        .collect();
                    path = path.index(index);
                    i += 1;
                    continue;
                }
            }
            let mut taken = 1;
            if joinable {
                for end in (i + 2..=parts.len()).rev() {
                    let key = parts[i..end].join(".");
                    if here
                        .iter()
                        .any(|v| v.as_mapping().is_some_and(|m| m.contains_key(&key)))
                    {
                        taken = end - i;
                        break;
                    }
                }
            }
            let key = parts[i..i + taken].join(".");
            here = here
                .iter()
                .filter_map(|v| v.as_mapping().and_then(|m| m.get(&key)))
                .collect();
            path = path.key(key);
            i += taken;
        }
        path
    }

    fn path_ref(&self, path: Path) -> PathRef {
        PathRef {
            at: self.locate(&path),
            set_by: self.set_by(&path),
            path,
        }
    }
}

/// The problems Helm's standard error describes, or `None` when it is no failure of the
/// values or templates (a chart that cannot be read, a flag Helm refuses...).
pub(crate) fn parse(stderr: &str, chart: &ChartRef, files: &Files<'_>) -> Option<Vec<Problem>> {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines.iter().position(|l| l.starts_with("Error: "))?;
    let mut body: Vec<&str> = lines[start..].to_vec();
    body[0] = &body[0]["Error: ".len()..];
    while body
        .last()
        .is_some_and(|l| l.trim().is_empty() || l.starts_with("Use --debug flag"))
    {
        body.pop();
    }
    let first = body[0];
    if first.starts_with("values don't meet the specifications of the schema") {
        return Some(schema(&body[1..], chart, files));
    }
    // `fail`/`required` stop execution; a template that does not parse names its line only.
    for (prefix, kind) in [
        ("execution error at (", ProblemKind::Fail),
        ("parse error at (", ProblemKind::Template),
    ] {
        if let Some(rest) = first.strip_prefix(prefix) {
            let (position, message) = rest.split_once("): ")?;
            let problem = at_template(kind, position, message.to_owned(), chart, files);
            return Some(vec![problem]);
        }
    }
    if let Some(rest) = first.strip_prefix("template: ") {
        // `FILE:L:C: message` (an execution error) or `FILE:L: message` (a parse error).
        let (position, message) = split_position(rest)?;
        let more = body[1..].iter().map(|l| l.trim()).collect::<Vec<_>>();
        let message = std::iter::once(message).chain(more).collect::<Vec<_>>();
        return Some(vec![at_template(
            ProblemKind::Template,
            position,
            message.join(" "),
            chart,
            files,
        )]);
    }
    if let Some(rest) = first.strip_prefix("YAML parse error on ") {
        let (file, message) = rest.split_once(": ").unwrap_or((rest, ""));
        return Some(vec![Problem {
            kind: ProblemKind::Manifest,
            message: format!("the rendered {file} is not valid YAML: {message}"),
            chart_file: Some(ChartPosition {
                file: file.to_owned(),
                line: None,
                column: None,
            }),
            schema_chart: None,
            value: None,
            paths: Vec::new(),
        }]);
    }
    // Helm 4's template error: `FILE:L:C` alone, the message on indented lines.
    let message: Vec<&str> = body[1..].iter().map(|l| l.trim()).collect();
    if !first.contains(' ') && parse_position(first).line.is_some() && !message.is_empty() {
        return Some(vec![at_template(
            ProblemKind::Template,
            first,
            message.join(" "),
            chart,
            files,
        )]);
    }
    None
}

/// `FILE:L:C: rest` or `FILE:L: rest` split into the position and the rest.
fn split_position(text: &str) -> Option<(&str, &str)> {
    let mut end = 0;
    for (i, _) in text.match_indices(": ") {
        if parse_position(&text[..i]).line.is_some() {
            end = i;
            break;
        }
    }
    (end > 0).then(|| (&text[..end], &text[end + 2..]))
}

/// `FILE:L:C`, `FILE:L` or `FILE`.
fn parse_position(text: &str) -> ChartPosition {
    let number = |s: &str| s.parse::<usize>().ok();
    let parts: Vec<&str> = text.rsplitn(3, ':').collect();
    match parts.as_slice() {
        [column, line, file] if number(column).is_some() && number(line).is_some() => {
            ChartPosition {
                file: (*file).to_owned(),
                line: number(line),
                column: number(column),
            }
        }
        [line, ..] if number(line).is_some() && parts.len() > 1 => ChartPosition {
            file: text[..text.len() - line.len() - 1].to_owned(),
            line: number(line),
            column: None,
        },
        _ => ChartPosition {
            file: text.to_owned(),
            line: None,
            column: None,
        },
    }
}

/// A `fail`, `required` or template error at a chart file's line: the values its message
/// names and the values the template reads there, located in the user's files.
fn at_template(
    kind: ProblemKind,
    position: &str,
    message: String,
    chart: &ChartRef,
    files: &Files<'_>,
) -> Problem {
    let position = parse_position(position);
    let mut names: Vec<Vec<String>> = Vec::new();
    for token in value_tokens(&message) {
        let parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        let path = files.resolve(&parts, true);
        if token.starts_with("Values.") || files.locate(&path).is_some() {
            names.push(parts);
        }
    }
    if let (Some(line), Some(text)) = (position.line, chart.file_text(&position.file)) {
        for reference in template_reads(&text, line) {
            names.push(subchart_prefix(&position.file, &reference));
        }
    }
    let mut paths: Vec<PathRef> = Vec::new();
    for parts in names {
        let parts: Vec<String> = match parts.first().map(String::as_str) {
            Some("Values") => parts[1..].to_vec(),
            _ => parts,
        };
        if parts.is_empty() {
            continue;
        }
        let path = files.resolve(&parts, true);
        if paths.iter().all(|p| p.path != path) {
            paths.push(files.path_ref(path));
        }
    }
    Problem {
        kind,
        message,
        chart_file: Some(position),
        schema_chart: None,
        value: None,
        paths,
    }
}

/// The runs of a message that look like value paths: `experimental.otlpLogs` in
/// `needs experimental.otlpLogs=true`, `Values.db.host` in `at <.Values.db.host>`.
fn value_tokens(message: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for raw in message.split(|c: char| !(c.is_ascii_alphanumeric() || "_-.".contains(c))) {
        let token = raw.trim_matches('.');
        let looks_like_file = [".yaml", ".yml", ".tpl", ".txt", ".json"]
            .iter()
            .any(|ext| token.ends_with(ext));
        if token.contains('.')
            && token.starts_with(|c: char| c.is_ascii_alphabetic())
            && !looks_like_file
            && !token.split('.').any(str::is_empty)
        {
            tokens.push(token.to_owned());
        }
    }
    tokens
}

/// The `.Values.x.y` chains a template reads on `line` (1-based) and in the `if`, `with` or
/// `range` that opens the block it is in, when that starts a few lines above.
fn template_reads(text: &str, line: usize) -> Vec<Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(last) = line.checked_sub(1).filter(|&l| l < lines.len()) else {
        return Vec::new();
    };
    let opens = |l: &str| {
        l.contains("{{")
            && ["if ", "with ", "range ", "else if "].iter().any(|word| {
                l.contains(&format!("{{{{- {word}")) || l.contains(&format!("{{{{ {word}"))
            })
    };
    let mut first = last;
    if !opens(lines[last]) {
        for back in (last.saturating_sub(8)..last).rev() {
            if opens(lines[back]) {
                first = back;
                break;
            }
            if lines[back].contains("{{- end") || lines[back].contains("{{ end") {
                break;
            }
        }
    }
    let mut chains = Vec::new();
    for text in &lines[first..=last] {
        for (i, _) in text.match_indices(".Values.") {
            let rest = &text[i + ".Values.".len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            let chain = rest[..end].trim_end_matches('.');
            if !chain.is_empty() {
                let parts: Vec<String> = chain.split('.').map(str::to_owned).collect();
                if !chains.contains(&parts) {
                    chains.push(parts);
                }
            }
        }
    }
    chains
}

/// A template of a subchart (`top/charts/sub/templates/x.yaml`) reads the subchart's values,
/// which the user writes under `sub:`. Helpers (`_x.tpl`) run with their caller's values.
fn subchart_prefix(helm_file: &str, parts: &[String]) -> Vec<String> {
    let pieces: Vec<&str> = helm_file.split('/').collect();
    let helper = pieces.last().is_some_and(|name| name.starts_with('_'));
    let mut prefix: Vec<String> = Vec::new();
    if !helper {
        for pair in pieces.windows(2) {
            if pair[0] == "charts" {
                prefix.push(pair[1].to_owned());
            }
        }
    }
    prefix.extend(parts.iter().cloned());
    prefix
}

/// The items of a schema failure, each with the value it is about.
fn schema(lines: &[&str], chart: &ChartRef, files: &Files<'_>) -> Vec<Problem> {
    let top = chart.name();
    let mut current: Option<String> = None;
    let mut problems = Vec::new();
    for line in lines {
        let trimmed = line.trim();
        if !line.starts_with([' ', '-']) && trimmed.ends_with(':') {
            current = Some(trimmed.trim_end_matches(':').to_owned());
            continue;
        }
        let Some(item) = trimmed.strip_prefix("- ") else {
            continue;
        };
        let (parts, joinable, message) = if let Some(rest) = item.strip_prefix("at '") {
            // Helm 4: a JSON pointer.
            let Some((pointer, message)) = rest.split_once("': ") else {
                continue;
            };
            if message == "validation failed" {
                continue;
            }
            let parts: Vec<String> = pointer
                .split('/')
                .skip(1)
                .map(|p| p.replace("~1", "/").replace("~0", "~"))
                .collect();
            (parts, false, message)
        } else {
            let Some((at, message)) = item.split_once(": ") else {
                continue;
            };
            let parts = if at == "(root)" {
                Vec::new()
            } else {
                at.split('.').map(str::to_owned).collect()
            };
            (parts, true, message)
        };
        let mut full: Vec<String> = Vec::new();
        if let (Some(name), Some(top)) = (&current, &top) {
            if name != top {
                full.push(name.clone());
            }
        }
        full.extend(parts);
        let properties = named_properties(message);
        let targets: Vec<Vec<String>> = if properties.is_empty() {
            vec![full.clone()]
        } else {
            properties
                .into_iter()
                .map(|p| {
                    let mut with = full.clone();
                    with.push(p);
                    with
                })
                .collect()
        };
        for target in targets {
            let path = files.resolve(&target, joinable);
            let value = files.path_ref(path);
            problems.push(Problem {
                kind: ProblemKind::Schema,
                message: message.to_owned(),
                chart_file: None,
                schema_chart: current.clone(),
                value: Some(value),
                paths: Vec::new(),
            });
        }
    }
    problems
}

/// The properties a schema message says are not allowed, so the report points at their keys:
/// `Additional property logs is not allowed` (Helm 3), `additional properties 'a', 'b' not
/// allowed` (Helm 4).
fn named_properties(message: &str) -> Vec<String> {
    if let Some(rest) = message.strip_prefix("Additional property ") {
        if let Some(name) = rest.strip_suffix(" is not allowed") {
            return vec![name.to_owned()];
        }
    }
    if let Some(rest) = message.strip_prefix("additional properties ") {
        if let Some(list) = rest.strip_suffix(" not allowed") {
            return list
                .split(", ")
                .map(|p| p.trim_matches('\'').to_owned())
                .collect();
        }
    }
    Vec::new()
}

impl UserPosition {
    /// The position and its line: as written with `secrets` `None`, else redacted as a caret
    /// snippet is and scrubbed of `secrets`.
    pub(crate) fn new(
        file: &str,
        document: &Document,
        location: Location,
        secrets: Option<&SecretValues>,
    ) -> Self {
        let line = location.line.saturating_sub(1);
        let source_line = match secrets {
            None => document
                .source()
                .split('\n')
                .nth(line)
                .unwrap_or_default()
                .trim_end_matches('\r')
                .to_owned(),
            Some(secrets) => {
                secrets.scrub(&snippet_line(document.source(), line).unwrap_or_default())
            }
        };
        Self {
            file: file.to_owned(),
            location,
            source_line,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let p = parse_position("mini/templates/cm.yaml:4:18");
        assert_eq!(
            (p.file.as_str(), p.line, p.column),
            ("mini/templates/cm.yaml", Some(4), Some(18))
        );
        let p = parse_position("mini/templates/cm.yaml:4");
        assert_eq!(
            (p.file.as_str(), p.line, p.column),
            ("mini/templates/cm.yaml", Some(4), None)
        );
        assert_eq!(
            split_position("a/templates/x.yaml:4:18: executing \"x\" at <.Values.a>: boom"),
            Some((
                "a/templates/x.yaml:4:18",
                "executing \"x\" at <.Values.a>: boom"
            ))
        );
    }

    #[test]
    fn message_tokens() {
        assert_eq!(
            value_tokens(
                "ERROR: otlp on logs needs experimental.otlpLogs=true. See a/templates/x.yaml"
            ),
            ["experimental.otlpLogs"]
        );
        assert_eq!(
            value_tokens("at <.Values.db.host.name>: nil"),
            ["Values.db.host.name"]
        );
    }

    #[test]
    fn reads_of_the_enclosing_if() {
        let text = "a\n{{- if and (not .Values.experimental.otlpLogs) (.Values.logs.general.otlp.enabled) }}\n  {{- fail \"x\" }}\n{{- end }}\n";
        assert_eq!(
            template_reads(text, 3),
            [
                vec!["experimental".to_owned(), "otlpLogs".to_owned()],
                vec![
                    "logs".into(),
                    "general".into(),
                    "otlp".into(),
                    "enabled".into()
                ]
            ]
        );
    }

    #[test]
    fn schema_property_names() {
        assert_eq!(
            named_properties("Additional property logs is not allowed"),
            ["logs"]
        );
        assert_eq!(
            named_properties("additional properties 'a', 'b' not allowed"),
            ["a", "b"]
        );
        assert!(named_properties("got number, want string").is_empty());
    }
}
