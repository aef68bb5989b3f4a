//! Reading a folder the user picks (`<input type=file webkitdirectory>`) or drops into the
//! virtual build context. Files are read here, in the page, and never sent anywhere: small
//! text files become editable text, anything else is kept as its size and a fingerprint
//! (size and modification time) that stands for its content.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry};

use super::scenario::{normalize_path, ContextFile, FileChange, FileContent};

/// Text files up to this size are read and can be edited in the panel.
const TEXT_LIMIT: f64 = 64.0 * 1024.0;
/// At most this many files are taken from one folder (a `node_modules` has 100,000).
pub const FILE_LIMIT: usize = 5000;

/// What was read from a folder.
#[derive(Debug, Default)]
pub struct ReadFolder {
    pub files: Vec<ContextFile>,
    /// The folder's own `.dockerignore`, if it has one.
    pub dockerignore: Option<String>,
    /// Files left out, and why (the Dockerfile the editor already holds, the limit).
    pub skipped: Vec<String>,
}

/// A file and its path relative to the context root.
pub struct Picked {
    pub path: String,
    pub file: File,
}

/// The files of a directory input: their `webkitRelativePath` starts with the folder's name,
/// which is the context root.
pub fn picked_from_input(files: &web_sys::FileList) -> Vec<Picked> {
    (0..files.length())
        .filter_map(|i| files.get(i))
        .map(|file| {
            let relative = js_sys::Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
                .ok()
                .and_then(|v| v.as_string())
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| file.name());
            let path = match relative.split_once('/') {
                Some((_root, rest)) => rest.to_owned(),
                None => relative,
            };
            Picked { path, file }
        })
        .collect()
}

/// The files under the entries of a drop (folders walked recursively). A dropped folder is
/// the context root; dropped files land at its top.
pub async fn picked_from_drop(entries: Vec<FileSystemEntry>) -> Vec<Picked> {
    let mut picked = Vec::new();
    // (entry, path prefix inside the context)
    let mut stack: Vec<(FileSystemEntry, String)> = entries
        .into_iter()
        .map(|entry| (entry, String::new()))
        .collect();
    let mut root_is_folder = None;
    while let Some((entry, prefix)) = stack.pop() {
        if picked.len() > FILE_LIMIT {
            break;
        }
        if entry.is_directory() {
            let Ok(dir) = entry.clone().dyn_into::<FileSystemDirectoryEntry>() else {
                continue;
            };
            // A single dropped folder is the context itself, not a folder inside it.
            let inner_prefix = if prefix.is_empty() && root_is_folder.is_none() {
                root_is_folder = Some(true);
                String::new()
            } else {
                format!("{prefix}{}/", entry.name())
            };
            for child in read_directory(&dir).await {
                stack.push((child, inner_prefix.clone()));
            }
        } else if let Ok(file_entry) = entry.clone().dyn_into::<FileSystemFileEntry>() {
            if let Some(file) = file_of(&file_entry).await {
                picked.push(Picked {
                    path: format!("{prefix}{}", entry.name()),
                    file,
                });
            }
        }
    }
    picked
}

/// Every entry of a directory (`readEntries` returns them in batches until an empty one).
async fn read_directory(dir: &FileSystemDirectoryEntry) -> Vec<FileSystemEntry> {
    let reader = dir.create_reader();
    let mut all = Vec::new();
    loop {
        let batch = js_sys::Promise::new(&mut |resolve, reject| {
            if reader
                .read_entries_with_callback_and_callback(&resolve, &reject)
                .is_err()
            {
                let _ = reject.call0(&JsValue::NULL);
            }
        });
        let Ok(batch) = JsFuture::from(batch).await else {
            break;
        };
        let batch: js_sys::Array = batch.unchecked_into();
        if batch.length() == 0 {
            break;
        }
        all.extend(batch.iter().filter_map(|v| v.dyn_into().ok()));
        if all.len() > FILE_LIMIT {
            break;
        }
    }
    all
}

async fn file_of(entry: &FileSystemFileEntry) -> Option<File> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    });
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}

/// Reads the picked files into context entries.
pub async fn read(picked: Vec<Picked>) -> ReadFolder {
    let mut out = ReadFolder::default();
    let total = picked.len();
    for Picked { path, file } in picked {
        let Ok(path) = normalize_path(&path) else {
            continue;
        };
        if path == "Dockerfile" {
            out.skipped
                .push("Dockerfile (the editor's Dockerfile is the one simulated)".to_owned());
            continue;
        }
        if out.files.len() >= FILE_LIMIT {
            out.skipped.push(format!(
                "{} more files (at most {FILE_LIMIT} are read from one folder)",
                total - FILE_LIMIT
            ));
            break;
        }
        let size = file.size();
        let text = if size <= TEXT_LIMIT {
            JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
                // Not text: the decoder replaced bytes it could not read.
                .filter(|t| !t.contains('\u{FFFD}') && !t.contains('\0'))
        } else {
            None
        };
        if path == ".dockerignore" {
            out.dockerignore = text.clone();
        }
        let content = match text {
            Some(text) => FileContent::Text { text },
            None => FileContent::Local {
                size: size as u64,
                fingerprint: format!("{}:{}", size as u64, file.last_modified() as u64),
            },
        };
        out.files.push(ContextFile {
            path,
            content,
            change: FileChange::Unchanged,
        });
    }
    out
}

/// The entries of a drop, read synchronously while the event lasts (the browser forgets
/// them afterwards).
pub fn drop_entries(event: &web_sys::DragEvent) -> Vec<FileSystemEntry> {
    let Some(transfer) = event.data_transfer() else {
        return Vec::new();
    };
    let items = transfer.items();
    (0..items.length())
        .filter_map(|i| items.get(i))
        .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
        .collect()
}
