//! Release versions: CalVer and SemVer, numeric order, text kept for display and file names.
//!
//! A [`Version`] is two or three dotted numeric components with an optional pre-release:
//! `2025.05.00`, `2024.12`, `1.7.5`, `2.0.0-beta.1`. Components compare as numbers (a missing
//! patch counts as 0) and a pre-release sorts before its release, as in SemVer. The text is kept
//! exactly as written, so `2025.05.00` is shown and put in file names as `2025.05.00`, never
//! `2025.5.0`.
//!
//! This module also owns [`VersionReq`] (the `upgrade_from` syntax of catalogs) and the
//! `values-<env>-<release>.yml` file-name convention ([`parse_values_file_name`],
//! [`values_file_name`]).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::diagnostic::{Diagnostic, ToDiagnostic};

/// What release versions look like, for hints.
const VERSION_EXAMPLES: &str =
    "release versions look like 2025.05.00, 2024.12, 1.7.5 or 2.0.0-beta.1";

/// A release version such as `2025.05.00`, `2024.12` or `2.0.0-beta.1`.
///
/// Equality, ordering and hashing are numeric: `2024.12`, `2024.12.0` and `2024.12.00` are the
/// same release (a catalog may not list two of them, and a user may name either). The text as
/// written is kept for [`Display`](fmt::Display) and [`Version::file_name_part`]; compare
/// [`Version::as_str`] when the spelling matters.
#[derive(Debug, Clone)]
pub struct Version {
    text: String,
    /// Major, minor, patch (0 when not written).
    numbers: [u64; 3],
    /// 2 or 3: how many numeric components were written.
    components: u8,
    /// `None` for a release; SemVer pre-release identifiers otherwise.
    pre: Option<semver::Prerelease>,
}

/// Why a text is not a release version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionError {
    /// The text is empty.
    #[error("a release version is empty")]
    Empty,
    /// A leading `v`, as in `v1.7.5`.
    #[error("invalid release version `{text}`: it starts with `{prefix}`")]
    Prefix {
        /// The text given.
        text: String,
        /// The leading character.
        prefix: char,
    },
    /// Not two or three numeric components.
    #[error("invalid release version `{text}`: expected 2 or 3 dotted numbers, found {count}")]
    ComponentCount {
        /// The text given.
        text: String,
        /// How many components it has.
        count: usize,
    },
    /// A component that is not a number.
    #[error("invalid release version `{text}`: `{component}` is not a number")]
    NotANumber {
        /// The text given.
        text: String,
        /// The offending component.
        component: String,
    },
    /// A component too large for 64 bits.
    #[error("invalid release version `{text}`: `{component}` is too large")]
    TooLarge {
        /// The text given.
        text: String,
        /// The offending component.
        component: String,
    },
    /// A pre-release that SemVer does not allow.
    #[error("invalid release version `{text}`: bad pre-release `{pre}`: {reason}")]
    PreRelease {
        /// The text given.
        text: String,
        /// The pre-release part after `-`.
        pre: String,
        /// What SemVer says is wrong with it.
        reason: String,
    },
    /// SemVer build metadata (`+...`), which release versions do not use.
    #[error("invalid release version `{text}`: build metadata (`+...`) is not supported")]
    BuildMetadata {
        /// The text given.
        text: String,
    },
}

impl VersionError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            VersionError::Prefix { text, prefix } => {
                format!("write `{}`", &text[prefix.len_utf8()..])
            }
            VersionError::BuildMetadata { text } => {
                let bare = text.split('+').next().unwrap_or(text);
                format!("write `{bare}`")
            }
            _ => VERSION_EXAMPLES.to_owned(),
        }
    }
}

impl ToDiagnostic for VersionError {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.to_string()).with_hint(self.hint())
    }
}

impl Version {
    /// Parses a release version: two or three dot-separated numbers (leading zeros allowed and
    /// kept), optionally followed by `-` and a SemVer pre-release.
    pub fn parse(text: &str) -> Result<Version, VersionError> {
        if text.is_empty() {
            return Err(VersionError::Empty);
        }
        if let Some(prefix) = text.chars().next().filter(|c| matches!(c, 'v' | 'V' | '=')) {
            if text[prefix.len_utf8()..].starts_with(|c: char| c.is_ascii_digit()) {
                return Err(VersionError::Prefix {
                    text: text.to_owned(),
                    prefix,
                });
            }
        }
        if text.contains('+') {
            return Err(VersionError::BuildMetadata {
                text: text.to_owned(),
            });
        }
        let (numeric, pre) = match text.split_once('-') {
            Some((numeric, pre)) => (numeric, Some(pre)),
            None => (text, None),
        };
        let parts: Vec<&str> = numeric.split('.').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(VersionError::ComponentCount {
                text: text.to_owned(),
                count: parts.len(),
            });
        }
        let mut numbers = [0u64; 3];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(VersionError::NotANumber {
                    text: text.to_owned(),
                    component: (*part).to_owned(),
                });
            }
            *slot = part.parse().map_err(|_| VersionError::TooLarge {
                text: text.to_owned(),
                component: (*part).to_owned(),
            })?;
        }
        let pre = match pre {
            None => None,
            Some(pre) => {
                let reason = if pre.is_empty() {
                    Some("it is empty".to_owned())
                } else {
                    None
                };
                let parsed = match reason {
                    Some(reason) => Err(reason),
                    None => semver::Prerelease::new(pre).map_err(|e| e.to_string()),
                };
                Some(parsed.map_err(|reason| VersionError::PreRelease {
                    text: text.to_owned(),
                    pre: pre.to_owned(),
                    reason,
                })?)
            }
        };
        Ok(Version {
            text: text.to_owned(),
            numbers,
            components: parts.len() as u8,
            pre,
        })
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The first component (the year of a CalVer version).
    pub fn major(&self) -> u64 {
        self.numbers[0]
    }

    /// The second component (the month of a CalVer version).
    pub fn minor(&self) -> u64 {
        self.numbers[1]
    }

    /// The third component, 0 when only two were written.
    pub fn patch(&self) -> u64 {
        self.numbers[2]
    }

    /// How many numeric components were written: 2 or 3.
    pub fn component_count(&self) -> usize {
        usize::from(self.components)
    }

    /// The pre-release after `-`, such as `beta.1`.
    pub fn pre_release(&self) -> Option<&str> {
        self.pre.as_ref().map(semver::Prerelease::as_str)
    }

    /// Whether this is a pre-release.
    pub fn is_pre_release(&self) -> bool {
        self.pre.is_some()
    }

    /// `(major, minor)`: two versions with different keys lie across a minor boundary.
    pub fn minor_series(&self) -> (u64, u64) {
        (self.numbers[0], self.numbers[1])
    }

    /// The version as it appears in a values file name: dots written as hyphens
    /// (`2025.05.00` gives `2025-05-00`, `2.0.0-beta.1` gives `2-0-0-beta-1`).
    pub fn file_name_part(&self) -> String {
        self.text.replace('.', "-")
    }
}

impl std::str::FromStr for Version {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Version::parse(s)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers
            .cmp(&other.numbers)
            .then_with(|| match (&self.pre, &other.pre) {
                (None, None) => Ordering::Equal,
                // A release is greater than any of its pre-releases.
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(b),
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Must agree with `Eq`, which ignores the spelling.
        self.numbers.hash(state);
        self.pre
            .as_ref()
            .map(semver::Prerelease::as_str)
            .hash(state);
    }
}

/// One comparison of a [`VersionReq`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `=X` or a bare `X`.
    Eq,
    /// `>X`.
    Greater,
    /// `>=X`.
    GreaterEq,
    /// `<X`.
    Less,
    /// `<=X`.
    LessEq,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Greater => ">",
            Op::GreaterEq => ">=",
            Op::Less => "<",
            Op::LessEq => "<=",
        }
    }
}

/// One comparator of a [`VersionReq`], such as `>=2024.12`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Comparator {
    /// The comparison.
    pub op: Op,
    /// The version compared with.
    pub version: Version,
}

impl Comparator {
    /// Whether `version` satisfies this comparator (plain version order; a pre-release is
    /// simply lower than its release).
    pub fn matches(&self, version: &Version) -> bool {
        let ordering = version.cmp(&self.version);
        match self.op {
            Op::Eq => ordering == Ordering::Equal,
            Op::Greater => ordering == Ordering::Greater,
            Op::GreaterEq => ordering != Ordering::Less,
            Op::Less => ordering == Ordering::Less,
            Op::LessEq => ordering != Ordering::Greater,
        }
    }
}

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.op.as_str(), self.version)
    }
}

/// Which releases may upgrade straight to a release: comma-separated comparators
/// (`>=2024.12.00`, `>=2024.07, <2025`), all of which must hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VersionReq {
    text: String,
    comparators: Vec<Comparator>,
}

/// Why a text is not a version requirement. `offset` is the byte offset of the problem in the
/// requirement text, so a catalog error can point at the comparator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionReqError {
    /// Nothing but whitespace and commas.
    #[error("empty version requirement `{text}`")]
    Empty {
        /// The requirement text.
        text: String,
    },
    /// A comparator with an operator other than `>=`, `>`, `<=`, `<`, `=`.
    #[error("unsupported operator `{op}` in `{text}`")]
    Operator {
        /// The requirement text.
        text: String,
        /// The operator found.
        op: String,
        /// Byte offset of the comparator.
        offset: usize,
    },
    /// A comparator without a version (`>=`).
    #[error("`{comparator}` in `{text}` has no version")]
    MissingVersion {
        /// The requirement text.
        text: String,
        /// The comparator.
        comparator: String,
        /// Byte offset of the comparator.
        offset: usize,
    },
    /// A comparator whose version does not parse.
    #[error("bad version in `{text}`: {source}")]
    Version {
        /// The requirement text.
        text: String,
        /// Why the version did not parse.
        source: VersionError,
        /// Byte offset of the version.
        offset: usize,
    },
}

impl VersionReqError {
    /// Byte offset of the problem in the requirement text.
    pub fn offset(&self) -> usize {
        match self {
            VersionReqError::Empty { .. } => 0,
            VersionReqError::Operator { offset, .. }
            | VersionReqError::MissingVersion { offset, .. }
            | VersionReqError::Version { offset, .. } => *offset,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            VersionReqError::Version { source, .. } => source.hint(),
            VersionReqError::Operator { op, .. } if op == "==" => {
                "write `=X` or just `X` for one release".to_owned()
            }
            _ => "write comparators such as `>=2024.12.00` or `>=2024.07, <2025.01`, \
                  separated by commas (operators: >=, >, <=, <, =)"
                .to_owned(),
        }
    }
}

impl ToDiagnostic for VersionReqError {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.to_string()).with_hint(self.hint())
    }
}

impl VersionReq {
    /// Parses comma-separated comparators: `>=X`, `>X`, `<=X`, `<X`, `=X` or `X`.
    pub fn parse(text: &str) -> Result<VersionReq, VersionReqError> {
        let mut comparators = Vec::new();
        let mut start = 0;
        for piece in text.split(',') {
            let offset = start + (piece.len() - piece.trim_start().len());
            start += piece.len() + 1;
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            let op_len = piece
                .find(|c: char| c.is_ascii_alphanumeric())
                .unwrap_or(piece.len());
            let (op_text, rest) = piece.split_at(op_len);
            let op = match op_text.trim_end() {
                "" | "=" => Op::Eq,
                ">" => Op::Greater,
                ">=" => Op::GreaterEq,
                "<" => Op::Less,
                "<=" => Op::LessEq,
                other => {
                    return Err(VersionReqError::Operator {
                        text: text.to_owned(),
                        op: other.to_owned(),
                        offset,
                    })
                }
            };
            if rest.is_empty() {
                return Err(VersionReqError::MissingVersion {
                    text: text.to_owned(),
                    comparator: piece.to_owned(),
                    offset,
                });
            }
            let version = Version::parse(rest).map_err(|source| VersionReqError::Version {
                text: text.to_owned(),
                source,
                offset: offset + op_len,
            })?;
            comparators.push(Comparator { op, version });
        }
        if comparators.is_empty() {
            return Err(VersionReqError::Empty {
                text: text.to_owned(),
            });
        }
        Ok(VersionReq {
            text: text.to_owned(),
            comparators,
        })
    }

    /// Whether `version` satisfies every comparator.
    pub fn matches(&self, version: &Version) -> bool {
        self.comparators.iter().all(|c| c.matches(version))
    }

    /// The comparators, in the order written.
    pub fn comparators(&self) -> &[Comparator] {
        &self.comparators
    }

    /// The first comparator that `version` fails, to explain a refusal.
    pub fn first_failure(&self, version: &Version) -> Option<&Comparator> {
        self.comparators.iter().find(|c| !c.matches(version))
    }

    /// Whether some version below `version` satisfies the requirement. A requirement that only
    /// admits `version` itself or later ones lets nothing upgrade to it, which is a typo in a
    /// catalog.
    pub fn admits_some_below(&self, version: &Version) -> bool {
        // Lower bounds are the only comparators that can exclude everything below `version`:
        // upper bounds and `<` always leave lower versions.
        self.comparators.iter().all(|c| match c.op {
            Op::Greater | Op::GreaterEq | Op::Eq => c.version < *version,
            Op::Less | Op::LessEq => true,
        })
    }
}

impl std::str::FromStr for VersionReq {
    type Err = VersionReqError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        VersionReq::parse(s)
    }
}

impl fmt::Display for VersionReq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The env and release that a values file name states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuesFileName {
    /// The environment, such as `dev` or `prod-eu`.
    pub env: String,
    /// The release, as written in the name (dots restored: `2025-05-00` gives `2025.05.00`).
    pub release: Version,
}

/// Reads `values-<env>-<release>.yml` (or `.yaml`).
///
/// The release is the trailing run of up to three hyphen-separated digit groups (two at
/// least), optionally followed by a pre-release whose first group is not all digits, so
/// `<env>` may contain hyphens: `values-prod-eu-2025-05-00.yml` is env `prod-eu`, release
/// `2025.05.00`. When the split is ambiguous (`values-eu-1-2024-12.yml` could be release
/// `1.2024.12` of `eu` or release `2024.12` of `eu-1`), the convention's reading wins if
/// `known` accepts its release, else the first other split (longest release first) whose
/// release `known` accepts, else the convention's reading. `known` is how a catalog says which
/// releases it has; pass `|_| false` without one. `name` is a file name, not a path. `None` when
/// the name does not follow the convention.
///
/// Hyphens inside a pre-release cannot be told from dots: `beta-1` reads back as `beta.1`.
pub fn parse_values_file_name(
    name: &str,
    known: impl Fn(&Version) -> bool,
) -> Option<ValuesFileName> {
    let stem = name
        .strip_suffix(".yml")
        .or_else(|| name.strip_suffix(".yaml"))?;
    let rest = stem.strip_prefix("values-")?;
    let tokens: Vec<&str> = rest.split('-').collect();
    if tokens.iter().any(|t| t.is_empty()) {
        return None;
    }
    let conventional = conventional_reading(&tokens)?;
    if known(&conventional.release) {
        return Some(conventional);
    }
    let alternative = other_readings(&tokens)
        .into_iter()
        .find(|c| *c != conventional && known(&c.release));
    Some(alternative.unwrap_or(conventional))
}

fn is_digits(token: &str) -> bool {
    token.bytes().all(|b| b.is_ascii_digit())
}

/// `tokens[..env_end]` as the env, the next `digits` tokens as the numbers and the rest as the
/// pre-release, when that makes a version.
fn reading(tokens: &[&str], env_end: usize, digits: usize) -> Option<ValuesFileName> {
    let numbers = tokens.get(env_end..env_end + digits)?;
    if env_end == 0 || !numbers.iter().all(|t| is_digits(t)) {
        return None;
    }
    let pre = &tokens[env_end + digits..];
    // A pre-release that starts with a number would be a fourth digit group.
    if pre.first().is_some_and(|t| is_digits(t)) {
        return None;
    }
    let numeric = numbers.join(".");
    let text = if pre.is_empty() {
        numeric
    } else {
        format!("{numeric}-{}", pre.join("."))
    };
    Some(ValuesFileName {
        env: tokens[..env_end].join("-"),
        release: Version::parse(&text).ok()?,
    })
}

/// The convention's reading: the pre-release starts after the last run of two or more digit
/// groups, and the release takes up to three groups of that run. A name whose run leaves no
/// env (`values-2024-12-02.yml`) has no reading: making `2024` the env is what nobody means.
fn conventional_reading(tokens: &[&str]) -> Option<ValuesFileName> {
    let pre_start = (2..=tokens.len()).rev().find(|&p| {
        is_digits(tokens[p - 1])
            && is_digits(tokens[p - 2])
            && tokens.get(p).is_none_or(|t| !is_digits(t))
    })?;
    let run = (0..pre_start)
        .rev()
        .take_while(|&i| is_digits(tokens[i]))
        .count();
    let digits = run.min(3);
    reading(tokens, pre_start - digits, digits)
}

/// Every other reading, longest release first, for a catalog to choose from.
fn other_readings(tokens: &[&str]) -> Vec<ValuesFileName> {
    (1..tokens.len())
        .flat_map(|env_end| [3, 2].map(|digits| (env_end, digits)))
        .filter_map(|(env_end, digits)| reading(tokens, env_end, digits))
        .collect()
}

/// The values file name of `env` at `release`: `values-<env>-<release>.yml`.
pub fn values_file_name(env: &str, release: &Version) -> String {
    format!("values-{env}-{}.yml", release.file_name_part())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn ordering_table() {
        // Each row is strictly below the next.
        let ascending = [
            "1.7.5",
            "2.0.0-alpha",
            "2.0.0-alpha.1",
            "2.0.0-alpha.beta",
            "2.0.0-beta",
            "2.0.0-beta.2",
            "2.0.0-beta.11",
            "2.0.0-rc.1",
            "2.0.0",
            "2.0.1",
            "2.10.0",
            "2024.07",
            "2024.07.01",
            "2024.07.03",
            "2024.12",
            "2024.12.01",
            "2024.12.02",
            "2025.05.00",
            "2025.05.01",
            "2025.5.2",
            "2025.09.00",
            "2026.01.00",
        ];
        for pair in ascending.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
            assert!(v(pair[1]) > v(pair[0]), "{} > {}", pair[1], pair[0]);
        }
    }

    #[test]
    fn equality_is_numeric_and_text_is_kept() {
        assert_eq!(v("2024.12"), v("2024.12.0"));
        assert_eq!(v("2024.12"), v("2024.12.00"));
        assert_eq!(v("2025.05.00"), v("2025.5.0"));
        assert_ne!(v("2.0.0-beta.1"), v("2.0.0"));
        assert_eq!(v("2025.05.00").to_string(), "2025.05.00");
        assert_eq!(v("2025.05.00").as_str(), "2025.05.00");
        assert_eq!(v("2024.12").file_name_part(), "2024-12");
        assert_eq!(v("2025.05.00").file_name_part(), "2025-05-00");
        assert_eq!(v("2.0.0-beta.1").file_name_part(), "2-0-0-beta-1");
        let mut set = std::collections::HashSet::new();
        set.insert(v("2024.12"));
        assert!(set.contains(&v("2024.12.00")));
    }

    #[test]
    fn accessors() {
        let x = v("2024.12");
        assert_eq!((x.major(), x.minor(), x.patch()), (2024, 12, 0));
        assert_eq!(x.component_count(), 2);
        assert_eq!(x.minor_series(), (2024, 12));
        let y = v("2.0.0-beta.1");
        assert_eq!(y.pre_release(), Some("beta.1"));
        assert!(y.is_pre_release());
        assert!(!x.is_pre_release());
    }

    #[test]
    fn parse_errors() {
        let cases = [
            ("", "a release version is empty"),
            ("2025", "invalid release version `2025`: expected 2 or 3 dotted numbers, found 1"),
            (
                "1.2.3.4",
                "invalid release version `1.2.3.4`: expected 2 or 3 dotted numbers, found 4",
            ),
            ("2025.x.00", "invalid release version `2025.x.00`: `x` is not a number"),
            ("2025..00", "invalid release version `2025..00`: `` is not a number"),
            (" 2025.05", "invalid release version ` 2025.05`: ` 2025` is not a number"),
            ("v1.7.5", "invalid release version `v1.7.5`: it starts with `v`"),
            (
                "1.2.3+build",
                "invalid release version `1.2.3+build`: build metadata (`+...`) is not supported",
            ),
            (
                "1.2.3-",
                "invalid release version `1.2.3-`: bad pre-release ``: it is empty",
            ),
            (
                "99999999999999999999.1",
                "invalid release version `99999999999999999999.1`: `99999999999999999999` is too large",
            ),
            ("latest", "invalid release version `latest`: expected 2 or 3 dotted numbers, found 1"),
        ];
        for (text, message) in cases {
            let err = Version::parse(text).unwrap_err();
            assert_eq!(err.to_string(), message, "{text:?}");
        }
        let err = Version::parse("1.2.3-beta..1").unwrap_err();
        assert!(matches!(err, VersionError::PreRelease { .. }), "{err:?}");
        assert_eq!(
            Version::parse("v1.7.5").unwrap_err().hint(),
            "write `1.7.5`"
        );
        assert_eq!(
            Version::parse("1.2.3+b").unwrap_err().hint(),
            "write `1.2.3`"
        );
        let diagnostic = Version::parse("x").unwrap_err().to_diagnostic();
        assert_eq!(diagnostic.hint.as_deref(), Some(VERSION_EXAMPLES));
    }

    #[test]
    fn requirements() {
        let req = VersionReq::parse(">=2024.07, <2025.01").unwrap();
        assert!(req.matches(&v("2024.07")));
        assert!(req.matches(&v("2024.12.02")));
        assert!(!req.matches(&v("2024.04")));
        assert!(!req.matches(&v("2025.01.00")));
        assert_eq!(
            req.first_failure(&v("2025.05")).unwrap().to_string(),
            "<2025.01"
        );
        assert_eq!(req.to_string(), ">=2024.07, <2025.01");

        let exact = VersionReq::parse("2024.12").unwrap();
        assert!(exact.matches(&v("2024.12.00")));
        assert!(!exact.matches(&v("2024.12.01")));
        assert!(VersionReq::parse("=2024.12")
            .unwrap()
            .matches(&v("2024.12")));
        assert!(VersionReq::parse(">2024.12")
            .unwrap()
            .matches(&v("2024.12.01")));
        assert!(!VersionReq::parse(">2024.12")
            .unwrap()
            .matches(&v("2024.12")));
        assert!(VersionReq::parse("<=2024.12")
            .unwrap()
            .matches(&v("2024.12")));
        assert!(VersionReq::parse(">= 2.0.0-rc.1")
            .unwrap()
            .matches(&v("2.0.0")));
        assert!(!VersionReq::parse(">=2.0.0")
            .unwrap()
            .matches(&v("2.0.0-rc.1")));
    }

    #[test]
    fn requirement_errors() {
        let cases = [
            ("", "empty version requirement ``", 0),
            (" , ", "empty version requirement ` , `", 0),
            ("~1.2", "unsupported operator `~` in `~1.2`", 0),
            ("^1.2.0", "unsupported operator `^` in `^1.2.0`", 0),
            (
                ">=1.2, ==1.3",
                "unsupported operator `==` in `>=1.2, ==1.3`",
                7,
            ),
            (">=", "`>=` in `>=` has no version", 0),
            (
                ">=2024.12, <2025",
                "bad version in `>=2024.12, <2025`: invalid release version `2025`: \
                 expected 2 or 3 dotted numbers, found 1",
                12,
            ),
        ];
        for (text, message, offset) in cases {
            let err = VersionReq::parse(text).unwrap_err();
            assert_eq!(err.to_string(), message, "{text:?}");
            assert_eq!(err.offset(), offset, "{text:?}");
        }
        assert!(VersionReq::parse("==1.2")
            .unwrap_err()
            .hint()
            .contains("`=X`"));
    }

    #[test]
    fn requirement_admitting_nothing_below() {
        let release = v("2024.12");
        assert!(VersionReq::parse(">=2024.07")
            .unwrap()
            .admits_some_below(&release));
        assert!(VersionReq::parse("<2030.01")
            .unwrap()
            .admits_some_below(&release));
        assert!(!VersionReq::parse(">=2024.12")
            .unwrap()
            .admits_some_below(&release));
        assert!(!VersionReq::parse(">2025.01")
            .unwrap()
            .admits_some_below(&release));
        assert!(!VersionReq::parse("2024.12")
            .unwrap()
            .admits_some_below(&release));
    }

    fn split(name: &str, known: &[&str]) -> Option<(String, String)> {
        let known: Vec<Version> = known.iter().map(|k| v(k)).collect();
        parse_values_file_name(name, |r| known.contains(r))
            .map(|f| (f.env, f.release.as_str().to_owned()))
    }

    fn pair(env: &str, release: &str) -> Option<(String, String)> {
        Some((env.to_owned(), release.to_owned()))
    }

    #[test]
    fn file_name_splits() {
        assert_eq!(
            split("values-dev-2024-12-02.yml", &[]),
            pair("dev", "2024.12.02")
        );
        assert_eq!(
            split("values-prod-eu-2025-05-00.yml", &[]),
            pair("prod-eu", "2025.05.00")
        );
        assert_eq!(split("values-dev-2024-12.yml", &[]), pair("dev", "2024.12"));
        assert_eq!(
            split("values-dev-2024-12.yaml", &[]),
            pair("dev", "2024.12")
        );
        assert_eq!(split("values-dev-1-7-5.yml", &[]), pair("dev", "1.7.5"));
        assert_eq!(
            split("values-dev-2-0-0-beta-1.yml", &[]),
            pair("dev", "2.0.0-beta.1")
        );
        assert_eq!(
            split("values-qa-2-2024-12-rc1.yml", &[]),
            pair("qa", "2.2024.12-rc1")
        );
        // More than three digit groups: the env keeps the rest.
        assert_eq!(
            split("values-eu-1-2-2024-12-02.yml", &[]),
            pair("eu-1-2", "2024.12.02")
        );
        assert_eq!(
            split("values-1-2024-12-02.yml", &[]),
            pair("1", "2024.12.02")
        );
    }

    #[test]
    fn ambiguous_file_names_follow_the_catalog() {
        // Without a catalog, the longest release wins.
        assert_eq!(
            split("values-eu-1-2024-12.yml", &[]),
            pair("eu", "1.2024.12")
        );
        assert_eq!(
            split("values-eu-1-2024-12.yml", &["2024.12", "2025.05.00"]),
            pair("eu-1", "2024.12")
        );
        // The catalog's spelling may differ; versions compare as numbers.
        assert_eq!(
            split("values-eu-1-2024-12.yml", &["2024.12.00"]),
            pair("eu-1", "2024.12")
        );
        // When the catalog has the convention's reading, it stays.
        assert_eq!(
            split("values-eu-1-2024-12.yml", &["1.2024.12", "2024.12"]),
            pair("eu", "1.2024.12")
        );
        assert_eq!(split("values-eu-2-1-0.yml", &["1.0"]), pair("eu-2", "1.0"));
    }

    #[test]
    fn names_off_the_convention() {
        for name in [
            "values.yaml",
            "values-dev.yml",
            "values-dev-2025.yml",
            "values-2024-12-02.yml",
            "values-dev-2024-12-02.json",
            "my-values-dev-2024-12-02.yml",
            "values--2024-12-02.yml",
            "values-dev--2024-12.yml",
            "values-dev-latest.yml",
            "values-dev-2024-12-.yml",
        ] {
            assert_eq!(split(name, &[]), None, "{name}");
        }
    }

    #[test]
    fn file_names_round_trip() {
        for (env, release) in [
            ("dev", "2025.05.00"),
            ("prod-eu", "2024.12"),
            ("eu-1", "1.7.5"),
            ("dev", "2.0.0-beta.1"),
        ] {
            let version = v(release);
            let name = values_file_name(env, &version);
            let known = |r: &Version| *r == version;
            let parsed = parse_values_file_name(&name, known).unwrap();
            assert_eq!(parsed.env, env, "{name}");
            assert_eq!(parsed.release.as_str(), release, "{name}");
        }
        assert_eq!(
            values_file_name("dev", &v("2025.05.00")),
            "values-dev-2025-05-00.yml"
        );
    }
}
