//! What BuildKit's build checks share: the variables each instruction sees (a walk over the
//! stages that follows `dockerfile2llb`'s dispatch), the global ARGs FROM sees, "did you mean"
//! suggestions, Go's `%q` quoting and `path.Clean`, and where a `$VAR` sits in a word.
//!
//! BuildKit knows the base image's configuration (its `ENV`, `SHELL`, `WORKDIR`); a static
//! linter does not. [`Root`] records whether a stage's variables are fully known (the chain of
//! stages starts at `scratch`) or may include an external image's `ENV`; each check decides
//! what to do with that uncertainty and says so in its documentation.

use std::collections::{BTreeSet, HashMap};

use layerlab_syntax::shell::{Env, Lex};
use layerlab_syntax::{Instruction, Keyword, Span};

use crate::platform::Platform;
use crate::{Context, Stage, StageBase};

/// The ARGs BuildKit defines in the global scope (`defaultArgs`), with the values a
/// `linux/amd64` build gives them, and the predefined proxy args.
pub(crate) use layerlab_syntax::builtin_args::{PLATFORM_ARGS as BUILTIN_ARGS, PROXY_ARGS};

/// `TARGETSTAGE`, the last built-in: its value is the target stage's name.
pub(crate) const TARGET_STAGE: &str = "TARGETSTAGE";

/// ARGs BuildKit never puts in the environment (`nonEnvArgs`).
pub(crate) const NON_ENV_ARGS: [&str; 2] =
    ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// The `PATH` BuildKit sets when the image has none (`system.DefaultPathEnv("linux")`).
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Where a stage's chain of parents starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Root {
    /// `scratch`: the Dockerfile declares every variable there is (and BuildKit adds `PATH`).
    Scratch,
    /// An image (or a reference we cannot resolve): its `ENV`, `SHELL` and `WORKDIR` are unknown.
    External,
}

/// What a stage has declared so far.
#[derive(Clone, Debug)]
pub(crate) struct StageState {
    pub root: Root,
    /// Declared variables (the last declaration of a name).
    vars: HashMap<String, Var>,
    /// The names in the environment, in the order they entered it (suggestion candidates).
    options: Vec<String>,
    /// A `SHELL` instruction is in effect (from this stage or a parent stage).
    pub shell: bool,
    /// A `WORKDIR` instruction ran in this stage or a parent stage.
    pub workdir_set: bool,
}

/// A declared variable.
#[derive(Clone, Debug)]
struct Var {
    /// The value when the Dockerfile determines it (`ARG` defaults, `ENV`); `None` when it comes
    /// from outside (`--build-arg`, the base image, a built-in platform ARG).
    value: Option<String>,
    /// BuildKit puts it in the stage's environment (an `ARG` without any value does not).
    in_env: bool,
}

/// The result of expanding a word in a stage.
#[derive(Clone, Debug)]
pub(crate) struct Expanded {
    pub result: String,
    /// Referenced names the stage has not declared.
    pub unmatched: BTreeSet<String>,
    /// The result depends on a value the Dockerfile does not determine.
    pub unknown: bool,
}

impl StageState {
    fn new(root: Root) -> StageState {
        let path = match root {
            Root::Scratch => Some(DEFAULT_PATH.to_owned()),
            Root::External => None,
        };
        let mut state = StageState {
            root,
            vars: HashMap::new(),
            options: Vec::new(),
            shell: false,
            workdir_set: false,
        };
        state.declare("PATH", path, true);
        state
    }

    fn lookup(&self, name: &str) -> Option<&Var> {
        self.vars.get(name)
    }

    /// The names BuildKit offers as suggestions: those in the environment, in the order they
    /// entered it.
    pub fn suggestion_options(&self) -> &[String] {
        &self.options
    }

    fn declare(&mut self, name: &str, value: Option<String>, in_env: bool) {
        let previous = self.lookup(name).map(|v| v.in_env);
        if !in_env && previous == Some(true) {
            // `ARG NAME` without any value leaves an ENV of that name as it is.
            return;
        }
        if in_env && previous != Some(true) {
            self.options.push(name.to_owned());
        }
        self.vars.insert(name.to_owned(), Var { value, in_env });
    }

    /// Expands `text` the way BuildKit does in this stage. `None` on an expansion error.
    pub fn expand(&self, lex: &Lex, text: &str) -> Option<Expanded> {
        // Most words have nothing to expand, quote or escape: BuildKit's lexer returns them
        // unchanged, so skip it (it builds the result a character at a time).
        if !text
            .chars()
            .any(|c| matches!(c, '$' | '\'' | '"') || c == lex.escape)
        {
            return Some(Expanded {
                result: text.to_owned(),
                unmatched: BTreeSet::new(),
                unknown: false,
            });
        }
        let expansion = lex.process_word_with_matches(text, self).ok()?;
        let unknown_value = expansion
            .matched
            .iter()
            .any(|name| self.lookup(name).is_some_and(|v| v.value.is_none()));
        let unknown =
            unknown_value || (!expansion.unmatched.is_empty() && self.root == Root::External);
        Some(Expanded {
            result: expansion.result,
            unmatched: expansion.unmatched,
            unknown,
        })
    }

    /// Expands `text` and splits it into words (`ProcessWords`, as EXPOSE does). `None` on an
    /// error or when the result depends on values the Dockerfile does not determine.
    pub fn expand_words(&self, lex: &Lex, text: &str) -> Option<Vec<String>> {
        if text.contains('$') {
            let probe = self.expand(lex, text)?;
            if probe.unknown {
                return None;
            }
        }
        lex.process_words(text, self).ok()
    }

    /// Applies an instruction's effect on the environment (ARG, ENV, SHELL, WORKDIR).
    fn apply(&mut self, instruction: &Instruction, lex: &Lex, globals: &GlobalArgs) {
        match instruction.kind {
            Keyword::Arg => {
                for word in &instruction.args {
                    match word.value.split_once('=') {
                        Some((name, default)) => {
                            let value = self
                                .expand(lex, default)
                                .filter(|e| !e.unknown)
                                .map(|e| e.result);
                            self.declare(name, value, true);
                        }
                        None => {
                            let (value, in_env) = globals.stage_default(&word.value);
                            self.declare(&word.value, value, in_env);
                        }
                    }
                }
            }
            Keyword::Env => {
                // Every key and value is expanded before any of them is set.
                let mut pairs = Vec::new();
                for triple in instruction.args.chunks(3) {
                    let [key, value, ..] = triple else { continue };
                    let key = self
                        .expand(lex, &key.value)
                        .map_or_else(|| key.value.clone(), |e| e.result);
                    let value = self
                        .expand(lex, &value.value)
                        .filter(|e| !e.unknown)
                        .map(|e| e.result);
                    pairs.push((key, value));
                }
                for (key, value) in pairs {
                    self.declare(&key, value, true);
                }
            }
            Keyword::Shell => self.shell = true,
            Keyword::Workdir => self.workdir_set = true,
            _ => {}
        }
    }
}

/// Declared names expand to their value, or to an empty string when it is unknown.
impl Env for StageState {
    fn get(&self, name: &str) -> Option<&str> {
        self.lookup(name)
            .map(|v| v.value.as_deref().unwrap_or_default())
    }
}

/// The global scope: built-in platform ARGs and the ARGs declared before the first FROM, with
/// their defaults expanded in order (`buildMetaArgs` without build arguments).
#[derive(Clone, Debug, Default)]
pub(crate) struct GlobalArgs {
    /// The global ARGs as declared, with their expanded default (`None` without one).
    pub declared: Vec<(String, Option<String>)>,
    /// Built-ins then defaults: the environment FROM is expanded with.
    pub env: Vec<(String, String)>,
    /// A default failed to expand: BuildKit stops the checks that need these values.
    pub failed: bool,
}

impl GlobalArgs {
    pub fn new(cx: &Context<'_>) -> GlobalArgs {
        let lex = Lex::new(cx.parse.dockerfile.escape);
        let target_stage = cx
            .stages
            .last()
            .and_then(|s| s.name.clone())
            .unwrap_or_default();
        let mut env: Vec<(String, String)> = BUILTIN_ARGS
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        env.push((TARGET_STAGE.to_owned(), target_stage));
        let mut declared = Vec::new();
        let mut failed = false;
        for arg in cx.global_args() {
            for word in &arg.args {
                match word.value.split_once('=') {
                    Some((name, default)) => match lex.process_word(default, &env) {
                        Ok(value) => {
                            // The last occurrence of a name wins.
                            env.push((name.to_owned(), value.clone()));
                            declared.push((name.to_owned(), Some(value)));
                        }
                        Err(_) => {
                            failed = true;
                            declared.push((name.to_owned(), None));
                        }
                    },
                    None => declared.push((word.value.clone(), None)),
                }
            }
        }
        GlobalArgs {
            declared,
            env,
            failed,
        }
    }

    /// Whether FROM may use `name`: a global ARG or a built-in.
    pub fn knows(&self, name: &str) -> bool {
        self.declared.iter().any(|(n, _)| n == name)
            || BUILTIN_ARGS.iter().any(|(n, _)| *n == name)
            || name == TARGET_STAGE
    }

    /// The names FROM may use, for suggestions: global ARGs first, then built-ins.
    pub fn names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let builtins = BUILTIN_ARGS
            .iter()
            .map(|(n, _)| *n)
            .chain(std::iter::once(TARGET_STAGE));
        for name in self
            .declared
            .iter()
            .map(|(n, _)| n.as_str())
            .chain(builtins)
        {
            if !out.iter().any(|o| o == name) {
                out.push(name.to_owned());
            }
        }
        out
    }

    /// The value `ARG NAME` (no default) takes inside a stage, and whether it has one at all:
    /// the global default when the Dockerfile sets one; a built-in has a value that depends on
    /// the build's platform (unknown here); anything else has none.
    fn stage_default(&self, name: &str) -> (Option<String>, bool) {
        match self.declared.iter().rev().find(|(n, _)| n == name) {
            Some((_, Some(value))) => (Some(value.clone()), true),
            _ if BUILTIN_ARGS.iter().any(|(n, _)| *n == name) || name == TARGET_STAGE => {
                (None, true)
            }
            _ => (None, false),
        }
    }
}

/// The root of every stage and, for stages built FROM an earlier stage, that parent.
pub(crate) fn resolve_base(cx: &Context<'_>, stage: &Stage, globals: &GlobalArgs) -> StageBase {
    let StageBase::Image(image) = &stage.base else {
        return stage.base.clone();
    };
    if !image.contains('$') {
        return stage.base.clone();
    }
    let lex = Lex::new(cx.parse.dockerfile.escape);
    let Ok(expanded) = lex.process_word(image, &globals.env) else {
        return stage.base.clone();
    };
    let lower = expanded.to_lowercase();
    if lower == "scratch" {
        return StageBase::Scratch;
    }
    match cx.stages[..stage.index]
        .iter()
        .rev()
        .find(|s| s.name.as_deref() == Some(lower.as_str()))
    {
        Some(parent) => StageBase::Stage(parent.index),
        None => stage.base.clone(),
    }
}

/// The image each stage's chain of parents starts from, as written (`scratch` for scratch).
pub(crate) fn stage_roots(cx: &Context<'_>) -> Vec<String> {
    let globals = GlobalArgs::new(cx);
    let mut roots: Vec<String> = Vec::with_capacity(cx.stages.len());
    for stage in &cx.stages {
        let root = match resolve_base(cx, stage, &globals) {
            StageBase::Scratch => "scratch".to_owned(),
            StageBase::Stage(parent) => roots.get(parent).cloned().unwrap_or_default(),
            StageBase::Image(image) => image,
        };
        roots.push(root);
    }
    roots
}

/// Walks every stage like BuildKit's dispatch: `visit(stage, index, instruction, state)` sees
/// each stage instruction with the state *before* it takes effect. A stage built FROM an
/// earlier stage starts from that stage's final state. ONBUILD instructions are visited but have
/// no effect (they run in a child build).
pub(crate) fn walk_stages(
    cx: &Context<'_>,
    visit: impl FnMut(&Stage, usize, &Instruction, &StageState),
) {
    walk_stages_until(cx, cx.instructions.len(), visit);
}

/// [`walk_stages`] for a check that looks only at instructions of `kinds`: nothing is walked
/// when the file has none, and the walk stops after the last one.
pub(crate) fn walk_stages_for(
    cx: &Context<'_>,
    kinds: &[Keyword],
    visit: impl FnMut(&Stage, usize, &Instruction, &StageState),
) {
    if let Some(last) = cx
        .instructions
        .iter()
        .rposition(|i| kinds.contains(&i.kind))
    {
        walk_stages_until(cx, last + 1, visit);
    }
}

/// [`walk_stages`] over the instructions before `end`.
fn walk_stages_until(
    cx: &Context<'_>,
    end: usize,
    mut visit: impl FnMut(&Stage, usize, &Instruction, &StageState),
) {
    let globals = GlobalArgs::new(cx);
    let lex = Lex::new(cx.parse.dockerfile.escape);
    let mut finals: Vec<StageState> = Vec::with_capacity(cx.stages.len());
    for stage in &cx.stages {
        let mut state = match resolve_base(cx, stage, &globals) {
            StageBase::Scratch => StageState::new(Root::Scratch),
            StageBase::Stage(parent) => finals
                .get(parent)
                .cloned()
                .unwrap_or_else(|| StageState::new(Root::External)),
            StageBase::Image(_) => StageState::new(Root::External),
        };
        if stage.from >= end {
            return;
        }
        for index in stage.body.clone() {
            if index >= end {
                return;
            }
            let Some(instruction) = cx.instructions.get(index) else {
                continue;
            };
            visit(stage, index, instruction, &state);
            state.apply(instruction, &lex, &globals);
        }
        finals.push(state);
    }
}

/// BuildKit's `suggest.Search`: the closest option within an edit distance of 2 (the first
/// one wins a tie); nothing when `value` is itself an option. Callers pass names `value` is
/// known not to be among (it is undeclared), so the search stops at the first option one edit
/// away: nothing can be closer.
pub(crate) fn suggest<'a>(
    value: &str,
    options: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let a: Vec<char> = value.chars().collect();
    let ascii = value.is_ascii();
    let mut b: Vec<char> = Vec::new();
    let mut rows = (Vec::new(), Vec::new());
    let mut best: Option<&str> = None;
    let mut min = 3;
    for option in options {
        if option == value {
            return None;
        }
        // The distance is at least the difference in length (in characters; a character is
        // at most 4 bytes).
        let bound = if ascii && option.is_ascii() {
            min - 1
        } else {
            4 * (min - 1)
        };
        if option.len().abs_diff(value.len()) > bound {
            continue;
        }
        b.clear();
        b.extend(option.chars());
        if let Some(distance) = bounded_levenshtein(&a, &b, min - 1, &mut rows) {
            if distance < min {
                min = distance;
                best = Some(option);
                if min <= 1 {
                    break;
                }
            }
        }
    }
    best.map(str::to_owned)
}

/// The Levenshtein distance between `a` and `b` when it is at most `max`.
fn bounded_levenshtein(
    a: &[char],
    b: &[char],
    max: usize,
    (previous, current): &mut (Vec<usize>, Vec<usize>),
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    previous.clear();
    previous.extend(0..=b.len());
    current.clear();
    current.resize(b.len() + 1, 0);
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        let mut row_min = current[0];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            row_min = row_min.min(current[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(previous, current);
    }
    previous.get(b.len()).copied().filter(|&d| d <= max)
}

/// Go's `%q` (`strconv.Quote`).
pub(crate) use layerlab_syntax::go_quote::quote as go_quote;

/// Go's `path.Clean`.
pub(crate) fn clean_path(path: &str) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    if rooted {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    }
}

/// Where a piece of text (an expandable) starts in the file, when its source is exactly that
/// text (a word without continuation lines, a flag's value at the end of the flag, ...).
pub(crate) fn locate(cx: &Context<'_>, text: &str, span: Span) -> Option<usize> {
    let source = cx.slice(span);
    if source.starts_with(text) {
        Some(span.start)
    } else if source.ends_with(text) {
        Some(span.end - text.len())
    } else {
        source.find(text).map(|i| span.start + i)
    }
}

/// The file span of the first reference to `name` (`$name` or the whole `${name…}`) in `text`,
/// which starts at `at` in the file; `fallback` when the reference cannot be placed.
pub(crate) fn reference_span(
    text: &str,
    at: Option<usize>,
    name: &str,
    escape: char,
    quotes: bool,
    fallback: Span,
) -> Span {
    match (at, find_reference(text, name, escape, quotes)) {
        (Some(at), Some((start, end))) => Span::new(at + start, at + end),
        _ => fallback,
    }
}

/// The byte range of the first `$name` / `${name…}` in `text`, outside single quotes when
/// `quotes` is set, skipping escaped dollars.
pub(crate) fn find_reference(
    text: &str,
    name: &str,
    escape: char,
    quotes: bool,
) -> Option<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    let mut single = false;
    while let Some(&(at, c)) = chars.get(i) {
        if single {
            if c == '\'' {
                single = false;
            }
            i += 1;
            continue;
        }
        if c == escape {
            i += 2;
            continue;
        }
        if quotes && c == '\'' {
            single = true;
            i += 1;
            continue;
        }
        if c != '$' {
            i += 1;
            continue;
        }
        let braced = chars.get(i + 1).is_some_and(|&(_, c)| c == '{');
        let name_start = if braced { i + 2 } else { i + 1 };
        let (found, name_end) = read_name(&chars, name_start);
        if found == name {
            let end = if braced {
                closing_brace(&chars, name_end).unwrap_or(name_end)
            } else {
                name_end
            };
            let end_byte = chars.get(end).map_or(text.len(), |&(b, _)| b);
            return Some((at, end_byte));
        }
        i += 1;
    }
    None
}

/// BuildKit's `processName` over `chars` from `start`: the name and the index after it.
fn read_name(chars: &[(usize, char)], start: usize) -> (String, usize) {
    let mut name = String::new();
    let mut i = start;
    if let Some(&(_, c)) = chars.get(i) {
        if c.is_numeric() {
            while let Some(&(_, d)) = chars.get(i).filter(|(_, d)| d.is_numeric()) {
                name.push(d);
                i += 1;
            }
            return (name, i);
        }
        if matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!') {
            return (c.to_string(), i + 1);
        }
    }
    while let Some(&(_, c)) = chars
        .get(i)
        .filter(|(_, c)| c.is_alphanumeric() || *c == '_')
    {
        name.push(c);
        i += 1;
    }
    (name, i)
}

/// The index just past the `}` closing a `${`, nested `${…}` included.
fn closing_brace(chars: &[(usize, char)], from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut i = from;
    while let Some(&(_, c)) = chars.get(i) {
        match c {
            '{' if i > 0 && chars.get(i - 1).is_some_and(|&(_, p)| p == '$') => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The text of a FROM's `--platform` flag value and the flag.
pub(crate) fn platform_flag(instruction: &Instruction) -> Option<(&str, Span)> {
    let flag = instruction.flag("platform")?;
    Some((flag.value()?, flag.span))
}

/// containerd's `platforms.Parse`, reduced to the OS and architecture it yields.
pub(crate) fn parse_platform(specifier: &str) -> Option<(String, String)> {
    Platform::parse(specifier).map(|p| (p.os, p.arch))
}

/// Whether `reference` passes `reference.ParseNormalizedNamed` (distribution/reference): a
/// lowercase repository path, an optional registry host and port, an optional tag and an
/// optional digest of a supported algorithm.
pub(crate) fn is_valid_image_reference(reference: &str) -> bool {
    if reference.len() == 64
        && reference
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return false;
    }
    let (domain, remainder) = split_docker_domain(reference);
    let remote = remainder
        .split_once(':')
        .map_or(remainder.as_str(), |(r, _)| r);
    if remote.to_lowercase() != remote {
        return false;
    }
    parses_as_reference(&format!("{domain}/{remainder}"))
}

/// `reference.ParseNormalizedNamed` then `TagNameOnly`, as text: the full name BuildKit
/// pulls (`alpine` → `docker.io/library/alpine:latest`, `ghcr.io/o/app@sha256:…` unchanged).
/// `None` for what is not a valid reference.
pub fn normalized_reference(reference: &str) -> Option<String> {
    if !is_valid_image_reference(reference) {
        return None;
    }
    let (name, digest) = match reference.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (reference, None),
    };
    let (domain, remainder) = split_docker_domain(name);
    let last_slash = remainder.rfind('/').map_or(0, |i| i + 1);
    let tagged = remainder[last_slash..].contains(':');
    let mut out = format!("{domain}/{remainder}");
    if !tagged && digest.is_none() {
        out.push_str(":latest");
    }
    if let Some(digest) = digest {
        out.push('@');
        out.push_str(digest);
    }
    Some(out)
}

/// `splitDockerDomain`.
fn split_docker_domain(name: &str) -> (String, String) {
    let (mut domain, mut remainder) = match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.to_lowercase() != first =>
        {
            (first.to_owned(), rest.to_owned())
        }
        _ => ("docker.io".to_owned(), name.to_owned()),
    };
    if domain == "index.docker.io" {
        domain = "docker.io".to_owned();
    }
    if domain == "docker.io" && !remainder.contains('/') {
        remainder = format!("library/{remainder}");
    }
    (domain, remainder)
}

/// `reference.Parse` succeeds (the full `ReferenceRegexp` match, name length, digest check).
fn parses_as_reference(text: &str) -> bool {
    let (rest, digest) = match text.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (text, None),
    };
    if digest.is_some_and(|d| !valid_digest(d)) {
        return false;
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let segment = &rest[last_slash..];
    let (name, tag) = match segment.find(':') {
        Some(i) => (&rest[..last_slash + i], Some(&segment[i + 1..])),
        None => (rest, None),
    };
    if tag.is_some_and(|t| !valid_tag(t)) {
        return false;
    }
    if name.is_empty() || name.len() > 255 {
        return false;
    }
    let components: Vec<&str> = name.split('/').collect();
    let all_paths = components.iter().all(|c| valid_path_component(c));
    let with_domain = components.len() > 1
        && valid_domain(components[0])
        && components[1..].iter().all(|c| valid_path_component(c));
    all_paths || with_domain
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn valid_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let ok = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// A host (`domain.name` components or `[ipv6]`) with an optional `:port`.
fn valid_domain(domain: &str) -> bool {
    let (host, port) = if domain.starts_with('[') {
        match domain.find(']') {
            Some(end) => (&domain[..=end], &domain[end + 1..]),
            None => return false,
        }
    } else {
        match domain.split_once(':') {
            Some((host, _)) => (host, &domain[host.len()..]),
            None => (domain, ""),
        }
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':')
    } else {
        host.split('.').all(|c| {
            let b = c.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|&x| x.is_ascii_alphanumeric() || x == b'-')
        })
    };
    port_ok && host_ok
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(tag: &str) -> bool {
    let bytes = tag.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    !bytes.is_empty()
        && bytes.len() <= 128
        && word(bytes[0])
        && bytes.iter().all(|&b| word(b) || b == b'.' || b == b'-')
}

/// `digest.Parse`: a registered algorithm and a lowercase hex encoding of its length.
fn valid_digest(digest: &str) -> bool {
    let Some((algorithm, encoded)) = digest.split_once(':') else {
        return false;
    };
    let length = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    encoded.len() == length
        && encoded
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_paths_like_go() {
        for (input, want) in [
            ("", "."),
            ("./app", "app"),
            ("a//b/../c/", "a/c"),
            ("/..", "/"),
            ("../x", "../x"),
            ("a/../..", ".."),
            ("/a/./b", "/a/b"),
        ] {
            assert_eq!(clean_path(input), want, "{input}");
        }
    }

    #[test]
    fn suggests_within_two_edits() {
        let options = ["PATH", "VERSION"];
        assert_eq!(suggest("PAHT", options).as_deref(), Some("PATH"));
        assert_eq!(suggest("VERSIN", options).as_deref(), Some("VERSION"));
        assert_eq!(suggest("HOME", options), None);
        assert_eq!(suggest("PATH", options), None);
    }

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(go_quote("é"), "\"é\"");
    }

    #[test]
    fn finds_references() {
        assert_eq!(find_reference("a $B c", "B", '\\', true), Some((2, 4)));
        assert_eq!(find_reference("${B:-x}/y", "B", '\\', true), Some((0, 7)));
        assert_eq!(find_reference("'$B' $B", "B", '\\', true), Some((5, 7)));
        assert_eq!(find_reference("\\$B $B", "B", '\\', true), Some((4, 6)));
        assert_eq!(find_reference("$BC $B", "B", '\\', true), Some((4, 6)));
        assert_eq!(find_reference("${A:-${B}}", "B", '\\', true), Some((5, 9)));
    }

    #[test]
    fn parses_platforms() {
        assert_eq!(
            parse_platform("linux/amd64"),
            Some(("linux".to_owned(), "amd64".to_owned()))
        );
        assert_eq!(
            parse_platform("linux/arm64/v8"),
            Some(("linux".to_owned(), "arm64".to_owned()))
        );
        assert_eq!(
            parse_platform("arm64"),
            Some(("linux".to_owned(), "arm64".to_owned()))
        );
        assert_eq!(parse_platform("nonsense"), None);
        assert_eq!(parse_platform("linux/*"), None);
        assert_eq!(parse_platform(""), None);
    }

    #[test]
    fn normalizes_references_like_distribution() {
        for (input, want) in [
            ("alpine", "docker.io/library/alpine:latest"),
            ("alpine:3.20", "docker.io/library/alpine:3.20"),
            ("docker.io/library/alpine", "docker.io/library/alpine:latest"),
            ("index.docker.io/library/alpine:3", "docker.io/library/alpine:3"),
            ("arm64v8/alpine:3.20", "docker.io/arm64v8/alpine:3.20"),
            ("localhost:5000/app", "localhost:5000/app:latest"),
            ("ghcr.io/owner/app:v1", "ghcr.io/owner/app:v1"),
            (
                "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "docker.io/library/alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            ),
        ] {
            assert_eq!(normalized_reference(input).as_deref(), Some(want), "{input}");
        }
        assert_eq!(normalized_reference("Alpine"), None);
        assert_eq!(normalized_reference("alpine:"), None);
    }

    #[test]
    fn validates_image_references() {
        for valid in [
            "alpine",
            "alpine:3.20",
            "library/alpine:3.20",
            "ghcr.io/owner/app:v1.2_3",
            "localhost:5000/app",
            "Registry.Example.com/app",
            "[::1]:5000/app:x",
            "my-app__x.y/z",
            "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "scratch",
        ] {
            assert!(is_valid_image_reference(valid), "{valid}");
        }
        for invalid in [
            "",
            "alpine:",
            ":3.20",
            "Alpine",
            "alpine::1",
            "alpine:-x",
            "app-/x",
            "a/b/",
            "alpine@sha256:abc",
            "alpine@md5:0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "-/x",
        ] {
            assert!(!is_valid_image_reference(invalid), "{invalid}");
        }
    }
}
