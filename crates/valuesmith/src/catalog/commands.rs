//! Reading the catalog's `commands` section: the `--set` flags of every printed `helm
//! upgrade`, `upgrade_mode`, and the product's data-upgrade procedure
//! (`commands.data_upgrade`: the resource to apply, what to wait for, the toggles of the first
//! and last run).

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::Deserialize as DeriveDeserialize;
use serde_saphyr::Spanned;

use crate::diagnostic::did_you_mean;
use crate::path::Path;
use crate::value::Value;

use super::reading::Ctx;
use super::{
    CatalogError, CatalogErrorKind, Commands, DataUpgradeProcedure, SetFlag,
    DATA_UPGRADE_PLACEHOLDERS,
};

#[derive(DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCommands {
    set: Option<Spanned<Entries>>,
    upgrade_mode: Option<Spanned<String>>,
    data_upgrade: Option<Spanned<RawDataUpgrade>>,
}

#[derive(DeriveDeserialize)]
#[serde(deny_unknown_fields)]
struct RawDataUpgrade {
    apply: Option<Spanned<String>>,
    wait_for: Option<Spanned<String>>,
    mode_effect: Option<Spanned<String>>,
    begin: Option<Spanned<Entries>>,
    finish: Option<Spanned<Entries>>,
}

/// A mapping kept as spanned entries (for `--set` flags, whose keys are paths).
struct Entries(Vec<(Spanned<String>, Spanned<Value>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of paths to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// The hint for a field that older catalogs had: what replaced it.
pub(super) fn retired_field_hint(field: &str) -> Option<String> {
    (field == "data_upgrade_api").then(|| {
        "`commands.data_upgrade_api` was replaced by `commands.data_upgrade.apply`, the whole \
         resource to apply (see docs/catalog.md, \"The data-upgrade procedure\")"
            .to_owned()
    })
}

pub(super) fn read_commands(ctx: &Ctx<'_>, raw: &RawCommands) -> Result<Commands, CatalogError> {
    let mut commands = Commands::default();
    if let Some(field) = &raw.upgrade_mode {
        commands.upgrade_mode = Some(ctx.helm_path(field, "commands.upgrade_mode")?);
    }
    let mode = commands.upgrade_mode.as_ref();
    if let Some(set) = &raw.set {
        commands.set = read_flags(ctx, &set.value, "commands.set", mode)?;
    }
    if let Some(procedure) = &raw.data_upgrade {
        let raw = &procedure.value;
        let text = |field: &Option<Spanned<String>>, name: &str| -> Result<_, CatalogError> {
            field
                .as_ref()
                .map(|f| {
                    let what = format!("commands.data_upgrade.{name}");
                    let text = ctx.non_empty(f, &what)?;
                    check_placeholders(ctx, f, &what)?;
                    Ok(text.trim_end().to_owned())
                })
                .transpose()
        };
        let flags = |field: &Option<Spanned<Entries>>, name: &str| match field {
            Some(entries) => read_flags(
                ctx,
                &entries.value,
                &format!("commands.data_upgrade.{name}"),
                mode,
            ),
            None => Ok(Vec::new()),
        };
        commands.data_upgrade = DataUpgradeProcedure {
            apply: text(&raw.apply, "apply")?.map(|mut manifest| {
                manifest.push('\n');
                manifest
            }),
            wait_for: text(&raw.wait_for, "wait_for")?,
            mode_effect: text(&raw.mode_effect, "mode_effect")?,
            begin: flags(&raw.begin, "begin")?,
            finish: flags(&raw.finish, "finish")?,
        };
    }
    Ok(commands)
}

/// `--set` flags: helm paths to scalars, none of them `upgrade_mode`, which plan sets itself.
fn read_flags(
    ctx: &Ctx<'_>,
    entries: &Entries,
    what: &str,
    upgrade_mode: Option<&Path>,
) -> Result<Vec<SetFlag>, CatalogError> {
    let mut flags = Vec::with_capacity(entries.0.len());
    for (key, value) in &entries.0 {
        let path = ctx.helm_path(key, what)?;
        if !value.value.is_scalar() {
            return Err(ctx.error_at(
                CatalogErrorKind::BadValue,
                &value.referenced,
                format!(
                    "`{what}` value of `{path}` is a {}",
                    value.value.type_name()
                ),
                Some("a --set flag takes a scalar such as `true` or `10`".to_owned()),
            ));
        }
        if upgrade_mode == Some(&path) {
            return Err(ctx.error_at(
                CatalogErrorKind::BadValue,
                &key.referenced,
                format!("`{what}` sets `{path}`, which is `upgrade_mode`"),
                Some(
                    "leave it out: plan sets upgrade mode itself around a data upgrade".to_owned(),
                ),
            ));
        }
        flags.push(SetFlag {
            path,
            value: value.value.clone(),
        });
    }
    Ok(flags)
}

/// Refuses a `{word}` that is not a placeholder (a misspelt `{lable}` would be printed as
/// written); braces around anything else (a YAML flow mapping) are text.
fn check_placeholders(
    ctx: &Ctx<'_>,
    field: &Spanned<String>,
    what: &str,
) -> Result<(), CatalogError> {
    let text = &field.value;
    let mut rest = 0;
    while let Some(open) = text[rest..].find('{').map(|i| rest + i) {
        let Some(close) = text[open..].find('}').map(|i| open + i) else {
            break;
        };
        let word = &text[open + 1..close];
        let is_word = !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if is_word && !DATA_UPGRADE_PLACEHOLDERS.contains(&word) {
            let known = DATA_UPGRADE_PLACEHOLDERS
                .iter()
                .map(|p| format!("{{{p}}}"))
                .collect::<Vec<_>>()
                .join(", ");
            let hint = match did_you_mean(word, DATA_UPGRADE_PLACEHOLDERS.iter().copied()) {
                Some(best) => format!("did you mean `{{{best}}}`? The placeholders are {known}"),
                None => format!("the placeholders are {known}"),
            };
            return Err(ctx.error(
                CatalogErrorKind::BadValue,
                ctx.inside(&field.referenced, text, open),
                format!("`{what}` names `{{{word}}}`, which is not a placeholder"),
                Some(hint),
            ));
        }
        rest = close + 1;
    }
    Ok(())
}
