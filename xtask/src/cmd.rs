//! Running other programs: each command is echoed before it runs, and a failure says which
//! step failed and how to run it again by hand.

use std::fmt;
use std::process::{Command, ExitStatus, Stdio};

#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        Error(error.to_string())
    }
}

pub type Result<T> = std::result::Result<T, Error>;

pub fn fail<T>(message: impl Into<String>) -> Result<T> {
    Err(Error(message.into()))
}

/// Runs `command` in the foreground; `step` names it in the error.
pub fn run(step: &str, command: &mut Command) -> Result<()> {
    let shown = render(command);
    eprintln!("$ {shown}");
    let status = command
        .status()
        .map_err(|error| Error(format!("{step}: could not start `{shown}`: {error}")))?;
    check(step, &shown, status)
}

/// Runs `command` and returns its standard output, for commands whose output is data.
pub fn output(step: &str, command: &mut Command) -> Result<String> {
    let shown = render(command);
    let out = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| Error(format!("{step}: could not start `{shown}`: {error}")))?;
    check(step, &shown, out.status)?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs `command` quietly; its standard output if it ran and succeeded. For "is X there?".
pub fn probe(command: &mut Command) -> Option<String> {
    let out = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn check(step: &str, shown: &str, status: ExitStatus) -> Result<()> {
    if status.success() {
        return Ok(());
    }
    let how = status.code().map_or_else(
        || "was killed by a signal".to_owned(),
        |code| format!("exited with {code}"),
    );
    fail(format!("{step} failed: `{shown}` {how}"))
}

/// The command as a shell line, with the environment it was given (PATH left out: it is
/// long, and always the caller's PATH plus the project's tool folders).
pub fn render(command: &Command) -> String {
    let mut parts: Vec<String> = command
        .get_envs()
        .filter(|(key, _)| *key != "PATH")
        .filter_map(|(key, value)| {
            Some(format!(
                "{}={}",
                key.to_string_lossy(),
                quote(&value?.to_string_lossy())
            ))
        })
        .collect();
    parts.push(quote(&command.get_program().to_string_lossy()));
    parts.extend(command.get_args().map(|arg| quote(&arg.to_string_lossy())));
    parts.join(" ")
}

fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@+%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_pasteable_shell_line() {
        let mut command = Command::new("cargo");
        command
            .args(["clippy", "--", "-D", "warnings", "it's"])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("PATH", "/x");
        assert_eq!(
            render(&command),
            r"CHROMEDRIVER=/usr/bin/chromedriver cargo clippy -- -D warnings 'it'\''s'"
        );
    }

    #[test]
    fn failures_name_the_step_and_the_command() {
        let error = run("a check", Command::new("false").arg("x")).expect_err("false fails");
        assert_eq!(error.0, "a check failed: `false x` exited with 1");
        assert_eq!(probe(&mut Command::new("true")).as_deref(), Some(""));
        assert_eq!(probe(&mut Command::new("false")), None);
    }
}
