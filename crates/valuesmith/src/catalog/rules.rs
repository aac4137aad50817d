//! Reading the `migrate` rules of a release: each rule's kind, its fields, and the checks
//! that make a rule mean one thing.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostic::did_you_mean;
use crate::value::Value;
use crate::version::Version;

use super::reading::Ctx;
use super::{CatalogError, CatalogErrorKind, Rule, RuleKind, RULE_KINDS};

/// Rule fields whose value is text (a path, a message). Read as strings so that the text is
/// kept as written: a path `a.1.10` must not become the float `1.1`.
const TEXT_FIELDS: &[&str] = &[
    "set", "add", "remove", "rename", "replace", "require", "warn", "to", "reason",
];

enum RawField {
    Text(Spanned<String>),
    Value(Spanned<Value>),
}

impl RawField {
    fn at(&self) -> &serde_saphyr::Location {
        match self {
            RawField::Text(s) => &s.referenced,
            RawField::Value(s) => &s.referenced,
        }
    }
}

/// A rule as written: its entries in order. Checked by hand rather than by serde so that each
/// mistake (no kind, two kinds, a field of another kind) gets its own message and position.
pub(super) struct RawRule(Vec<(Spanned<String>, RawField)>);

impl<'de> Deserialize<'de> for RawRule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RuleVisitor;
        impl<'de> Visitor<'de> for RuleVisitor {
            type Value = RawRule;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a rule such as `remove: some.path`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRule, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let field = if TEXT_FIELDS.contains(&key.value.as_str()) {
                        RawField::Text(map.next_value()?)
                    } else {
                        RawField::Value(map.next_value()?)
                    };
                    entries.push((key, field));
                }
                Ok(RawRule(entries))
            }
        }
        deserializer.deserialize_map(RuleVisitor)
    }
}

/// The fields each rule kind takes besides `reason`.
fn rule_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "set" | "add" => &["value"],
        "replace" => &["from", "value"],
        "rename" => &["to"],
        _ => &[],
    }
}

fn rule_shape(kind: &str) -> String {
    match kind {
        "set" => "`set: P` with `value: V`".to_owned(),
        "add" => "`add: P` with `value: V`".to_owned(),
        "replace" => "`replace: P` with `from: A` and `value: V`".to_owned(),
        "rename" => "`rename: P` with `to: Q`".to_owned(),
        "warn" => "`warn: TEXT`".to_owned(),
        other => format!("`{other}: P`"),
    }
}

pub(super) fn read_rule(
    ctx: &Ctx<'_>,
    version: &Version,
    raw: Spanned<RawRule>,
) -> Result<Rule, CatalogError> {
    let rule_at = raw.referenced;
    let entries = raw.value.0;
    let kinds: Vec<&(Spanned<String>, RawField)> = entries
        .iter()
        .filter(|(key, _)| RULE_KINDS.contains(&key.value.as_str()))
        .collect();
    let all_kinds = RULE_KINDS.join(", ");
    let (kind_key, kind_field) = match kinds.as_slice() {
        [] => {
            let unknown = entries.iter().find(|(key, _)| {
                !TEXT_FIELDS.contains(&key.value.as_str())
                    && !matches!(key.value.as_str(), "value" | "from")
            });
            return Err(match unknown {
                Some((key, _)) => {
                    let hint = match did_you_mean(&key.value, RULE_KINDS.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("a rule is one of: {all_kinds}"),
                    };
                    ctx.error_at(
                        CatalogErrorKind::BadRule,
                        &key.referenced,
                        format!("unknown rule `{}` in release {version}", key.value),
                        Some(hint),
                    )
                }
                None => {
                    let fields: Vec<String> = entries
                        .iter()
                        .map(|(k, _)| format!("`{}`", k.value))
                        .collect();
                    let has = if fields.is_empty() {
                        "nothing".to_owned()
                    } else {
                        fields.join(", ")
                    };
                    ctx.error_at(
                        CatalogErrorKind::BadRule,
                        &rule_at,
                        format!("a rule of release {version} has {has} but no kind"),
                        Some(format!("start the rule with one of: {all_kinds}")),
                    )
                }
            });
        }
        [only] => (&only.0, &only.1),
        [first, second, ..] => {
            return Err(ctx.error_at(
                CatalogErrorKind::BadRule,
                &second.0.referenced,
                format!(
                    "a rule of release {version} has two kinds, `{}` and `{}`",
                    first.0.value, second.0.value
                ),
                Some("write each as its own list item (`- ...`)".to_owned()),
            ));
        }
    };
    let kind_name = kind_key.value.as_str();
    let allowed = rule_fields(kind_name);
    let mut reason = None;
    let mut keep_empty = false;
    for (key, field) in &entries {
        let name = key.value.as_str();
        if std::ptr::eq(key, kind_key) || allowed.contains(&name) {
            continue;
        }
        if name == "keep_empty" && kind_name == "remove" {
            match field {
                RawField::Value(v) if matches!(v.value, Value::Bool(_)) => {
                    keep_empty = v.value == Value::Bool(true);
                }
                _ => {
                    return Err(ctx.error_at(
                        CatalogErrorKind::BadRule,
                        &key.referenced,
                        format!(
                            "`keep_empty` of a `remove` rule (release {version}) is true or false"
                        ),
                        Some(
                            "write `keep_empty: true` to keep an emptied list or mapping"
                                .to_owned(),
                        ),
                    ))
                }
            }
            continue;
        }
        if name == "reason" {
            if let RawField::Text(text) = field {
                reason = Some(text.value.trim_end().to_owned());
            }
            continue;
        }
        let known_elsewhere = matches!(name, "value" | "from" | "to");
        let message = if known_elsewhere {
            format!("`{name}` does not belong in a `{kind_name}` rule (release {version})")
        } else {
            format!("unknown field `{name}` in a `{kind_name}` rule (release {version})")
        };
        let mut choices: Vec<&str> = allowed.to_vec();
        choices.push("reason");
        let hint = match did_you_mean(name, choices.iter().copied()).filter(|_| !known_elsewhere) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("a `{kind_name}` rule is {}", rule_shape(kind_name)),
        };
        return Err(ctx.error_at(
            CatalogErrorKind::BadRule,
            &key.referenced,
            message,
            Some(hint),
        ));
    }
    let get = |name: &str| {
        entries
            .iter()
            .find(|(k, _)| k.value == name)
            .map(|(_, f)| f)
    };
    let missing = allowed.iter().find(|name| get(name).is_none());
    if let Some(name) = missing {
        return Err(ctx.error_at(
            CatalogErrorKind::BadRule,
            &kind_key.referenced,
            format!("`{kind_name}` rule of release {version} needs `{name}`"),
            Some(format!("a `{kind_name}` rule is {}", rule_shape(kind_name))),
        ));
    }
    let RawField::Text(target) = kind_field else {
        // Rule kinds are text fields by construction (TEXT_FIELDS).
        return Err(ctx.error_at(
            CatalogErrorKind::BadRule,
            kind_field.at(),
            format!("`{kind_name}` needs a text"),
            None,
        ));
    };
    let value_of = |name: &str| match get(name) {
        Some(RawField::Value(v)) => v.value.clone(),
        _ => Value::Null,
    };
    let what = format!("`{kind_name}` rule of release {version}");
    let kind = match kind_name {
        "set" => RuleKind::Set {
            path: ctx.path(target, &what)?,
            value: value_of("value"),
        },
        "add" => RuleKind::Add {
            path: ctx.path(target, &what)?,
            value: value_of("value"),
        },
        "remove" => RuleKind::Remove {
            path: ctx.path(target, &what)?,
            keep_empty,
        },
        "require" => RuleKind::Require {
            path: ctx.path(target, &what)?,
        },
        "replace" => RuleKind::Replace {
            path: ctx.path(target, &what)?,
            from: value_of("from"),
            value: value_of("value"),
        },
        "rename" => {
            let from = ctx.path(target, &what)?;
            let Some(RawField::Text(to_field)) = get("to") else {
                return Err(ctx.error_at(
                    CatalogErrorKind::BadRule,
                    &kind_key.referenced,
                    format!("{what} needs `to`"),
                    None,
                ));
            };
            let to = ctx.path(to_field, &format!("`to` of {what}"))?;
            let problem = if to == from {
                Some(format!("{what} renames `{from}` to itself"))
            } else if to.starts_with(&from) {
                Some(format!("{what} moves `{from}` into itself (`{to}`)"))
            } else if from.starts_with(&to) {
                Some(format!(
                    "{what} moves `{from}` onto its own parent `{to}`, which it would replace"
                ))
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(ctx.error_at(
                    CatalogErrorKind::BadRule,
                    &to_field.referenced,
                    problem,
                    Some("`rename` moves a value to another place in the document".to_owned()),
                ));
            }
            RuleKind::Rename { from, to }
        }
        _ => RuleKind::Warn {
            text: ctx.non_empty(target, "warn")?.trim_end().to_owned(),
        },
    };
    Ok(Rule {
        kind,
        reason,
        at: ctx.pos(&rule_at),
    })
}
