//! The queries lint rules use: commands in context, wrappers, flags, `set` options.
#![allow(clippy::unwrap_used, clippy::panic)]

use layerlab_shell::*;

fn ok(src: &str) -> Parse {
    let p = parse(src);
    assert!(p.errors.is_empty(), "{src:?}: {:?}", p.errors);
    p
}

fn names(src: &str) -> Vec<String> {
    ok(src)
        .commands()
        .iter()
        .map(|c| c.name().unwrap_or_else(|| "<none>".into()))
        .collect()
}

/// The first command's view, unwrapped through wrappers.
fn effective(src: &str) -> (Option<String>, Vec<String>) {
    let p = ok(src);
    let c = p.commands().into_iter().next().unwrap();
    let v = c.effective();
    (
        v.name().map(|n| n.into_owned()),
        v.args()
            .iter()
            .map(|w| w.static_value().unwrap_or_default())
            .collect(),
    )
}

#[test]
fn commands_are_found_everywhere() {
    let src = "a; (b | c) && { d; } || ! e & f=$(g \"$(h)\" `i`) j <(k) >(l) ${m:-$(n)}\n\
               if o; then p; elif q; then r; else s; fi\n\
               for t in $(u); do v; done; while w; do x; done; until y; do z; done\n\
               case $(aa) in bb) cc;; esac; ff() { gg; }; [[ $(hh) ]]; (( $(ii) ))\n\
               cat <<EOF\n$(jj)\nEOF\n\
               kk";
    assert_eq!(
        names(src),
        [
            "a", "b", "c", "d", "e", "j", "g", "h", "i", "k", "l", "n", "o", "p", "q", "r", "s",
            "u", "v", "w", "x", "y", "z", "aa", "cc", "gg", "hh", "ii", "cat", "jj", "kk"
        ]
    );
}

#[test]
fn enclosing_and_structure() {
    let p = ok("if a | b; then c || d; fi; (e &) ; f && g; $(h) | i");
    let cmds = p.commands();
    let by_name = |n: &str| {
        cmds.iter()
            .find(|c| c.name().as_deref() == Some(n))
            .unwrap()
    };
    let a = by_name("a");
    assert_eq!(a.enclosing, [Enclosing::Condition]);
    assert!(a.in_pipeline() && a.pipes_output() && !a.reads_pipe());
    assert!(a.is_tested(), "a condition is tested");
    let c = by_name("c");
    assert_eq!(c.enclosing, [Enclosing::Branch]);
    assert_eq!(c.followed_by(), Some(AndOrOp::Or));
    assert!(c.is_tested() && !by_name("d").is_tested());
    assert_eq!(by_name("d").preceded_by(), Some(AndOrOp::Or));
    let e = by_name("e");
    assert_eq!(e.separator, Some(Separator::Amp));
    assert!(e.in_subshell());
    let f = by_name("f");
    assert_eq!(f.separator, Some(Separator::Semi));
    assert!(!f.in_subshell() && !f.in_pipeline());
    assert_eq!(by_name("g").separator, Some(Separator::Semi));
    let h = by_name("h");
    assert_eq!(h.enclosing, [Enclosing::CommandSubstitution]);
    assert!(h.in_subshell());
    // The command whose name is `$(h)`: no static name, but a name word.
    let dynamic = cmds.iter().find(|c| c.name().is_none()).unwrap();
    assert!(dynamic.name_word().unwrap().has_command_substitution());
    assert!(dynamic.in_pipeline());
    // Commands inside a compound command that is itself in a pipeline.
    let p = ok("ls | while read f; do rm \"$f\"; done");
    let rm = &p.commands()[2];
    assert_eq!(rm.enclosing, [Enclosing::Pipeline, Enclosing::LoopBody]);
    assert!(rm.in_subshell() && !rm.in_pipeline());
}

#[test]
fn wrappers_are_seen_through() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "sudo apt-get install -y curl",
            "apt-get",
            &["install", "-y", "curl"],
        ),
        ("sudo -u app -E npm install", "npm", &["install"]),
        ("sudo --user=app pip install x", "pip", &["install", "x"]),
        (
            "env DEBIAN_FRONTEND=noninteractive apt-get -yq install tzdata",
            "apt-get",
            &["-yq", "install", "tzdata"],
        ),
        ("env -i PATH=/bin sh -c 'echo'", "sh", &["-c", "echo"]),
        ("exec gosu app \"$@\"", "\"$@\"", &[]),
        (
            "exec -a name nginx -g 'daemon off;'",
            "nginx",
            &["-g", "daemon off;"],
        ),
        ("command apt-get update", "apt-get", &["update"]),
        ("xargs -r -n1 -I{} apk add {}", "apk", &["add", "{}"]),
        ("xargs -0 -P 4 -n 1 rm -f", "rm", &["-f"]),
        ("nice -n 10 make -j4", "make", &["-j4"]),
        ("nohup ./server &", "./server", &[]),
        (
            "timeout -s KILL 30 curl -fsS localhost",
            "curl",
            &["-fsS", "localhost"],
        ),
        ("stdbuf -oL tail -f log", "tail", &["-f", "log"]),
        ("gosu www-data php-fpm", "php-fpm", &[]),
        ("sudo env A=1 nice apt-get update", "apt-get", &["update"]),
        ("/usr/bin/sudo -H pip3 install x", "pip3", &["install", "x"]),
        ("time make", "make", &[]),
    ];
    for (src, name, args) in cases {
        let (n, a) = effective(src);
        let shown = n.unwrap_or_else(|| "\"$@\"".into());
        assert_eq!(shown, *name, "{src}");
        assert_eq!(a, *args, "{src}");
    }
    // Not wrappers, or wrappers with nothing to run.
    for src in [
        "command -v curl",
        "sudo -i",
        "env",
        "xargs",
        "env -S 'a b'",
        "apt-get install sudo",
    ] {
        let p = ok(src);
        let c = &p.commands()[0];
        assert!(c.view().wrapped().is_none(), "{src}");
        assert_eq!(
            c.effective().name().map(|n| n.into_owned()),
            c.name(),
            "{src}"
        );
    }
    // One level at a time.
    let p = ok("sudo env apt-get update");
    let v = p.commands()[0].view();
    assert_eq!(v.wrapped().unwrap().name().unwrap(), "env");
    assert_eq!(v.unwrapped().name().unwrap(), "apt-get");
    // The views share the words (and so their spans).
    let src = "sudo -u x apt-get install -y curl";
    let p = ok(src);
    let v = p.commands()[0].effective();
    assert_eq!(v.name_word().unwrap().span.slice(src), "apt-get");
    assert_eq!(v.basename().unwrap(), "apt-get");
    let p = ok("/usr/local/bin/pip install x");
    assert_eq!(p.commands()[0].view().basename().unwrap(), "pip");
    assert!(p.commands()[0].view().is("/usr/local/bin/pip"));
}

#[test]
fn has_flag_understands_combined_and_long_forms() {
    let p = ok("apt-get -qq update && apt-get install -qy --no-install-recommends --option=Dpkg::Options::=--force-confnew curl -o APT::X=1");
    let cmds = p.commands();
    let update = cmds[0].view();
    assert!(update.has_flag(Some('q'), Some("quiet")));
    assert_eq!(update.parse_args(&ArgSpec::NONE).count(Some('q'), None), 2);
    let install = cmds[1].view();
    assert!(install.has_flag(Some('y'), Some("yes")));
    assert!(install.has_flag(Some('q'), None));
    assert!(install.has_flag(None, Some("no-install-recommends")));
    assert!(install.has_flag(None, Some("option")));
    assert!(!install.has_flag(Some('f'), Some("force-yes")));
    assert!(!install.has_flag(None, Some("yes")));
    let args = install.parse_args(&ArgSpec::new("o", &["option"]));
    assert_eq!(
        args.value(None, Some("option"))
            .unwrap()
            .static_value()
            .unwrap(),
        "Dpkg::Options::=--force-confnew"
    );
    assert_eq!(
        args.value(Some('o'), None).unwrap().static_value().unwrap(),
        "APT::X=1"
    );
    assert_eq!(
        args.positional_values(),
        [Some("install".into()), Some("curl".into())]
    );
    // `-q=2`, as apt accepts it.
    let p = ok("apt-get -q=2 install x");
    let args = p.commands()[0].view().parse_args(&ArgSpec::NONE);
    assert_eq!(
        args.value(Some('q'), None),
        Some(&ArgValue::Attached("2".into()))
    );
    // `--long value` only when declared to take a value.
    let p = ok("apt-get install -t buster-backports --target-release=bullseye foo");
    let v = p.commands()[0].view();
    let spec = ArgSpec::new("t", &["target-release"]);
    let positionals: Vec<_> = v
        .positionals(&spec)
        .iter()
        .map(|w| w.static_value().unwrap())
        .collect();
    assert_eq!(positionals, ["install", "foo"]);
    assert_eq!(v.subcommand(&spec).unwrap(), "install");
    let without: Vec<_> = v
        .positionals(&ArgSpec::NONE)
        .iter()
        .map(|w| w.static_value().unwrap())
        .collect();
    assert_eq!(without, ["install", "buster-backports", "foo"]);
    // Attached short values, `--`, `-` and dynamic words.
    let p = ok("pip install -rrequirements.txt -c c.txt -- -not-a-flag - \"$PKG\" --upgrade");
    let args = p.commands()[0]
        .view()
        .parse_args(&ArgSpec::new("rc", &["requirement", "constraint"]));
    assert_eq!(
        args.value(Some('r'), Some("requirement"))
            .unwrap()
            .static_value()
            .unwrap(),
        "requirements.txt"
    );
    assert_eq!(
        args.value(Some('c'), None).unwrap().static_value().unwrap(),
        "c.txt"
    );
    assert!(!args.has(None, Some("upgrade")), "after `--`");
    let pos = args.positional_values();
    assert_eq!(
        pos,
        [
            Some("install".into()),
            Some("-not-a-flag".into()),
            Some("-".into()),
            None,
            Some("--upgrade".into())
        ]
    );
    // The flag word keeps its span.
    let src = "apk add --no-cache curl";
    let p = ok(src);
    let args = p.commands()[0].view().parse_args(&ArgSpec::NONE);
    assert_eq!(args.flags[0].word.span.slice(src), "--no-cache");
    assert!(args.flags[0].long);
}

#[test]
fn set_options_are_tracked() {
    let opts = |src: &str| -> Vec<(String, ShellOptions)> {
        ok(src)
            .commands()
            .iter()
            .map(|c| (c.name().unwrap_or_default(), c.options))
            .collect()
    };
    let on = |errexit, pipefail| ShellOptions {
        errexit,
        pipefail,
        ..ShellOptions::default()
    };
    let got = opts("a; set -eo pipefail; b | c; set +e; d; set +o pipefail; e");
    let want = [
        ("a", on(false, false)),
        ("set", on(false, false)),
        ("b", on(true, true)),
        ("c", on(true, true)),
        ("set", on(true, true)),
        ("d", on(false, true)),
        ("set", on(false, true)),
        ("e", on(false, false)),
    ];
    assert_eq!(got.len(), want.len());
    for ((n, o), (wn, wo)) in got.iter().zip(want.iter()) {
        assert_eq!((n.as_str(), *o), (*wn, *wo));
    }

    for (script, errexit, pipefail, nounset, xtrace) in [
        ("set -e", true, false, false, false),
        ("set -o pipefail", false, true, false, false),
        ("set -euxo pipefail", true, true, true, true),
        ("set -Eeuo pipefail", true, true, true, false),
        ("set -o errexit -o pipefail", true, true, false, false),
        ("set -o errexit -o nounset", true, false, true, false),
        ("set -ex -o pipefail", true, true, false, true),
        ("set -- -e", false, false, false, false),
        ("set x -e", false, false, false, false),
        ("set -o \"$OPT\"", false, false, false, false),
    ] {
        let src = format!("{script}; cmd");
        let got = ok(&src).commands().last().unwrap().options;
        let want = ShellOptions {
            errexit,
            pipefail,
            nounset,
            xtrace,
        };
        assert_eq!(got, want, "{script}");
    }
}

#[test]
fn set_scoping() {
    let last = |src: &str| ok(src).commands().last().unwrap().options;
    assert!(!last("(set -o pipefail); a | b").pipefail, "subshell");
    assert!(!last("x=$(set -e); a").errexit, "command substitution");
    assert!(!last("set -e | cat; a").errexit, "pipeline element");
    assert!(!last("set -e & a").errexit, "background");
    assert!(!last("f() { set -e; }; a").errexit, "function body");
    assert!(last("{ set -e; }; a").errexit, "brace group");
    assert!(last("if true; then set -e; fi; a").errexit, "branch");
    assert!(last("set -e; (a)").errexit, "inherited by subshells");
    // Options given before the script (a Dockerfile SHELL with `-o pipefail`).
    let p = ok("a | b");
    let initial = ShellOptions {
        pipefail: true,
        ..ShellOptions::default()
    };
    assert!(p.script.commands_with(initial)[1].options.pipefail);
    // `set` through a wrapper is not `set`.
    assert!(!last("command set -e; a").errexit);
}

#[test]
fn options_at_offsets_and_pipelines() {
    let src = "apt-get update\nset -o pipefail\ncurl -fsSL x | bash";
    let p = ok(src);
    let before = src.find("set").unwrap();
    let pipe = src.find("curl").unwrap();
    assert!(!p.script.options_at(0, ShellOptions::default()).pipefail);
    assert!(
        !p.script
            .options_at(before, ShellOptions::default())
            .pipefail
    );
    assert!(p.script.options_at(pipe, ShellOptions::default()).pipefail);
    assert!(
        p.script
            .options_at(src.len(), ShellOptions::default())
            .pipefail
    );
    // DL4006's question: which pipelines run without pipefail?
    let src = "wget -O - https://x | tar xz && set -o pipefail && curl y | sh";
    let p = ok(src);
    let unsafe_pipes: Vec<&str> = p
        .script
        .pipelines_with(ShellOptions::default())
        .iter()
        .filter(|pi| pi.is_pipe() && !pi.options.pipefail)
        .map(|pi| pi.pipeline.span.slice(src))
        .collect();
    assert_eq!(unsafe_pipes, ["wget -O - https://x | tar xz"]);
    let pipes = p.script.pipelines_with(ShellOptions::default());
    assert_eq!(pipes[0].followed_by(), Some(AndOrOp::And));
    assert_eq!(pipes[2].preceded_by(), Some(AndOrOp::And));
}

#[test]
fn visitor_sees_every_word_with_its_role() {
    // What SC2086 needs: unquoted parameter expansions, wherever they are.
    struct Unquoted<'s> {
        src: &'s str,
        found: Vec<(&'s str, WordRole)>,
    }
    impl<'a, 's> Visitor<'a> for Unquoted<'s> {
        fn word(&mut self, word: &'a Word, role: WordRole, _: &[Enclosing]) {
            for part in &word.parts {
                if let WordPart::Param(p) = part {
                    self.found.push((p.span.slice(self.src), role));
                }
            }
        }
    }
    let src = "for f in $FILES; do cp $f \"$DEST\"; done; X=$Y; echo ${Z:-$W} > $OUT; case $C in $P) ;; esac";
    let p = ok(src);
    let mut v = Unquoted {
        src,
        found: Vec::new(),
    };
    walk(&p.script, ShellOptions::default(), &mut v);
    assert_eq!(
        v.found,
        [
            ("$FILES", WordRole::ForList),
            ("$f", WordRole::Argument),
            ("$Y", WordRole::AssignmentValue),
            ("${Z:-$W}", WordRole::Argument),
            ("$W", WordRole::ParamArgument),
            ("$OUT", WordRole::RedirectTarget),
            ("$C", WordRole::CaseSubject),
            ("$P", WordRole::CasePattern),
        ]
    );
    let roles: Vec<WordRole> = p.script.words().iter().map(|(_, r)| *r).collect();
    assert!(roles.contains(&WordRole::CommandName));
}

#[test]
fn declaration_with_command_substitution() {
    // What SC2155 needs: `export X=$(cmd)` masks the exit status.
    let src = "export VERSION=$(cat /VERSION) OTHER=1; local a=\"$(date)\"";
    let p = ok(src);
    let mut masked = Vec::new();
    for c in p.commands() {
        if matches!(
            c.name().as_deref(),
            Some("export" | "local" | "declare" | "readonly")
        ) {
            for w in c.args() {
                if let Some(a) = w.as_assignment() {
                    if a.value.has_command_substitution() {
                        masked.push((a.name.clone(), a.span.slice(src)));
                    }
                }
            }
        }
    }
    assert_eq!(
        masked,
        [
            ("VERSION".to_string(), "VERSION=$(cat /VERSION)"),
            ("a".to_string(), "a=\"$(date)\"")
        ]
    );
}

#[test]
fn cd_without_exit_check() {
    // What SC2164 needs: `cd` not followed by `||`.
    let p = ok("cd /app && make; cd /x || exit 1; cd /y");
    let flagged: Vec<bool> = p
        .commands()
        .iter()
        .filter(|c| c.name().as_deref() == Some("cd"))
        .map(|c| c.followed_by() != Some(AndOrOp::Or))
        .collect();
    assert_eq!(flagged, [true, false, true]);
}
