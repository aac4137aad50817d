//! Helm's coalescing of values over a chart: dependencies enabled by `condition` and `tags`
//! (and matched by version), each chart's defaults under the user's values (`null` deletes,
//! type clashes keep the user's value), subcharts under their names or aliases, and `global`
//! copied down; plus the merge of `-f` files. `effective` drives it; this module is the
//! rules.

use super::*;

/// Helm's merge of `-f` files: mappings merge key by key, anything else (a `null` too)
/// replaces.
pub(super) fn merge_maps(base: &mut TMap, over: TMap) {
    for (key, value) in over.entries {
        match (base.get_mut(&key), value) {
            (Some(Node::Map(into, _)), Node::Map(from, _)) => merge_maps(into, from),
            (_, value) => base.insert(key, value),
        }
    }
}

/// The chart with every subchart in `charts/` under its own name, as Helm holds it before
/// it resolves dependencies.
pub(super) fn raw_view<'a>(chart: &'a Chart, name: String, charts: &[&'a Chart]) -> View<'a> {
    let id = charts
        .iter()
        .position(|c| std::ptr::eq(*c, chart))
        .unwrap_or_default();
    View {
        chart,
        id,
        name,
        deps: chart
            .subcharts()
            .iter()
            .map(|sub| raw_view(sub, sub.name().to_owned(), charts))
            .collect(),
        imports: TMap::default(),
    }
}

/// Helm's `processDependencyEnabled`: aliases applied, then the subcharts that `tags` or a
/// `condition` disable removed, judged on `values` coalesced with all of them enabled.
pub(super) fn enabled_view<'a>(
    ctx: &mut Ctx,
    view: View<'a>,
    values: &TMap,
    prefix: &str,
    disabled: &mut Vec<(Path, String)>,
) -> Result<View<'a>, Clash> {
    let chart = view.chart;
    if chart.dependencies().is_empty() {
        return Ok(view);
    }
    let listed = |sub: &View<'_>| {
        chart
            .dependencies()
            .iter()
            .any(|d| d.name == sub.chart.name() && version_matches(d, sub.chart.version()))
    };
    // Subcharts that Chart.yaml does not list (or lists at another version) stay as they are.
    let mut deps: Vec<(View<'a>, Option<&Dependency>)> = Vec::new();
    let mut pool = Vec::new();
    for sub in view.deps {
        if listed(&sub) {
            pool.push(sub);
        } else {
            deps.push((sub, None));
        }
    }
    for dep in chart.dependencies() {
        if let Some(found) = pool
            .iter()
            .find(|s| s.chart.name() == dep.name && version_matches(dep, s.chart.version()))
        {
            let copy = copy_view(found, dep.key().to_owned());
            deps.push((copy, Some(dep)));
        }
    }
    let all = View {
        chart,
        id: view.id,
        name: view.name.clone(),
        deps: deps
            .iter()
            .map(|(v, _)| copy_view(v, v.name.clone()))
            .collect(),
        imports: TMap::default(),
    };
    let mut cvals = values.clone();
    coalesce(ctx, &all, &mut cvals, &Path::root())?;
    let tags = match cvals.get("tags") {
        Some(Node::Map(tags, _)) => Some(tags.clone()),
        _ => None,
    };
    let mut kept = Vec::new();
    for (sub, dep) in deps {
        let enabled = match dep {
            None => true,
            Some(dep) => dependency_enabled(dep, tags.as_ref(), &cvals, prefix),
        };
        if enabled {
            kept.push(sub);
        } else {
            let path = Path::parse(&format!("{prefix}{}", sub.name))
                .unwrap_or_else(|_| Path::root().key(sub.name.clone()));
            disabled.push((path, sub.name.clone()));
        }
    }
    let mut deps = Vec::new();
    for sub in kept {
        let sub_prefix = format!("{prefix}{}.", sub.name);
        deps.push(enabled_view(ctx, sub, &cvals, &sub_prefix, disabled)?);
    }
    Ok(View {
        chart,
        id: view.id,
        name: view.name,
        deps,
        imports: TMap::default(),
    })
}

/// Helm's `processDependencyImportValues`, subcharts first: a chart whose dependencies have
/// `import-values` gets, under its defaults, the subchart mappings they name, read from the
/// chart's values coalesced with its enabled subcharts'. `- name` is the subchart's
/// `exports.name` at the top level, `{child, parent}` its `child` at `parent`; a `child` that
/// is not a mapping is skipped (Helm warns and goes on), and of two imports the first wins.
pub(super) fn import_values<'a>(ctx: &mut Ctx, mut view: View<'a>) -> Result<View<'a>, Clash> {
    view.deps = std::mem::take(&mut view.deps)
        .into_iter()
        .map(|dep| import_values(ctx, dep))
        .collect::<Result<_, _>>()?;
    let deps = view.chart.dependencies();
    if deps.iter().all(|d| d.import_values.is_empty()) {
        return Ok(view);
    }
    let mut cvals = TMap::default();
    coalesce(ctx, &view, &mut cvals, &Path::root())?;
    let mut imports = TMap::default();
    for dep in deps {
        for import in &dep.import_values {
            let (child, parent) = match import {
                crate::chart::ImportValue::Exports(name) => (format!("exports.{name}"), "."),
                crate::chart::ImportValue::Map { child, parent } => (child.clone(), &parent[..]),
            };
            let mut table = &cvals;
            let mut found = true;
            for part in format!("{}.{child}", dep.key()).split('.') {
                match table.get(part) {
                    Some(Node::Map(inner, _)) => table = inner,
                    _ => {
                        found = false;
                        break;
                    }
                }
            }
            if !found {
                continue;
            }
            let mut placed = table.clone();
            if parent != "." {
                for part in parent.split('.').rev() {
                    let origin = Origin::Default(view.id, Path::root());
                    placed = TMap {
                        entries: vec![(part.to_owned(), Node::Map(placed, origin))],
                    };
                }
            }
            under(&mut imports, placed);
        }
    }
    // Helm's chart values become `MergeTables(cvals, imports)`: what the coalesced values
    // hold, a subchart's own defaults under its key too, wins over an import.
    view.imports = missing_from(&cvals, imports);
    Ok(view)
}

/// What `MergeTables(present, src)` adds to `present`: the keys of `src` it lacks, and within
/// a mapping both hold, the same again.
fn missing_from(present: &TMap, src: TMap) -> TMap {
    let mut out = TMap::default();
    for (key, value) in src.entries {
        match (present.get(&key), value) {
            (None, value) => out.insert(key, value),
            (Some(Node::Map(have, _)), Node::Map(more, origin)) => {
                let inner = missing_from(have, more);
                if !inner.entries.is_empty() {
                    out.insert(key, Node::Map(inner, origin));
                }
            }
            _ => {}
        }
    }
    out
}

/// Helm's `MergeTables(dst, src)`: `src` fills in what `dst` lacks, mappings key by key.
fn under(dst: &mut TMap, src: TMap) {
    for (key, value) in src.entries {
        match (dst.get_mut(&key), value) {
            (None, value) => dst.insert(key, value),
            (Some(Node::Map(into, _)), Node::Map(from, _)) => under(into, from),
            _ => {}
        }
    }
}

pub(super) fn copy_view<'a>(view: &View<'a>, name: String) -> View<'a> {
    View {
        chart: view.chart,
        id: view.id,
        name,
        deps: view
            .deps
            .iter()
            .map(|d| copy_view(d, d.name.clone()))
            .collect(),
        imports: view.imports.clone(),
    }
}

/// Tags first (disabled when some tag is `false` and none is `true`), then the first
/// condition path that holds a boolean overrides them.
pub(super) fn dependency_enabled(
    dep: &Dependency,
    tags: Option<&TMap>,
    cvals: &TMap,
    prefix: &str,
) -> bool {
    let mut enabled = true;
    if let Some(tags) = tags {
        let (mut any_true, mut any_false) = (false, false);
        for tag in &dep.tags {
            if let Some(Node::Scalar(Value::Bool(b), _)) = tags.get(tag) {
                if *b {
                    any_true = true;
                } else {
                    any_false = true;
                }
            }
        }
        enabled = any_true || !any_false;
    }
    if let Some(condition) = &dep.condition {
        for path in condition.trim().split(',') {
            if path.is_empty() {
                continue;
            }
            if let Some(Node::Scalar(Value::Bool(b), _)) =
                path_value(cvals, &format!("{prefix}{path}"))
            {
                enabled = *b;
                break;
            }
        }
    }
    enabled
}

/// Helm's `Values.PathValue`: the value at a dotted path, when it is not a mapping.
pub(super) fn path_value<'t>(values: &'t TMap, path: &str) -> Option<&'t Node> {
    let mut parts = path.split('.').peekable();
    let mut map = values;
    while let Some(part) = parts.next() {
        let node = map.get(part)?;
        if parts.peek().is_none() {
            return (!node.is_map()).then_some(node);
        }
        match node {
            Node::Map(inner, _) => map = inner,
            _ => return None,
        }
    }
    None
}

/// Whether the subchart's version is in the dependency's range (Helm's Masterminds ranges:
/// `2.x.x`, `~1.2`, `^3`, `>=1 <2`, `a || b`). A dependency without a version takes any.
pub(super) fn version_matches(dep: &Dependency, version: &str) -> bool {
    let Some(range) = dep.version.as_deref() else {
        return false;
    };
    let Ok(version) = semver::Version::parse(version.trim_start_matches('v')) else {
        return false;
    };
    range.split("||").any(|alternative| {
        let comparators: Vec<String> = alternative
            .split([' ', ','])
            .filter(|c| !c.is_empty())
            .map(masterminds_comparator)
            .collect();
        if comparators.is_empty() {
            return true;
        }
        semver::VersionReq::parse(&comparators.join(", ")).is_ok_and(|req| req.matches(&version))
    })
}

/// One Masterminds comparator in the `semver` crate's syntax: a bare version means `=`, and
/// `x` wildcards are `*`.
pub(super) fn masterminds_comparator(text: &str) -> String {
    let op_len = text
        .find(|c: char| c.is_ascii_alphanumeric() || c == '*')
        .unwrap_or(text.len());
    let (op, version) = text.split_at(op_len);
    let version = version.trim_start_matches('v');
    let parts: Vec<&str> = version
        .split('.')
        .take_while(|p| !matches!(*p, "x" | "X" | "*"))
        .collect();
    if parts.is_empty() {
        return "*".to_owned();
    }
    let wildcard = parts.len() < version.split('.').count();
    let version = parts.join(".");
    match op {
        "" if wildcard => format!("={version}"),
        "" => format!("={version}"),
        "=" | "==" => format!("={version}"),
        other => format!("{other}{version}"),
    }
}

/// The values under a subchart's key are not a mapping: Helm stops there.
pub(super) struct Clash {
    pub(super) key: String,
    pub(super) found: &'static str,
    pub(super) origin: Origin,
}

/// What the coalescing records besides the values.
pub(super) struct Ctx {
    pub(super) helm: HelmVersion,
    /// Whether deletions and warnings are recorded (not while judging conditions).
    pub(super) record: bool,
    pub(super) deletions: Vec<(Path, Origin, Origin)>,
    pub(super) warnings: Vec<(Path, String, Origin)>,
}

impl Ctx {
    pub(super) fn warn(&mut self, path: &Path, message: String, origin: &Origin) {
        if self.record {
            self.warnings.push((path.clone(), message, origin.clone()));
        }
    }

    pub(super) fn deleted(&mut self, path: &Path, default: &Node, by: &Node) {
        if self.record && !default.is_null() {
            self.deletions
                .push((path.clone(), default.origin().clone(), by.origin().clone()));
        }
    }
}

/// Helm's `coalesce`: the chart's defaults under `dest`, then its subcharts'.
pub(super) fn coalesce(
    ctx: &mut Ctx,
    view: &View<'_>,
    dest: &mut TMap,
    path: &Path,
) -> Result<(), Clash> {
    coalesce_values(ctx, view, dest, path);
    coalesce_deps(ctx, view, dest, path)
}

/// A chart's defaults as Helm holds them: its `values.yaml`, over what its dependencies'
/// `import-values` bring.
pub(super) fn defaults_of(view: &View<'_>) -> TMap {
    let id = view.id;
    let mut defaults = match Node::from_value(view.chart.values(), &Path::root(), &|p| {
        Origin::Default(id, p.clone())
    }) {
        Node::Map(map, _) => map,
        _ => TMap::default(),
    };
    if !view.imports.is_empty() {
        under(&mut defaults, view.imports.clone());
    }
    defaults
}

/// Helm's `coalesceValues`: each default key the user's values lack is copied; a user `null`
/// deletes the default; mappings merge.
pub(super) fn coalesce_values(ctx: &mut Ctx, view: &View<'_>, v: &mut TMap, path: &Path) {
    let defaults = defaults_of(view);
    for (key, default) in defaults.entries {
        let key_path = path.key(key.clone());
        match v.get_mut(&key) {
            Some(value) if value.is_null() => {
                let value = value.clone();
                ctx.deleted(&key_path, &default, &value);
                v.remove(&key);
            }
            Some(Node::Map(dest, origin)) => match default {
                Node::Map(src, _) => {
                    let merge = view.deps.iter().any(|d| d.name == key);
                    coalesce_tables(ctx, dest, src, &key_path, merge);
                }
                Node::Null(_) => {}
                other => {
                    let origin = origin.clone();
                    ctx.warn(
                        &key_path,
                        format!(
                            "a mapping replaces the chart's default, which is {}",
                            other.describe()
                        ),
                        &origin,
                    );
                }
            },
            Some(value) => {
                if default.is_map() {
                    let (message, origin) = (
                        format!(
                            "{} replaces the chart's default, which is a mapping",
                            value.describe()
                        ),
                        value.origin().clone(),
                    );
                    ctx.warn(&key_path, message, &origin);
                }
            }
            None => v.insert(key, default),
        }
    }
}

/// Helm's `coalesceTablesFullKey`: `dst` (the user's) wins over `src` (the defaults'); with
/// `merge` (a subchart's values seen from its parent) nulls stay for the subchart to apply.
pub(super) fn coalesce_tables(ctx: &mut Ctx, dst: &mut TMap, src: TMap, path: &Path, merge: bool) {
    let originally_set: HashSet<String> = src
        .entries
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, _)| k.clone())
        .collect();
    for (key, default) in src.entries {
        let key_path = path.key(key.clone());
        let drop_null = match ctx.helm {
            HelmVersion::V3 => true,
            HelmVersion::V4 => originally_set.contains(&key),
        };
        match dst.get_mut(&key) {
            Some(user) if !merge && user.is_null() && drop_null => {
                let user = user.clone();
                ctx.deleted(&key_path, &default, &user);
                dst.remove(&key);
            }
            None => dst.insert(key, default),
            Some(Node::Map(inner, _)) if default.is_map() => {
                if let Node::Map(src_inner, _) = default {
                    coalesce_tables(ctx, inner, src_inner, &key_path, merge);
                }
            }
            Some(user) if default.is_map() => {
                if !user.is_null() {
                    let (message, origin) = (
                        format!(
                            "{} replaces the chart's default, which is a mapping",
                            user.describe()
                        ),
                        user.origin().clone(),
                    );
                    ctx.warn(&key_path, message, &origin);
                }
            }
            Some(user) if user.is_map() && !default.is_null() => {
                let origin = user.origin().clone();
                ctx.warn(
                    &key_path,
                    format!(
                        "a mapping replaces the chart's default, which is {}",
                        default.describe()
                    ),
                    &origin,
                );
            }
            Some(_) => {}
        }
    }
}

/// Helm's `coalesceDeps`: each enabled subchart's values, under its name, get the parent's
/// globals and then the subchart's own defaults.
pub(super) fn coalesce_deps(
    ctx: &mut Ctx,
    view: &View<'_>,
    dest: &mut TMap,
    path: &Path,
) -> Result<(), Clash> {
    for sub in &view.deps {
        let sub_path = path.key(sub.name.clone());
        let mut dvmap = match dest.remove(&sub.name) {
            None => (TMap::default(), Origin::Default(sub.id, Path::root())),
            Some(Node::Map(map, origin)) => (map, origin),
            Some(other) => {
                let found = match &other {
                    Node::Null(_) => "null",
                    Node::Scalar(v, _) => v.type_name(),
                    Node::Seq(..) => "list",
                    Node::Map(..) => "mapping",
                };
                return Err(Clash {
                    key: sub.name.clone(),
                    found,
                    origin: other.origin().clone(),
                });
            }
        };
        coalesce_globals(
            ctx,
            &mut dvmap.0,
            dest,
            &sub_path,
            Origin::Default(sub.id, Path::root()),
        );
        coalesce(ctx, sub, &mut dvmap.0, &sub_path)?;
        dest.insert(sub.name.clone(), Node::Map(dvmap.0, dvmap.1));
    }
    Ok(())
}

/// Helm's `coalesceGlobals`: the parent's `global` entries copied into the subchart's, the
/// parent's winning.
pub(super) fn coalesce_globals(
    ctx: &mut Ctx,
    dest: &mut TMap,
    src: &TMap,
    path: &Path,
    fallback: Origin,
) {
    let global_path = path.key("global");
    let mut dg = match dest.get("global") {
        None => TMap::default(),
        Some(Node::Map(map, _)) => map.clone(),
        Some(other) => {
            let origin = other.origin().clone();
            ctx.warn(
                &global_path,
                "`global` is not a mapping, so the parent's globals are not copied here".to_owned(),
                &origin,
            );
            return;
        }
    };
    let dg_origin = match dest.get("global").or_else(|| src.get("global")) {
        Some(node) => node.origin().clone(),
        None => fallback,
    };
    let sg = match src.get("global") {
        None => TMap::default(),
        Some(Node::Map(map, _)) => map.clone(),
        Some(_) => return,
    };
    for (key, value) in sg.entries {
        match value {
            Node::Map(vv, origin) => {
                let mut vv = vv;
                match dg.get(&key) {
                    None => dg.insert(key, Node::Map(vv, origin)),
                    Some(Node::Map(existing, _)) => {
                        let existing = existing.clone();
                        coalesce_tables(
                            ctx,
                            &mut vv,
                            existing,
                            &global_path.key(key.clone()),
                            true,
                        );
                        dg.insert(key, Node::Map(vv, origin));
                    }
                    Some(_) => {
                        ctx.warn(
                            &global_path.key(key.clone()),
                            "the parent's global mapping cannot merge onto a value that is not a mapping".to_owned(),
                            &origin,
                        );
                    }
                }
            }
            other => {
                if !dg.get(&key).is_some_and(Node::is_map) {
                    dg.insert(key, other);
                }
            }
        }
    }
    dest.insert("global".to_owned(), Node::Map(dg, dg_origin));
}
