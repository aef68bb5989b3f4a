//! BuildKit's `Node.Dump()`: the s-expression form its conformance tests compare, printed
//! byte for byte as `(lowercased-keyword ["--flag" ...] "arg" ...)` per instruction.

use crate::go_quote::{quote, quote_list, to_lower, trim_space};
use crate::{Dockerfile, Instruction};

/// The dump of a whole file: one line per instruction, no trailing newline (BuildKit trims it).
pub fn buildkit_dump(dockerfile: &Dockerfile) -> String {
    let mut out = String::new();
    for instruction in &dockerfile.instructions {
        out.push('(');
        out.push_str(&dump_instruction(instruction));
        out.push_str(")\n");
    }
    trim_space(&out).to_owned()
}

fn dump_instruction(instruction: &Instruction) -> String {
    let mut out = to_lower(&instruction.keyword.value);
    if !instruction.flags.is_empty() {
        out.push(' ');
        out.push_str(&quote_list(
            instruction.flags.iter().map(|f| f.text.as_str()),
        ));
    }
    if let Some(trigger) = &instruction.trigger {
        // ONBUILD's `Next` is a node whose only child is the trigger.
        out.push_str(" (");
        out.push_str(&dump_instruction(trigger));
        out.push(')');
    }
    for arg in &instruction.args {
        out.push(' ');
        out.push_str(&quote(&arg.value));
    }
    trim_space(&out).to_owned()
}
