//! The file tree (the merged filesystem or one layer's changes) and the text viewer. The tree
//! starts with every directory closed and renders at most [`ROW_LIMIT`] rows at a time
//! (more on request), so a layer of 100,000 files stays a short list in the DOM.

use std::collections::HashSet;

use yew::prelude::*;

use super::format;
use super::protocol::{EntryText, FileListing, FileRecord, VIEWER_MAX_BYTES};
use super::state::Shared;
use super::tree::{Rows, SortKey, Tree};

/// Rows rendered at first; "Show more" adds as many again.
pub const ROW_LIMIT: usize = 400;

/// A file the user asked to see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenFile {
    pub layer: u32,
    pub entry: u32,
    pub path: String,
}

#[derive(Properties, PartialEq)]
pub struct FileTreeProps {
    pub files: Shared<FileListing>,
    /// None: the merged filesystem.
    pub layer: Option<u32>,
    pub on_select_layer: Callback<Option<u32>>,
    pub on_open: Callback<OpenFile>,
}

#[component]
pub fn FileTree(props: &FileTreeProps) -> Html {
    let sort = use_state(|| SortKey::Size);
    let query = use_state(String::new);
    let expanded = use_state(HashSet::<String>::new);
    let limit = use_state(|| ROW_LIMIT);
    let tree = use_memo(
        (props.files.clone(), props.layer, *sort),
        |(files, layer, sort)| {
            let records: &[FileRecord] = match layer {
                None => &files.merged,
                Some(layer) => files
                    .layers
                    .get(*layer as usize)
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
            };
            let mut tree = Tree::build(records);
            tree.sort(*sort);
            tree
        },
    );
    {
        // Another layer or image: start closed again.
        let expanded = expanded.clone();
        let limit = limit.clone();
        use_effect_with((props.files.clone(), props.layer), move |_| {
            expanded.set(HashSet::new());
            limit.set(ROW_LIMIT);
        });
    }
    let records: &[FileRecord] = match props.layer {
        None => &props.files.merged,
        Some(layer) => props
            .files
            .layers
            .get(layer as usize)
            .map(Vec::as_slice)
            .unwrap_or_default(),
    };
    let searching = !query.trim().is_empty();
    let Rows { rows, hidden } = if searching {
        tree.search(query.trim(), *sort, *limit)
    } else {
        tree.rows(&expanded, *limit)
    };

    let on_query = {
        let query = query.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                query.set(input.value());
            }
        })
    };
    let on_sort = {
        let sort = sort.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                sort.set(if select.value() == "name" {
                    SortKey::Name
                } else {
                    SortKey::Size
                });
            }
        })
    };
    let on_more = {
        let limit = limit.clone();
        Callback::from(move |_| limit.set(*limit + ROW_LIMIT))
    };
    let on_merged = {
        let on_select_layer = props.on_select_layer.clone();
        Callback::from(move |_| on_select_layer.emit(None))
    };

    let row_html = rows.iter().map(|row| {
        let node = &tree.nodes[row.node];
        let record = node.record.and_then(|r| records.get(r));
        let kind = record.map_or_else(|| "dir".to_owned(), |r| r.kind.clone());
        let open = expanded.contains(&node.path);
        let indent = "\u{a0}\u{a0}".repeat(row.depth.min(40));
        // Directories show what is below them; a hardlink the size of the data it shares.
        let shown_size = match record {
            Some(record) if !node.is_dir => record.size.max(0.0) as u64,
            _ => node.total_size,
        };
        let label = if searching { node.path.clone() } else { node.name.clone() };
        let mark = node.mark.map(|m| m.as_str());
        let viewable = record.and_then(|r| {
            (r.kind == "file").then_some(())?;
            Some(OpenFile { layer: r.layer, entry: r.entry?, path: r.path.clone() })
        });
        let onclick = if node.is_dir && !searching {
            let expanded = expanded.clone();
            let path = node.path.clone();
            Some(Callback::from(move |_: MouseEvent| {
                let mut next = (*expanded).clone();
                if !next.remove(&path) {
                    next.insert(path.clone());
                }
                expanded.set(next);
            }))
        } else {
            viewable.clone().map(|file| {
                let on_open = props.on_open.clone();
                Callback::from(move |_: MouseEvent| on_open.emit(file.clone()))
            })
        };
        let title = match (&viewable, node.is_dir) {
            (_, true) if !searching => format!("{} files, {}", node.files, format::bytes(node.total_size as f64)),
            (Some(_), _) => "Show the start of this file".to_owned(),
            _ => String::new(),
        };
        html! {
            <li data-testid="file-row" data-path={node.path.clone()} data-kind={kind}
                data-size={shown_size.to_string()}
                data-mark={mark} class={classes!("file-row", mark)}>
                <button type="button" class="row" disabled={onclick.is_none()} {onclick} title={title}
                    aria-expanded={(node.is_dir && !searching).then(|| open.to_string())}>
                    <span class="indent" aria-hidden="true">{ indent }</span>
                    <span class="toggle" aria-hidden="true">
                        { if node.is_dir && !searching { if open { "▾" } else { "▸" } } else { " " } }
                    </span>
                    <span class="file-name">{ label }</span>
                    if let Some(target) = record.and_then(|r| r.link.clone()) {
                        <span class="link-target">{ " → " }{ target }</span>
                    }
                    <span class="file-size">{ format::bytes(shown_size as f64) }</span>
                    if let Some(record) = record.filter(|r| r.kind != "removed" && r.kind != "dir") {
                        <span class="file-mode">{ format::mode(record.mode) }</span>
                    }
                    if let Some(mark) = mark {
                        <span class={classes!("mark", mark)}>{ mark }</span>
                    }
                    if props.layer.is_none() {
                        if let Some(record) = record {
                            <span class="file-layer" title="the layer that wrote it">{ format!("#{}", record.layer) }</span>
                        }
                    }
                </button>
            </li>
        }
    });

    let title = match props.layer {
        None => "Files (merged)".to_owned(),
        Some(layer) => format!("Files changed by layer #{layer}"),
    };
    html! {
        <section class="panel files" data-testid="files" aria-label="Files">
            <h2 class="panel-title">{ title }<span class="count">{ records.len() }</span></h2>
            <div class="file-tools">
                if props.layer.is_some() {
                    <button type="button" onclick={on_merged}>{ "Show the merged filesystem" }</button>
                }
                <input type="search" placeholder="Filter paths" aria-label="Filter paths"
                    data-testid="file-filter" value={(*query).clone()} oninput={on_query} />
                <label>{ "Sort " }
                    <select onchange={on_sort} aria-label="Sort files">
                        <option value="size" selected={*sort == SortKey::Size}>{ "by size" }</option>
                        <option value="name" selected={*sort == SortKey::Name}>{ "by name" }</option>
                    </select>
                </label>
            </div>
            <ul class="rows file-rows" role="list">{ for row_html }</ul>
            if rows.is_empty() {
                <p class="empty">{ if searching { "No path matches." } else { "No files." } }</p>
            }
            if hidden > 0 {
                <button type="button" class="more" onclick={on_more}>
                    { format!("Show more ({hidden} rows not shown)") }
                </button>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ViewerProps {
    pub content: Option<EntryText>,
    /// The path being read.
    pub waiting: Option<String>,
    pub on_close: Callback<()>,
}

/// The start of a file inside the image, as text.
#[component]
pub fn Viewer(props: &ViewerProps) -> Html {
    let on_close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    html! {
        <section class="panel viewer" data-testid="viewer" aria-label="File viewer">
            <h2 class="panel-title">
                { props.waiting.clone().or_else(|| props.content.as_ref().map(|c| c.path.clone())).unwrap_or_default() }
                <button type="button" class="close" onclick={on_close} aria-label="Close the viewer">{ "×" }</button>
            </h2>
            if props.waiting.is_some() {
                <p class="busy" role="status">{ "Reading…" }</p>
            } else if let Some(content) = &props.content {
                <p class="facts">
                    { format!("layer #{}, {}", content.layer, format::bytes(content.size)) }
                    if content.truncated {
                        { format!(" — the first {} shown", format::bytes(f64::from(VIEWER_MAX_BYTES))) }
                    }
                </p>
                if content.binary {
                    <p class="empty">{ "A binary file (it contains NUL bytes): not shown." }</p>
                } else {
                    <pre class="file-text" data-testid="file-viewer" tabindex="0">{ content.text.clone() }</pre>
                }
            }
        </section>
    }
}
