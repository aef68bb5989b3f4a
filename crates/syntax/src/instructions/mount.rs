//! `RUN --mount` and `RUN --device` values (`commands_runmount.go`, `commands_rundevice.go`).
//!
//! BuildKit parses a mount twice: at parse time without an expander, when only the CSV
//! syntax and `from` are checked (every other value may hold a variable), and at dispatch
//! time with every value expanded, when the whole grammar is checked. We do the second pass
//! with the values as written and treat a value that expansion could change as unknown.

use std::ops::Range;

use super::golang::{needs_expansion, parse_bool, parse_uint, with_suggestion};
use crate::go_quote::{quote, to_lower};

/// One CSV field of a flag value and the byte range of its text in the value.
#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub text: String,
    pub range: Range<usize>,
}

/// An error, with the byte range of the offending field in the flag value when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ValueError {
    pub message: String,
    pub range: Option<Range<usize>>,
}

impl ValueError {
    fn whole(message: impl Into<String>) -> Self {
        ValueError {
            message: message.into(),
            range: None,
        }
    }

    fn at(message: impl Into<String>, field: &Field) -> Self {
        ValueError {
            message: message.into(),
            range: Some(field.range.clone()),
        }
    }
}

/// One record as `tonistiigi/go-csvvalue` reads it (Go's `encoding/csv` rules for one line),
/// with `csv.ParseError`'s text on error.
pub(crate) fn csv_fields(value: &str) -> Result<Vec<Field>, String> {
    let error =
        |pos: usize, what: &str| format!("parse error on line 1, column {}: {what}", pos + 1);
    let line = value
        .strip_suffix("\r\n")
        .or_else(|| value.strip_suffix('\n'))
        .unwrap_or(value);
    if line.is_empty() {
        return Err("EOF".to_owned());
    }
    let bytes = line.as_bytes();
    let mut fields: Vec<Field> = Vec::new();
    let mut pos = 0;
    loop {
        if bytes.get(pos) != Some(&b'"') {
            let end = bytes[pos..]
                .iter()
                .position(|&b| b == b',')
                .map_or(bytes.len(), |i| pos + i);
            if let Some(j) = bytes[pos..end].iter().position(|&b| b == b'"') {
                return Err(error(pos + j, "bare \" in non-quoted-field"));
            }
            fields.push(Field {
                text: line[pos..end].to_owned(),
                range: pos..end,
            });
            if end == bytes.len() {
                return Ok(fields);
            }
            pos = end + 1;
            continue;
        }
        let start = pos;
        pos += 1;
        let mut text = String::new();
        loop {
            let Some(i) = bytes[pos..].iter().position(|&b| b == b'"') else {
                return Err(error(pos, "extraneous or missing \" in quoted-field"));
            };
            text.push_str(&line[pos..pos + i]);
            pos += i + 1;
            match bytes.get(pos) {
                Some(b'"') => {
                    text.push('"');
                    pos += 1;
                }
                Some(b',') => {
                    fields.push(Field {
                        text,
                        range: start..pos,
                    });
                    pos += 1;
                    break;
                }
                None => {
                    fields.push(Field {
                        text,
                        range: start..pos,
                    });
                    return Ok(fields);
                }
                Some(_) => return Err(error(pos - 1, "extraneous or missing \" in quoted-field")),
            }
        }
    }
}

/// `strings.Cut(field, "=")` with the key lower-cased.
fn key_value(field: &Field) -> (String, Option<&str>) {
    match field.text.split_once('=') {
        Some((key, value)) => (to_lower(key), Some(value)),
        None => (to_lower(&field.text), None),
    }
}

/// What the parse-time pass learns: the mount's `from`, if set.
#[derive(Clone, Debug, Default)]
pub(crate) struct MountSource {
    pub from: Option<String>,
}

/// `parseMount(value, nil)`: CSV syntax, and `from` without variables.
pub(crate) fn parse_time(value: &str) -> Result<MountSource, ValueError> {
    let fields = csv_fields(value)
        .map_err(|e| ValueError::whole(format!("failed to parse csv mounts: {e}")))?;
    let mut source = MountSource::default();
    for field in &fields {
        let (key, value) = key_value(field);
        let Some(value) = value else { continue };
        if key == "from" {
            if let Some(i) = value.find('$') {
                if i != value.len() - 1 {
                    return Err(ValueError::at(
                        "'from' doesn't support variable expansion, define alias stage instead",
                        field,
                    ));
                }
            }
            source.from = Some(value.to_owned());
        }
    }
    Ok(source)
}

/// A mount option value at dispatch time: known, or changed by expansion in a way we cannot
/// evaluate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    Known(String),
    Unknown,
}

impl Value {
    fn is_known_empty(value: &Option<Value>) -> bool {
        value.is_none() || matches!(value, Some(Value::Known(s)) if s.is_empty())
    }

    pub fn known(value: &Option<Value>) -> Option<&str> {
        match value {
            Some(Value::Known(s)) => Some(s),
            _ => None,
        }
    }
}

/// A mount as dispatch sees it. `None` when the option was not given.
#[derive(Clone, Debug, Default)]
pub(crate) struct Mount {
    pub kind: String,
    pub from: Option<Value>,
    pub source: Option<Value>,
    pub target: Option<Value>,
    pub id: Option<Value>,
    pub sharing: Option<Value>,
}

const MOUNT_TYPES: [&str; 5] = ["bind", "cache", "secret", "ssh", "tmpfs"];
const SHARING: [&str; 3] = ["shared", "private", "locked"];
/// BuildKit's `allKeys` slice, in its order (ties in suggestions go to the first).
const MOUNT_KEYS: [&str; 19] = [
    "type",
    "from",
    "source",
    "target",
    "readonly",
    "id",
    "sharing",
    "required",
    "size",
    "mode",
    "uid",
    "gid",
    "src",
    "dst",
    "destination",
    "ro",
    "rw",
    "readwrite",
    "env",
];

/// `parseMount(value, expander)`. `Ok(None)` when the mount type itself depends on a
/// variable, so nothing more can be said.
pub(crate) fn dispatch_time(value: &str, escape: char) -> Result<Option<Mount>, ValueError> {
    let fields = csv_fields(value)
        .map_err(|e| ValueError::whole(format!("failed to parse csv mounts: {e}")))?;
    let mut m = Mount {
        kind: "bind".to_owned(),
        ..Mount::default()
    };
    let mut mode = false;
    let mut uid = false;
    let mut gid = false;
    let secretish = |m: &Mount| m.kind == "secret" || m.kind == "ssh";
    for field in &fields {
        let (key, raw) = key_value(field);
        let Some(raw) = raw else {
            match key.as_str() {
                "readonly" | "ro" | "readwrite" | "rw" => {}
                "required" if secretish(&m) => {}
                "required" => {
                    return Err(ValueError::at(
                        format!("unexpected key '{key}' for mount type '{}'", m.kind),
                        field,
                    ))
                }
                _ => {
                    return Err(ValueError::at(
                        format!("invalid field '{}' must be a key=value pair", field.text),
                        field,
                    ))
                }
            }
            continue;
        };
        let value = if needs_expansion(raw, escape) {
            Value::Unknown
        } else {
            Value::Known(raw.to_owned())
        };
        let known = match &value {
            Value::Known(s) => Some(s.as_str()),
            Value::Unknown => None,
        };
        let invalid = |key: &str, value: &str| {
            ValueError::at(format!("invalid value for {key}: {value}"), field)
        };
        match key.as_str() {
            "type" => {
                let Some(v) = known else { return Ok(None) };
                let lower = to_lower(v);
                if !MOUNT_TYPES.contains(&lower.as_str()) {
                    let message = format!("unsupported mount type {}", quote(v));
                    return Err(ValueError::at(
                        with_suggestion(message, v, &MOUNT_TYPES, true),
                        field,
                    ));
                }
                m.kind = lower;
            }
            "from" => m.from = Some(value),
            "source" | "src" => m.source = Some(value),
            "target" | "dst" | "destination" => m.target = Some(value),
            "readonly" | "ro" | "readwrite" | "rw" => {
                if let Some(v) = known {
                    if parse_bool(v).is_none() {
                        return Err(invalid(&key, v));
                    }
                }
            }
            "required" => {
                if !secretish(&m) {
                    return Err(ValueError::at(
                        format!("unexpected key '{key}' for mount type '{}'", m.kind),
                        field,
                    ));
                }
                if let Some(v) = known {
                    if parse_bool(v).is_none() {
                        return Err(invalid(&key, v));
                    }
                }
            }
            "size" => {
                if m.kind != "tmpfs" {
                    return Err(ValueError::at(
                        format!("unexpected key '{key}' for mount type '{}'", m.kind),
                        field,
                    ));
                }
                if let Some(v) = known {
                    if !ram_in_bytes_ok(v) {
                        return Err(invalid(&key, v));
                    }
                }
            }
            "id" => m.id = Some(value),
            "sharing" => {
                if let Some(v) = known {
                    if !SHARING.contains(&to_lower(v).as_str()) {
                        let message = format!("unsupported sharing value {}", quote(v));
                        return Err(ValueError::at(
                            with_suggestion(message, v, &SHARING, true),
                            field,
                        ));
                    }
                }
                m.sharing = Some(value);
            }
            "mode" | "uid" | "gid" => {
                let base = if key == "mode" { 8 } else { 10 };
                if let Some(v) = known {
                    if parse_uint(v, base, 32).is_none() {
                        return Err(ValueError::at(
                            format!("invalid value {v} for {key}"),
                            field,
                        ));
                    }
                }
                match key.as_str() {
                    "mode" => mode = true,
                    "uid" => uid = true,
                    _ => gid = true,
                }
            }
            "env" => {}
            _ => {
                let message = format!("unexpected key '{key}' in '{}'", field.text);
                return Err(ValueError::at(
                    with_suggestion(message, &key, &MOUNT_KEYS, true),
                    field,
                ));
            }
        }
    }
    if !matches!(m.kind.as_str(), "secret" | "ssh" | "cache") {
        for (set, what) in [(mode, "mode"), (uid, "uid"), (gid, "gid")] {
            if set {
                return Err(ValueError::whole(format!(
                    "{what} not allowed for {} type mounts",
                    quote(&m.kind)
                )));
            }
        }
    }
    // A sharing value that expansion could empty may or may not count as set.
    let sharing_set = matches!(&m.sharing, Some(Value::Known(s)) if !s.is_empty());
    if m.kind == "secret" {
        if matches!(&m.from, Some(Value::Known(s)) if !s.is_empty()) {
            return Err(ValueError::whole("secret mount should not have a from"));
        }
        if sharing_set {
            return Err(ValueError::whole("secret mount should not define sharing"));
        }
        if Value::is_known_empty(&m.source)
            && Value::is_known_empty(&m.target)
            && Value::is_known_empty(&m.id)
        {
            return Err(ValueError::whole(
                "invalid secret mount. one of source, target required",
            ));
        }
        let both = |v: &Option<Value>| matches!(v, Some(Value::Known(s)) if !s.is_empty());
        if both(&m.source) && both(&m.id) {
            return Err(ValueError::whole("both source and id can't be set"));
        }
    }
    if sharing_set && m.kind != "cache" {
        return Err(ValueError::whole(format!(
            "invalid cache sharing set for {} mount",
            m.kind
        )));
    }
    Ok(Some(m))
}

/// `go-units.RAMInBytes` succeeds.
fn ram_in_bytes_ok(size: &str) -> bool {
    let Some(sep) = size.rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ' ') else {
        return false;
    };
    let (number, suffix) = if size.as_bytes()[sep] == b' ' {
        (&size[..sep], &size[sep + 1..])
    } else {
        (&size[..=sep], &size[sep + 1..])
    };
    if !go_parse_float_ok(number) {
        return false;
    }
    if number.trim_start_matches('+').starts_with('-') {
        // Negative sizes are rejected (only a zero survives the sign check).
        let nonzero = number.bytes().any(|b| (b'1'..=b'9').contains(&b));
        if nonzero {
            return false;
        }
    }
    if suffix.is_empty() {
        return true;
    }
    if suffix.len() > 3 {
        return false;
    }
    let suffix = suffix.to_ascii_lowercase();
    let bytes = suffix.as_bytes();
    if bytes[0] == b'b' {
        return bytes.len() == 1;
    }
    if !matches!(bytes[0], b'k' | b'm' | b'g' | b't' | b'p') {
        return false;
    }
    match bytes.len() {
        2 => bytes[1] == b'b',
        3 => &bytes[1..] == b"ib",
        _ => true,
    }
}

/// Approximates `strconv.ParseFloat(s, 64)` succeeding for the decimal forms a size can take.
fn go_parse_float_ok(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || digits.contains('_') {
        return false;
    }
    digits.parse::<f64>().is_ok()
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
}

/// A `--device` value: `ParseDevice`'s errors (the name is not needed).
pub(crate) fn parse_device(value: &str) -> Result<(), ValueError> {
    let fields = csv_fields(value)
        .map_err(|e| ValueError::whole(format!("failed to parse csv devices: {e}")))?;
    let mut name: Option<String> = None;
    for field in &fields {
        let (key, raw) = key_value(field);
        let Some(raw) = raw else {
            if key == "required" {
                continue;
            }
            if name.as_deref().is_none_or(str::is_empty) {
                name = Some(field.text.clone());
                continue;
            }
            return Err(ValueError::at(
                format!("invalid field '{}' must be a key=value pair", field.text),
                field,
            ));
        };
        match key.as_str() {
            "name" => {
                if let Some(existing) = name.as_deref().filter(|n| !n.is_empty()) {
                    return Err(ValueError::at(
                        format!("device name already set to {existing}"),
                        field,
                    ));
                }
                name = Some(raw.to_owned());
            }
            "required" => {
                if parse_bool(raw).is_none() {
                    return Err(ValueError::at(
                        format!("invalid value for {key}: {raw}"),
                        field,
                    ));
                }
            }
            _ => {
                if name.as_deref().is_none_or(str::is_empty) {
                    name = Some(field.text.clone());
                    continue;
                }
                let message = format!("unexpected key '{key}' in '{}'", field.text);
                return Err(ValueError::at(
                    with_suggestion(message, &key, &["name", "required"], true),
                    field,
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn texts(value: &str) -> Vec<String> {
        csv_fields(value)
            .unwrap()
            .into_iter()
            .map(|f| f.text)
            .collect()
    }

    #[test]
    fn csv_like_go() {
        assert_eq!(texts("a,\"b,c\",d"), ["a", "b,c", "d"]);
        assert_eq!(texts("\"a\"\"b\""), ["a\"b"]);
        assert_eq!(texts("a,"), ["a", ""]);
        assert_eq!(
            csv_fields("a\"b").unwrap_err(),
            "parse error on line 1, column 2: bare \" in non-quoted-field"
        );
        assert_eq!(
            csv_fields("\"ab").unwrap_err(),
            "parse error on line 1, column 2: extraneous or missing \" in quoted-field"
        );
        assert_eq!(csv_fields("").unwrap_err(), "EOF");
    }

    #[test]
    fn sizes() {
        for ok in ["64m", "1g", "100", "1.5GiB", "10 MB", "0", "512k", "1e3"] {
            assert!(ram_in_bytes_ok(ok), "{ok}");
        }
        for bad in ["", "m", "abc", "10x", "10mbb", "-5m", "1_0"] {
            assert!(!ram_in_bytes_ok(bad), "{bad}");
        }
    }
}
