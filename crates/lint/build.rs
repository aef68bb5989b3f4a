//! Collects each rule's module documentation (`//!` lines of `src/rules/*.rs`) so the CLI, the
//! docs pages and the browser can show it: the rule file stays the single source.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new("src/rules");
    println!("cargo:rerun-if-changed=src/rules");
    let mut entries: Vec<(String, String)> = Vec::new();
    if let Ok(read) = std::fs::read_dir(dir) {
        for entry in read.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let doc: String = text
                .lines()
                .take_while(|l| l.starts_with("//!"))
                .map(|l| {
                    l.trim_start_matches("//!")
                        .strip_prefix(' ')
                        .unwrap_or(l.trim_start_matches("//!"))
                })
                .collect::<Vec<_>>()
                .join("\n");
            let code = text
                .split("code: \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_owned);
            if let Some(code) = code {
                entries.push((code, doc));
            }
        }
    }
    entries.sort();
    let mut out = String::from("/// `(code, module documentation)` of every rule file.\npub(crate) static RULE_DOCS: &[(&str, &str)] = &[\n");
    for (code, doc) in entries {
        let _ = writeln!(out, "    ({code:?}, {doc:?}),");
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("rule_docs.rs");
    if let Err(error) = std::fs::write(&target, out) {
        println!("cargo:warning=cannot write {}: {error}", target.display());
    }
}
