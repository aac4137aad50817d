//! Finding an upgrade path: which release each step may reach straight, the search that
//! avoids dead ends, and the explanation when no path exists.

use crate::catalog::{Catalog, Release};
use crate::version::{Comparator, Version};

use super::{Endpoint, PlanError, Step, Stop, UpgradePath};

/// Why a release cannot be reached straight from another.
#[derive(Debug, Clone)]
enum Blocker<'c> {
    UpgradeFrom(Comparator),
    Boundary(&'c Release),
}
/// `its upgrade_from `>=2024.12` excludes 2024.07`, naming the failing comparator when the
/// requirement has several.
pub(super) fn refusal(next: &Release, failed: &Comparator, from: &Version) -> String {
    let req = next.upgrade_from.as_ref();
    let text = req.map_or_else(String::new, ToString::to_string);
    if req.is_some_and(|r| r.comparators().len() > 1) {
        format!("its upgrade_from `{text}` excludes {from}: {from} is not {failed}")
    } else {
        format!("its upgrade_from `{text}` excludes {from}")
    }
}

/// Why `to` cannot be reached straight from `from` (indices into the catalog's releases,
/// `from < to`), or `None` when it can.
fn blocker<'c>(catalog: &'c Catalog, from: usize, to: usize) -> Option<Blocker<'c>> {
    let releases = catalog.releases();
    let (current, target) = (&releases[from], &releases[to]);
    if let Some(req) = &target.upgrade_from {
        if let Some(failed) = req.first_failure(&current.version) {
            return Some(Blocker::UpgradeFrom(failed.clone()));
        }
    }
    let policy = catalog.policy.sequential;
    let (Some(start), Some(end)) = (
        policy.series(&current.version),
        policy.series(&target.version),
    ) else {
        return None;
    };
    // Releases are sorted, so those in between have series between `start` and `end`; one in
    // neither of those is a whole series the upgrade would skip.
    releases[from + 1..to]
        .iter()
        .find(|r| {
            policy
                .series(&r.version)
                .is_some_and(|s| s != start && s != end)
        })
        .map(Blocker::Boundary)
}

/// Plans the upgrade from `from` to `to` through `catalog`.
///
/// Releases are looked up numerically (`2024.12` finds `2024.12.00`). A target below the
/// current release is a [`PlanError::Downgrade`], the same release an empty path. Each step
/// goes to the highest release up to the target that can be reached straight; if that choice
/// would lead to a dead end the next lower one is tried, so a path is found whenever one
/// exists (plain greedy choice would give up on some catalogs that do have a path).
pub fn plan<'c>(
    catalog: &'c Catalog,
    from: &Version,
    to: &Version,
) -> Result<UpgradePath<'c>, PlanError> {
    let start = lookup(catalog, from, Endpoint::From)?;
    let end = lookup(catalog, to, Endpoint::To)?;
    let releases = catalog.releases();
    if end < start {
        return Err(PlanError::Downgrade {
            from: releases[start].version.to_string(),
            to: releases[end].version.to_string(),
        });
    }
    let mut path = UpgradePath {
        catalog,
        from: &releases[start],
        to: &releases[end],
        steps: Vec::new(),
    };
    if start == end {
        return Ok(path);
    }
    let mut dead = vec![false; releases.len()];
    let Some(stops) = search(catalog, start, end, &mut dead) else {
        return Err(no_path(catalog, start, end));
    };
    let mut current = start;
    for &next in &stops {
        let stop = if next == end {
            Stop::Target
        } else {
            let after = &releases[next + 1];
            match blocker(catalog, current, next + 1) {
                Some(Blocker::UpgradeFrom(failed)) => Stop::UpgradeFrom {
                    next: after,
                    failed,
                },
                Some(Blocker::Boundary(skipped)) => Stop::Boundary {
                    next: after,
                    skipped,
                },
                None => Stop::DeadEnd { next: after },
            }
        };
        path.steps.push(Step {
            from: &releases[current],
            to: &releases[next],
            covers: releases[current + 1..=next].iter().collect(),
            stop,
        });
        current = next;
    }
    Ok(path)
}

/// The stops from `from` to `end`, highest reachable first; `dead` remembers releases from
/// which `end` cannot be reached, so each release is explored once.
fn search(catalog: &Catalog, from: usize, end: usize, dead: &mut [bool]) -> Option<Vec<usize>> {
    for next in (from + 1..=end).rev() {
        if dead[next] || blocker(catalog, from, next).is_some() {
            continue;
        }
        if next == end {
            return Some(vec![end]);
        }
        if let Some(mut rest) = search(catalog, next, end, dead) {
            rest.insert(0, next);
            return Some(rest);
        }
        dead[next] = true;
    }
    None
}

/// Explains a missing path: follow the highest reachable release until none is reachable;
/// there the very next release refuses by its `upgrade_from` (no boundary can lie between
/// neighbours).
fn no_path(catalog: &Catalog, start: usize, end: usize) -> PlanError {
    let releases = catalog.releases();
    let mut trail = vec![start];
    let mut current = start;
    while let Some(next) = (current + 1..end)
        .rev()
        .find(|&n| blocker(catalog, current, n).is_none())
    {
        trail.push(next);
        current = next;
    }
    let stuck = &releases[current];
    let next = &releases[current + 1];
    let why = match blocker(catalog, current, current + 1) {
        Some(Blocker::UpgradeFrom(failed)) => refusal(next, &failed, &stuck.version),
        Some(Blocker::Boundary(skipped)) => format!("it would jump over {}", skipped.version),
        None => "no path leads on from it".to_owned(),
    };
    let reached = if trail.len() > 1 {
        let walk: Vec<&str> = trail
            .iter()
            .map(|&i| releases[i].version.as_str())
            .collect();
        format!(
            "the path reaches {} ({}), but ",
            stuck.version,
            walk.join(" -> ")
        )
    } else {
        String::new()
    };
    let later = if current + 1 < end {
        format!(", nor to any later release up to {}", releases[end].version)
    } else {
        String::new()
    };
    let reason = format!(
        "{reached}{} cannot upgrade straight to {} ({why}){later}",
        stuck.version, next.version
    );
    let at = next.origin.upgrade_from.clone().map(Box::new);
    let span = at.as_deref().and_then(|at| catalog.source_span(at));
    PlanError::NoPath {
        from: releases[start].version.to_string(),
        to: releases[end].version.to_string(),
        reason,
        at,
        span,
    }
}

fn lookup(catalog: &Catalog, version: &Version, endpoint: Endpoint) -> Result<usize, PlanError> {
    catalog.index_of(version).ok_or_else(|| {
        let releases = catalog.releases();
        let neighbours = || {
            let above = releases.iter().position(|r| r.version > *version);
            let below = match above {
                Some(0) => None,
                Some(i) => Some(i - 1),
                None => releases.len().checked_sub(1),
            };
            match (below, above) {
                (Some(b), Some(a)) => format!(
                    "the releases either side are {} and {}",
                    releases[b].version, releases[a].version
                ),
                (Some(b), None) => format!("the latest release is {}", releases[b].version),
                (None, Some(a)) => format!("the oldest release is {}", releases[a].version),
                (None, None) => "the catalog lists no releases".to_owned(),
            }
        };
        PlanError::UnknownRelease {
            endpoint,
            version: version.to_string(),
            product: catalog.product.clone(),
            known: catalog.versions_text(),
            suggestion: Some(neighbours()),
        }
    })
}
