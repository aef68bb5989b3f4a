//! Hostile and malformed input: no panic, no stack overflow, spans always valid.
#![allow(clippy::unwrap_used, clippy::panic)]

use layerlab_shell::*;

/// Checks every span the walk reaches (and every error span) against the source.
fn check_spans(src: &str, p: &Parse) {
    struct Check<'s> {
        src: &'s str,
    }
    impl Check<'_> {
        fn span(&self, span: Span, what: &str) {
            assert!(
                span.start <= span.end && span.end <= self.src.len(),
                "{what} span {span:?} out of bounds in {:?}",
                self.src
            );
            assert!(
                self.src.is_char_boundary(span.start) && self.src.is_char_boundary(span.end),
                "{what} span {span:?} splits a character in {:?}",
                self.src
            );
        }
    }
    impl<'a> Visitor<'a> for Check<'_> {
        fn command(&mut self, info: &CommandInfo<'a>) {
            self.span(info.command.span, "command");
            self.span(info.pipeline.span, "pipeline");
            self.span(info.and_or.span, "and-or");
            for a in &info.command.assignments {
                self.span(a.span, "assignment");
                self.span(a.name_span, "assignment name");
            }
        }
        fn word(&mut self, word: &'a Word, _: WordRole, _: &[Enclosing]) {
            self.span(word.span, "word");
            for part in &word.parts {
                self.span(part.span(), "word part");
            }
            let _ = word.static_value();
            let _ = word
                .as_assignment()
                .map(|a| self.span(a.name_span, "split name"));
        }
        fn redirect(&mut self, r: &'a Redirect, _: &[Enclosing]) {
            self.span(r.span, "redirect");
            self.span(r.op_span, "redirect op");
            if let Some(h) = &r.heredoc {
                if let Some(t) = h.terminator {
                    self.span(t, "terminator");
                }
            }
        }
    }
    for e in &p.errors {
        Check { src }.span(e.span, "error");
    }
    for c in &p.comments {
        Check { src }.span(*c, "comment");
    }
    walk(&p.script, ShellOptions::default(), &mut Check { src });
    for c in p.commands() {
        let v = c.effective();
        let _ = v.has_flag(Some('y'), Some("yes"));
        let _ = v.parse_args(&ArgSpec::new("tof", &["target-release", "file"]));
    }
}

fn parse_checked(src: &str) -> Parse {
    let p = parse(src);
    check_spans(src, &p);
    p
}

/// Runs `f` on a thread with a 1 MiB stack (the default stack of a wasm module).
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn ten_thousand_nested_constructs_stop_with_an_error() {
    on_small_stack(|| {
        let kinds: &[(&str, &str)] = &[
            ("echo $(", ")"),
            ("echo \"$(", ")\""),
            ("( ", ")"),
            ("{ :; ", "; }"),
            ("if true; then :; ", "; fi"),
            ("while $(", ") do :; done"),
            ("for i in 1; do ", "; done"),
            ("case x in x) ", ";; esac"),
            ("f() { :; ", "; }"),
            ("${x:-", "}"),
            ("$((", "))"),
            ("echo $((1+$(", ")))"),
            ("[[ $(", ") ]]"),
            ("cat <(", ")"),
            ("a=($(", "))"),
            ("echo \"${x:-$(", ")}\""),
            ("cat <<E\n$(", "\nE\n)"),
        ];
        for (open, close) in kinds {
            let src = format!("{}{}", open.repeat(10_000), close.repeat(10_000));
            let p = parse_checked(&src);
            assert!(
                p.errors.iter().any(|e| e.kind == ErrorKind::TooDeep),
                "{open:?}: {:?}",
                p.errors.first()
            );
            // Unclosed openers only.
            let src = open.repeat(10_000);
            let p = parse_checked(&src);
            assert!(!p.errors.is_empty(), "{open:?}");
        }
        // Backquotes nest by escaping: 14 levels is 32 KB of backslashes.
        let mut src = String::from("x");
        for _ in 0..14 {
            src = format!("`echo {}`", src.replace('\\', "\\\\").replace('`', "\\`"));
        }
        let p = parse_checked(&src);
        assert!(p.errors.is_empty());
        assert_eq!(p.commands().len(), 15);
        // Plain nesting within the limit parses cleanly.
        let src = format!("{}x{}", "echo $(".repeat(30), ")".repeat(30));
        let p = parse_checked(&src);
        assert!(p.errors.is_empty());
        assert_eq!(p.commands().len(), 31);
    });
}

/// A small deterministic generator (no dependencies).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn random_garbage_never_panics() {
    const PIECES: &[&str] = &[
        " ", "\n", "\t", "\\", "\\\n", "'", "\"", "`", "$", "${", "}", "$(", "$((", "((", "))",
        "(", ")", "{", ";", ";;", "&", "&&", "|", "||", "|&", "<", ">", ">>", "<<", "<<-", "<<<",
        "&>", "2>&1", "#", "*", "?", "[", "]", "[[", "]]", "=", "+=", "!", "~", "if", "then",
        "elif", "else", "fi", "for", "in", "do", "done", "while", "until", "case", "esac",
        "function", "f()", "EOF", "a", "x=", "é", "✓", "\r\n", ":-", "#", "%", "/", "@", "$'",
        "\\'", "<(", ">(", "E", "\nEOF\n", "set", "-e", "-o", "pipefail",
    ];
    let mut rng = Lcg(0x5eed);
    for _ in 0..4000 {
        let len = (rng.next() % 60) as usize;
        let src: String = (0..len)
            .map(|_| PIECES[(rng.next() as usize) % PIECES.len()])
            .collect();
        parse_checked(&src);
    }
}

#[test]
fn every_truncation_and_deletion_of_a_real_script_parses() {
    let script = "set -eux; \\\n  apt-get update && apt-get install -y --no-install-recommends \"$PKG\" 'b c' \\\n  && if [ \"$(uname -m)\" = x86_64 ]; then ARCH=amd64; else ARCH=`dpkg --print-architecture`; fi \\\n  && for f in /etc/*.conf; do case \"$f\" in *.d) :;; *) echo ${f%.conf} ;; esac; done \\\n  && cat <<-EOF > /x\n\tline $((1+2)) ${A:-$(date)}\n\tEOF\n  { [[ -n $x && $y =~ ^(a|b)$ ]] || (( i++ )); } 2>&1 | tee -a /log; f() { echo é✓; }; diff <(a) >(b)";
    let mut cut = 0;
    while cut <= script.len() {
        if script.is_char_boundary(cut) {
            parse_checked(&script[..cut]);
            parse_checked(&script[cut..]);
            // Remove one character.
            if let Some(c) = script[cut..].chars().next() {
                let mut s = String::from(&script[..cut]);
                s.push_str(&script[cut + c.len_utf8()..]);
                parse_checked(&s);
            }
        }
        cut += 1;
    }
    assert!(parse_checked(script).errors.is_empty());
}

#[test]
fn large_input_parses_in_linear_time() {
    // About 1.5 MB; anything quadratic would not finish.
    let line = "apt-get install -y \"pkg-$V\" $(echo x) && rm -rf /var/lib/apt/lists/* || exit 1\n";
    let src = line.repeat(20_000);
    let p = parse(&src);
    assert!(p.errors.is_empty());
    assert_eq!(p.commands().len(), 80_000);
    // One very long word and one very long quoted string.
    let src = format!("echo {} \"{}\"", "a".repeat(500_000), "b".repeat(500_000));
    assert!(parse(&src).errors.is_empty());
    // Many unterminated openers in sequence.
    let src = "echo \"$( ".repeat(2000);
    let _ = parse(&src);
    let src = "`".repeat(100_001);
    let _ = parse(&src);
}

#[test]
fn errors_are_capped() {
    let src = "fi\n".repeat(5000);
    let p = parse(&src);
    assert_eq!(p.errors.len(), MAX_ERRORS + 1);
    assert!(p.errors.last().unwrap().message.contains("more than"));
}

#[test]
fn nested_heredoc_bodies_are_bounded() {
    // Each here-document body holds a command substitution with another here-document.
    let n = 20;
    let mut src = String::new();
    for _ in 0..n {
        src.push_str("cat <<E\n$(");
    }
    for _ in 0..n {
        src.push_str("\nE\n)");
    }
    let p = parse_checked(&src);
    assert!(p.errors.iter().any(|e| e.kind == ErrorKind::TooDeep));
    // Realistic nesting is parsed.
    let p = parse_checked("cat <<A\n$(cat <<B\ninner $(date)\nB\n)\nA\n");
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let names: Vec<_> = p.commands().iter().map(|c| c.name().unwrap()).collect();
    assert_eq!(names, ["cat", "cat", "date"]);
}
