//! Reading a Dockerfile from a path or stdin, with errors that name the file and position.

use std::io::Read;

use layerlab_syntax::LineIndex;

use crate::Failure;

/// A file's name as shown in messages, and its text.
pub struct Source {
    pub name: String,
    pub text: String,
}

pub fn read(path: &str) -> Result<Source, Failure> {
    let (name, bytes) = if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::error(format!("<stdin>: error: cannot read: {e}")))?;
        ("<stdin>".to_owned(), bytes)
    } else {
        let bytes = std::fs::read(path)
            .map_err(|e| Failure::error(format!("{path}: error: cannot read: {e}")))?;
        (path.to_owned(), bytes)
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source { name, text }),
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            let bytes = error.as_bytes();
            // Safe by construction: the prefix is exactly the valid part.
            let prefix = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
            let position = LineIndex::new(prefix).line_col(valid_up_to);
            Err(Failure::error(format!(
                "{name}:{}:{}: error: invalid UTF-8 (byte 0x{:02x}); Dockerfiles must be UTF-8 text",
                position.line,
                position.column,
                bytes.get(valid_up_to).copied().unwrap_or_default()
            )))
        }
    }
}
