//! Security-relevant facts about an image: secret-looking files and token hits in *any* layer
//! (a file deleted in a later layer still ships in the earlier layer's blob), setuid and setgid
//! files, world-writable files and directories, file capabilities; and the largest files.

use serde::Serialize;

use crate::merge::Merged;
use crate::model::{EntryKind, LayerEntries};

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A file whose name says it holds credentials or a private key.
    SecretPath,
    /// A file whose content matched a token pattern (`secrets::token_kind`).
    SecretToken,
    Setuid,
    Setgid,
    /// A regular file anyone may write.
    WorldWritable,
    /// A directory anyone may write, without the sticky bit (`/tmp` has it and is fine).
    WorldWritableDir,
    /// A file with the `security.capability` attribute.
    Capability,
}

/// One finding. Secret and capability findings cover every layer; `visible` says whether the
/// entry is the copy the merged filesystem shows, or only ships in a layer blob.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub path: String,
    /// The layer whose entry the finding is about.
    pub layer: usize,
    /// Why it was reported: the rule or token kind, the mode, or the capabilities.
    pub detail: String,
    pub visible: bool,
}

/// Every finding, ordered by kind, path and layer.
pub fn findings(layers: &[&LayerEntries], merged: &Merged) -> Vec<Finding> {
    let mut found = Vec::new();
    for (layer_index, layer) in layers.iter().enumerate() {
        for (entry_index, entry) in layer.entries.iter().enumerate() {
            if entry.kind != EntryKind::File {
                continue;
            }
            if let Some(rule) = secret_path_rule(&entry.path) {
                found.push(Finding {
                    kind: FindingKind::SecretPath,
                    path: entry.path.to_string(),
                    layer: layer_index,
                    detail: rule.to_owned(),
                    visible: merged.is_visible(&entry.path, layer_index, entry_index),
                });
            }
        }
        for hit in &layer.token_hits {
            let Some(entry) = layer.entries.get(hit.entry) else {
                continue;
            };
            found.push(Finding {
                kind: FindingKind::SecretToken,
                path: entry.path.to_string(),
                layer: layer_index,
                detail: hit.kind.to_owned(),
                visible: merged.is_visible(&entry.path, layer_index, hit.entry),
            });
        }
        for xattr in &layer.xattrs {
            let Some(entry) = layer.entries.get(xattr.entry) else {
                continue;
            };
            if xattr.name.as_ref() != "security.capability" {
                continue;
            }
            found.push(Finding {
                kind: FindingKind::Capability,
                path: entry.path.to_string(),
                layer: layer_index,
                detail: describe_capabilities(&xattr.value),
                visible: merged.is_visible(&entry.path, layer_index, xattr.entry),
            });
        }
    }
    for node in merged.node_refs() {
        let (kind, mode) = (node.kind(), node.mode());
        let mut kinds = Vec::new();
        match kind {
            EntryKind::File | EntryKind::Hardlink => {
                if mode & 0o4000 != 0 {
                    kinds.push(FindingKind::Setuid);
                }
                if mode & 0o2000 != 0 {
                    kinds.push(FindingKind::Setgid);
                }
                if kind == EntryKind::File && mode & 0o002 != 0 {
                    kinds.push(FindingKind::WorldWritable);
                }
            }
            EntryKind::Dir if mode & 0o002 != 0 && mode & 0o1000 == 0 => {
                kinds.push(FindingKind::WorldWritableDir);
            }
            _ => {}
        }
        // The path is built only for the few nodes reported.
        if kinds.is_empty() {
            continue;
        }
        let path = node.path();
        for kind in kinds {
            found.push(Finding {
                kind,
                path: path.clone(),
                layer: node.layer(),
                detail: format!("mode {mode:04o}"),
                visible: true,
            });
        }
    }
    found.sort_by(|a, b| (a.kind, &a.path, a.layer).cmp(&(b.kind, &b.path, b.layer)));
    found
}

/// Which secret-path rule `path` matches, if any. The fixtures' rule (`secret_like` in
/// `expected.py`: basenames `id_rsa`, `id_dsa`, `id_ecdsa`, `id_ed25519`, `.env`, `.npmrc`,
/// `.pypirc`, `.netrc`, `credentials`, `.git-credentials`, and `*.pem`, `*.key`,
/// `*/.docker/config.json`) plus other SSH key names, `.env.*` (not templates), PKCS#12
/// stores and cloud CLI credentials. Public CA bundles named `*.pem` are not reported.
pub fn secret_path_rule(path: &str) -> Option<&'static str> {
    let base = path.rsplit('/').next().unwrap_or(path);
    let lower = base.to_ascii_lowercase();
    if lower.starts_with("id_") && !lower.ends_with(".pub") {
        let key_type = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"]
            .iter()
            .any(|name| lower.starts_with(name));
        if key_type {
            return Some("ssh private key");
        }
    }
    if base == ".env" {
        return Some("dotenv file");
    }
    if let Some(suffix) = base.strip_prefix(".env.") {
        let template = ["example", "sample", "template", "dist", "defaults"]
            .iter()
            .any(|word| suffix.eq_ignore_ascii_case(word));
        if !template {
            return Some("dotenv file");
        }
    }
    match base {
        ".npmrc" => return Some("npm credentials"),
        ".pypirc" => return Some("PyPI credentials"),
        ".netrc" => return Some("netrc credentials"),
        ".git-credentials" => return Some("git credentials"),
        "credentials" => return Some("cloud credentials"),
        "application_default_credentials.json" => return Some("gcloud credentials"),
        _ => {}
    }
    if path.ends_with(".docker/config.json") {
        return Some("docker registry credentials");
    }
    if path.ends_with(".kube/config") {
        return Some("kubeconfig");
    }
    if lower.ends_with(".key") {
        return Some("key file");
    }
    if lower.ends_with(".p12") || lower.ends_with(".pfx") {
        return Some("PKCS#12 key store");
    }
    if lower.ends_with(".pem") && !is_public_ca_bundle(path, &lower) {
        return Some("PEM file");
    }
    None
}

/// CA certificate bundles every distro and language runtime ships; public by design.
fn is_public_ca_bundle(path: &str, lower_base: &str) -> bool {
    matches!(
        lower_base,
        "cacert.pem" | "ca-bundle.pem" | "tls-ca-bundle.pem" | "ca-certificates.pem"
    ) || path.starts_with("etc/ssl/certs/")
        || path.starts_with("etc/pki/ca-trust/")
        || path.starts_with("usr/share/ca-certificates/")
}

/// Linux capability names by bit number (`include/uapi/linux/capability.h`).
const CAPABILITY_NAMES: [&str; 41] = [
    "cap_chown",
    "cap_dac_override",
    "cap_dac_read_search",
    "cap_fowner",
    "cap_fsetid",
    "cap_kill",
    "cap_setgid",
    "cap_setuid",
    "cap_setpcap",
    "cap_linux_immutable",
    "cap_net_bind_service",
    "cap_net_broadcast",
    "cap_net_admin",
    "cap_net_raw",
    "cap_ipc_lock",
    "cap_ipc_owner",
    "cap_sys_module",
    "cap_sys_rawio",
    "cap_sys_chroot",
    "cap_sys_ptrace",
    "cap_sys_pacct",
    "cap_sys_admin",
    "cap_sys_boot",
    "cap_sys_nice",
    "cap_sys_resource",
    "cap_sys_time",
    "cap_sys_tty_config",
    "cap_mknod",
    "cap_lease",
    "cap_audit_write",
    "cap_audit_control",
    "cap_setfcap",
    "cap_mac_override",
    "cap_mac_admin",
    "cap_syslog",
    "cap_wake_alarm",
    "cap_block_suspend",
    "cap_audit_read",
    "cap_perfmon",
    "cap_bpf",
    "cap_checkpoint_restore",
];

/// `cap_net_raw=ep (0100000200200000…)`: the permitted capabilities decoded from the
/// `vfs_cap_data` value (little-endian magic, then permitted/inheritable words), `=ep` when
/// the effective flag is set, and the raw value in hex. Undecodable values are shown as hex.
fn describe_capabilities(value: &[u8]) -> String {
    let hex: String = value.iter().map(|b| format!("{b:02x}")).collect();
    let word = |index: usize| -> Option<u32> {
        let bytes = value.get(index * 4..index * 4 + 4)?;
        Some(u32::from_le_bytes(bytes.try_into().ok()?))
    };
    let Some(magic) = word(0) else {
        return hex;
    };
    let revision = magic & 0xff00_0000;
    let low = word(1).unwrap_or(0);
    // Revisions 2 and 3 carry the high 32 permitted bits at word 3.
    let high = if revision >= 0x0200_0000 {
        word(3).unwrap_or(0)
    } else {
        0
    };
    let permitted = u64::from(low) | (u64::from(high) << 32);
    let names: Vec<String> = (0..64)
        .filter(|bit| permitted & (1u64 << bit) != 0)
        .map(|bit| {
            CAPABILITY_NAMES
                .get(bit)
                .map_or_else(|| format!("cap_{bit}"), |name| (*name).to_owned())
        })
        .collect();
    if names.is_empty() {
        return hex;
    }
    let flags = if magic & 1 != 0 { "=ep" } else { "=p" };
    format!("{}{flags} ({hex})", names.join(","))
}

/// A visible regular file, for the largest-files list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LargeFile {
    pub path: String,
    pub size: u64,
    pub layer: usize,
}

/// The `limit` largest visible regular files, biggest first (ties by path).
pub fn largest_files(merged: &Merged, limit: usize) -> Vec<LargeFile> {
    if limit == 0 {
        return Vec::new();
    }
    let by_size_then_path =
        |a: &LargeFile, b: &LargeFile| b.size.cmp(&a.size).then_with(|| a.path.cmp(&b.path));
    let trim = |files: &mut Vec<LargeFile>| {
        if files.len() > limit {
            files.select_nth_unstable_by(limit - 1, by_size_then_path);
            files.truncate(limit);
        }
    };
    // Only the best so far are kept, and paths are built only for files that can still make
    // the list: nodes come in path order, so a later file of a kept size loses the tie.
    let mut files: Vec<LargeFile> = Vec::new();
    let mut cutoff: Option<u64> = None;
    for node in merged.node_refs() {
        if node.kind() != EntryKind::File || cutoff.is_some_and(|c| node.size() <= c) {
            continue;
        }
        files.push(LargeFile {
            path: node.path(),
            size: node.size(),
            layer: node.layer(),
        });
        if files.len() >= limit.saturating_mul(2).max(64) {
            trim(&mut files);
            cutoff = files.iter().map(|f| f.size).min();
        }
    }
    trim(&mut files);
    files.sort_by(by_size_then_path);
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::merge;
    use crate::model::{TokenHit, Xattr};
    use crate::test_support::{dir, file, hardlink, layer, marker, with_mode};

    fn summary(found: &[Finding]) -> Vec<(FindingKind, &str, usize, bool)> {
        found
            .iter()
            .map(|f| (f.kind, f.path.as_str(), f.layer, f.visible))
            .collect()
    }

    #[test]
    fn secret_paths_follow_the_fixture_rule_and_more() {
        for path in [
            "root/.ssh/id_rsa",
            "home/u/.ssh/id_ed25519_deploy",
            "app/.env",
            "app/.env.production",
            "root/.aws/credentials",
            "root/.docker/config.json",
            "etc/ssl/private/server.key",
            "srv/tls/server.pem",
            "root/.npmrc",
            "root/.pypirc",
            "root/.netrc",
            "root/.git-credentials",
            "root/.kube/config",
            "certs/client.p12",
        ] {
            assert!(secret_path_rule(path).is_some(), "{path}");
        }
        for path in [
            "root/.ssh/id_rsa.pub",
            "app/.env.example",
            "etc/ssl/certs/ca-cert-ISRG_Root_X1.pem",
            "usr/lib/python3/dist-packages/certifi/cacert.pem",
            "app/environment",
            "usr/share/doc/keyring",
        ] {
            assert!(secret_path_rule(path).is_none(), "{path}");
        }
    }

    #[test]
    fn reports_deleted_secrets_as_shipped_but_invisible() {
        let mut l0 = layer(vec![
            dir("root"),
            file("root/.ssh/id_rsa", 110),
            file("app/.env", 102),
            file("app/settings.py", 50),
        ]);
        l0.token_hits = vec![TokenHit {
            entry: 3,
            kind: "aws-access-key-id",
        }];
        let l1 = layer(vec![marker("root/.ssh/.wh.id_rsa"), file("app/.env", 5)]);
        let layers = [&l0, &l1];
        let found = findings(&layers, &merge(&layers));
        assert_eq!(
            summary(&found),
            [
                (FindingKind::SecretPath, "app/.env", 0, false),
                (FindingKind::SecretPath, "app/.env", 1, true),
                (FindingKind::SecretPath, "root/.ssh/id_rsa", 0, false),
                (FindingKind::SecretToken, "app/settings.py", 0, true),
            ]
        );
        assert_eq!(found[0].detail, "dotenv file");
        assert_eq!(found[3].detail, "aws-access-key-id");
    }

    #[test]
    fn reports_modes_and_capabilities() {
        let mut l0 = layer(vec![
            with_mode(file("usr/bin/tool", 10), 0o4755),
            hardlink("usr/bin/tool-hl", "usr/bin/tool"),
            with_mode(file("usr/bin/wall", 10), 0o2755),
            with_mode(file("srv/open", 1), 0o666),
            with_mode(dir("tmp"), 0o1777),
            with_mode(dir("srv/drop"), 0o777),
            file("usr/bin/netprobe", 4096),
        ]);
        l0.entries[1].mode = 0o4755;
        l0.xattrs = vec![
            Xattr {
                entry: 6,
                name: "security.capability".into(),
                value: vec![
                    1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                ],
            },
            Xattr {
                entry: 6,
                name: "user.note".into(),
                value: b"x".to_vec(),
            },
        ];
        let layers = [&l0];
        let found = findings(&layers, &merge(&layers));
        assert_eq!(
            summary(&found),
            [
                (FindingKind::Setuid, "usr/bin/tool", 0, true),
                (FindingKind::Setuid, "usr/bin/tool-hl", 0, true),
                (FindingKind::Setgid, "usr/bin/wall", 0, true),
                (FindingKind::WorldWritable, "srv/open", 0, true),
                (FindingKind::WorldWritableDir, "srv/drop", 0, true),
                (FindingKind::Capability, "usr/bin/netprobe", 0, true),
            ]
        );
        assert_eq!(
            found[5].detail,
            "cap_net_raw=ep (0100000200200000000000000000000000000000)"
        );
        assert_eq!(found[0].detail, "mode 4755");
    }

    #[test]
    fn capability_values_of_any_shape_are_described() {
        assert_eq!(describe_capabilities(&[]), "");
        assert_eq!(describe_capabilities(&[1, 2]), "0102");
        // Revision 1 (12 bytes), cap_chown only, not effective.
        assert_eq!(
            describe_capabilities(&[0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]),
            "cap_chown=p (000000010100000000000000)"
        );
    }

    #[test]
    fn largest_files_are_the_biggest_visible_files() {
        let l0 = layer(vec![
            file("a", 5),
            file("b", 50),
            file("c", 7),
            file("d", 50),
        ]);
        let l1 = layer(vec![marker(".wh.b"), file("e", 1)]);
        let layers = [&l0, &l1];
        let merged = merge(&layers);
        let top: Vec<(String, u64)> = largest_files(&merged, 2)
            .into_iter()
            .map(|f| (f.path, f.size))
            .collect();
        assert_eq!(top, [("d".to_owned(), 50), ("c".to_owned(), 7)]);
        assert!(largest_files(&merged, 0).is_empty());
        assert_eq!(largest_files(&merged, 10).len(), 4);
    }
}
