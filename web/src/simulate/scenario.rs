//! What the cache simulation panel edits: the virtual build context, `.dockerignore`, build
//! args, target, builder and the "what if I change …" toggles. Plain data, serialised as is
//! into share links and to the simulation worker, and turned into
//! `layerlab_buildsim::Scenario` there (`engine.rs`).

use serde::{Deserialize, Serialize};

/// How a context file differs from the previous build.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileChange {
    /// Same as in the previous build.
    #[default]
    Unchanged,
    /// Its content changed.
    Edited,
    /// It is new: the previous build did not have it.
    Added,
    /// It is gone: only the previous build had it.
    Removed,
}

impl FileChange {
    pub const ALL: [FileChange; 4] = [
        FileChange::Unchanged,
        FileChange::Edited,
        FileChange::Added,
        FileChange::Removed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FileChange::Unchanged => "unchanged",
            FileChange::Edited => "edited",
            FileChange::Added => "added",
            FileChange::Removed => "removed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FileChange::Unchanged => "unchanged",
            FileChange::Edited => "what if I edit it",
            FileChange::Added => "what if it is new",
            FileChange::Removed => "what if I delete it",
        }
    }

    pub fn parse(text: &str) -> FileChange {
        FileChange::ALL
            .into_iter()
            .find(|change| change.as_str() == text)
            .unwrap_or_default()
    }
}

/// What a context file holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FileContent {
    /// Text typed here, or a small text file read from a picked folder.
    Text { text: String },
    /// A file read from a picked or dropped folder that is too large (or not text) to show:
    /// only what identifies its content is kept. It never leaves this machine.
    Local { size: u64, fingerprint: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextFile {
    /// Relative, `/`-separated.
    pub path: String,
    pub content: FileContent,
    #[serde(default)]
    pub change: FileChange,
}

impl ContextFile {
    pub fn text(path: &str, text: &str) -> ContextFile {
        ContextFile {
            path: path.to_owned(),
            content: FileContent::Text {
                text: text.to_owned(),
            },
            change: FileChange::Unchanged,
        }
    }
}

/// A `--build-arg`, and whether the previous build passed it with another value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildArg {
    pub name: String,
    pub value: String,
    /// `Some(v)`: the previous build had `name=v` ("what if I change it"); `None`: the same.
    #[serde(default)]
    pub previous_value: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BuilderChoice {
    #[default]
    Buildkit,
    Legacy,
}

/// Everything the panel lets a user set. Every field has a default, so a share link from an
/// older (or hand-written) version still opens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimScenario {
    pub files: Vec<ContextFile>,
    pub dockerignore: String,
    pub build_args: Vec<BuildArg>,
    /// The stage to build; empty for the last one.
    pub target: String,
    pub builder: BuilderChoice,
    /// The Dockerfile of the previous build, when the user recorded one ("what if I change
    /// the Dockerfile"); `None`: the previous build used the one in the editor.
    pub previous_dockerfile: Option<String>,
    /// Base images whose content changed since the previous build.
    pub base_changed: Vec<String>,
    pub assume_tags_unchanged: bool,
    pub no_cache: bool,
}

impl Default for SimScenario {
    /// The context the sample Dockerfile (`sample.rs`) copies from, so the panel shows something real.
    fn default() -> Self {
        SimScenario {
            files: vec![
                ContextFile::text(
                    "Cargo.toml",
                    "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
                ),
                ContextFile::text("Cargo.lock", "version = 4\n"),
                ContextFile::text("src/main.rs", "fn main() {\n    println!(\"hello\");\n}\n"),
                ContextFile::text("README.md", "# app\n"),
            ],
            dockerignore: ".git\n*.md\n".to_owned(),
            build_args: Vec::new(),
            target: String::new(),
            builder: BuilderChoice::Buildkit,
            previous_dockerfile: None,
            base_changed: Vec::new(),
            assume_tags_unchanged: false,
            no_cache: false,
        }
    }
}

impl SimScenario {
    /// Adds a file at the first free `new-file-N.txt`, returning its path.
    pub fn add_file(&mut self) -> String {
        let path = (1..)
            .map(|n| format!("new-file-{n}.txt"))
            .find(|path| !self.has_file(path))
            .unwrap_or_default();
        self.files.push(ContextFile::text(&path, ""));
        path
    }

    pub fn has_file(&self, path: &str) -> bool {
        self.files.iter().any(|file| file.path == path)
    }

    /// Renames a file. Refuses an empty path, a path that is taken, and paths leaving the
    /// context; returns why.
    pub fn rename_file(&mut self, index: usize, new_path: &str) -> Result<(), String> {
        let path = normalize_path(new_path)?;
        if self
            .files
            .iter()
            .enumerate()
            .any(|(i, file)| i != index && file.path == path)
        {
            return Err(format!("{path} is already in the context"));
        }
        let file = self
            .files
            .get_mut(index)
            .ok_or_else(|| "no such file".to_owned())?;
        file.path = path;
        Ok(())
    }

    /// Puts files read from disk into the context, replacing those at the same paths.
    pub fn merge_files(&mut self, files: Vec<ContextFile>) {
        for file in files {
            match self.files.iter_mut().find(|f| f.path == file.path) {
                Some(existing) => *existing = file,
                None => self.files.push(file),
            }
        }
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
    }

    /// The build args that are actually passed (a name is required).
    pub fn passed_args(&self) -> impl Iterator<Item = &BuildArg> {
        self.build_args.iter().filter(|arg| !arg.name.is_empty())
    }

    /// How many "what if" toggles are on.
    pub fn changes_count(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.change != FileChange::Unchanged)
            .count()
            + self
                .passed_args()
                .filter(|a| a.previous_value.is_some())
                .count()
            + self.base_changed.len()
            + usize::from(self.previous_dockerfile.is_some())
            + usize::from(self.no_cache)
    }

    /// Switches "base image `image` moved" on or off.
    pub fn set_base_changed(&mut self, image: &str, changed: bool) {
        self.base_changed.retain(|i| i != image);
        if changed {
            self.base_changed.push(image.to_owned());
        }
    }
}

/// A context path as Docker sees it: relative, `/`-separated, no `.` or `..` parts.
pub fn normalize_path(path: &str) -> Result<String, String> {
    let mut parts = Vec::new();
    for part in path.trim().split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return Err("a context path cannot leave the context (..)".to_owned()),
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return Err("a file needs a name".to_owned());
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_and_clean() {
        assert_eq!(normalize_path(" ./src//a.js ").as_deref(), Ok("src/a.js"));
        assert_eq!(normalize_path("src\\b.js").as_deref(), Ok("src/b.js"));
        assert!(normalize_path("../etc/passwd").is_err());
        assert!(normalize_path(" / ").is_err());
    }

    #[test]
    fn files_are_added_renamed_and_merged() {
        let mut scenario = SimScenario {
            files: Vec::new(),
            ..SimScenario::default()
        };
        assert_eq!(scenario.add_file(), "new-file-1.txt");
        assert_eq!(scenario.add_file(), "new-file-2.txt");
        assert!(scenario.rename_file(1, "new-file-1.txt").is_err());
        assert!(scenario.rename_file(7, "x").is_err());
        scenario.rename_file(1, "src/app.js").expect("free path");
        assert!(scenario.has_file("src/app.js"));

        scenario.merge_files(vec![
            ContextFile::text("src/app.js", "new"),
            ContextFile::text("a.txt", ""),
        ]);
        let paths: Vec<&str> = scenario.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a.txt", "new-file-1.txt", "src/app.js"]);
        assert_eq!(
            scenario.files[2].content,
            FileContent::Text { text: "new".into() }
        );
    }

    #[test]
    fn toggles_are_counted() {
        let mut scenario = SimScenario::default();
        assert_eq!(scenario.changes_count(), 0);
        scenario.files[0].change = FileChange::Edited;
        scenario.set_base_changed("golang:1.22", true);
        scenario.set_base_changed("golang:1.22", true);
        scenario.build_args.push(BuildArg {
            name: "V".into(),
            value: "2".into(),
            previous_value: Some("1".into()),
        });
        assert_eq!(scenario.changes_count(), 3);
        scenario.set_base_changed("golang:1.22", false);
        assert_eq!(scenario.changes_count(), 2);
    }

    #[test]
    fn change_names_round_trip() {
        for change in FileChange::ALL {
            assert_eq!(FileChange::parse(change.as_str()), change);
        }
        assert_eq!(FileChange::parse("nonsense"), FileChange::Unchanged);
    }
}
