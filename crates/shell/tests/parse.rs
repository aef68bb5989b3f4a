//! Parser tests on real Dockerfile RUN scripts. Spans are checked by slicing the source.
#![allow(clippy::unwrap_used, clippy::panic)]

use layerlab_shell::*;

/// Parses and asserts there are no syntax errors.
fn ok(src: &str) -> Parse {
    let p = parse(src);
    assert!(p.errors.is_empty(), "{src:?}: {:?}", p.errors);
    p
}

/// The source text of every word of every simple command, in walk order.
fn words(src: &str) -> Vec<Vec<&str>> {
    let p = ok(src);
    let out: Vec<Vec<(usize, usize)>> = p
        .commands()
        .iter()
        .map(|c| {
            c.command
                .words
                .iter()
                .map(|w| (w.span.start, w.span.end))
                .collect()
        })
        .collect();
    out.into_iter()
        .map(|c| c.into_iter().map(|(a, b)| &src[a..b]).collect())
        .collect()
}

/// The static values of every word of every simple command.
fn values(src: &str) -> Vec<Vec<String>> {
    ok(src)
        .commands()
        .iter()
        .map(|c| {
            c.command
                .words
                .iter()
                .map(|w| w.static_value().unwrap_or_else(|| "<dyn>".into()))
                .collect()
        })
        .collect()
}

fn first_simple(p: &Parse) -> &SimpleCommand {
    p.commands().first().map(|c| c.command).unwrap()
}

fn only_word(src: &str) -> Word {
    let p = ok(src);
    let c = first_simple(&p);
    c.words.last().cloned().unwrap()
}

fn compound(p: &Parse) -> &CompoundCommand {
    match p.script.items[0].and_or.pipelines[0]
        .commands
        .first()
        .unwrap()
    {
        Command::Compound(c) => c,
        other => panic!("not compound: {other:?}"),
    }
}

fn error_slices<'a>(src: &'a str, p: &Parse) -> Vec<(ErrorKind, &'a str)> {
    p.errors
        .iter()
        .map(|e| (e.kind, e.span.slice(src)))
        .collect()
}

// ----- real RUN lines ---------------------------------------------------------------------------

#[test]
fn apt_get_chain_joined_by_buildkit() {
    // `RUN apt-get update && \` / `    apt-get install ...` after BuildKit removed `\`+newline.
    let src = "apt-get update &&     apt-get install -y --no-install-recommends \t curl=7.88.* ca-certificates &&     rm -rf /var/lib/apt/lists/*";
    assert_eq!(
        words(src),
        vec![
            vec!["apt-get", "update"],
            vec![
                "apt-get",
                "install",
                "-y",
                "--no-install-recommends",
                "curl=7.88.*",
                "ca-certificates"
            ],
            vec!["rm", "-rf", "/var/lib/apt/lists/*"],
        ]
    );
    let p = ok(src);
    let cmds = p.commands();
    assert_eq!(cmds[0].followed_by(), Some(AndOrOp::And));
    assert_eq!(cmds[1].preceded_by(), Some(AndOrOp::And));
    assert_eq!(cmds[2].followed_by(), None);
    let and_or = &p.script.items[0].and_or;
    assert_eq!(and_or.ops.len(), 2);
    assert_eq!(and_or.ops[0].1.slice(src), "&&");
    assert_eq!(and_or.span.slice(src), src);
    let rm = cmds[2].command;
    assert!(rm.words[2].has_glob());
    assert_eq!(rm.span.slice(src), "rm -rf /var/lib/apt/lists/*");
}

#[test]
fn set_eux_semicolon_chain() {
    let src = "set -eux; \tapt-get update; apt-get install -y gosu; rm -rf /var/lib/apt/lists/*; gosu nobody true";
    let p = ok(src);
    let names: Vec<_> = p.commands().iter().map(|c| c.name().unwrap()).collect();
    assert_eq!(names, ["set", "apt-get", "apt-get", "rm", "gosu"]);
    let seps: Vec<_> = p.script.items.iter().map(|i| i.separator).collect();
    assert_eq!(
        seps,
        [
            Some(Separator::Semi),
            Some(Separator::Semi),
            Some(Separator::Semi),
            Some(Separator::Semi),
            None
        ]
    );
    assert_eq!(p.script.items[0].separator_span.unwrap().slice(src), ";");
}

#[test]
fn real_multiline_script_with_newlines() {
    // A heredoc body or a RUN with `\`+newline kept (shell-level continuations).
    let src = "set -ex \\\n  && apt-get update \\\n  && apt-get install -y \\\n       git \\\n       make \\\n  && rm -rf /var/lib/apt/lists/*\n";
    assert_eq!(
        values(src),
        vec![
            vec!["set", "-ex"],
            vec!["apt-get", "update"],
            vec!["apt-get", "install", "-y", "git", "make"],
            vec!["rm", "-rf", "/var/lib/apt/lists/*"],
        ]
    );
    let w = words(src);
    assert_eq!(w[2][4], "make");
}

#[test]
fn pip_installs() {
    let src = r#"pip install --no-cache-dir -r requirements.txt && pip3 install "flask==2.0.1" 'requests>=2' gunicorn[gevent]"#;
    assert_eq!(
        values(src),
        vec![
            vec!["pip", "install", "--no-cache-dir", "-r", "requirements.txt"],
            vec![
                "pip3",
                "install",
                "flask==2.0.1",
                "requests>=2",
                "gunicorn[gevent]"
            ],
        ]
    );
    let p = ok(src);
    let w = &p.commands()[1].command.words;
    assert!(w[2].has_quotes() && !w[2].has_expansion());
    assert_eq!(w[2].span.slice(src), "\"flask==2.0.1\"");
    assert_eq!(w[3].span.slice(src), "'requests>=2'");
    assert!(w[4].has_glob(), "an unquoted [..] is a glob");
}

#[test]
fn npm_and_yarn() {
    let src = "npm ci --only=production && npm cache clean --force && npm install -g pm2@5.2.0 && yarn install --frozen-lockfile && yarn cache clean";
    let p = ok(src);
    let names: Vec<_> = p.commands().iter().map(|c| c.name().unwrap()).collect();
    assert_eq!(names, ["npm", "npm", "npm", "yarn", "yarn"]);
    let npm_i = p.commands()[2].view();
    assert!(npm_i.has_flag(Some('g'), Some("global")));
    assert_eq!(
        npm_i.positionals(&ArgSpec::NONE)[1].static_value().unwrap(),
        "pm2@5.2.0"
    );
}

#[test]
fn apk_add_virtual() {
    let src = "apk add --no-cache --virtual .build-deps gcc musl-dev \t&& pip install cryptography==3.4 && apk del .build-deps";
    let p = ok(src);
    let apk = p.commands()[0].view();
    let args = apk.parse_args(&ArgSpec::new("tX", &["virtual", "repository"]));
    assert!(args.has(None, Some("no-cache")));
    assert_eq!(
        args.value(Some('t'), Some("virtual"))
            .unwrap()
            .static_value()
            .unwrap(),
        ".build-deps"
    );
    assert_eq!(
        args.positional_values(),
        [
            Some("add".into()),
            Some("gcc".into()),
            Some("musl-dev".into())
        ]
    );
}

#[test]
fn if_block() {
    let src = r#"if [ "$TARGETARCH" = "arm64" ]; then ARCH=aarch64; else ARCH=x86_64; fi && curl -fsSL "https://x/$ARCH.tgz" | tar -xz"#;
    let p = ok(src);
    let c = compound(&p);
    let CompoundKind::If { clauses, else_body } = &c.kind else {
        panic!()
    };
    assert_eq!(clauses.len(), 1);
    assert_eq!(clauses[0].keyword.slice(src), "if");
    assert_eq!(
        clauses[0].condition.span.slice(src),
        r#"[ "$TARGETARCH" = "arm64" ];"#
    );
    assert_eq!(clauses[0].body.span.slice(src), "ARCH=aarch64;");
    assert_eq!(else_body.as_ref().unwrap().span.slice(src), "ARCH=x86_64;");
    assert!(c.span.slice(src).starts_with("if [") && c.span.slice(src).ends_with("fi"));
    let cmds = p.commands();
    let names: Vec<_> = cmds.iter().map(|c| c.name()).collect();
    assert_eq!(
        names,
        [
            Some("[".into()),
            None,
            None,
            Some("curl".into()),
            Some("tar".into())
        ]
    );
    assert_eq!(cmds[1].command.assignments[0].name, "ARCH");
    assert_eq!(
        cmds[1].command.assignments[0].value.span.slice(src),
        "aarch64"
    );
    assert_eq!(cmds[0].enclosing, [Enclosing::Condition]);
    assert_eq!(cmds[2].enclosing, [Enclosing::Branch]);
    assert!(cmds[4].in_pipeline() && cmds[4].reads_pipe());
}

#[test]
fn if_elif_else_multiline() {
    let src = "if [ -f /a ]; then\n  echo a\nelif [ -f /b ]\nthen\n  echo b\nelse\n  echo c\nfi\n";
    let p = ok(src);
    let CompoundKind::If { clauses, else_body } = &compound(&p).kind else {
        panic!()
    };
    assert_eq!(clauses.len(), 2);
    assert_eq!(clauses[1].keyword.slice(src), "elif");
    assert_eq!(clauses[1].body.span.slice(src), "echo b\n");
    assert!(else_body.is_some());
    assert_eq!(p.commands().len(), 5);
}

#[test]
fn for_loops() {
    let src = "for f in /etc/*.conf \"$HOME/x\"; do chmod 644 \"$f\"; done";
    let p = ok(src);
    let CompoundKind::For {
        var,
        var_span,
        words,
        body,
        select,
    } = &compound(&p).kind
    else {
        panic!()
    };
    assert!(!select);
    assert_eq!(var, "f");
    assert_eq!(var_span.slice(src), "f");
    let words = words.as_ref().unwrap();
    assert_eq!(words[0].span.slice(src), "/etc/*.conf");
    assert_eq!(words[1].span.slice(src), "\"$HOME/x\"");
    assert_eq!(body.span.slice(src), "chmod 644 \"$f\";");
    assert_eq!(p.commands()[0].enclosing, [Enclosing::LoopBody]);

    let p = ok("for x\ndo\n  echo $x\ndone");
    let CompoundKind::For { words, .. } = &compound(&p).kind else {
        panic!()
    };
    assert!(words.is_none());
    ok("for x; do :; done");
    ok("for x in; do :; done");

    let src = "for ((i=0; i<3; i++)); do echo $i; done";
    let p = ok(src);
    let CompoundKind::ArithFor { header, .. } = &compound(&p).kind else {
        panic!()
    };
    assert_eq!(header.span.slice(src), "i=0; i<3; i++");
}

#[test]
fn while_and_until() {
    let src = "while read -r pkg; do apk add \"$pkg\"; done < /tmp/pkgs.txt";
    let p = ok(src);
    let c = compound(&p);
    let CompoundKind::While {
        until,
        condition,
        body,
    } = &c.kind
    else {
        panic!()
    };
    assert!(!until);
    assert_eq!(condition.span.slice(src), "read -r pkg;");
    assert_eq!(body.span.slice(src), "apk add \"$pkg\";");
    assert_eq!(c.redirects[0].target.span.slice(src), "/tmp/pkgs.txt");
    assert_eq!(c.span.slice(src), src);

    let p = ok("until curl -fs localhost; do sleep 1; done");
    assert!(matches!(
        compound(&p).kind,
        CompoundKind::While { until: true, .. }
    ));

    let src = "while IFS= read -r -d '' f; do echo \"$f\"; done < <(find . -print0)";
    let p = ok(src);
    let c = compound(&p);
    assert_eq!(c.redirects[0].target.span.slice(src), "<(find . -print0)");
    let names: Vec<_> = p.commands().iter().map(|c| c.name().unwrap()).collect();
    assert_eq!(names, ["read", "echo", "find"]);
    assert_eq!(p.commands()[0].command.assignments[0].name, "IFS");
}

#[test]
fn case_statement() {
    let src = "case \"$(uname -m)\" in\n  x86_64|amd64) ARCH=amd64 ;;\n  (aarch64) ARCH=arm64 ;&\n  armv7*) ARCH=arm ;;&\n  *) echo unsupported; exit 1\nesac";
    let p = ok(src);
    let CompoundKind::Case { word, items } = &compound(&p).kind else {
        panic!()
    };
    assert_eq!(word.span.slice(src), "\"$(uname -m)\"");
    assert_eq!(items.len(), 4);
    let pats: Vec<Vec<&str>> = items
        .iter()
        .map(|i| i.patterns.iter().map(|w| w.span.slice(src)).collect())
        .collect();
    assert_eq!(
        pats,
        [
            vec!["x86_64", "amd64"],
            vec!["aarch64"],
            vec!["armv7*"],
            vec!["*"]
        ]
    );
    assert_eq!(
        items.iter().map(|i| i.terminator).collect::<Vec<_>>(),
        [
            Some(CaseTerminator::Break),
            Some(CaseTerminator::FallThrough),
            Some(CaseTerminator::Continue),
            None
        ]
    );
    assert!(items[2].patterns[0].has_glob());
    assert_eq!(items[0].span.slice(src), "x86_64|amd64) ARCH=amd64 ;;");
    let names: Vec<_> = p.commands().iter().map(|c| c.name()).collect();
    assert_eq!(
        names,
        [
            Some("uname".into()),
            None,
            None,
            None,
            Some("echo".into()),
            Some("exit".into())
        ]
    );
    ok("case x in esac");
    ok("case $x in a) ;; esac; echo after");
    ok("echo $(case x in x) echo y;; esac)");
    ok("echo \"$(case x in (x) echo y;; esac)\"");
}

#[test]
fn nested_command_substitutions() {
    let src = "export JAVA_HOME=$(dirname $(dirname $(readlink -f $(which javac))))";
    let p = ok(src);
    let cmds = p.commands();
    let names: Vec<_> = cmds.iter().map(|c| c.name().unwrap()).collect();
    assert_eq!(names, ["export", "dirname", "dirname", "readlink", "which"]);
    assert_eq!(cmds[4].enclosing.len(), 4);
    assert!(cmds[4]
        .enclosing
        .iter()
        .all(|e| *e == Enclosing::CommandSubstitution));
    assert_eq!(cmds[4].command.span.slice(src), "which javac");
    assert_eq!(cmds[3].command.words[2].span.slice(src), "$(which javac)");
    let arg = &cmds[0].command.words[1];
    assert!(arg.has_command_substitution());
    let a = arg.as_assignment().unwrap();
    assert_eq!(a.name, "JAVA_HOME");
    assert_eq!(a.name_span.slice(src), "JAVA_HOME");
    assert!(a.value.has_command_substitution());
    assert_eq!(a.value.span.slice(src), &src[17..]);
}

#[test]
fn quoted_command_substitution_with_inner_quotes() {
    let src = r#"echo "a $(echo "b $(echo ")")") d""#;
    let p = ok(src);
    let names: Vec<_> = p.commands().iter().map(|c| c.name().unwrap()).collect();
    assert_eq!(names, ["echo", "echo", "echo"]);
    assert_eq!(
        p.commands()[2].command.words[1].static_value().unwrap(),
        ")"
    );
}

#[test]
fn backticks() {
    let src = "VERSION=`cat /VERSION` && echo `echo \\`date\\``";
    let p = ok(src);
    let cmds = p.commands();
    let names: Vec<_> = cmds.iter().map(|c| c.name()).collect();
    assert_eq!(
        names,
        [
            None,
            Some("cat".into()),
            Some("echo".into()),
            Some("echo".into()),
            Some("date".into())
        ]
    );
    assert_eq!(cmds[1].command.span.slice(src), "cat /VERSION");
    assert_eq!(cmds[1].command.words[1].span.slice(src), "/VERSION");
    assert_eq!(cmds[4].command.span.slice(src), "date");
    let WordPart::CommandSubst {
        backquoted, span, ..
    } = &cmds[0].command.assignments[0].value.parts[0]
    else {
        panic!()
    };
    assert!(backquoted);
    assert_eq!(span.slice(src), "`cat /VERSION`");
    // Inside double quotes `\"` is unescaped too.
    let p = ok(r#"echo "`echo \"hi\"`""#);
    assert_eq!(
        p.commands()[1].command.words[1].static_value().unwrap(),
        "hi"
    );
    ok(r"echo `echo '\`'`");
}

#[test]
fn arithmetic() {
    let src = "echo $((1 + $(nproc) * 2)) $(( (x) )) $((16#ff))";
    let p = ok(src);
    let names: Vec<_> = p.commands().iter().map(|c| c.name().unwrap()).collect();
    assert_eq!(names, ["echo", "nproc"]);
    let w = &p.commands()[0].command.words;
    let WordPart::Arith { expr, span } = &w[1].parts[0] else {
        panic!()
    };
    assert_eq!(span.slice(src), "$((1 + $(nproc) * 2))");
    assert_eq!(expr.span.slice(src), "1 + $(nproc) * 2");
    assert!(matches!(w[2].parts[0], WordPart::Arith { .. }));

    // `$( (` is a command substitution holding a subshell.
    let src = "n=$((cd /src && ls) | wc -l)";
    let p = ok(src);
    let names: Vec<_> = p.commands().iter().filter_map(|c| c.name()).collect();
    assert_eq!(names, ["cd", "ls", "wc"]);
    ok("x=$( (cd /tmp && ls) | wc -l )");

    let p = ok("(( i++ )); echo $i");
    assert!(matches!(compound(&p).kind, CompoundKind::Arith(_)));
    let p = ok("( (echo a) )");
    assert!(matches!(compound(&p).kind, CompoundKind::Subshell(_)));
}

#[test]
fn parameter_expansions() {
    let src = r#"echo ${VERSION:-1.0} ${x#*/} ${x%%.*} ${x//a/b} ${#x} ${!ref} ${arr[@]} ${x:1:2} ${x^^} $1 $@ $? ${10}"#;
    let p = ok(src);
    let w = &p.commands()[0].command.words;
    let params: Vec<&Param> = w[1..]
        .iter()
        .map(|w| match &w.parts[0] {
            WordPart::Param(p) => &**p,
            other => panic!("{other:?}"),
        })
        .collect();
    let summary: Vec<(String, Option<String>, bool, bool)> = params
        .iter()
        .map(|p| (p.name.clone(), p.op.clone(), p.length, p.indirect))
        .collect();
    assert_eq!(
        summary,
        [
            ("VERSION".into(), Some(":-".into()), false, false),
            ("x".into(), Some("#".into()), false, false),
            ("x".into(), Some("%%".into()), false, false),
            ("x".into(), Some("//".into()), false, false),
            ("x".into(), None, true, false),
            ("ref".into(), None, false, true),
            ("arr".into(), None, false, false),
            ("x".into(), Some(":".into()), false, false),
            ("x".into(), Some("^^".into()), false, false),
            ("1".into(), None, false, false),
            ("@".into(), None, false, false),
            ("?".into(), None, false, false),
            ("10".into(), None, false, false),
        ]
    );
    assert_eq!(params[0].arg.as_ref().unwrap().span.slice(src), "1.0");
    assert_eq!(params[0].span.slice(src), "${VERSION:-1.0}");
    assert_eq!(params[6].subscript.as_deref(), Some("@"));
    assert!(!params[9].braced && params[0].braced);
    assert_eq!(params[9].span.slice(src), "$1");

    // Nested words in the argument, commands inside them.
    let src = r#"echo "${CONFIG:-$(cat /default)}" ${x:-"a b"} "${x:-it's}""#;
    let p = ok(src);
    let names: Vec<_> = p.commands().iter().map(|c| c.name().unwrap()).collect();
    assert_eq!(names, ["echo", "cat"]);
    assert_eq!(p.commands()[1].command.span.slice(src), "cat /default");
    ok(r#"echo "${VAR%"${VAR##*[![:space:]]}"}""#);
    ok("echo ${x:-${y:-z}} ${x/#pre/} ${x@Q} ${!prefix*} ${#} ${a[$i]}");
}

#[test]
fn heredoc_in_run_script() {
    let src = "cat <<EOF > /etc/apt/sources.list\ndeb http://x $CODENAME main\ndeb-src http://y $(lsb_release -cs) main\nEOF\napt-get update";
    let p = ok(src);
    let cmds = p.commands();
    let names: Vec<_> = cmds.iter().map(|c| c.name().unwrap()).collect();
    assert_eq!(names, ["cat", "lsb_release", "apt-get"]);
    let cat = cmds[0].command;
    assert_eq!(cat.redirects.len(), 2);
    let r = &cat.redirects[0];
    assert_eq!(r.op, RedirectOp::HereDoc { strip_tabs: false });
    assert_eq!(r.op_span.slice(src), "<<");
    assert_eq!(r.target.span.slice(src), "EOF");
    let h = r.heredoc.as_ref().unwrap();
    assert_eq!(h.delimiter, "EOF");
    assert!(!h.quoted && !h.missing);
    assert_eq!(
        h.body.span.slice(src),
        "deb http://x $CODENAME main\ndeb-src http://y $(lsb_release -cs) main\n"
    );
    assert_eq!(h.terminator.unwrap().slice(src), "EOF");
    assert!(h.body.has_expansion());
    assert_eq!(
        cat.redirects[1].target.span.slice(src),
        "/etc/apt/sources.list"
    );
    assert_eq!(cmds[1].command.span.slice(src), "lsb_release -cs");
    // The command after the body is on its own line.
    assert_eq!(p.script.items.len(), 2);
    assert_eq!(p.script.items[1].span.slice(src), "apt-get update");
}

#[test]
fn heredoc_variants() {
    // Quoted delimiter: the body is literal.
    let src = "cat <<'EOF' > /entrypoint.sh\n#!/bin/sh\nexec \"$@\"\nEOF\nchmod +x /entrypoint.sh";
    let p = ok(src);
    let h = p.commands()[0].command.redirects[0]
        .heredoc
        .clone()
        .unwrap();
    assert!(h.quoted);
    assert_eq!(h.body.static_value().unwrap(), "#!/bin/sh\nexec \"$@\"\n");
    assert_eq!(p.commands().len(), 2);

    // `<<-` strips leading tabs from the body and the terminator.
    let src = "if true; then\n\tcat <<-END\n\t\tindented $x\n\tEND\nfi";
    let p = ok(src);
    let h = p.commands()[1].command.redirects[0]
        .heredoc
        .clone()
        .unwrap();
    assert!(h.strip_tabs);
    let text: String = h
        .body
        .parts
        .iter()
        .map(|p| match p {
            WordPart::Literal { text, .. } => text.clone(),
            WordPart::Param(p) => format!("${}", p.name),
            _ => String::new(),
        })
        .collect();
    assert_eq!(text, "indented $x\n");
    assert_eq!(h.terminator.unwrap().slice(src), "END");

    // Two here-documents on one line, bodies in order.
    let src = "cat <<A; cat <<\"B\"\none\nA\ntwo\nB\necho done";
    let p = ok(src);
    let bodies: Vec<String> = p
        .commands()
        .iter()
        .filter_map(|c| c.command.redirects.first())
        .map(|r| r.heredoc.as_ref().unwrap().body.span.slice(src).to_string())
        .collect();
    assert_eq!(bodies, ["one\n", "two\n"]);
    assert_eq!(p.commands().last().unwrap().name().unwrap(), "echo");

    // A body inside a command substitution, and a pipeline after the operator.
    let p = ok("x=$(cat <<EOF\ninside\nEOF\n)\necho \"$x\"");
    assert_eq!(p.commands().len(), 3);
    let p = ok("cat <<EOF | grep -v '^#' > /etc/x\n# c\nline\nEOF");
    assert!(p.commands()[0].in_pipeline());
    // A continuation line cannot be the terminator; a quoted body keeps its backslashes.
    let src = "cat <<EOF\nline \\\nEOF\nstill body\nEOF\n";
    let p = ok(src);
    let h = p.commands()[0].command.redirects[0]
        .heredoc
        .clone()
        .unwrap();
    assert_eq!(h.body.span.slice(src), "line \\\nEOF\nstill body\n");
    // CRLF bodies.
    let p = ok("cat <<EOF\r\nx\r\nEOF\r\necho y\r\n");
    assert_eq!(p.commands().len(), 2);
}

#[test]
fn heredoc_without_body_is_the_dockerfile_case() {
    // `RUN python3 <<EOF` gives the shell `python3 <<EOF`; BuildKit keeps the body apart.
    let src = "python3 <<EOF";
    let p = ok(src);
    let h = p.commands()[0].command.redirects[0]
        .heredoc
        .clone()
        .unwrap();
    assert!(h.missing);
    assert_eq!(h.delimiter, "EOF");
    assert!(h.terminator.is_none());
    ok("<<EOF");
    ok("<<EOF bash -ex");
    ok("cat <<A <<-B >/x");
    // A body that starts but never ends is an error, reported at the operator.
    let src = "cat <<EOF\nno end";
    let p = parse(src);
    assert_eq!(error_slices(src, &p), [(ErrorKind::Unterminated, "<<")]);
}

#[test]
fn here_string_and_redirections() {
    let src = "cat <<< \"$CONTENT\" >> /etc/x 2>&1; cmd &> /dev/null; cmd2 &>>log 3<>/f 4<&- >|clob 2> err < in";
    let p = ok(src);
    let mut all = Vec::new();
    for c in p.commands() {
        for r in &c.command.redirects {
            all.push((
                r.fd,
                r.op,
                r.op_span.slice(src),
                r.target.span.slice(src),
                r.span.slice(src),
            ));
        }
    }
    assert_eq!(
        all,
        [
            (
                None,
                RedirectOp::HereString,
                "<<<",
                "\"$CONTENT\"",
                "<<< \"$CONTENT\""
            ),
            (None, RedirectOp::Append, ">>", "/etc/x", ">> /etc/x"),
            (Some(2), RedirectOp::DupWrite, ">&", "1", "2>&1"),
            (
                None,
                RedirectOp::WriteAll,
                "&>",
                "/dev/null",
                "&> /dev/null"
            ),
            (None, RedirectOp::AppendAll, "&>>", "log", "&>>log"),
            (Some(3), RedirectOp::ReadWrite, "<>", "/f", "3<>/f"),
            (Some(4), RedirectOp::DupRead, "<&", "-", "4<&-"),
            (None, RedirectOp::Clobber, ">|", "clob", ">|clob"),
            (Some(2), RedirectOp::Write, ">", "err", "2> err"),
            (None, RedirectOp::Read, "<", "in", "< in"),
        ]
    );
    // Redirections anywhere in the command; words stay in order.
    assert_eq!(values("echo a>b<c d"), [vec!["echo", "a", "d"]]);
    // A redirection alone is a command.
    let p = ok("> /tmp/empty");
    assert!(p.commands()[0].command.words.is_empty());
    // Digits not touching the operator are a word.
    assert_eq!(values("echo 2 >x"), [vec!["echo", "2"]]);
}

#[test]
fn pipelines_negation_background() {
    let src = "curl -fsSL https://x/install.sh | bash -s -- -y |& tee log; ! grep -q x f && sleep 1 & wait";
    let p = ok(src);
    let pipe = &p.script.items[0].and_or.pipelines[0];
    assert_eq!(pipe.commands.len(), 3);
    assert_eq!(pipe.pipes[0].0, PipeOp::Pipe);
    assert_eq!(pipe.pipes[1].0, PipeOp::PipeAll);
    assert_eq!(pipe.pipes[1].1.slice(src), "|&");
    assert_eq!(
        pipe.span.slice(src),
        "curl -fsSL https://x/install.sh | bash -s -- -y |& tee log"
    );
    let second = &p.script.items[1];
    assert_eq!(second.separator, Some(Separator::Amp));
    assert_eq!(second.and_or.pipelines[0].bang.unwrap().slice(src), "!");
    assert_eq!(second.and_or.pipelines[0].span.slice(src), "! grep -q x f");
    let cmds = p.commands();
    assert!(cmds[3].negated());
    assert!(cmds[4].in_subshell(), "backgrounded");
    assert_eq!(cmds[5].name().unwrap(), "wait");
}

#[test]
fn subshells_and_groups() {
    let src = "(cd /src && make) && { echo built; echo ok; } > /log 2>&1";
    let p = ok(src);
    let and_or = &p.script.items[0].and_or;
    let Command::Compound(sub) = &and_or.pipelines[0].commands[0] else {
        panic!()
    };
    assert!(matches!(sub.kind, CompoundKind::Subshell(_)));
    assert_eq!(sub.span.slice(src), "(cd /src && make)");
    let Command::Compound(group) = &and_or.pipelines[1].commands[0] else {
        panic!()
    };
    let CompoundKind::Brace(list) = &group.kind else {
        panic!()
    };
    assert_eq!(list.items.len(), 2);
    assert_eq!(group.redirects.len(), 2);
    assert_eq!(
        group.span.slice(src),
        "{ echo built; echo ok; } > /log 2>&1"
    );
    let cmds = p.commands();
    assert_eq!(cmds[0].enclosing, [Enclosing::Subshell]);
    assert_eq!(cmds[2].enclosing, [Enclosing::BraceGroup]);
    ok("{ echo a\n}");
    ok("{ echo a; }; { echo b; }");
    ok("[ -n \"$x\" ] && { echo a; echo b; } || echo c");
}

#[test]
fn function_definitions() {
    let src = "retry() { for i in 1 2 3; do \"$@\" && return 0; sleep 5; done; return 1; }; retry apt-get update";
    let p = ok(src);
    let Command::Function(f) = &p.script.items[0].and_or.pipelines[0].commands[0] else {
        panic!()
    };
    assert_eq!(f.name, "retry");
    assert_eq!(f.name_span.slice(src), "retry");
    assert!(f.span.slice(src).ends_with("return 1; }"));
    let cmds = p.commands();
    assert!(cmds[0].enclosing.contains(&Enclosing::Function));
    assert_eq!(cmds.last().unwrap().name().unwrap(), "retry");
    ok("function g { echo hi; }");
    ok("function h() { echo hi; }");
    ok("f2 ()\n{\n  local x=1\n  return 0\n}");
    ok("f() ( echo subshell body )");
}

#[test]
fn double_bracket_tests() {
    let src = r#"[[ -f /x && ( $a == b* || $c =~ ^(d|e)$ ) ]] && echo y"#;
    let p = ok(src);
    let and_or = &p.script.items[0].and_or;
    assert_eq!(
        and_or.pipelines.len(),
        2,
        "`&&` inside [[ ]] is not an and-or"
    );
    let Command::Compound(c) = &and_or.pipelines[0].commands[0] else {
        panic!()
    };
    let CompoundKind::Test(words) = &c.kind else {
        panic!()
    };
    let text: Vec<&str> = words.iter().map(|w| w.span.slice(src)).collect();
    assert_eq!(
        text,
        ["-f", "/x", "&&", "(", "$a", "==", "b*", "||", "$c", "=~", "^(d|e)$", ")"]
    );
    ok("[[ $a < $b ]]");
    ok("[[ ! -f x ]]");
    ok("[[ $x =~ [0-9]+ ]]");
    ok("if [[ \"$x\" == *.tar.gz ]]; then echo; fi");
    // `[` is an ordinary command.
    assert_eq!(
        values("[ -d /x ] || mkdir /x"),
        [vec!["[", "-d", "/x", "]"], vec!["mkdir", "/x"]]
    );
}

#[test]
fn assignments() {
    let src = "DEBIAN_FRONTEND=noninteractive TZ=\"Etc/UTC\" apt-get install -y tzdata";
    let p = ok(src);
    let c = first_simple(&p);
    assert_eq!(c.assignments.len(), 2);
    assert_eq!(c.assignments[0].name, "DEBIAN_FRONTEND");
    assert_eq!(
        c.assignments[0].value.static_value().unwrap(),
        "noninteractive"
    );
    assert_eq!(c.assignments[1].value.span.slice(src), "\"Etc/UTC\"");
    assert_eq!(c.assignments[1].span.slice(src), "TZ=\"Etc/UTC\"");
    assert_eq!(c.name().unwrap().span.slice(src), "apt-get");

    let src = "arr=(a \"b c\" $(ls)) x+=1 a[0]=z empty=";
    let p = ok(src);
    let c = first_simple(&p);
    assert!(c.words.is_empty());
    let WordPart::Array { words, span } = &c.assignments[0].value.parts[0] else {
        panic!()
    };
    assert_eq!(span.slice(src), "(a \"b c\" $(ls))");
    assert_eq!(words.len(), 3);
    assert!(c.assignments[1].append);
    assert_eq!(c.assignments[2].subscript.as_deref(), Some("0"));
    assert_eq!(c.assignments[3].value.static_value().unwrap(), "");
    assert_eq!(p.commands().len(), 2, "the ls inside the array");

    // Declaration builtins: arguments are words that split as assignments.
    let src = "export PATH=\"/opt/bin:$PATH\" LANG=C.UTF-8; local v=(1 2); declare -a a=(x y); readonly R";
    let p = ok(src);
    let cmds = p.commands();
    let export = cmds[0].command;
    assert_eq!(export.words[1].span.slice(src), "PATH=\"/opt/bin:$PATH\"");
    let a = export.words[1].as_assignment().unwrap();
    assert_eq!(
        (a.name.as_str(), a.value.span.slice(src)),
        ("PATH", "\"/opt/bin:$PATH\"")
    );
    let b = export.words[2].as_assignment().unwrap();
    assert_eq!(b.value.static_value().unwrap(), "C.UTF-8");
    assert_eq!(b.name_span.slice(src), "LANG");
    let local = cmds[1].command;
    let v = local.words[1].as_assignment().unwrap();
    assert!(matches!(v.value.parts[0], WordPart::Array { .. }));
    assert!(cmds[3].command.words[1].as_assignment().is_none());
    // Not an assignment once the command name has been seen.
    let p = ok("echo A=1");
    assert!(first_simple(&p).assignments.is_empty());
    // `=` in later words of an ordinary command is literal.
    assert_eq!(
        values("env A=1 B=2 cmd"),
        [vec!["env", "A=1", "B=2", "cmd"]]
    );
}

#[test]
fn quoting_edge_cases() {
    let cases: &[(&str, Option<&str>, bool, bool)] = &[
        // (word, static value, has_quotes, has_expansion)
        ("'it'\\''s'", Some("it's"), true, false),
        ("\"a\"b'c'", Some("abc"), true, false),
        ("\\$HOME", Some("$HOME"), true, false),
        ("\"$x\"", None, true, true),
        ("$'a\\tb\\x41\\u00e9'", Some("a\tbAé"), true, false),
        ("\"\\$x \\\" \\\\ \\a\"", Some("$x \" \\ \\a"), true, false),
        ("a\\ b", Some("a b"), true, false),
        ("\"\"", Some(""), true, false),
        ("''", Some(""), true, false),
        ("$", Some("$"), false, false),
        ("\"$\"", Some("$"), true, false),
        ("a#b", Some("a#b"), false, false),
        ("~/x", Some("~/x"), false, false),
        ("pre${x}post", None, false, true),
        ("$\"locale\"", Some("locale"), true, false),
        ("\"multi\nline\"", Some("multi\nline"), true, false),
    ];
    for (src, value, quotes, expansion) in cases {
        let full = format!("echo {src}");
        let w = only_word(&full);
        assert_eq!(w.static_value().as_deref(), *value, "{src}");
        assert_eq!(w.has_quotes(), *quotes, "{src}");
        assert_eq!(w.has_expansion(), *expansion, "{src}");
        assert_eq!(w.span.slice(&full), *src);
    }
    // Escaped characters are their own parts (SC1001 needs them).
    let w = only_word("echo a\\o");
    assert!(matches!(&w.parts[1], WordPart::Escaped { text, .. } if text == "o"));
    // A quoted glob is not a glob.
    assert!(!only_word("echo \"*.txt\"").has_glob());
    assert!(only_word("echo *.txt").has_glob());
    assert!(only_word("echo [abc]?").has_glob());
    assert!(!only_word("echo [").has_glob());
    // Brace expansion is reported, not expanded.
    assert!(only_word("echo /a/{b,c}/d").has_brace_expansion());
    assert!(only_word("echo {1..3}").has_brace_expansion());
    assert!(!only_word("echo {}").has_brace_expansion());
    assert!(!only_word("echo '{a,b}'").has_brace_expansion());
    // Line continuations vanish from words.
    let src = "ec\\\nho a\\\nb";
    assert_eq!(values(src), [vec!["echo", "ab"]]);
}

#[test]
fn comments() {
    let src = "# install\napt-get update # refresh\necho a#b '#' \"#\" # tail ) ; |\n  # indented\necho done";
    let p = ok(src);
    let texts: Vec<&str> = p.comments.iter().map(|s| s.slice(src)).collect();
    assert_eq!(
        texts,
        ["# install", "# refresh", "# tail ) ; |", "# indented"]
    );
    assert_eq!(
        values(src),
        [
            vec!["apt-get", "update"],
            vec!["echo", "a#b", "#", "#"],
            vec!["echo", "done"]
        ]
    );
    ok("echo a; # comment ; echo b");
    ok("for i in 1 2 # comment\ndo :; done");
    ok("if true; then # why\n  :\nfi # end");
}

#[test]
fn newlines_and_linebreaks_after_operators() {
    let p = ok("echo a &&\n  echo b ||\n\n  echo c |\n  cat");
    assert_eq!(p.script.items.len(), 1);
    assert_eq!(p.commands().len(), 4);
    let p = ok("\n\n  echo a\n\n\necho b\n\n");
    assert_eq!(p.script.items.len(), 2);
    assert_eq!(p.script.items[0].separator, Some(Separator::Newline));
}

#[test]
fn unicode_and_crlf() {
    let src = "echo \"héllo\" wörld — ✓";
    let w = words(src);
    assert_eq!(w, [vec!["echo", "\"héllo\"", "wörld", "—", "✓"]]);
    let src = "echo a\r\necho b\r\n";
    assert_eq!(values(src), [vec!["echo", "a"], vec!["echo", "b"]]);
}

#[test]
fn process_substitution() {
    let src = "diff <(sort a) <(sort b) && tee >(gzip > x.gz) < in > /dev/null";
    let p = ok(src);
    let names: Vec<_> = p.commands().iter().map(|c| c.name().unwrap()).collect();
    assert_eq!(names, ["diff", "sort", "sort", "tee", "gzip"]);
    let diff = p.commands()[0].command;
    assert_eq!(diff.words[1].span.slice(src), "<(sort a)");
    assert!(matches!(
        diff.words[1].parts[0],
        WordPart::ProcessSubst { output: false, .. }
    ));
    assert_eq!(p.commands()[1].enclosing, [Enclosing::ProcessSubstitution]);
    ok("echo a > >(cat)");
}

// ----- errors -----------------------------------------------------------------------------------

#[test]
fn syntax_errors_have_precise_spans() {
    let cases: &[(&str, &[(ErrorKind, &str)])] = &[
        ("echo \"unterminated", &[(ErrorKind::Unterminated, "\"")]),
        ("echo 'unterminated", &[(ErrorKind::Unterminated, "'")]),
        ("echo $(date", &[(ErrorKind::Unterminated, "$(")]),
        ("echo ${x", &[(ErrorKind::Unterminated, "${")]),
        ("echo `date", &[(ErrorKind::Unterminated, "`")]),
        ("echo $((1+2)", &[(ErrorKind::Unterminated, "$(")]),
        ("if true; then echo", &[(ErrorKind::Missing, "if")]),
        ("while true; do :", &[(ErrorKind::Missing, "while")]),
        ("for x in a b", &[(ErrorKind::Missing, "for")]),
        ("case x in a) :;;", &[(ErrorKind::Missing, "case")]),
        ("{ echo a; ", &[(ErrorKind::Missing, "{")]),
        ("(echo a", &[(ErrorKind::Missing, "(")]),
        ("[[ -f x ", &[(ErrorKind::Missing, "[[")]),
        ("fi", &[(ErrorKind::Unexpected, "fi")]),
        ("echo a; done", &[(ErrorKind::Unexpected, "done")]),
        ("echo a;;", &[(ErrorKind::Unexpected, ";;")]),
        ("echo )", &[(ErrorKind::Unexpected, ")")]),
        ("| echo", &[(ErrorKind::Unexpected, "|")]),
        ("echo &&", &[(ErrorKind::Missing, "&&")]),
        ("echo a |", &[(ErrorKind::Missing, "|")]),
        (
            "a && || b",
            &[(ErrorKind::Missing, "&&"), (ErrorKind::Unexpected, "||")],
        ),
        ("echo >", &[(ErrorKind::Missing, ">")]),
        ("echo ${}", &[(ErrorKind::BadSubstitution, "${}")]),
        ("if true; then fi", &[(ErrorKind::Missing, "")]),
        ("f() echo hi", &[(ErrorKind::Missing, "echo hi")]),
        ("{ echo a }", &[(ErrorKind::Missing, "{")]),
    ];
    for (src, want) in cases {
        let p = parse(src);
        assert_eq!(error_slices(src, &p), *want, "{src:?}: {:?}", p.errors);
    }
}

#[test]
fn errors_do_not_stop_parsing() {
    let src = "fi; apt-get install -y curl && echo \"done";
    let p = parse(src);
    assert_eq!(p.errors.len(), 2);
    let names: Vec<_> = p.commands().iter().map(|c| c.name().unwrap()).collect();
    assert_eq!(names, ["apt-get", "echo"]);
    assert_eq!(
        p.commands()[0].command.span.slice(src),
        "apt-get install -y curl"
    );

    let src = "if true; then\n  apt-get update\n# missing fi\nRUN_NEXT=1 pip install x";
    let p = parse(src);
    assert_eq!(p.errors.len(), 1);
    assert_eq!(p.commands().len(), 3);
}
