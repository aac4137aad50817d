//! The longest-common-subsequence matching of positional sequences, with no quadratic case.
//!
//! Items are compared by their structural hashes (the engine confirms every match by a real
//! comparison). Ordinary sequences, whose differing middle (after the common prefix and
//! suffix) is at most [`EXACT_LIMIT`] items on both sides together, are matched by Myers'
//! algorithm, which finds a minimal edit script in `O((N+M)D)`. A larger middle is matched
//! by anchors instead: the k-th occurrence of a hash in the old items is paired with its k-th
//! occurrence in the new items, and the longest chain of pairs in increasing order on both
//! sides (a longest increasing subsequence, `O(n log n)`) is kept as equal. Between two
//! consecutive anchors the same rule applies again, so small gaps still get Myers' minimal
//! script. When every item is unique on each side (a reordered list of names, say) the chain
//! is a longest common subsequence, so the result is as minimal as Myers' would be; with
//! repeated items it is a common subsequence, never a wrong one.

use similar::{capture_diff_slices, Algorithm, DiffOp};

/// The largest differing middle (old and new items together) matched by Myers' algorithm.
/// Its worst case is `EXACT_LIMIT²/4` steps, a few milliseconds.
pub(super) const EXACT_LIMIT: usize = 4096;

/// How many times a gap between anchors is matched by anchors again. Each round costs
/// `O(n log n)` over disjoint gaps; with unique items the second round already finds nothing.
const MAX_DEPTH: usize = 8;

/// The edit script turning `old` into `new`, as `similar`'s operations over whole ranges.
pub(super) fn sequence_ops(old: &[u64], new: &[u64]) -> Vec<DiffOp> {
    sequence_ops_with_limit(old, new, EXACT_LIMIT)
}

/// [`sequence_ops`] with the Myers limit as a parameter, so tests can exercise the anchored
/// matching on small inputs.
pub(super) fn sequence_ops_with_limit(old: &[u64], new: &[u64], limit: usize) -> Vec<DiffOp> {
    let mut ops = Vec::new();
    collect(old, 0..old.len(), new, 0..new.len(), limit, 0, &mut ops);
    merge(ops)
}

/// Appends the script of `old[olds]` against `new[news]` to `ops`.
fn collect(
    old: &[u64],
    olds: std::ops::Range<usize>,
    new: &[u64],
    news: std::ops::Range<usize>,
    limit: usize,
    depth: usize,
    ops: &mut Vec<DiffOp>,
) {
    let (mut o0, mut o1, mut n0, mut n1) = (olds.start, olds.end, news.start, news.end);
    let prefix = old[o0..o1]
        .iter()
        .zip(&new[n0..n1])
        .take_while(|(a, b)| a == b)
        .count();
    if prefix > 0 {
        ops.push(equal(o0, n0, prefix));
        o0 += prefix;
        n0 += prefix;
    }
    let suffix = old[o0..o1]
        .iter()
        .rev()
        .zip(new[n0..n1].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    o1 -= suffix;
    n1 -= suffix;
    if o0 < o1 || n0 < n1 {
        if (o1 - o0) + (n1 - n0) <= limit {
            myers(old, o0..o1, new, n0..n1, ops);
        } else if depth >= MAX_DEPTH {
            ops.push(gap(o0..o1, n0..n1));
        } else {
            anchored(old, o0..o1, new, n0..n1, limit, depth + 1, ops);
        }
    }
    if suffix > 0 {
        ops.push(equal(o1, n1, suffix));
    }
}

fn equal(old_index: usize, new_index: usize, len: usize) -> DiffOp {
    DiffOp::Equal {
        old_index,
        new_index,
        len,
    }
}

/// Myers' minimal script of a range pair, with its indexes shifted to the whole slices.
fn myers(
    old: &[u64],
    olds: std::ops::Range<usize>,
    new: &[u64],
    news: std::ops::Range<usize>,
    ops: &mut Vec<DiffOp>,
) {
    let (o, n) = (olds.start, news.start);
    if olds.is_empty() || news.is_empty() || !shares_any(&old[olds.clone()], &new[news.clone()]) {
        ops.push(gap(olds, news));
        return;
    }
    // Each operation is rebuilt from its lengths at a running cursor: `similar` can report a
    // `Delete`'s new index one past where the script stands (a proptest found one), and the
    // script's promise is that every range continues the one before.
    let (mut i, mut j) = (o, n);
    for op in capture_diff_slices(Algorithm::Myers, &old[olds], &new[news]) {
        let (old_len, new_len) = (op.old_range().len(), op.new_range().len());
        ops.push(match op {
            DiffOp::Equal { .. } => equal(i, j, old_len),
            _ => gap(i..i + old_len, j..j + new_len),
        });
        i += old_len;
        j += new_len;
    }
}

fn shares_any(old: &[u64], new: &[u64]) -> bool {
    let (small, large) = if old.len() <= new.len() {
        (old, new)
    } else {
        (new, old)
    };
    let set: std::collections::HashSet<u64> = small.iter().copied().collect();
    large.iter().any(|h| set.contains(h))
}

/// The operation for items with nothing matched between them.
fn gap(olds: std::ops::Range<usize>, news: std::ops::Range<usize>) -> DiffOp {
    match (olds.is_empty(), news.is_empty()) {
        (false, true) => DiffOp::Delete {
            old_index: olds.start,
            old_len: olds.len(),
            new_index: news.start,
        },
        (true, false) => DiffOp::Insert {
            old_index: olds.start,
            new_index: news.start,
            new_len: news.len(),
        },
        _ => DiffOp::Replace {
            old_index: olds.start,
            old_len: olds.len(),
            new_index: news.start,
            new_len: news.len(),
        },
    }
}

/// Matches a large range pair through the longest increasing chain of occurrence pairs.
fn anchored(
    old: &[u64],
    olds: std::ops::Range<usize>,
    new: &[u64],
    news: std::ops::Range<usize>,
    limit: usize,
    depth: usize,
    ops: &mut Vec<DiffOp>,
) {
    // Old positions of each hash, in order; the k-th new occurrence takes the k-th old one.
    let mut positions: rustc_hash::FxHashMap<u64, (Vec<usize>, usize)> = Default::default();
    for i in olds.clone() {
        positions.entry(old[i]).or_default().0.push(i);
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for j in news.clone() {
        if let Some((list, taken)) = positions.get_mut(&new[j]) {
            if let Some(&i) = list.get(*taken) {
                *taken += 1;
                pairs.push((i, j));
            }
        }
    }
    drop(positions);
    let chain = longest_increasing(&pairs);
    if chain.is_empty() {
        ops.push(gap(olds, news));
        return;
    }
    let (mut i, mut j) = (olds.start, news.start);
    for &(ai, aj) in &chain {
        if i < ai || j < aj {
            collect(old, i..ai, new, j..aj, limit, depth, ops);
        }
        ops.push(equal(ai, aj, 1));
        i = ai + 1;
        j = aj + 1;
    }
    if i < olds.end || j < news.end {
        collect(old, i..olds.end, new, j..news.end, limit, depth, ops);
    }
}

/// The longest subsequence of `pairs` (ordered by their second index) whose first indexes
/// increase too: patience sorting with back links, `O(n log n)`.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[k]: index into `pairs` of the smallest tail of a chain of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut back: Vec<Option<usize>> = Vec::with_capacity(pairs.len());
    for (p, &(i, _)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].0 < i);
        back.push(if k == 0 { None } else { Some(tails[k - 1]) });
        if k == tails.len() {
            tails.push(p);
        } else {
            tails[k] = p;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(p) = at {
        chain.push(pairs[p]);
        at = back[p];
    }
    chain.reverse();
    chain
}

/// Joins adjacent operations of the same kind that continue each other, so a long equal run
/// found anchor by anchor reads as one run.
fn merge(ops: Vec<DiffOp>) -> Vec<DiffOp> {
    let mut out: Vec<DiffOp> = Vec::with_capacity(ops.len());
    for op in ops {
        if let (
            Some(DiffOp::Equal {
                old_index,
                new_index,
                len,
            }),
            DiffOp::Equal {
                old_index: oi,
                new_index: ni,
                len: l,
            },
        ) = (out.last_mut(), &op)
        {
            if *old_index + *len == *oi && *new_index + *len == *ni {
                *len += l;
                continue;
            }
        }
        out.push(op);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Applies a script to `old`, taking inserted items from `new`, and checks that every
    /// range is consecutive and equal runs are equal.
    fn replay(old: &[u64], new: &[u64], ops: &[DiffOp]) -> Vec<u64> {
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        for op in ops {
            let (olds, news) = (op.old_range(), op.new_range());
            assert_eq!((olds.start, news.start), (i, j), "{ops:?}");
            if let DiffOp::Equal { .. } = op {
                assert_eq!(&old[olds.clone()], &new[news.clone()]);
            }
            out.extend_from_slice(&new[news.clone()]);
            i = olds.end;
            j = news.end;
        }
        assert_eq!((i, j), (old.len(), new.len()));
        out
    }

    fn equal_len(ops: &[DiffOp]) -> usize {
        ops.iter()
            .map(|op| match op {
                DiffOp::Equal { len, .. } => *len,
                _ => 0,
            })
            .sum()
    }

    #[test]
    fn a_reversed_list_of_unique_items_keeps_one_item() {
        let old: Vec<u64> = (0..10_000).collect();
        let new: Vec<u64> = old.iter().rev().copied().collect();
        let ops = sequence_ops(&old, &new);
        assert_eq!(replay(&old, &new, &ops), new);
        assert_eq!(equal_len(&ops), 1);
    }

    #[test]
    fn a_moved_item_in_a_large_list_is_one_removal_and_one_addition() {
        let old: Vec<u64> = (0..20_000).collect();
        let mut new = old.clone();
        let moved = new.remove(100);
        new.insert(15_000, moved);
        let ops = sequence_ops(&old, &new);
        assert_eq!(replay(&old, &new, &ops), new);
        assert_eq!(equal_len(&ops), 19_999);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// With unique items the anchored matching is as long as Myers' (both are a longest
        /// common subsequence); with repeated items it is still a correct script.
        #[test]
        fn anchored_matching_is_a_correct_script(
            old in proptest::collection::vec(0u64..40, 0..60),
            new in proptest::collection::vec(0u64..40, 0..60),
            limit in 0usize..12,
        ) {
            let ops = sequence_ops_with_limit(&old, &new, limit);
            prop_assert_eq!(replay(&old, &new, &ops), new.clone());
            let exact = sequence_ops_with_limit(&old, &new, usize::MAX);
            prop_assert!(equal_len(&ops) <= equal_len(&exact));
        }

        #[test]
        fn anchored_matching_of_unique_items_is_minimal(
            perm in Just((0u64..50).collect::<Vec<_>>()).prop_shuffle(),
            dropped in proptest::collection::vec(any::<bool>(), 50),
            limit in 0usize..12,
        ) {
            let old: Vec<u64> = (0u64..50).filter(|&k| !dropped[k as usize]).collect();
            let new: Vec<u64> = perm.iter().copied().filter(|&k| k % 7 != 3).collect();
            let ops = sequence_ops_with_limit(&old, &new, limit);
            prop_assert_eq!(replay(&old, &new, &ops), new.clone());
            let exact = sequence_ops_with_limit(&old, &new, usize::MAX);
            prop_assert_eq!(equal_len(&ops), equal_len(&exact));
        }
    }
}
