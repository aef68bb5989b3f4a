//! `.dockerignore` as Docker reads it (`moby/patternmatcher`: `ignorefile.ReadAll` and
//! `PatternMatcher.MatchesOrParentMatches`), for BuildKit's `CopyIgnoredFile` check.
//!
//! Reading: a UTF-8 BOM is dropped, lines starting with `#` are comments, each line is trimmed,
//! a leading `!` marks an exception, the pattern is cleaned like Go's `filepath.Clean` and a
//! leading `/` is removed. Matching: the patterns are tried in order, the last one that matches
//! the path (or one of its parent directories) decides; `*` and `?` stop at `/`, `**` crosses
//! directories, `[…]` is a character class, `\` escapes. Matching is done with a small
//! backtracking matcher rather than Go's regular expressions, with the same results; a pattern
//! Go would reject (an unclosed `[`) makes the whole file unusable, as it makes BuildKit fail.

use crate::buildkit::clean_path;

/// The patterns of a `.dockerignore` file, in order, as `ReadAll` returns them.
pub(crate) fn read_patterns(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with('#') {
            continue;
        }
        let mut pattern = line.trim();
        if pattern.is_empty() {
            continue;
        }
        let invert = pattern.starts_with('!');
        if invert {
            pattern = pattern[1..].trim();
        }
        let mut cleaned = String::new();
        if !pattern.is_empty() {
            cleaned = clean_path(pattern);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
        }
        if invert {
            cleaned.insert(0, '!');
        }
        out.push(cleaned);
    }
    out
}

/// A compiled set of patterns (`patternmatcher.New`).
#[derive(Debug)]
pub(crate) struct Matcher {
    patterns: Vec<Pattern>,
    /// Some pattern is an exception (`!…`).
    pub exclusions: bool,
}

#[derive(Debug)]
struct Pattern {
    exclusion: bool,
    cleaned: String,
    kind: Kind,
    tokens: Vec<Token>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Exact,
    Prefix,
    Suffix,
    Regexp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Literal(char),
    /// `*`: any run of characters but `/`.
    Star,
    /// `?`: one character but `/`.
    One,
    /// `**/` (or `**` before more pattern): nothing, or anything ending in `/`.
    DirPrefix,
    /// A trailing `**` after other wildcards: anything.
    Any,
    /// `[…]`: (negated, ranges).
    Class(bool, Vec<(char, char)>),
}

impl Matcher {
    /// `None` when a pattern is invalid (`!` alone, an unclosed `[`).
    pub fn new(patterns: &[String]) -> Option<Matcher> {
        let mut out = Vec::new();
        let mut exclusions = false;
        for p in patterns {
            let p = p.trim();
            if p.is_empty() {
                continue;
            }
            let mut p = clean_path(p);
            let exclusion = p.starts_with('!');
            if exclusion {
                if p.len() == 1 {
                    return None;
                }
                p.remove(0);
                exclusions = true;
            }
            let (kind, tokens) = compile(&p)?;
            out.push(Pattern {
                exclusion,
                cleaned: p,
                kind,
                tokens,
            });
        }
        Some(Matcher {
            patterns: out,
            exclusions,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// `MatchesOrParentMatches`: whether `file` (slash-separated) is excluded, by a pattern
    /// matching it or one of its parent directories.
    pub fn matches_or_parent_matches(&self, file: &str) -> bool {
        let parent = dir(file);
        let parent_dirs: Vec<&str> = parent.split('/').collect();
        let mut matched = false;
        for pattern in &self.patterns {
            if pattern.exclusion != matched {
                continue;
            }
            let mut hit = pattern.matches(file);
            if !hit && parent != "." {
                hit = (1..=parent_dirs.len()).any(|i| pattern.matches(&parent_dirs[..i].join("/")));
            }
            if hit {
                matched = !pattern.exclusion;
            }
        }
        matched
    }
}

/// Go's `filepath.Dir` for slash-separated paths.
fn dir(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => clean_path(&path[..=i]),
        None => ".".to_owned(),
    }
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        match self.kind {
            Kind::Exact => path == self.cleaned,
            Kind::Prefix => self
                .cleaned
                .get(..self.cleaned.len() - 2)
                .is_some_and(|prefix| path.starts_with(prefix)),
            Kind::Suffix => {
                let suffix = self.cleaned.get(2..).unwrap_or_default();
                path.ends_with(suffix) || suffix.strip_prefix('/').is_some_and(|rest| path == rest)
            }
            Kind::Regexp => {
                let chars: Vec<char> = path.chars().collect();
                let mut memo = vec![None; (self.tokens.len() + 1) * (chars.len() + 1)];
                match_from(&self.tokens, &chars, 0, 0, &mut memo)
            }
        }
    }
}

/// `Pattern.compile`: the match kind and the tokens of the regular expression it builds.
fn compile(pattern: &str) -> Option<(Kind, Vec<Token>)> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut kind = Kind::Exact;
    let mut i = 0;
    let mut iteration = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                if i >= chars.len() {
                    if kind == Kind::Exact {
                        kind = Kind::Prefix;
                    } else {
                        tokens.push(Token::Any);
                        kind = Kind::Regexp;
                    }
                } else {
                    tokens.push(Token::DirPrefix);
                    kind = Kind::Regexp;
                }
                if iteration == 0 {
                    kind = Kind::Suffix;
                }
            }
            '*' => {
                tokens.push(Token::Star);
                kind = Kind::Regexp;
            }
            '?' => {
                tokens.push(Token::One);
                kind = Kind::Regexp;
            }
            '\\' => match chars.get(i) {
                Some(&next) => {
                    i += 1;
                    tokens.push(Token::Literal(next));
                    kind = Kind::Regexp;
                }
                None => tokens.push(Token::Literal('\\')),
            },
            '[' => {
                let (class, next) = parse_class(&chars, i)?;
                tokens.push(class);
                i = next;
                kind = Kind::Regexp;
            }
            ']' => {
                tokens.push(Token::Literal(']'));
                kind = Kind::Regexp;
            }
            c => tokens.push(Token::Literal(c)),
        }
        iteration += 1;
    }
    Some((kind, tokens))
}

/// A `[…]` class starting after the `[`; the token and the index after the `]`.
fn parse_class(chars: &[char], start: usize) -> Option<(Token, usize)> {
    let mut i = start;
    let negated = chars.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(i)?;
        i += 1;
        if c == ']' && !first {
            return Some((Token::Class(negated, ranges), i));
        }
        // Go's `filepath.Match` rejects `[]…` and an unescaped `-` where a character belongs.
        if c == ']' || c == '-' {
            return None;
        }
        first = false;
        let low = if c == '\\' {
            let escaped = *chars.get(i)?;
            i += 1;
            escaped
        } else {
            c
        };
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&n| n != ']') {
            let mut high = *chars.get(i + 1)?;
            i += 2;
            if high == '\\' {
                high = *chars.get(i)?;
                i += 1;
            }
            if high < low {
                return None;
            }
            ranges.push((low, high));
        } else {
            ranges.push((low, low));
        }
    }
}

fn match_from(
    tokens: &[Token],
    path: &[char],
    t: usize,
    p: usize,
    memo: &mut Vec<Option<bool>>,
) -> bool {
    let key = t * (path.len() + 1) + p;
    if let Some(Some(known)) = memo.get(key) {
        return *known;
    }
    let result = match tokens.get(t) {
        None => p == path.len(),
        Some(Token::Literal(c)) => {
            path.get(p) == Some(c) && match_from(tokens, path, t + 1, p + 1, memo)
        }
        Some(Token::One) => {
            path.get(p).is_some_and(|&c| c != '/') && match_from(tokens, path, t + 1, p + 1, memo)
        }
        Some(Token::Class(negated, ranges)) => {
            path.get(p)
                .is_some_and(|&c| ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated)
                && match_from(tokens, path, t + 1, p + 1, memo)
        }
        Some(Token::Star) => {
            let mut q = p;
            loop {
                if match_from(tokens, path, t + 1, q, memo) {
                    break true;
                }
                match path.get(q) {
                    Some(&c) if c != '/' => q += 1,
                    _ => break false,
                }
            }
        }
        Some(Token::DirPrefix) => {
            match_from(tokens, path, t + 1, p, memo)
                || (p..path.len())
                    .filter(|&q| path[q] == '/')
                    .any(|q| match_from(tokens, path, t + 1, q + 1, memo))
        }
        Some(Token::Any) => (p..=path.len()).any(|q| match_from(tokens, path, t + 1, q, memo)),
    };
    if let Some(slot) = memo.get_mut(key) {
        *slot = Some(result);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(lines: &str) -> Matcher {
        Matcher::new(&read_patterns(lines)).unwrap_or(Matcher {
            patterns: Vec::new(),
            exclusions: false,
        })
    }

    #[test]
    fn reads_like_docker() {
        assert_eq!(
            read_patterns("\u{feff}# c\n /node_modules/ \r\n\n!  keep.txt\n ./a/../b\n #x\n"),
            vec!["node_modules", "!keep.txt", "b", "#x"]
        );
    }

    #[test]
    fn matches_files_and_parents() {
        let m = matcher("node_modules\n*.log\n**/secret*\ndocs/**\nbuild?\n[ab].txt\n");
        assert!(m.matches_or_parent_matches("node_modules"));
        assert!(m.matches_or_parent_matches("node_modules/x/y.js"));
        assert!(m.matches_or_parent_matches("debug.log"));
        assert!(!m.matches_or_parent_matches("logs/debug.log"));
        assert!(m.matches_or_parent_matches("secrets.env"));
        assert!(m.matches_or_parent_matches("deep/dir/secret.key"));
        assert!(m.matches_or_parent_matches("docs/a/b.md"));
        assert!(m.matches_or_parent_matches("build1"));
        assert!(!m.matches_or_parent_matches("build12"));
        assert!(m.matches_or_parent_matches("a.txt"));
        assert!(!m.matches_or_parent_matches("c.txt"));
        assert!(!m.matches_or_parent_matches("src/main.rs"));
        assert!(!m.matches_or_parent_matches("."));
    }

    #[test]
    fn later_exceptions_win() {
        let m = matcher("*.md\n!README.md\n");
        assert!(m.exclusions);
        assert!(m.matches_or_parent_matches("CHANGES.md"));
        assert!(!m.matches_or_parent_matches("README.md"));
    }

    #[test]
    fn double_star_forms() {
        let m = matcher("**/*.go\n");
        assert!(m.matches_or_parent_matches("main.go"));
        assert!(m.matches_or_parent_matches("a/b/main.go"));
        let m = matcher("a/**/b\n");
        assert!(m.matches_or_parent_matches("a/b"));
        assert!(m.matches_or_parent_matches("a/x/y/b"));
        assert!(!m.matches_or_parent_matches("a/xb"));
        let m = matcher("**\n");
        assert!(m.matches_or_parent_matches("anything/at/all"));
    }

    #[test]
    fn invalid_patterns_disable_matching() {
        assert!(Matcher::new(&read_patterns("[abc\n")).is_none());
        assert!(Matcher::new(&["!".to_owned()]).is_none());
    }
}
