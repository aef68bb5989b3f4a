//! BuildKit `UndefinedVar`: variables should be declared before they are used.
//!
//! **What** — a `$VAR` that BuildKit expands (ENV, ARG defaults, LABEL, COPY/ADD sources,
//! destinations, `--chown`/`--chmod`/`--checksum`, unquoted COPY/ADD heredoc bodies, WORKDIR,
//! USER, VOLUME, STOPSIGNAL, `RUN --mount` options) that is not declared at that point: not an
//! `ENV` or `ARG` earlier in the stage or in a stage it is built FROM. A global ARG counts only
//! once the stage redeclares it (`ARG NAME`), and so do the built-in platform ARGs
//! (`TARGETARCH`, …): without the redeclaration they expand to an empty string, in BuildKit as
//! here. The message suggests a declared name within two edits (not for `$1`, `$@` and the
//! like, where BuildKit's suggestion is noise). Shell-form `RUN`, `CMD` and
//! `ENTRYPOINT` are never checked (the shell expands those, at run time), nor EXPOSE (BuildKit
//! does not check it), nor ONBUILD (its instructions run in another build).
//!
//! **The base image's environment.** BuildKit also accepts any variable the base image's
//! configuration sets (`ENV` in its Dockerfile); that configuration is not available to a static
//! linter. So:
//! - in a stage whose chain of parents starts at `scratch`, every undeclared variable is reported
//!   (BuildKit's own `PATH` aside), exactly like BuildKit;
//! - in a stage built on an image, a variable is reported only when it cannot plausibly come
//!   from that image: its name has a lower-case letter or is not a name at all (`$foo`, `$1`,
//!   `$@` — image variables are upper-case by convention); it is one edit or one swap away
//!   from a declared name (a typo: `$PAHT`); or this Dockerfile declares it where it is not in
//!   scope here — an ARG anywhere (a global ARG not redeclared in the stage, an ARG used before
//!   its declaration or in another stage) or an ENV in a stage built on a different image. The
//!   last two do not apply to variables the official images set (`NODE_VERSION`,
//!   `PYTHON_VERSION`, `JAVA_HOME`, …). An ENV on the same image is no evidence: it may repeat
//!   what the image sets, and `ENV X=${X:-default}` or
//!   `ENV LD_LIBRARY_PATH=$LD_LIBRARY_PATH:/opt/lib` read the image's value on purpose.
//!
//! The proxy build arguments (`HTTP_PROXY`, `no_proxy`, …) are predefined and never reported.
//!
//! **Why** — an undeclared variable silently expands to an empty string: `COPY $SRC /app/`
//! copies the whole context, `LABEL version=$VERSION` labels nothing.
//!
//! **Bad** — `ARG VERSION=1.0` / `FROM alpine:3.20` / `LABEL version=$VERSION` ·
//! **Good** — the same with `ARG VERSION` inside the stage
//!
//! **Fix** — none: whether to declare the variable or fix its name is a decision.

use std::collections::HashMap;

use layerlab_syntax::expansion::{expandables, Mode, Scope};
use layerlab_syntax::shell::Lex;
use layerlab_syntax::Keyword;

use crate::buildkit::{
    locate, reference_span, stage_roots, suggest, walk_stages, Root, StageState, NON_ENV_ARGS,
    PROXY_ARGS,
};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct UndefinedVar;

static META: RuleMeta = RuleMeta {
    code: "UndefinedVar",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Variables should be defined before their use",
    bad: "ARG VERSION=1.0\nFROM alpine:3.20\nLABEL version=$VERSION\n",
    good: "ARG VERSION=1.0\nFROM alpine:3.20\nARG VERSION\nLABEL version=$VERSION\n",
    fixable: false,
};

/// Variables the official Docker images set in their configuration.
const IMAGE_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "TZ",
    "GPG_KEY",
    "NODE_VERSION",
    "YARN_VERSION",
    "NPM_CONFIG_PREFIX",
    "PYTHON_VERSION",
    "PYTHON_SHA256",
    "PYTHON_PIP_VERSION",
    "PYTHON_SETUPTOOLS_VERSION",
    "PYTHON_GET_PIP_URL",
    "PYTHON_GET_PIP_SHA256",
    "GOLANG_VERSION",
    "GOPATH",
    "GOTOOLCHAIN",
    "JAVA_HOME",
    "JAVA_VERSION",
    "JDK_VERSION",
    "MAVEN_HOME",
    "MAVEN_CONFIG",
    "GRADLE_HOME",
    "GRADLE_VERSION",
    "RUBY_VERSION",
    "RUBY_MAJOR",
    "RUBY_DOWNLOAD_SHA256",
    "GEM_HOME",
    "BUNDLE_APP_CONFIG",
    "BUNDLE_SILENCE_ROOT_WARNING",
    "PHP_VERSION",
    "PHP_INI_DIR",
    "PHPIZE_DEPS",
    "RUSTUP_HOME",
    "CARGO_HOME",
    "RUST_VERSION",
    "DOTNET_VERSION",
    "ASPNET_VERSION",
    "ASPNETCORE_HTTP_PORTS",
    "NGINX_VERSION",
    "NJS_VERSION",
    "PKG_RELEASE",
    "HTTPD_VERSION",
    "HTTPD_PREFIX",
    "REDIS_VERSION",
    "PG_MAJOR",
    "PG_VERSION",
    "PGDATA",
    "MYSQL_MAJOR",
    "MYSQL_VERSION",
    "MONGO_VERSION",
    "ERLANG_VERSION",
    "ELIXIR_VERSION",
    "PERL_VERSION",
    "DEBIAN_FRONTEND",
];

/// What the rest of the file declares: evidence that a name is the Dockerfile's own.
struct Declarations {
    /// Names any ARG declares (global or in a stage), with the instructions' indices.
    args: HashMap<String, Vec<usize>>,
    /// Names each ENV declares, with the image its stage's chain starts from and the
    /// instruction's index.
    envs: HashMap<String, Vec<(String, usize)>>,
}

impl Declarations {
    fn new(cx: &Context<'_>) -> Declarations {
        let roots = stage_roots(cx);
        let mut args: HashMap<String, Vec<usize>> = HashMap::new();
        let mut envs: HashMap<String, Vec<(String, usize)>> = HashMap::new();
        for (index, instruction) in cx.instructions.iter().enumerate() {
            match instruction.kind {
                Keyword::Arg => {
                    for word in &instruction.args {
                        let name = word.value.split_once('=').map_or(&*word.value, |(n, _)| n);
                        args.entry(name.to_owned()).or_default().push(index);
                    }
                }
                Keyword::Env => {
                    let root = cx
                        .stage_of
                        .get(index)
                        .copied()
                        .flatten()
                        .and_then(|s| roots.get(s))
                        .cloned()
                        .unwrap_or_default();
                    for triple in instruction.args.chunks(3) {
                        if let Some(key) = triple.first() {
                            envs.entry(key.value.clone())
                                .or_default()
                                .push((root.clone(), index));
                        }
                    }
                }
                _ => {}
            }
        }
        Declarations { args, envs }
    }

    /// The file declares `name` where it is not in scope for instruction `at` in a stage
    /// starting from `root`: any other ARG, or an ENV in a stage built on another image (an ENV
    /// on the same image may just repeat what that image sets). The instruction's own
    /// declarations do not count: `ENV X=${X:-default}` reads the image's value on purpose.
    fn declares_elsewhere(&self, name: &str, root: &str, at: usize) -> bool {
        self.args
            .get(name)
            .is_some_and(|at_list| at_list.iter().any(|i| *i != at))
            || self
                .envs
                .get(name)
                .is_some_and(|list| list.iter().any(|(r, i)| r != root && *i != at))
    }
}

/// Whether an undeclared `name` in `state` is worth reporting (see the module documentation).
fn reportable(
    name: &str,
    state: &StageState,
    (root, at): (&str, usize),
    declarations: &Declarations,
    suggestion: Option<&str>,
) -> bool {
    if PROXY_ARGS.contains(&name) || NON_ENV_ARGS.contains(&name) {
        return false;
    }
    if state.root == Root::Scratch {
        return true;
    }
    let not_a_name = !name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    if not_a_name || name.chars().any(|c| c.is_lowercase()) {
        return true;
    }
    let typo = suggestion.is_some_and(|s| one_edit_apart(name, s));
    (typo || declarations.declares_elsewhere(name, root, at)) && !IMAGE_ENV.contains(&name)
}

/// One insertion, deletion, substitution or swap of neighbours apart (`PAHT` / `PATH`): a typo
/// rather than a different variable of the same family (`DOMAIN_HOME` / `DOMAIN_NAME`).
fn one_edit_apart(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match (ra.len(), rb.len()) {
        (0, 0) => true,
        (x, y) if x == y + 1 => ra[1..] == *rb,
        (x, y) if y == x + 1 => rb[1..] == *ra,
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        _ => false,
    }
}

impl Rule for UndefinedVar {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let declarations = Declarations::new(cx);
        let roots = stage_roots(cx);
        let escape = cx.parse.dockerfile.escape;
        let lex = Lex::new(escape);
        let mut heredoc_lex = Lex::new('\\');
        heredoc_lex.skip_process_quotes = true;
        walk_stages(cx, |stage, index, instruction, state| {
            let root = roots.get(stage.index).map_or("", String::as_str);
            let pieces = expandables(instruction);
            // The words of one ARG are processed in order: later defaults see earlier names.
            let arg_names: Vec<&str> = if instruction.kind == Keyword::Arg {
                instruction
                    .args
                    .iter()
                    .map(|w| w.value.split_once('=').map_or(&*w.value, |(n, _)| n))
                    .collect()
            } else {
                Vec::new()
            };
            let mut arg_index = 0;
            for piece in pieces {
                if piece.scope != Scope::Stage || piece.mode == Mode::Words {
                    continue;
                }
                if instruction.kind == Keyword::Arg {
                    // Find which word this default belongs to.
                    while arg_index + 1 < instruction.args.len()
                        && instruction.args[arg_index].span.end < piece.span.end
                    {
                        arg_index += 1;
                    }
                }
                // Names the same ARG declared in earlier words.
                let earlier = arg_names.get(..arg_index).unwrap_or_default();
                let heredoc = piece.mode == Mode::HeredocBody;
                let piece_lex = if heredoc { &heredoc_lex } else { &lex };
                let Some(expanded) = state.expand(piece_lex, piece.text) else {
                    continue;
                };
                if expanded.unmatched.is_empty() {
                    continue;
                }
                let options = state.suggestion_options();
                let at = locate(cx, piece.text, piece.span);
                for name in expanded
                    .unmatched
                    .iter()
                    .filter(|n| !earlier.contains(&n.as_str()))
                {
                    // `$1`, `$@`: no declared name is what was meant.
                    let is_name = name.starts_with(|c: char| c.is_alphabetic() || c == '_');
                    let suggestion = is_name
                        .then(|| {
                            suggest(
                                name,
                                options
                                    .iter()
                                    .map(String::as_str)
                                    .chain(earlier.iter().copied()),
                            )
                        })
                        .flatten();
                    if !reportable(
                        name,
                        state,
                        (root, index),
                        &declarations,
                        suggestion.as_deref(),
                    ) {
                        continue;
                    }
                    let mut message = format!("Usage of undefined variable '${name}'");
                    if let Some(suggestion) = suggestion {
                        message.push_str(&format!(" (did you mean ${suggestion}?)"));
                    }
                    let (piece_escape, quotes) = if heredoc {
                        ('\\', false)
                    } else {
                        (escape, true)
                    };
                    let span =
                        reference_span(piece.text, at, name, piece_escape, quotes, piece.span);
                    cx.report(&META, span, message);
                }
            }
        });
    }
}
