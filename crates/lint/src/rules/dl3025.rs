//! DL3025: use JSON notation for CMD and ENTRYPOINT arguments.
//!
//! **What** — `CMD`, `ENTRYPOINT` or `HEALTHCHECK CMD` in shell form.
//!
//! **Why** — the shell form runs your process as a child of `/bin/sh -c`: it does not receive
//! signals such as SIGTERM, so `docker stop` waits and then kills it.
//!
//! **Bad** — `CMD node server.js` · **Good** — `CMD ["node", "server.js"]`
//!
//! **Fix** — when the command is plain words (no quotes, variables or shell operators), the
//! JSON form is a safe fix; otherwise the unsafe fix keeps the shell explicitly:
//! `["/bin/sh", "-c", "…"]`.

use layerlab_syntax::{Instruction, Keyword};

use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct Dl3025;

static META: RuleMeta = RuleMeta {
    code: "DL3025",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
    bad: "FROM node:22.11\nSHELL [\"/bin/sh\", \"-c\"]\nCMD node server.js\n",
    good: "FROM node:22.11\nCMD [\"node\", \"server.js\"]\n",
    fixable: true,
};

/// Characters that make a shell command more than a list of words.
const SHELL_SYNTAX: &[char] = &[
    '$', '`', '\\', '"', '\'', '|', '&', ';', '<', '>', '(', ')', '*', '?', '[', ']', '~', '#',
    '{', '}', '=', '\n',
];

fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The exec form of a shell-form command, and whether it is a safe rewrite.
pub(crate) fn exec_form(command: &str) -> (String, bool) {
    if command.contains(SHELL_SYNTAX) {
        let parts = ["/bin/sh".to_owned(), "-c".to_owned(), command.to_owned()];
        let items: Vec<String> = parts.iter().map(|p| json_string(p)).collect();
        (format!("[{}]", items.join(", ")), false)
    } else {
        let items: Vec<String> = command.split_whitespace().map(json_string).collect();
        (format!("[{}]", items.join(", ")), true)
    }
}

fn check_command(cx: &Context<'_>, instruction: &Instruction) {
    let command = match instruction.kind {
        Keyword::Cmd | Keyword::Entrypoint => instruction.args.first(),
        Keyword::Healthcheck
            if instruction
                .args
                .first()
                .is_some_and(|t| t.value.eq_ignore_ascii_case("cmd")) =>
        {
            instruction.args.get(1)
        }
        _ => None,
    };
    let Some(command) = command.filter(|_| !instruction.json) else {
        return;
    };
    let (replacement, safe) = exec_form(&command.value);
    // Only offer a fix when the argument is one unbroken piece of the file.
    let fix = (cx.slice(command.span) == command.value).then(|| Fix {
        title: "Use the JSON (exec) form".to_owned(),
        safe,
        edits: vec![Edit {
            span: command.span,
            replacement,
        }],
    });
    cx.report_with_fix(&META, command.span, META.summary, fix);
}

impl Rule for Dl3025 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx.instructions {
            check_command(cx, instruction);
        }
    }
}
