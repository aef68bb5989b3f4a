//! `.dockerignore` exactly as Docker applies it: the file is read by
//! `moby/patternmatcher/ignorefile.ReadAll`, the patterns are compiled by
//! `moby/patternmatcher` (exact, prefix, suffix or regular-expression matches, `**`, `!`
//! exceptions, last match wins), and the context is walked like `tonistiigi/fsutil`'s filter:
//! `MatchesUsingParentResults` with the parent directory's results, an excluded directory is
//! skipped unless an exception could match inside it, and an excluded directory that is walked
//! into appears only when something inside it is included.

use std::sync::Arc;

use crate::context::{Context, DirNode, Node};
use crate::gopath;

/// One compiled pattern.
#[derive(Clone, Debug)]
struct Pattern {
    /// `cleanedPattern`: after `filepath.Clean`, without the `!`.
    cleaned: String,
    exclusion: bool,
    kind: MatchKind,
    /// 1-based line in the `.dockerignore`.
    line: usize,
}

#[derive(Clone, Debug)]
enum MatchKind {
    Exact,
    Prefix,
    Suffix,
    Regexp(Regex),
    /// Go's `regexp.Compile` would fail: matching reports an error, which fails the build.
    Invalid,
}

/// A parsed `.dockerignore`.
#[derive(Clone, Debug, Default)]
pub struct Ignore {
    patterns: Vec<Pattern>,
    exclusions: bool,
    /// fsutil's `onlyPrefixExcludeExceptions`: no exception pattern holds a wildcard (after
    /// a trailing `/**` or `/*`), so an excluded directory can be skipped unless an exception
    /// names a path inside it.
    only_prefix_exceptions: bool,
}

/// A `.dockerignore` BuildKit refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreError {
    pub line: usize,
    pub message: String,
}

/// Per-pattern results for a directory, passed to its children (patternmatcher's
/// `MatchInfo`). Empty for the context root.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatchInfo(Vec<bool>);

/// What the walker does with one path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Sent to the builder.
    Include,
    /// An excluded directory the walker still enters, because an exception may match inside:
    /// it is sent only if something inside it is.
    Enter,
    /// Not sent (and, for a directory, not entered).
    Skip,
}

impl Ignore {
    /// No patterns: everything is sent.
    pub fn none() -> Ignore {
        Ignore {
            only_prefix_exceptions: true,
            ..Ignore::default()
        }
    }

    /// Reads a `.dockerignore` (`ignorefile.ReadAll` then `patternmatcher.New`).
    ///
    /// # Errors
    ///
    /// `illegal exclusion pattern: "!"` and `syntax error in pattern`, as BuildKit reports
    /// them; the build would fail.
    pub fn parse(text: &str) -> Result<Ignore, IgnoreError> {
        let mut lines: Vec<(usize, String)> = Vec::new();
        for (index, raw) in text.split('\n').enumerate() {
            let mut line = raw.strip_suffix('\r').unwrap_or(raw);
            if index == 0 {
                line = line.strip_prefix('\u{feff}').unwrap_or(line);
            }
            if line.starts_with('#') {
                continue;
            }
            let mut pattern = line.trim_matches(is_go_space);
            if pattern.is_empty() {
                continue;
            }
            let invert = pattern.starts_with('!');
            if invert {
                pattern = pattern[1..].trim_matches(is_go_space);
            }
            let mut cleaned = String::new();
            if !pattern.is_empty() {
                cleaned = gopath::clean(pattern);
                if cleaned.len() > 1 && cleaned.starts_with('/') {
                    cleaned.remove(0);
                }
            }
            if invert {
                cleaned.insert(0, '!');
            }
            lines.push((index + 1, cleaned));
        }
        Ignore::from_patterns(&lines)
    }

    /// `patternmatcher.New` over already-read patterns, with their line numbers.
    ///
    /// # Errors
    ///
    /// As [`Ignore::parse`].
    pub fn from_patterns(patterns: &[(usize, String)]) -> Result<Ignore, IgnoreError> {
        let mut out = Ignore::none();
        for (line, raw) in patterns {
            let trimmed = raw.trim_matches(is_go_space);
            if trimmed.is_empty() {
                continue;
            }
            let mut p = gopath::clean(trimmed);
            let mut exclusion = false;
            if p.starts_with('!') {
                if p.len() == 1 {
                    return Err(IgnoreError {
                        line: *line,
                        message: "illegal exclusion pattern: \"!\"".to_owned(),
                    });
                }
                exclusion = true;
                p.remove(0);
                out.exclusions = true;
            }
            if !gopath::valid_pattern(&p) {
                return Err(IgnoreError {
                    line: *line,
                    message: "syntax error in pattern".to_owned(),
                });
            }
            let kind = compile(&p);
            out.patterns.push(Pattern {
                cleaned: p,
                exclusion,
                kind,
                line: *line,
            });
        }
        out.only_prefix_exceptions = !out.patterns.iter().any(|p| {
            p.exclusion
                && without_trailing_glob(&p.cleaned)
                    .bytes()
                    .any(|b| b"*[]?^\\".contains(&b))
        });
        Ok(out)
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The patterns in order, `!` included for exceptions.
    pub fn patterns(&self) -> Vec<String> {
        self.patterns
            .iter()
            .map(|p| {
                if p.exclusion {
                    format!("!{}", p.cleaned)
                } else {
                    p.cleaned.clone()
                }
            })
            .collect()
    }

    /// `MatchesUsingParentResults`.
    fn matches_using_parent(&self, path: &str, parent: &MatchInfo) -> (bool, MatchInfo) {
        let mut matched = false;
        let mut info = vec![false; self.patterns.len()];
        for (i, pattern) in self.patterns.iter().enumerate() {
            let mut hit = parent.0.get(i).copied().unwrap_or(false);
            if !hit {
                if pattern.exclusion != matched {
                    continue;
                }
                hit = pattern.matches(path);
                if !hit && parent.0.is_empty() {
                    hit = parent_dirs(path).any(|dir| pattern.matches(dir));
                }
            }
            info[i] = hit;
            if hit {
                matched = !pattern.exclusion;
            }
        }
        (matched, MatchInfo(info))
    }

    /// `MatchesOrParentMatches`: the check Docker applies to a single path (the Dockerfile,
    /// `.dockerignore`, a COPY source).
    pub fn matches_or_parent_matches(&self, path: &str) -> bool {
        let path = crate::context::normalize(path);
        let mut matched = false;
        for pattern in &self.patterns {
            if pattern.exclusion != matched {
                continue;
            }
            let hit = pattern.matches(&path) || parent_dirs(&path).any(|dir| pattern.matches(dir));
            if hit {
                matched = !pattern.exclusion;
            }
        }
        matched
    }

    /// What the context walker does with `path` (relative, `/`-separated) given its parent
    /// directory's [`MatchInfo`]; returns the info to pass to its children.
    pub fn decide(&self, path: &str, is_dir: bool, parent: &MatchInfo) -> (Decision, MatchInfo) {
        if self.patterns.is_empty() {
            return (Decision::Include, MatchInfo::default());
        }
        let (matched, info) = self.matches_using_parent(path, parent);
        if !matched {
            return (Decision::Include, info);
        }
        if !is_dir {
            return (Decision::Skip, info);
        }
        if self.only_prefix_exceptions {
            if !self.exclusions {
                return (Decision::Skip, info);
            }
            let dir_slash = format!("{path}/");
            let inside = self.patterns.iter().any(|p| {
                p.exclusion
                    && format!("{}/", without_trailing_glob(&p.cleaned)).starts_with(&dir_slash)
            });
            if !inside {
                return (Decision::Skip, info);
            }
        }
        (Decision::Enter, info)
    }

    /// Whether the walker leaves `path` out of the context (an ancestor directory skipped, or
    /// the path itself excluded).
    pub fn excludes(&self, path: &str) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let parts = crate::context::components(path);
        let mut info = MatchInfo::default();
        let mut current = String::new();
        for (i, part) in parts.iter().enumerate() {
            if !current.is_empty() {
                current.push('/');
            }
            current.push_str(part);
            let last = i + 1 == parts.len();
            // Ancestors are directories; the path itself is judged as a file (a directory
            // that is entered but holds nothing included is left out too).
            let (decision, next) = self.decide(&current, !last, &info);
            match decision {
                Decision::Skip => return true,
                Decision::Enter if last => return true,
                _ => {}
            }
            info = next;
        }
        false
    }

    /// The line and text of the last pattern that excludes `path` (or a parent of it), for
    /// messages.
    pub fn excluded_by(&self, path: &str) -> Option<(usize, String)> {
        let path = crate::context::normalize(path);
        self.patterns
            .iter()
            .rev()
            .find(|p| {
                !p.exclusion && (p.matches(&path) || parent_dirs(&path).any(|dir| p.matches(dir)))
            })
            .map(|p| (p.line, p.cleaned.clone()))
    }

    /// The context as the builder receives it: what the walker sends.
    pub fn filter(&self, context: &Context) -> Context {
        if self.patterns.is_empty() {
            return context.clone();
        }
        let Some(Node::Dir(root)) = context.node("") else {
            return context.clone();
        };
        let filtered = self.filter_dir(&root, "", &MatchInfo::default());
        let mut out = Context::new();
        out.replace_root(filtered);
        out
    }

    fn filter_dir(&self, dir: &Arc<DirNode>, base: &str, info: &MatchInfo) -> Arc<DirNode> {
        let mut changed = false;
        let mut kept: Vec<(String, Node)> = Vec::with_capacity(dir.children.len());
        for (name, child) in &dir.children {
            let path = if base.is_empty() {
                name.clone()
            } else {
                format!("{base}/{name}")
            };
            let is_dir = matches!(child, Node::Dir(_));
            let (decision, child_info) = self.decide(&path, is_dir, info);
            match (decision, child) {
                (Decision::Skip, _) => changed = true,
                (Decision::Include, Node::Leaf(_)) => kept.push((name.clone(), child.clone())),
                (Decision::Include | Decision::Enter, Node::Dir(sub)) => {
                    let filtered = self.filter_dir(sub, &path, &child_info);
                    if decision == Decision::Enter && filtered.children.is_empty() {
                        changed = true;
                        continue;
                    }
                    if !Arc::ptr_eq(&filtered, sub) {
                        changed = true;
                    }
                    kept.push((name.clone(), Node::Dir(filtered)));
                }
                (Decision::Enter, Node::Leaf(_)) => changed = true,
            }
        }
        if !changed {
            return dir.clone();
        }
        Arc::new(DirNode::with_children(dir.meta.clone(), kept))
    }
}

fn is_go_space(c: char) -> bool {
    c.is_whitespace()
}

fn without_trailing_glob(pattern: &str) -> &str {
    let p = pattern.strip_suffix("/**").unwrap_or(pattern);
    p.strip_suffix("/*").unwrap_or(p)
}

/// `a`, `a/b` for `a/b/c` (the parents of a path, shortest first).
fn parent_dirs(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        match &self.kind {
            MatchKind::Exact => path == self.cleaned,
            MatchKind::Prefix => path.starts_with(&self.cleaned[..self.cleaned.len() - 2]),
            MatchKind::Suffix => {
                let suffix = &self.cleaned[2..];
                path.ends_with(suffix) || (suffix.starts_with('/') && path == &suffix[1..])
            }
            MatchKind::Regexp(re) => re.is_match(path),
            MatchKind::Invalid => false,
        }
    }
}

/// `Pattern.compile`: the match type, and for regular-expression patterns the expression
/// Go would build.
fn compile(pattern: &str) -> MatchKind {
    #[derive(PartialEq)]
    enum Kind {
        Exact,
        Prefix,
        Suffix,
        Regexp,
    }
    let mut re = String::from("^");
    let mut kind = Kind::Exact;
    let chars: Vec<char> = pattern.chars().collect();
    let mut pos = 0;
    let mut i = 0;
    while pos < chars.len() {
        let ch = chars[pos];
        pos += 1;
        if ch == '*' {
            if chars.get(pos) == Some(&'*') {
                pos += 1;
                if chars.get(pos) == Some(&'/') {
                    pos += 1;
                }
                if pos >= chars.len() {
                    if kind == Kind::Exact {
                        kind = Kind::Prefix;
                    } else {
                        re.push_str(".*");
                        kind = Kind::Regexp;
                    }
                } else {
                    re.push_str("(.*/)?");
                    kind = Kind::Regexp;
                }
                if i == 0 {
                    kind = Kind::Suffix;
                }
            } else {
                re.push_str("[^/]*");
                kind = Kind::Regexp;
            }
        } else if ch == '?' {
            re.push_str("[^/]");
            kind = Kind::Regexp;
        } else if ".+()|{}$".contains(ch) {
            re.push('\\');
            re.push(ch);
        } else if ch == '\\' {
            if let Some(&next) = chars.get(pos) {
                pos += 1;
                re.push('\\');
                re.push(next);
                kind = Kind::Regexp;
            } else {
                re.push('\\');
            }
        } else if ch == '[' || ch == ']' {
            re.push(ch);
            kind = Kind::Regexp;
        } else {
            re.push(ch);
        }
        i += 1;
    }
    match kind {
        Kind::Exact => MatchKind::Exact,
        Kind::Prefix => MatchKind::Prefix,
        Kind::Suffix => MatchKind::Suffix,
        Kind::Regexp => {
            re.push('$');
            Regex::new(&re).map_or(MatchKind::Invalid, MatchKind::Regexp)
        }
    }
}

/// The subset of Go's RE2 syntax that `Pattern.compile` can produce, matched with a Pike VM
/// (linear time). Anchored at both ends by the caller's `^`/`$`.
#[derive(Clone, Debug)]
struct Regex {
    program: Vec<Inst>,
}

#[derive(Clone, Debug)]
enum Inst {
    Char(char),
    /// Any character but `\n` (Go's `.`).
    Any,
    Class(Class),
    /// Matches only at the start of the text (a `^` inside the pattern).
    Begin,
    Split(usize, usize),
    Jmp(usize),
    Match,
}

#[derive(Clone, Debug)]
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
}

impl Class {
    fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

#[derive(Clone, Debug)]
enum Ast {
    Char(char),
    Any,
    Class(Class),
    Begin,
    Group(Vec<Ast>),
    Star(Box<Ast>),
    Opt(Box<Ast>),
    Plus(Box<Ast>),
}

struct RegexParser {
    chars: Vec<char>,
    pos: usize,
}

impl RegexParser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn sequence(&mut self, in_group: bool) -> Result<Vec<Ast>, ()> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == ')' {
                if in_group {
                    return Ok(items);
                }
                return Err(());
            }
            self.pos += 1;
            let atom = match c {
                '(' => {
                    let inner = self.sequence(true)?;
                    if self.peek() != Some(')') {
                        return Err(());
                    }
                    self.pos += 1;
                    Ast::Group(inner)
                }
                '.' => Ast::Any,
                '^' => Ast::Begin,
                '$' => {
                    // Only the final anchor; anywhere else it can never match before the end.
                    if self.pos == self.chars.len() {
                        continue;
                    }
                    Ast::Class(Class {
                        negated: false,
                        ranges: Vec::new(),
                    })
                }
                '[' => Ast::Class(self.class()?),
                '\\' => self.escape()?,
                '*' | '+' | '?' | '|' | '{' => return Err(()),
                other => Ast::Char(other),
            };
            let atom = match self.peek() {
                Some('*') => {
                    self.pos += 1;
                    Ast::Star(Box::new(atom))
                }
                Some('?') => {
                    self.pos += 1;
                    Ast::Opt(Box::new(atom))
                }
                Some('+') => {
                    self.pos += 1;
                    Ast::Plus(Box::new(atom))
                }
                _ => atom,
            };
            items.push(atom);
        }
        if in_group {
            return Err(());
        }
        Ok(items)
    }

    fn escaped_char(&mut self) -> Result<EscapeResult, ()> {
        let c = self.peek().ok_or(())?;
        self.pos += 1;
        let perl = |negated: bool, ranges: &[(char, char)]| {
            Ok(EscapeResult::Class(Class {
                negated,
                ranges: ranges.to_vec(),
            }))
        };
        const DIGIT: &[(char, char)] = &[('0', '9')];
        const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
        const SPACE: &[(char, char)] = &[('\t', '\n'), ('\x0c', '\r'), (' ', ' ')];
        match c {
            'd' => perl(false, DIGIT),
            'D' => perl(true, DIGIT),
            'w' => perl(false, WORD),
            'W' => perl(true, WORD),
            's' => perl(false, SPACE),
            'S' => perl(true, SPACE),
            'n' => Ok(EscapeResult::Char('\n')),
            't' => Ok(EscapeResult::Char('\t')),
            'r' => Ok(EscapeResult::Char('\r')),
            'f' => Ok(EscapeResult::Char('\x0c')),
            'v' => Ok(EscapeResult::Char('\x0b')),
            'a' => Ok(EscapeResult::Char('\x07')),
            c if c.is_ascii_punctuation() => Ok(EscapeResult::Char(c)),
            _ => Err(()),
        }
    }

    fn escape(&mut self) -> Result<Ast, ()> {
        Ok(match self.escaped_char()? {
            EscapeResult::Char(c) => Ast::Char(c),
            EscapeResult::Class(class) => Ast::Class(class),
        })
    }

    fn class(&mut self) -> Result<Class, ()> {
        let mut class = Class {
            negated: false,
            ranges: Vec::new(),
        };
        if self.peek() == Some('^') {
            self.pos += 1;
            class.negated = true;
        }
        let mut first = true;
        loop {
            let c = self.peek().ok_or(())?;
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            self.pos += 1;
            let lo = if c == '\\' {
                match self.escaped_char()? {
                    EscapeResult::Char(c) => c,
                    EscapeResult::Class(inner) => {
                        if inner.negated {
                            return Err(());
                        }
                        class.ranges.extend(inner.ranges);
                        continue;
                    }
                }
            } else {
                c
            };
            let mut hi = lo;
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|c| *c != ']') {
                self.pos += 1;
                let c = self.peek().ok_or(())?;
                self.pos += 1;
                hi = if c == '\\' {
                    match self.escaped_char()? {
                        EscapeResult::Char(c) => c,
                        EscapeResult::Class(_) => return Err(()),
                    }
                } else {
                    c
                };
                if hi < lo {
                    return Err(());
                }
            }
            class.ranges.push((lo, hi));
        }
        // Unlike `.`, a negated class such as `[^/]` matches a newline, as in Go.
        Ok(class)
    }
}

enum EscapeResult {
    Char(char),
    Class(Class),
}

impl Regex {
    fn new(text: &str) -> Result<Regex, ()> {
        let body = text.strip_prefix('^').ok_or(())?;
        let mut parser = RegexParser {
            chars: body.chars().collect(),
            pos: 0,
        };
        let ast = parser.sequence(false)?;
        let mut program = Vec::new();
        for node in &ast {
            emit(node, &mut program);
        }
        program.push(Inst::Match);
        Ok(Regex { program })
    }

    /// Whether the whole of `text` matches.
    fn is_match(&self, text: &str) -> bool {
        let n = self.program.len();
        let mut current: Vec<usize> = Vec::with_capacity(n);
        let mut next: Vec<usize> = Vec::with_capacity(n);
        let mut seen = vec![usize::MAX; n];
        let mut step = 0usize;
        add_thread(&self.program, 0, &mut current, &mut seen, step, true);
        for c in text.chars() {
            step += 1;
            next.clear();
            for &pc in &current {
                let advance = match &self.program[pc] {
                    Inst::Char(want) => *want == c,
                    Inst::Any => c != '\n',
                    Inst::Class(class) => class.contains(c),
                    _ => false,
                };
                if advance {
                    add_thread(&self.program, pc + 1, &mut next, &mut seen, step, false);
                }
            }
            std::mem::swap(&mut current, &mut next);
            if current.is_empty() {
                return false;
            }
        }
        current
            .iter()
            .any(|&pc| matches!(self.program[pc], Inst::Match))
    }
}

fn add_thread(
    program: &[Inst],
    pc: usize,
    list: &mut Vec<usize>,
    seen: &mut [usize],
    step: usize,
    at_start: bool,
) {
    if seen[pc] == step {
        return;
    }
    seen[pc] = step;
    match &program[pc] {
        Inst::Jmp(to) => add_thread(program, *to, list, seen, step, at_start),
        Inst::Split(a, b) => {
            add_thread(program, *a, list, seen, step, at_start);
            add_thread(program, *b, list, seen, step, at_start);
        }
        Inst::Begin => {
            if at_start {
                add_thread(program, pc + 1, list, seen, step, at_start);
            }
        }
        _ => list.push(pc),
    }
}

fn emit(node: &Ast, program: &mut Vec<Inst>) {
    match node {
        Ast::Char(c) => program.push(Inst::Char(*c)),
        Ast::Any => program.push(Inst::Any),
        Ast::Class(class) => program.push(Inst::Class(class.clone())),
        Ast::Begin => program.push(Inst::Begin),
        Ast::Group(items) => {
            for item in items {
                emit(item, program);
            }
        }
        Ast::Star(inner) => {
            let split = program.len();
            program.push(Inst::Split(0, 0));
            emit(inner, program);
            program.push(Inst::Jmp(split));
            let end = program.len();
            program[split] = Inst::Split(split + 1, end);
        }
        Ast::Plus(inner) => {
            let start = program.len();
            emit(inner, program);
            let end = program.len() + 1;
            program.push(Inst::Split(start, end));
        }
        Ast::Opt(inner) => {
            let split = program.len();
            program.push(Inst::Split(0, 0));
            emit(inner, program);
            let end = program.len();
            program[split] = Inst::Split(split + 1, end);
        }
    }
}

#[cfg(test)]
#[allow(clippy::panic, clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::context::Entry;

    fn ignore(text: &str) -> Ignore {
        Ignore::parse(text).expect("valid .dockerignore")
    }

    #[test]
    fn pattern_kinds() {
        let cases: &[(&str, &str, bool)] = &[
            ("node_modules", "node_modules", true),
            ("node_modules", "a/node_modules", false),
            ("*.log", "a.log", true),
            ("*.log", "dir/a.log", false),
            ("**/*.log", "dir/sub/a.log", true),
            ("**/*.log", "a.log", true),
            ("**/foo", "foo", true),
            ("**/foo", "a/b/foo", true),
            ("**/foo", "a/xfoo", false),
            ("**foo", "a/xfoo", true),
            ("foo/**", "foo/a/b", true),
            ("foo/**", "foox", false),
            ("foo/**/bar", "foo/bar", true),
            ("foo/**/bar", "foo/a/b/bar", true),
            ("a?c", "abc", true),
            ("a?c", "a/c", false),
            ("[ab]x", "bx", true),
            ("[!a]x", "!x", true),
            ("[^a]x", "bx", true),
            ("a.b", "axb", false),
            ("a\\*b", "a*b", true),
            ("**", "anything/at/all", true),
            ("a/**/**", "a/b", true),
        ];
        for (pattern, path, want) in cases {
            let p = Ignore::from_patterns(&[(1, (*pattern).to_owned())]).expect("valid");
            assert_eq!(p.patterns[0].matches(path), *want, "{pattern} vs {path}");
        }
    }

    #[test]
    fn read_all_rules() {
        // `#` only at the very start is a comment; `!` exceptions; leading `/` dropped;
        // CRLF and a BOM handled.
        let i = ignore("\u{feff}# comment\r\n /secret \r\n  # not a comment\n!keep\n./a/../b/\n");
        assert_eq!(i.patterns(), ["secret", "# not a comment", "!keep", "b"]);
        assert!(Ignore::parse("!\n").is_err());
        assert_eq!(
            Ignore::parse("ok\n[\n").map(|_| ()),
            Err(IgnoreError {
                line: 2,
                message: "syntax error in pattern".into()
            })
        );
    }

    fn paths(c: &Context) -> Vec<String> {
        c.entries().into_iter().map(|(p, _)| p).collect()
    }

    #[test]
    fn walker_semantics() {
        let raw = Context::from_entries(
            [
                "Dockerfile",
                "src/app.js",
                "src/app.test.js",
                "node_modules/x/index.js",
                "docs/a.md",
                "docs/keep.md",
                "logs/a.log",
            ]
            .map(|p| (p, Entry::file_with(p.as_bytes()))),
        );
        let i = ignore("node_modules\n**/*.test.js\ndocs\n!docs/keep.md\nlogs\n");
        let filtered = i.filter(&raw);
        assert_eq!(
            paths(&filtered),
            ["Dockerfile", "docs", "docs/keep.md", "src", "src/app.js"]
        );
        assert!(i.excludes("node_modules/x/index.js"));
        assert!(i.excludes("docs/a.md"));
        assert!(!i.excludes("docs/keep.md"));
        assert!(!i.excludes("src/app.js"));
        // Last match wins: a later pattern re-excludes.
        let j = ignore("*.md\n!README.md\nREADME.md\n");
        assert!(j.excludes("README.md"));
        // An exception with a wildcard makes the walker enter excluded directories.
        let k = ignore("docs\n!**/keep.md\n");
        assert_eq!(
            paths(&k.filter(&raw)),
            [
                "Dockerfile",
                "docs",
                "docs/keep.md",
                "logs",
                "logs/a.log",
                "node_modules",
                "node_modules/x",
                "node_modules/x/index.js",
                "src",
                "src/app.js",
                "src/app.test.js"
            ]
        );
        // Without wildcards, an exception that doesn't name a path inside the excluded
        // directory cannot bring anything back (moby/moby#30018).
        let l = ignore("docs\n!keep.md\n");
        assert!(l.excludes("docs/keep.md"));
    }

    #[test]
    fn filtering_reuses_untouched_subtrees() {
        let raw = Context::from_entries(
            ["a/1", "a/2", "b/1"].map(|p| (p, Entry::file_with(p.as_bytes()))),
        );
        let i = ignore("b\n");
        let f = i.filter(&raw);
        assert_eq!(paths(&f), ["a", "a/1", "a/2"]);
        assert_eq!(
            f.node("a").map(|n| n.digest()),
            raw.node("a").map(|n| n.digest())
        );
    }
}
