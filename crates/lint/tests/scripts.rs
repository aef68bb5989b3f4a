//! The parsed shell scripts rules see: spans back into the file, the shell in effect.
#![allow(clippy::unwrap_used)]

use layerlab_lint::{Context, LintOptions, ScriptStore};
use layerlab_syntax::parse;

fn with_scripts(text: &str, check: impl FnOnce(&Context<'_>)) {
    let parsed = parse(text);
    let options = LintOptions::default();
    let store = ScriptStore::default();
    let cx = Context::new(text, &parsed, &options, &store);
    check(&cx);
}

#[test]
fn command_spans_map_across_continuations_and_heredocs() {
    let text = "FROM a\nRUN apt-get update \\\n    && apt-get install -y curl\nRUN <<EOF\nset -e\ncd /tmp\nEOF\nRUN python3 <<EOF\nprint(1)\nEOF\n";
    with_scripts(text, |cx| {
        let scripts = cx.scripts();
        // The shell-form RUNs (three) and one shell heredoc; python's body is not shell.
        assert_eq!(scripts.len(), 4);
        let names: Vec<String> = scripts
            .iter()
            .flat_map(|s| {
                s.commands()
                    .into_iter()
                    .filter_map(|c| {
                        c.command
                            .name()
                            .map(|n| cx.slice(s.span(n.span)).to_owned())
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(names, ["apt-get", "apt-get", "set", "cd", "python3"]);
    });
}

#[test]
fn shell_is_inherited_from_parent_stages() {
    let text = "FROM debian:12 AS base\nSHELL [\"/bin/bash\", \"-euo\", \"pipefail\", \"-c\"]\nFROM base\nRUN a | b\nFROM debian:12\nRUN c | d\nSHELL [\"pwsh\", \"-c\"]\nRUN Get-Item x\n";
    with_scripts(text, |cx| {
        let scripts = cx.scripts();
        assert_eq!(scripts.len(), 2, "PowerShell scripts are not parsed");
        assert!(scripts[0].shell.pipefail());
        assert_eq!(scripts[0].shell.program(), "bash");
        assert!(!scripts[1].shell.pipefail());
    });
}
