//! The public surface of `layerlab_syntax::shell`, as other crates use it.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashMap};

use layerlab_syntax::shell::{Env, Expansion, Lex, NoEnv, ShellError, MAX_NESTING};

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn every_environment_type_works_as_dyn_env() {
    let lex = Lex::new('\\');
    let list = pairs(&[("V", "old"), ("V", "new")]);
    let slice: &[(String, String)] = &list;
    let tree: BTreeMap<String, String> = list.iter().cloned().collect();
    let hash: HashMap<String, String> = list.iter().cloned().collect();
    let envs: [&dyn Env; 6] = [
        &list,
        &slice,
        &tree,
        &hash,
        &[("V", "new")],
        &[("V", "x"), ("V", "new")],
    ];
    for env in envs {
        assert_eq!(lex.process_word("${V}!", env).unwrap(), "new!");
    }
    assert_eq!(lex.process_word("${V:-unset}", &NoEnv).unwrap(), "unset");
}

#[test]
fn dockerfile_style_values() {
    let lex = Lex::new('\\');
    let env = pairs(&[("VERSION", "1.2.3"), ("FILE", "app.tar.gz"), ("EMPTY", "")]);
    assert_eq!(
        lex.process_word("/opt/app-${VERSION%.*}/${FILE%%.*}", &env)
            .unwrap(),
        "/opt/app-1.2/app"
    );
    assert_eq!(
        lex.process_words(r#"8080/tcp "$EMPTY" ${EMPTY:-9090}"#, &env)
            .unwrap(),
        vec!["8080/tcp".to_owned(), "9090".to_owned()]
    );
    let windows = Lex::new('`');
    assert_eq!(
        windows.process_word(r"C:\app\${VERSION}", &env).unwrap(),
        r"C:\app\1.2.3"
    );
}

#[test]
fn matches_and_errors() {
    let lex = Lex::new('\\');
    let env = pairs(&[("A", "1")]);
    let Expansion {
        result,
        matched,
        unmatched,
    } = lex.process_word_with_matches("$A$B", &env).unwrap();
    assert_eq!(result, "1");
    assert_eq!(matched.into_iter().collect::<Vec<_>>(), ["A"]);
    assert_eq!(unmatched.into_iter().collect::<Vec<_>>(), ["B"]);

    let err: ShellError = lex.process_word("x ${B:?needs a value}", &env).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"failed to process "x ${B:?needs a value}": B: needs a value"#
    );
    assert_eq!(err.offset, 2);

    let deep = format!(
        "{}{}",
        "${A:-".repeat(MAX_NESTING + 1),
        "}".repeat(MAX_NESTING + 1)
    );
    assert!(lex
        .process_word(&deep, &env)
        .unwrap_err()
        .message
        .ends_with("expansion nested too deeply"));
}

#[test]
fn multiplying_replacements_are_capped() {
    // Found by fuzzing: each level multiplies the length by 200 (1.6 GB at depth 4).
    let env = [("a", "x".repeat(200))];
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    let result = layerlab_syntax::shell::Lex::new('\\')
        .process_word("${a//x/${a//x/${a//x/${a//x/x}}}}", &env);
    let error = result.err().map(|e| e.message).unwrap_or_default();
    assert!(error.contains("expansion result too large"), "{error}");
}

#[test]
fn many_capped_replacements_in_one_word_are_capped_too() {
    // Found by reading the fuzzed code: each `${…}` is 8 MB, under the cap, but 100 of them
    // in one word made 800 MB (fuzz/README.md, finding 3). Also inside double quotes.
    let env: Vec<(String, String)> = vec![("a".to_owned(), "x".repeat(200))];
    let one = "${a//x/${a//x/${a//x/x}}}";
    for word in [one.repeat(100), format!("\"{}\"", one.repeat(100))] {
        let result = layerlab_syntax::shell::Lex::new('\\').process_word(&word, &env);
        let error = result.err().map(|e| e.message).unwrap_or_default();
        assert!(error.contains("expansion result too large"), "{error}");
    }
    // One such expansion on its own is still allowed.
    let single = layerlab_syntax::shell::Lex::new('\\').process_word(one, &env);
    assert_eq!(single.map(|s| s.len()).ok(), Some(200 * 200 * 200));
}
