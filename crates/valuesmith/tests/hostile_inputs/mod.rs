//! Hostile inputs, generated (never stored: some are megabytes): shared by the hostile-input
//! tests of the suite and the peak-memory report (`tests/peak_memory.rs`).

// Two test binaries share this module and each uses a part of it.
#![allow(dead_code)]

/// One input with the name reports use.
pub struct Hostile {
    /// What it is, for reports.
    pub name: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Every hostile input, in the order of the issue's list.
pub fn all() -> Vec<Hostile> {
    vec![
        Hostile {
            name: "billion laughs, 9 levels",
            bytes: billion_laughs(9),
        },
        Hostile {
            name: "flow sequences 200,000 deep",
            bytes: deep_flow_sequences(200_000),
        },
        Hostile {
            name: "flow mappings 200,000 deep",
            bytes: deep_flow_mappings(200_000),
        },
        Hostile {
            name: "block sequences 5,000 deep",
            bytes: deep_block_sequences(5_000),
        },
        Hostile {
            name: "block mappings 5,000 deep",
            bytes: deep_block_mappings(5_000),
        },
        Hostile {
            name: "aliases nesting 5,000 anchors",
            bytes: alias_nesting(5_000),
        },
        Hostile {
            name: "5 MB single line, one scalar",
            bytes: long_scalar_line(5 << 20),
        },
        Hostile {
            name: "5 MB single line, flow mapping",
            bytes: long_flow_line(5 << 20),
        },
        Hostile {
            name: "5 MB single line, flow sequence",
            bytes: dense_flow_line(5 << 20),
        },
        Hostile {
            name: "64 MB single line, flow sequence",
            bytes: dense_flow_line(64 << 20),
        },
        Hostile {
            name: "20 MB values file",
            bytes: large_values_file(20 << 20),
        },
        Hostile {
            name: "16 KB of binary bytes",
            bytes: binary(16 << 10),
        },
        Hostile {
            name: "invalid UTF-8 mid-file",
            bytes: invalid_utf8_mid_file(),
        },
    ]
}

/// `a` is ten `x`, `b` ten `a`, ... `levels` levels: 10^levels nodes once expanded.
pub fn billion_laughs(levels: u8) -> Vec<u8> {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..levels {
        let (prev, name) = ((b'a' + i - 1) as char, (b'a' + i) as char);
        let refs = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    text.into_bytes()
}

/// `[[[[...]]]]`, `depth` levels on one line.
pub fn deep_flow_sequences(depth: usize) -> Vec<u8> {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
}

/// `{a: {a: ... }}`, `depth` levels on one line.
pub fn deep_flow_mappings(depth: usize) -> Vec<u8> {
    format!("{}x{}", "{a: ".repeat(depth), "}".repeat(depth)).into_bytes()
}

/// `- - - ... x`, `depth` compact block sequences on one line.
pub fn deep_block_sequences(depth: usize) -> Vec<u8> {
    format!("{}x\n", "- ".repeat(depth)).into_bytes()
}

/// `k:` on `depth` lines, each indented one space more than the one before.
pub fn deep_block_mappings(depth: usize) -> Vec<u8> {
    let mut text = String::new();
    for i in 0..depth {
        text.push_str(&" ".repeat(i));
        text.push_str("k:\n");
    }
    text.push_str(&" ".repeat(depth));
    text.push_str("x\n");
    text.into_bytes()
}

/// Anchors defined in complex keys (which reading does not expand), each nesting the one before
/// five levels deeper; the last is used as a value, `5 * anchors` levels deep once expanded.
pub fn alias_nesting(anchors: usize) -> Vec<u8> {
    let mut text = String::from("? &k0 [[[[[x]]]]]\n: 0\n");
    for i in 1..anchors {
        text.push_str(&format!("? &k{i} [[[[[*k{}]]]]]\n: {i}\n", i - 1));
    }
    text.push_str(&format!("last: *k{}\n", anchors - 1));
    text.into_bytes()
}

/// `key: ` and one plain scalar of words filling `size` bytes, no line break.
pub fn long_scalar_line(size: usize) -> Vec<u8> {
    let mut text = String::with_capacity(size);
    text.push_str("key: ");
    while text.len() + 5 <= size {
        text.push_str("word ");
    }
    text.push('z');
    text.into_bytes()
}

/// One flow mapping `{k0: 0, k1: 1, ...}` of about `size` bytes on one line: wide mappings
/// are where per-key searches turn quadratic.
pub fn long_flow_line(size: usize) -> Vec<u8> {
    let mut text = String::with_capacity(size + 32);
    text.push('{');
    let mut i = 0;
    while text.len() < size {
        text.push_str(&format!("k{i}: {i}, "));
        i += 1;
    }
    text.push_str("end: true}");
    text.into_bytes()
}

/// `[0,0,0,...]` of about `size` bytes: the most nodes per byte YAML allows.
pub fn dense_flow_line(size: usize) -> Vec<u8> {
    let mut bytes = b"[0".to_vec();
    bytes.resize(size.max(2) - 1, b',');
    for (i, b) in bytes.iter_mut().enumerate().skip(2) {
        if i % 2 == 1 {
            *b = b'0';
        }
    }
    bytes.push(b']');
    bytes
}

/// The number of services [`large_values_file`] writes for `size` bytes.
pub fn services_for(size: usize) -> usize {
    size / SERVICE.len() + 1
}

/// One service of [`large_values_file`]: what values files hold (comments, quoting, block
/// scalars, flow collections, anchors and aliases, sequences of mappings).
const SERVICE: &str = r#"  service-NNNNNN:
    # The image of this service.
    image:
      repository: registry.example.com/team/service-NNNNNN
      tag: "2025.05.00"   # pinned
      pullPolicy: IfNotPresent
    resources: &res-NNNNNN
      limits: {cpu: 500m, memory: 512Mi}
      requests: {cpu: 100m, memory: 128Mi}
    sidecarResources: *res-NNNNNN
    env:
      - name: LOG_LEVEL
        value: info
      - name: FEATURE_FLAGS
        value: 'a,b,c'
    config: |
      listen 0.0.0.0:8080
      timeout 30s
    enabled: true
    replicas: 3
"#;

/// A values file of about `size` bytes: one top-level key holding many services.
pub fn large_values_file(size: usize) -> Vec<u8> {
    let mut text = String::with_capacity(size + SERVICE.len() + 64);
    text.push_str("# generated for the hostile-input tests\nservices:\n");
    for i in 0..services_for(size) {
        text.push_str(&SERVICE.replace("NNNNNN", &format!("{i:06}")));
    }
    text.into_bytes()
}

/// `len` pseudo-random bytes (a fixed linear congruential sequence: the same every run).
pub fn binary(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect()
}

/// Where [`invalid_utf8_mid_file`] holds the bad byte: byte offset, line and column (1-based).
pub const INVALID_UTF8_AT: (usize, usize, usize) = (50_007, 5001, 7);

/// 5,000 good lines, then `key: a` + a lone continuation byte + more good lines.
pub fn invalid_utf8_mid_file() -> Vec<u8> {
    let mut bytes = Vec::new();
    for i in 0..5000 {
        bytes.extend_from_slice(format!("k{i:04}: é\n").as_bytes());
    }
    bytes.extend_from_slice(b"bad: \xc3\xa9\xa9\n");
    for i in 0..100 {
        bytes.extend_from_slice(format!("after{i}: ok\n").as_bytes());
    }
    bytes
}
