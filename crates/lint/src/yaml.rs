//! The YAML that hadolint configuration files use: block mappings and sequences, flow
//! sequences and mappings of scalars, plain and quoted scalars, comments. Every node keeps
//! its line and column so configuration errors can point at them. Anything beyond this subset
//! (anchors, tags, multi-line scalars, several documents) is an error, not a guess.

/// A parsed node with its 1-based position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub value: Value,
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Scalar(String),
    Sequence(Vec<Node>),
    Mapping(Vec<(Node, Node)>),
    Null,
}

/// A YAML error at a 1-based position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

struct Line<'a> {
    number: usize,
    indent: usize,
    /// The content after the indentation, comment removed, trailing blanks trimmed.
    text: &'a str,
}

pub fn parse(source: &str) -> Result<Node, YamlError> {
    let mut lines = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        let number = i + 1;
        let content = raw.trim_start_matches(' ');
        let indent = raw.len() - content.len();
        if content.starts_with('\t') {
            return Err(error(
                number,
                indent + 1,
                "tabs are not allowed for indentation",
            ));
        }
        let text = strip_comment(content).trim_end();
        if text.is_empty() || (indent == 0 && (text == "---" || text == "...")) {
            continue;
        }
        if indent == 0 && text.starts_with("---") {
            return Err(error(number, 1, "only one YAML document is supported"));
        }
        lines.push(Line {
            number,
            indent,
            text,
        });
    }
    let mut parser = Parser { lines, pos: 0 };
    let Some(first) = parser.lines.first() else {
        return Ok(Node {
            value: Value::Null,
            line: 1,
            column: 1,
        });
    };
    let indent = first.indent;
    let node = parser.block(indent)?;
    if let Some(extra) = parser.lines.get(parser.pos) {
        return Err(error(
            extra.number,
            extra.indent + 1,
            "unexpected indentation",
        ));
    }
    Ok(node)
}

fn error(line: usize, column: usize, message: impl Into<String>) -> YamlError {
    YamlError {
        line,
        column,
        message: message.into(),
    }
}

/// Removes a `#` comment that is not inside quotes.
fn strip_comment(text: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && (previous == ' ' || i == 0) => return &text[..i],
            None => {}
        }
        previous = c;
    }
    text
}

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    pos: usize,
}

impl Parser<'_> {
    fn block(&mut self, indent: usize) -> Result<Node, YamlError> {
        let Some(line) = self.lines.get(self.pos) else {
            return Ok(Node {
                value: Value::Null,
                line: 1,
                column: 1,
            });
        };
        let (number, column) = (line.number, line.indent + 1);
        if line.text == "-" || line.text.starts_with("- ") {
            let mut items = Vec::new();
            while let Some(line) = self.lines.get(self.pos) {
                if line.indent != indent || !(line.text == "-" || line.text.starts_with("- ")) {
                    break;
                }
                let item = line.text[1..].trim_start();
                let item_column = line.indent + 1 + (line.text.len() - item.len());
                let item_line = line.number;
                self.pos += 1;
                if item.is_empty() {
                    items.push(self.nested(indent, item_line, item_column)?);
                } else if split_key(item).is_some() {
                    return Err(error(
                        item_line,
                        item_column,
                        "mappings inside sequences are not supported here",
                    ));
                } else {
                    items.push(inline(item, item_line, item_column)?);
                }
            }
            return Ok(Node {
                value: Value::Sequence(items),
                line: number,
                column,
            });
        }
        let mut entries: Vec<(Node, Node)> = Vec::new();
        while let Some(line) = self.lines.get(self.pos) {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return Err(error(
                    line.number,
                    line.indent + 1,
                    "unexpected indentation",
                ));
            }
            let Some((key, rest)) = split_key(line.text) else {
                return Err(error(
                    line.number,
                    line.indent + 1,
                    format!("expected `key: value`, found `{}`", line.text),
                ));
            };
            let (key_line, key_column) = (line.number, line.indent + 1);
            let rest_column = key_column + (line.text.len() - rest.len());
            let key_node = Node {
                value: Value::Scalar(unquote(key, key_line, key_column)?),
                line: key_line,
                column: key_column,
            };
            if let Some((previous, _)) = entries.iter().find(|(k, _)| k.value == key_node.value) {
                return Err(error(
                    key_line,
                    key_column,
                    format!("duplicate key (first defined on line {})", previous.line),
                ));
            }
            self.pos += 1;
            let value = if rest.is_empty() {
                self.nested(indent, key_line, rest_column)?
            } else {
                inline(rest, key_line, rest_column)?
            };
            entries.push((key_node, value));
        }
        Ok(Node {
            value: Value::Mapping(entries),
            line: number,
            column,
        })
    }

    /// The block under a `key:` or `-` line: deeper-indented lines, or a sequence at the same
    /// indentation as the key (YAML allows `key:\n- a`).
    fn nested(&mut self, indent: usize, line: usize, column: usize) -> Result<Node, YamlError> {
        match self.lines.get(self.pos) {
            Some(next) if next.indent > indent => {
                let child = next.indent;
                self.block(child)
            }
            Some(next)
                if next.indent == indent && (next.text == "-" || next.text.starts_with("- ")) =>
            {
                self.block(indent)
            }
            _ => Ok(Node {
                value: Value::Null,
                line,
                column,
            }),
        }
    }
}

/// `key: rest` where the key is plain or quoted.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let end = if text.starts_with(['"', '\'']) {
        let quote = text.chars().next()?;
        text[1..].find(quote)? + 2
    } else {
        0
    };
    let colon = end + text[end..].find(':')?;
    let after = &text[colon + 1..];
    if !after.is_empty() && !after.starts_with(' ') {
        return None;
    }
    Some((text[..colon].trim_end(), after.trim_start()))
}

fn inline(text: &str, line: usize, column: usize) -> Result<Node, YamlError> {
    if let Some(body) = text.strip_prefix('[') {
        let Some(body) = body.strip_suffix(']') else {
            return Err(error(line, column, "unterminated `[`"));
        };
        let mut items = Vec::new();
        let mut offset = column + 1;
        for piece in split_flow(body) {
            let item = piece.trim();
            if !item.is_empty() {
                let at = offset + (piece.len() - piece.trim_start().len());
                items.push(Node {
                    value: Value::Scalar(unquote(item, line, at)?),
                    line,
                    column: at,
                });
            }
            offset += piece.len() + 1;
        }
        return Ok(Node {
            value: Value::Sequence(items),
            line,
            column,
        });
    }
    if let Some(body) = text.strip_prefix('{') {
        let Some(body) = body.strip_suffix('}') else {
            return Err(error(line, column, "unterminated `{`"));
        };
        let mut entries = Vec::new();
        for piece in split_flow(body) {
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            let Some((key, value)) = split_key(piece).or_else(|| piece.split_once(':')) else {
                return Err(error(
                    line,
                    column,
                    format!("expected `key: value` in `{{…}}`, found `{piece}`"),
                ));
            };
            entries.push((
                Node {
                    value: Value::Scalar(unquote(key.trim(), line, column)?),
                    line,
                    column,
                },
                Node {
                    value: Value::Scalar(unquote(value.trim(), line, column)?),
                    line,
                    column,
                },
            ));
        }
        return Ok(Node {
            value: Value::Mapping(entries),
            line,
            column,
        });
    }
    if text.starts_with(['&', '*', '!', '|', '>']) {
        return Err(error(
            line,
            column,
            format!("unsupported YAML syntax `{text}`"),
        ));
    }
    let value = unquote(text, line, column)?;
    let value = match value.as_str() {
        "~" | "null" if !text.starts_with(['"', '\'']) => Value::Null,
        _ => Value::Scalar(value),
    };
    Ok(Node {
        value,
        line,
        column,
    })
}

/// Splits flow content on commas outside quotes.
fn split_flow(body: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (i, c) in body.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == ',' => {
                pieces.push(&body[start..i]);
                start = i + 1;
            }
            None => {}
        }
    }
    pieces.push(&body[start..]);
    pieces
}

fn unquote(text: &str, line: usize, column: usize) -> Result<String, YamlError> {
    if let Some(body) = text.strip_prefix('\'') {
        let Some(body) = body.strip_suffix('\'') else {
            return Err(error(line, column, "unterminated single-quoted string"));
        };
        return Ok(body.replace("''", "'"));
    }
    if let Some(body) = text.strip_prefix('"') {
        let Some(body) = body.strip_suffix('"') else {
            return Err(error(line, column, "unterminated double-quoted string"));
        };
        let mut out = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other @ ('"' | '\\' | '/')) => out.push(other),
                other => {
                    return Err(error(
                        line,
                        column,
                        format!("unsupported escape `\\{}`", other.unwrap_or(' ')),
                    ));
                }
            }
        }
        return Ok(out);
    }
    Ok(text.to_owned())
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    fn scalar(s: &str) -> Value {
        Value::Scalar(s.to_owned())
    }

    #[test]
    fn parses_hadolint_shaped_configs() {
        let text = "---\nignored:\n  - DL3008\n  - SC2086 # comment\noverride:\n  error: [DL3001, \"DL3002\"]\n  info:\n  - DL3003\nfailure-threshold: warning\ntrustedRegistries: docker.io\nlabel-schema: {author: text, url: url}\n";
        let root = parse(text).unwrap_or(Node {
            value: Value::Null,
            line: 0,
            column: 0,
        });
        let Value::Mapping(entries) = root.value else {
            panic!("not a mapping")
        };
        assert_eq!(entries[0].0.value, scalar("ignored"));
        let Value::Sequence(items) = &entries[0].1.value else {
            panic!("not a sequence")
        };
        assert_eq!(items[1].value, scalar("SC2086"));
        assert_eq!((items[1].line, items[1].column), (4, 5));
        let Value::Mapping(overrides) = &entries[1].1.value else {
            panic!("not a mapping")
        };
        assert_eq!(
            overrides[0].1.value,
            Value::Sequence(vec![
                Node {
                    value: scalar("DL3001"),
                    line: 6,
                    column: 11
                },
                Node {
                    value: scalar("DL3002"),
                    line: 6,
                    column: 19
                },
            ])
        );
        assert_eq!(entries[2].1.value, scalar("warning"));
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert_eq!(
            parse("a: 1\n  b: 2\n").err().map(|e| (e.line, e.column)),
            Some((2, 3))
        );
        assert_eq!(parse("a: 1\na: 2\n").err().map(|e| e.line), Some(2));
        assert_eq!(
            parse("a: [1, 2\n").err().map(|e| e.message),
            Some("unterminated `[`".to_owned())
        );
        assert_eq!(parse("\ta: 1\n").err().map(|e| e.line), Some(1));
        assert_eq!(parse("just text\n").err().map(|e| e.line), Some(1));
    }
}
