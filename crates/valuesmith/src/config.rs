//! The project configuration file, `.valuesmith.yml`: settings a repository keeps beside its
//! values files, found upward from each values file.
//!
//! This module owns the file's name, its discovery and its shape. The file is a mapping of
//! sections, one per tool: `validate` ([`ValidateSettings`]) and `drift`
//! ([`DriftSettings`], docs/environments.md):
//!
//! ```yaml
//! validate:
//!   select: [syntax, duplicate-key, required-input]  # check only these codes
//!   ignore: [float-version]                          # never report these
//!   warn: [required-value]                           # report these as warnings
//!   placeholders: ["<from-vault>", "CHANGEME", "vault:*"]
//! ```
//!
//! Each section is optional and so is each of its fields; an unknown section or field is an
//! error (with a did-you-mean), so a typo never silently turns a check off. New tools add their
//! section as a new field of [`Config`]. The user-facing description is in `docs/validate.md`.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::{MessageFormatter as _, Spanned};

use crate::catalog::{to_location, unknown_field_hint};
use crate::diagnostic::{did_you_mean, Diagnostic, Location, Severity, ToDiagnostic};
use crate::files::io_reason;
use crate::validate::{Code, Finding};

/// The names the configuration file may have, in the order they are looked for in a folder.
pub const CONFIG_FILE_NAMES: &[&str] = &[".valuesmith.yml", ".valuesmith.yaml"];

/// What `.valuesmith.yml` says. `Default` is the file that says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The file it was read from (`None` for the default).
    pub file: Option<PathBuf>,
    /// The `validate` section.
    pub validate: ValidateSettings,
    /// The `drift` section.
    pub drift: DriftSettings,
}

/// Which differences between the environments of one release are intended: the `drift`
/// section of `.valuesmith.yml` (docs/environments.md).
///
/// ```yaml
/// drift:
///   allow: [ingress.hosts, resources.*]   # `*` stands for one segment
/// ```
///
/// `drift` reports an allowed difference but does not fail on it, and `apply` skips a change
/// at an allowed path (and what lies below it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DriftSettings {
    /// The paths (and what lies below them) that may differ between environments.
    pub allow: Vec<crate::diff::PathPattern>,
}

impl DriftSettings {
    /// Whether a difference at `path` is intended (a pattern matches it or an ancestor).
    pub fn allows(&self, path: &crate::path::Path) -> bool {
        self.allow.iter().any(|pattern| pattern.matches(path))
    }
}

/// Which findings `validate` reports, and at which severity; which values stand for input that
/// is supplied elsewhere. The `validate` section of `.valuesmith.yml` and the flags
/// `--select`, `--ignore`, `--warn` and `--placeholder` say the same things.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidateSettings {
    /// Report only these codes (`None`: every code).
    pub select: Option<Vec<Code>>,
    /// Never report these codes (applies after `select`).
    pub ignore: Vec<Code>,
    /// Report these codes as warnings, so that they fail the run only with `--strict`.
    pub warn: Vec<Code>,
    /// Patterns of values that count as supplied for `required-input`: a secret kept in a
    /// vault and scrubbed to `<from-vault>` in the file is supplied at deploy time. A `*`
    /// stands for any run of characters; a pattern matches the whole value (spaces around it
    /// aside), case included.
    pub placeholders: Vec<String>,
}

impl ValidateSettings {
    /// These settings with `flags` laid over them: a `select` of the flags replaces the file's;
    /// `ignore`, `warn` and `placeholders` add to the file's.
    pub fn overlaid_with(mut self, flags: &ValidateSettings) -> ValidateSettings {
        if let Some(select) = &flags.select {
            self.select = Some(select.clone());
        }
        self.ignore.extend(flags.ignore.iter().copied());
        self.warn.extend(flags.warn.iter().copied());
        self.placeholders.extend(flags.placeholders.iter().cloned());
        self
    }

    /// Whether findings of `code` are reported at all.
    pub fn reports(&self, code: Code) -> bool {
        self.select.as_ref().is_none_or(|s| s.contains(&code)) && !self.ignore.contains(&code)
    }

    /// The severity findings of `code` are reported at.
    pub fn severity(&self, code: Code) -> Severity {
        if self.warn.contains(&code) {
            Severity::Warning
        } else {
            code.severity()
        }
    }

    /// Whether `value` is one of the placeholders that count as supplied.
    pub fn is_placeholder(&self, value: &str) -> bool {
        let value = value.trim();
        self.placeholders.iter().any(|p| wildcard_match(p, value))
    }

    /// `findings` as these settings report them: unreported codes dropped, downgraded codes at
    /// warning level.
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter(|f| self.reports(f.code))
            .map(|mut f| {
                f.severity = self.severity(f.code);
                f
            })
            .collect()
    }
}

/// Whether `text` is all of `pattern`, where `*` matches any run of characters.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// A finding code written where one was expected (a flag or the configuration file) that is
/// not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown finding code `{text}`")]
pub struct UnknownCode {
    /// What was written.
    pub text: String,
}

impl UnknownCode {
    /// `did you mean ...?`, or the list of codes.
    pub fn hint(&self) -> String {
        let names = || Code::ALL.iter().map(|c| c.as_str());
        match did_you_mean(&self.text, names()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the codes: {}", names().collect::<Vec<_>>().join(", ")),
        }
    }
}

impl ToDiagnostic for UnknownCode {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.to_string()).with_hint(self.hint())
    }
}

/// Reads a finding code: `duplicate-key`, `yaml11-bool`...
pub fn parse_code(text: &str) -> Result<Code, UnknownCode> {
    Code::from_name(text.trim()).ok_or_else(|| UnknownCode {
        text: text.trim().to_owned(),
    })
}

/// Why a configuration file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: {message}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// The file does not have the configuration's shape.
    #[error("{file}:{}:{}: {message}", location.line, location.column)]
    Invalid {
        /// The file.
        file: String,
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
        /// What to do.
        hint: Option<String>,
        /// The source line, for the caret snippet.
        source_line: Option<String>,
    },
}

impl ToDiagnostic for ConfigError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            ConfigError::Read { .. } => Diagnostic::error(self.to_string()),
            ConfigError::Invalid {
                file,
                location,
                message,
                hint,
                source_line,
            } => {
                let mut d = Diagnostic::error(message.clone()).with_file(file.clone());
                d.location = Some(*location);
                d.source_line = source_line.clone();
                d.hint = hint.clone();
                d
            }
        }
    }
}

const SHAPE_HINT: &str = "`.valuesmith.yml` holds `validate:` with `select`, `ignore`, `warn` \
                          (lists of finding codes) and `placeholders` (a list of patterns); see \
                          docs/validate.md; and `drift:` with `allow` (a list of paths); see \
                          docs/environments.md";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    validate: Option<RawValidate>,
    drift: Option<RawDrift>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDrift {
    allow: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValidate {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    warn: Option<Vec<Spanned<String>>>,
    placeholders: Option<Vec<String>>,
}

impl Config {
    /// Reads configuration text; `name` is the file name shown in messages.
    pub fn parse(text: &str, name: &str) -> Result<Config, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let invalid = |location: Location, message: String, hint: Option<String>| {
            let source_line = text
                .split('\n')
                .nth(location.line - 1)
                .map(|l| l.trim_end_matches('\r').to_owned());
            ConfigError::Invalid {
                file: name.to_owned(),
                location,
                message,
                hint,
                source_line,
            }
        };
        let empty = text.lines().all(|l| {
            let l = l.trim();
            l.is_empty() || l.starts_with('#') || l == "---"
        });
        if empty {
            return Ok(Config {
                file: Some(PathBuf::from(name)),
                ..Config::default()
            });
        }
        let raw: RawConfig = serde_saphyr::from_str(text).map_err(|err| {
            let message = serde_saphyr::UserMessageFormatter
                .format_message(err.without_snippet())
                .into_owned();
            let location = err
                .location()
                .map_or(Location { line: 1, column: 1 }, |l| to_location(&l));
            let hint = unknown_field_hint(&message).unwrap_or_else(|| SHAPE_HINT.to_owned());
            invalid(location, message, Some(hint))
        })?;
        let mut validate = ValidateSettings::default();
        if let Some(raw) = raw.validate {
            let codes = |list: Option<Vec<Spanned<String>>>| -> Result<Vec<Code>, ConfigError> {
                list.unwrap_or_default()
                    .iter()
                    .map(|item| {
                        parse_code(&item.value).map_err(|err| {
                            invalid(
                                to_location(&item.referenced),
                                err.to_string(),
                                Some(err.hint()),
                            )
                        })
                    })
                    .collect()
            };
            validate.select = raw.select.map(|s| codes(Some(s))).transpose()?;
            validate.ignore = codes(raw.ignore)?;
            validate.warn = codes(raw.warn)?;
            validate.placeholders = raw.placeholders.unwrap_or_default();
        }
        let mut drift = DriftSettings::default();
        if let Some(raw) = raw.drift {
            for item in raw.allow.unwrap_or_default() {
                let pattern = crate::diff::PathPattern::parse(&item.value).map_err(|err| {
                    invalid(
                        to_location(&item.referenced),
                        format!("`drift.allow`: {err}"),
                        Some(
                            "write a path such as `ingress.hosts`, with `*` for one segment \
                             (`resources.*`); see docs/environments.md"
                                .to_owned(),
                        ),
                    )
                })?;
                drift.allow.push(pattern);
            }
        }
        Ok(Config {
            file: Some(PathBuf::from(name)),
            validate,
            drift,
        })
    }

    /// Reads the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|err| ConfigError::Read {
            path: shown.clone(),
            message: io_reason(&err),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| ConfigError::Read {
            path: shown.clone(),
            message: "not valid UTF-8".to_owned(),
        })?;
        Config::parse(&text, &shown)
    }

    /// The configuration that applies to the values file `file` (as given on a command line;
    /// `-` is standard input): `explicit` when given, else the file [`Config::find`] finds
    /// upward from `file`'s folder, else the defaults.
    pub fn for_file(explicit: Option<&Path>, file: &str) -> Result<Config, ConfigError> {
        match explicit
            .map(Path::to_path_buf)
            .or_else(|| Config::find(&Config::folder_of(file)))
        {
            Some(path) => Config::load(&path),
            None => Ok(Config::default()),
        }
    }

    /// The folder whose configuration applies to `file`: its parent folder, or the current
    /// folder for a bare name and for standard input (`-`).
    pub fn folder_of(file: &str) -> PathBuf {
        if file == "-" {
            return PathBuf::from(".");
        }
        Path::new(file)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }

    /// The configuration file that applies to files in `folder`: the first
    /// [`CONFIG_FILE_NAMES`] in `folder` or the nearest parent folder that has one.
    pub fn find(folder: &Path) -> Option<PathBuf> {
        let start = std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf());
        start.ancestors().find_map(|dir| {
            CONFIG_FILE_NAMES
                .iter()
                .map(|name| dir.join(name))
                .find(|candidate| candidate.is_file())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_validate_section() {
        let config = Config::parse(
            "validate:\n  select: [syntax, required-input]\n  ignore: [float-version]\n  \
             warn: [required-input]\n  placeholders: ['<from-vault>', 'vault:*']\n",
            ".valuesmith.yml",
        )
        .unwrap();
        let v = &config.validate;
        assert_eq!(v.select, Some(vec![Code::Syntax, Code::RequiredInput]));
        assert_eq!(v.ignore, [Code::FloatVersion]);
        assert!(v.reports(Code::Syntax) && !v.reports(Code::FloatVersion));
        assert!(!v.reports(Code::RetiredKey));
        assert_eq!(v.severity(Code::RequiredInput), Severity::Warning);
        assert_eq!(v.severity(Code::Syntax), Severity::Error);
        assert!(v.is_placeholder(" <from-vault> "));
        assert!(v.is_placeholder("vault:secret/db#password"));
        assert!(!v.is_placeholder("<from-Vault>"));
        assert!(!v.is_placeholder("my-vault:x"));
    }

    #[test]
    fn an_empty_file_says_nothing() {
        let config = Config::parse("# nothing yet\n", ".valuesmith.yml").unwrap();
        assert_eq!(config.validate, ValidateSettings::default());
    }

    #[test]
    fn errors_point_at_the_mistake() {
        let err = Config::parse("validate:\n  ignore: [float-versoin]\n", "c.yml").unwrap_err();
        let text = err.to_diagnostic().render(crate::diagnostic::Color::Never);
        assert_eq!(
            text,
            "error: unknown finding code `float-versoin`\n  --> c.yml:2:12\n   |\n 2 |   \
             ignore: [float-versoin]\n   |            ^\nhint: did you mean `float-version`?\n"
        );
        let err = Config::parse("validate:\n  ignroe: [syntax]\n", "c.yml").unwrap_err();
        let ConfigError::Invalid { location, hint, .. } = err else {
            panic!("{err:?}")
        };
        assert_eq!(location.line, 2);
        assert_eq!(hint.as_deref(), Some("did you mean `ignore`?"));
        let err = Config::parse("valdate: {}\n", "c.yml").unwrap_err();
        assert!(
            matches!(err, ConfigError::Invalid { hint: Some(h), .. } if h == "did you mean `validate`?")
        );
    }

    #[test]
    fn flags_lay_over_the_file() {
        let file = ValidateSettings {
            select: Some(vec![Code::Syntax]),
            ignore: vec![Code::Empty],
            ..ValidateSettings::default()
        };
        let flags = ValidateSettings {
            select: Some(vec![Code::Schema]),
            ignore: vec![Code::FloatVersion],
            placeholders: vec!["CHANGEME".to_owned()],
            ..ValidateSettings::default()
        };
        let both = file.overlaid_with(&flags);
        assert_eq!(both.select, Some(vec![Code::Schema]));
        assert_eq!(both.ignore, [Code::Empty, Code::FloatVersion]);
        assert!(both.is_placeholder("CHANGEME"));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("<*>", "<x>"));
        assert!(wildcard_match("<*>", "<>"));
        assert!(!wildcard_match("<*>", "<"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a*b*c", "aXbYc"));
        assert!(!wildcard_match("a*b*c", "aXcYb"));
        assert!(wildcard_match("CHANGEME", "CHANGEME"));
        assert!(!wildcard_match("CHANGEME", "CHANGEME2"));
    }
}
